"""The PLOVER codebook (`schemas/plover.yaml`) read into rules: event types, word classes, role frames,
trigger rules and status cues, their patterns expanded into spaCy DependencyMatcher and Matcher form.

Patterns are spaCy's own format with three additions the interpreter expands: a string "@name" inside an
IN / NOT_IN list stands for the word class `name`; a node may give `REL: <relation>` instead of `REL_OP`,
which becomes one pattern per path of that named relation; and LEMMA compares the lemma in lower case
(the token extension `plover_lemma`), so a headline's 'War' or 'Talks' matches like any other.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from schemas import REFERENCE_DIR, read_yaml

CODEBOOK_PATH = REFERENCE_DIR / "plover.yaml"
# The token extension patterns match a LEMMA against: the lemma in lower case.
LEMMA_EXTENSION = "plover_lemma"
ROLES = ("source", "target", "other")
NOUN_POS = ("NOUN", "PROPN")
# Statuses whose events give no row: an attitude toward an act ('cautious about resuming talks') and a span's
# bound ('until the end of the war'), where nothing is reported as done, planned or offered.
ROWLESS_STATUSES = frozenset({"attitude", "bound"})

# role -> tiers, each tier a tuple of paths: 'a | b || c' is ((a, b), (c,))
RoleMap = dict[str, tuple[tuple[str, ...], ...]]
# (DependencyMatcher pattern, the name of each node in pattern order)
Variant = tuple[list[dict[str, Any]], tuple[str, ...]]


@dataclass(frozen=True)
class Rule:
    """One trigger rule: the patterns that find the event word, and what the event is."""

    rule_id: str
    event_type: str
    mode: str | None
    roles: RoleMap
    symmetric: bool = False
    third_party: str | None = None
    nominal: bool = False
    implicit_parties: bool = False
    parties_of_talks: bool = False  # implicit parties are first those of the talks the article reports
    min_parties: int = 0
    keeps_object: bool = False
    bare: bool = False  # kept only without an 'of' complement: 'the next round', not 'a round of talks'
    act: bool = False  # a material act of a statement type ('signed the accord'): dated like an act
    beside: bool = False  # its event stands beside the one another rule makes of the same word ('will not talk')
    requires: tuple[str, ...] = ()
    undone_acts: tuple[str, ...] = ()  # rules of the acts it undoes: their doer is its doer when no one is named
    callbacks: tuple[str, ...] = ()
    # A rule with no pattern of its own: the act of these types a reporter of these kinds tells of is its content
    alleges: tuple[str, ...] = ()
    reporters: tuple[str, ...] = ()
    status_at: str | None = None
    variants: tuple[Variant, ...] = ()
    tokens: tuple[list[dict[str, Any]], ...] = ()
    specificity: int = 1
    order: int = 0
    examples: tuple[Any, ...] = ()
    negatives: tuple[Any, ...] = ()


@dataclass(frozen=True)
class StatusCue:
    """A word that makes an event planned, hypothetical or negated, and which events it reaches."""

    cue_id: str
    status: str
    applies: str
    variants: tuple[Variant, ...]
    order: int
    examples: tuple[Any, ...] = ()
    negatives: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Codebook:
    """The PLOVER types, coding conventions, word classes, trigger rules and status cues."""

    version: str
    event_types: dict[str, Any]
    conventions: dict[str, str]
    clustering: str
    words: dict[str, frozenset[str]]
    descriptors: dict[str, frozenset[str]]
    rules: tuple[Rule, ...]
    cues: tuple[StatusCue, ...]
    by_id: dict[str, Rule] = field(default_factory=dict)

    def word(self, name: str) -> frozenset[str]:
        """A word class by name."""
        return self.words[name]

    def governed_status(self, event_type: str) -> str | None:
        """The status an event takes when a trigger of this type governs it ('called for talks')."""
        return self.event_types.get(event_type, {}).get("governed_status")

    def absorbs_content(self, event_type: str) -> bool:
        """Types whose complement is their content, not a second event ('urged X to withdraw')."""
        return bool(self.event_types.get(event_type, {}).get("absorbs_content"))

    def absorbs_object(self, event_type: str) -> bool:
        """Types whose object noun is their content too ('demanded the release of X': one demand)."""
        return bool(self.event_types.get(event_type, {}).get("absorbs_object"))

    def absorbs_whole_act(self, event_type: str) -> bool:
        """Types whose content is the act with all it governs, its conditions and objects included
        ('would strike back if India attacks': one threat)."""
        return bool(self.event_types.get(event_type, {}).get("absorbs_whole_act"))

    def is_addressed(self, event_type: str) -> bool:
        """Types made to someone ('a request from X'): turned down, they were made to the one who refuses."""
        return bool(self.event_types.get(event_type, {}).get("addressed"))

    def undoes(self, event_type: str) -> frozenset[str]:
        """The types of standing acts this type undoes ('lift the siege', 'release the detainees'): when it
        is asked for, the act goes on."""
        return frozenset(self.event_types.get(event_type, {}).get("undoes", ()))

    def is_statement(self, event_type: str) -> bool:
        """Speech acts dated by their report: a denied accusation was still made."""
        return bool(self.event_types.get(event_type, {}).get("statement"))

    def is_speech_act(self, event_type: str) -> bool:
        """Statements and the acts whose content is said ('urged', 'offered'): 'we' in a leader's quotation
        is the leader."""
        spec = self.event_types.get(event_type, {})
        return bool(spec.get("statement") or spec.get("absorbs_content"))

    def kept_unnamed(self, event_type: str, agentless_passive: bool = False) -> bool:
        """Types kept without named actors when dated or placed ('barricades were erected on Monday'); those
        marked `passive` only when told in the passive without a 'by' agent ('two hostages were freed on
        Sunday'), where the text itself leaves the actor out."""
        unnamed = self.event_types.get(event_type, {}).get("unnamed")
        return agentless_passive if unnamed == "passive" else bool(unnamed)

    def is_force(self, event_type: str) -> bool:
        """Types whose promise is a threat ('vowed to resume the offensive')."""
        return bool(self.event_types.get(event_type, {}).get("force"))

    def alleging_rules(self) -> tuple[Rule, ...]:
        """The rules that make a reporter's telling of another's hostile act an accusation of it."""
        return tuple(rule for rule in self.rules if rule.alleges)

    def is_concession(self, event_type: str) -> bool:
        """Types one party agrees to as a concession ('agreed to release the hostages': CONCEDE)."""
        return bool(self.event_types.get(event_type, {}).get("concession"))


def parse_roles(spec: dict[str, str]) -> RoleMap:
    """'nsubj | prep:by || prep:from' -> ((nsubj, prep:by), (prep:from,))."""
    return {role: tuple(tuple(p.strip() for p in tier.split("|") if p.strip()) for tier in text.split("||"))
            for role, text in spec.items()}


def _expand_words(value: Any, words: dict[str, frozenset[str]]) -> Any:
    """Replace '@class' entries of IN / NOT_IN lists by the words of the class."""
    if isinstance(value, dict):
        return {key: _expand_list(item, words) if key in ("IN", "NOT_IN") else _expand_words(item, words)
                for key, item in value.items()}
    return value


def _node_attrs(attrs: dict[str, Any], words: dict[str, frozenset[str]]) -> dict[str, Any]:
    """Token attributes of a node; LEMMA compares the lower-cased lemma ('War' in a headline is 'war')."""
    found = _expand_words(copy.deepcopy(attrs), words)
    if "LEMMA" in found:
        found["_"] = {**found.get("_", {}), LEMMA_EXTENSION: found.pop("LEMMA")}
    return found


def _expand_list(value: Any, words: dict[str, frozenset[str]]) -> list[str]:
    items = [value] if isinstance(value, str) else list(value)
    found: list[str] = []
    for item in items:
        found += sorted(words[item[1:]]) if isinstance(item, str) and item.startswith("@") else [item]
    return list(dict.fromkeys(found))


def expand_pattern(nodes: list[dict[str, Any]], relations: dict[str, list], words: dict[str, frozenset[str]]
                   ) -> list[Variant]:
    """One DependencyMatcher pattern per combination of relation paths."""
    variants: list[Variant] = [([], ())]
    for node in nodes:
        attrs = _node_attrs(node.get("RIGHT_ATTRS", {}), words)
        if "REL" not in node:
            step = {**{k: v for k, v in node.items() if k != "RIGHT_ATTRS"}, "RIGHT_ATTRS": attrs}
            variants = [(pattern + [step], names + (node["RIGHT_ID"],)) for pattern, names in variants]
            continue
        expanded: list[Variant] = []
        for pattern, names in variants:
            for path in relations[node["REL"]]:
                steps = _path_steps(node, path, attrs, words)
                expanded.append((pattern + steps, names + tuple(s["RIGHT_ID"] for s in steps)))
        variants = expanded
    return variants


def _path_steps(node: dict[str, Any], path: list[dict[str, Any]], attrs: dict[str, Any],
                words: dict[str, frozenset[str]]) -> list[dict[str, Any]]:
    steps, left = [], node["LEFT_ID"]
    for k, hop in enumerate(path):
        last = k == len(path) - 1
        right = node["RIGHT_ID"] if last else f"{node['RIGHT_ID']}.{k}"
        hop_attrs = _node_attrs(hop.get("RIGHT_ATTRS", {}), words)
        steps.append({"LEFT_ID": left, "REL_OP": hop["REL_OP"], "RIGHT_ID": right,
                      "RIGHT_ATTRS": {**hop_attrs, **attrs} if last else hop_attrs})
        left = right
    return steps


def _is_nominal(entry: dict[str, Any]) -> bool:
    """A rule whose trigger is a noun: token patterns, or a first pattern whose trigger is tagged NOUN."""
    if entry.get("tokens"):
        return True
    if not entry.get("patterns"):
        return False
    first = entry["patterns"][0][0].get("RIGHT_ATTRS", {}).get("POS")
    tags = first.get("IN", []) if isinstance(first, dict) else [first]
    return bool(tags) and all(tag in NOUN_POS for tag in tags)


def _rule(entry: dict[str, Any], order: int, data: dict[str, Any], words: dict[str, frozenset[str]]) -> Rule:
    frame = data["frames"].get(entry.get("frame", ""), {})
    roles = {**frame.get("roles", {}), **entry.get("roles", {})}
    variants = tuple(v for nodes in entry.get("patterns", []) for v in expand_pattern(nodes, data["relations"], words))
    tokens = tuple([_node_attrs(token, words) for token in pattern] for pattern in entry.get("tokens", []))
    named = max((len(nodes) for nodes in entry.get("patterns", [])), default=1)
    return Rule(
        rule_id=entry["id"], event_type=entry["type"], mode=entry.get("mode"), roles=parse_roles(roles),
        symmetric=bool(entry.get("symmetric", frame.get("symmetric", False))),
        third_party=entry.get("third_party", frame.get("third_party")), nominal=_is_nominal(entry),
        implicit_parties=bool(entry.get("implicit_parties", False)),
        parties_of_talks=entry.get("implicit_parties") == "talks", min_parties=int(entry.get("min_parties", 0)),
        keeps_object=bool(entry.get("keeps_object", False)), bare=bool(entry.get("bare", False)),
        act=bool(entry.get("act", False)), beside=bool(entry.get("beside", False)),
        requires=tuple(entry.get("requires", ())), undone_acts=tuple(entry.get("undone_acts", ())),
        callbacks=tuple(entry.get("callbacks", ())), alleges=tuple(entry.get("alleges", {}).get("types", ())),
        reporters=tuple(entry.get("alleges", {}).get("reporters", ())), status_at=entry.get("status_at"),
        variants=variants,
        tokens=tokens, specificity=named, order=order, examples=tuple(entry.get("examples", ())),
        negatives=tuple(entry.get("negatives", ())))


def _cue(entry: dict[str, Any], order: int, data: dict[str, Any], words: dict[str, frozenset[str]]) -> StatusCue:
    return StatusCue(entry["id"], entry["status"], entry["applies"],
                     tuple(expand_pattern(entry["pattern"], data["relations"], words)), order,
                     tuple(entry.get("examples", ())), tuple(entry.get("negatives", ())))


def parse_codebook(data: dict[str, Any]) -> Codebook:
    """Build the codebook from its YAML mapping (separate from loading so tests can pass variants)."""
    words = {name: frozenset(str(w) for w in items) for name, items in data["word_classes"].items()}
    rules = tuple(_rule(entry, i, data, words) for i, entry in enumerate(data["triggers"]))
    cues = tuple(_cue(entry, i, data, words) for i, entry in enumerate(data["status_cues"]))
    known = {rule.rule_id for rule in rules}
    unknown = sorted({act for rule in rules for act in rule.undone_acts} - known)
    if unknown:
        raise ValueError(f"undone_acts names rules that do not exist: {unknown}")
    return Codebook(
        version=str(data["version"]), event_types=data["event_types"], conventions=data["conventions"],
        clustering=data["clustering"], words=words,
        descriptors={key: frozenset(value) for key, value in data["descriptors"].items()},
        rules=rules, cues=cues, by_id={rule.rule_id: rule for rule in rules})


@lru_cache(maxsize=1)
def load_codebook() -> Codebook:
    """The PLOVER codebook shipped in `schemas/plover.yaml`, read once per process."""
    return parse_codebook(read_yaml(CODEBOOK_PATH))


def words(name: str) -> frozenset[str]:
    """A word class of the shipped codebook."""
    return load_codebook().word(name)
