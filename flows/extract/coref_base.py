"""The shared ground of coreference (`flows/extract/coref.py`): the rules of `schemas/coreference.yaml`, the
article context the resolvers read (who is named on each token, what was resolved so far), and the word and
phrase helpers they share."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from spacy.tokens import Doc, Span, Token

from flows.extract.roles import Role
from flows.records import Mention
from schemas import REFERENCE_DIR, read_yaml

COREF_FILE = REFERENCE_DIR / "coreference.yaml"
SPAN_KEY = "coref"
CONTEXT_KEY = "accord.coref.context"  # the article context, kept on the Doc for later stages
PERSON_PREFIXES = frozenset({"person"})
STATE_PREFIXES = frozenset({"state", "gov"})
UNLISTED_ARMY = "armed-forces"  # 'gov:TCD:armed-forces': the army of a state the dictionary lists none for


def unlisted_army(code: str) -> str:
    """The id of the army of a state with no army in the dictionary, built the way listed armies are
    (`gov:<ISO3>:<slug>`), so that 'the army' of a story about that state is an actor, the same in
    every article."""
    return f"gov:{code.upper()}:{UNLISTED_ARMY}"
PARTY_PREFIXES = frozenset({"group"})
ORGANISATION_PREFIXES = frozenset({"igo", "org"})
_QUOTED = re.compile(r"“[^”]*”|\"[^\"\n]*\"")

if not Span.has_extension("actor_ids"):
    Span.set_extension("actor_ids", default=())
if not Doc.has_extension("coref"):
    Doc.set_extension("coref", default=None)


@dataclass(frozen=True)
class CorefRule:
    """One rule of `schemas/coreference.yaml`."""

    id: str
    kind: str  # pronoun | descriptor
    words: frozenset[str]
    target: str
    window_sentences: int
    determiners: frozenset[str] = frozenset()
    number: str = "any"
    member_words: frozenset[str] = frozenset()
    modifiers: frozenset[str] = frozenset()  # words one of which must modify the noun instead of a determiner
    owned_words: frozenset[str] = frozenset()  # words a possessive name makes definite ('Sudan's warring sides')
    bare: bool = False  # the noun with no determiner and no modifier counts too ('police said')
    impersonal_verbs: frozenset[str] = frozenset()  # verbs whose 'it' has no referent ('it seems')
    personal_objects: frozenset[str] = frozenset()  # objects that give such a verb a referent ('take part')
    examples: tuple[dict, ...] = ()
    negatives: tuple[dict, ...] = ()


@dataclass(frozen=True)
class Collective:
    """A grouping known by one name ('the Troika'): its own actor id, the word that names it, its members
    and, for a name several groupings share, names of its process, one of which the article must contain."""

    id: str
    word: str
    members: tuple[str, ...]
    when: frozenset[str] = frozenset()

    def fits(self, text: str) -> bool:
        """The article is about this grouping's process: it contains one of the `when` names."""
        return not self.when or any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) for name in self.when)


@dataclass(frozen=True)
class CorefConfig:
    rules: tuple[CorefRule, ...]
    third_party_nouns: frozenset[str]
    host_verbs: frozenset[str]
    pair_possessors: frozenset[str] = frozenset()
    force_words: frozenset[str] = frozenset()
    representation_verbs: frozenset[str] = frozenset()
    party_verbs: frozenset[str] = frozenset()
    collectives: tuple[Collective, ...] = ()
    government_nouns: frozenset[str] = frozenset()
    government_force_nouns: frozenset[str] = frozenset()
    peacekeeping_bodies: frozenset[str] = frozenset()
    peacekeeping_id_words: frozenset[str] = frozenset()
    sending_verbs: frozenset[str] = frozenset()
    government_rank_modifiers: frozenset[str] = frozenset()

    def is_peacekeeping(self, actor_id: str) -> bool:
        """A peacekeeping force or mission by name ('igo:kfor', 'igo:united-nations-interim-force-in-lebanon'):
        what 'the peacekeepers' and 'the mission' of its article stand for."""
        slug = actor_id.partition(":")[2]
        return actor_id in self.peacekeeping_bodies or (
            prefix_of(actor_id) == "igo" and any(w in slug.split("-") for w in self.peacekeeping_id_words))

    def is_force(self, actor_id: str) -> bool:
        """An army or police force of a state ('gov:SDN:sudanese-armed-forces', 'gov:XKX:kosovo-police')."""
        return is_ministry(actor_id) and any(w in actor_id.rsplit(":", 1)[1] for w in self.force_words)

    @cached_property
    def trigger_words(self) -> frozenset[str]:
        """Every word a rule lists, and every part after a hyphen of one ('chairs' of 'co-chairs'): a token
        whose form and lemma are neither triggers no rule, so most tokens are passed over at once."""
        listed = {word for rule in self.rules for word in rule.words}
        return frozenset(listed | {word[k + 1:] for word in listed for k, char in enumerate(word) if char == "-"})

    def rule_for(self, token: Token) -> CorefRule | None:
        """The first rule a token triggers."""
        return next(iter(self.rules_for(token)), None)

    def rules_for(self, token: Token) -> list[CorefRule]:
        """The rules a token triggers, in the order listed: a pronoun by its form, a descriptor by its lemma
        or form. The first that finds an antecedent answers ('the alliance' repeating a name's head word,
        else the nearest organisation)."""
        if token.lower_ not in self.trigger_words and token.lemma_.lower() not in self.trigger_words:
            return []
        forms = surface_forms(token)
        hyphenated = word_start(token) < token.i  # the tagger often leaves 'Co-Chairs' no noun
        found = []
        for rule in self.rules:
            if rule.kind == "pronoun" and token.lower_ in rule.words and token.pos_ in {"PRON", "DET"}:
                found.append(rule)
            if rule.kind == "descriptor" and forms & rule.words and (token.pos_ in {"NOUN", "PROPN"} or hyphenated) \
                    and _descriptor_shape(token, rule, self.pair_possessors):
                found.append(rule)
        return found

    def is_collective(self, name: str) -> bool:
        """A name that is only a collective descriptor ('the Co-Chairs', 'Mediators'): no organisation of its
        own, but the members the article introduced."""
        words = name.lower().removeprefix("the ").strip()
        return any(rule.target == "members" and words in rule.words for rule in self.rules)

    def is_grouping(self, actor_id: str) -> bool:
        """An actor that acts through its members ('the Troika'): coreference resolves it though named."""
        return any(c.id == actor_id for c in self.collectives)


@lru_cache(maxsize=1)
def load_coref_config() -> CorefConfig:
    """The coreference rules, read once per process."""
    data = read_yaml(COREF_FILE)
    rules = tuple(CorefRule(
        id=r["id"], kind=r["kind"], words=frozenset(w.lower() for w in r["words"]), target=r["target"],
        window_sentences=int(r.get("window_sentences", 0)),
        determiners=frozenset(r.get("determiners") or ()), number=r.get("number", "any"),
        member_words=frozenset(r.get("member_words") or ()),
        modifiers=frozenset(w.lower() for w in r.get("modifiers") or ()), bare=bool(r.get("bare")),
        owned_words=frozenset(w.lower() for w in r.get("owned_words") or ()),
        impersonal_verbs=frozenset(r.get("impersonal_verbs") or ()),
        personal_objects=frozenset(r.get("personal_objects") or ()),
        examples=tuple(r.get("examples") or ()), negatives=tuple(r.get("negatives") or ()),
    ) for r in data["rules"])
    return CorefConfig(rules, frozenset(data.get("third_party_nouns") or ()), frozenset(data.get("host_verbs") or ()),
                       frozenset(data.get("pair_possessors") or ()), frozenset(data.get("force_words") or ()),
                       frozenset(data.get("representation_verbs") or ()), frozenset(data.get("party_verbs") or ()),
                       tuple(Collective(c["id"], c["word"], tuple(c["members"]), frozenset(c.get("when") or ()))
                             for c in data.get("collectives") or ()),
                       frozenset(data.get("government_nouns") or ()),
                       frozenset(data.get("government_force_nouns") or ()),
                       frozenset(data.get("peacekeeping_bodies") or ()),
                       frozenset(data.get("peacekeeping_id_words") or ()),
                       frozenset(data.get("sending_verbs") or ()),
                       frozenset(data.get("government_rank_modifiers") or ()))


HYPHENS = frozenset({"-", "\u2010", "\u2011"})


def word_start(token: Token) -> int:
    """First token of the hyphenated word a token ends ('Co-Chairs' is split into 'Co', '-', 'Chairs')."""
    doc, i = token.doc, token.i
    if i >= 2 and doc[i - 1].text in HYPHENS and not doc[i - 1].whitespace_ and not doc[i - 2].whitespace_:
        return i - 2
    return i


def surface_forms(token: Token) -> set[str]:
    """The forms a descriptor is known by: the word and its lemma, and for the last part of a hyphenated
    word the whole word with either ('co-chairs', 'co-chair')."""
    forms = {token.lower_, token.lemma_.lower()}
    start = word_start(token)
    if start < token.i:
        forms |= {f"{token.doc[start].lower_}-{form}" for form in list(forms)}
    return forms


def _descriptor_shape(token: Token, rule: CorefRule, pair_possessors: frozenset[str] = frozenset()) -> bool:
    """A definite descriptor of the rule's number: 'the minister', 'the two sides', 'both leaders'; a
    plural owned by the pair ('the rivals' foreign ministers') counts as 'the two'."""
    dets = {c.lower_ for c in token.children if c.dep_ in {"det", "nummod", "predet", "preconj", "quantmod"}}
    # an owner: 'his counterpart' by its pronoun, 'Abiy's counterpart' as the word 'possessor'
    dets |= {c.lower_ if c.tag_ == "PRP$" else "possessor" for c in token.children if c.dep_ == "poss"}
    start = word_start(token)
    if start < token.i and start > 0:  # a hyphenated word's determiner is often left hanging elsewhere
        dets.add(token.doc[start - 1].lower_)
    if any(c.dep_ == "poss" and c.tag_ == "NNS" and c.lemma_.lower() in pair_possessors for c in token.children):
        dets.add("two")
    # 'Sudan's warring sides', 'Libya's two camps': the country owns the conflict, its sides are the story's
    if token.lemma_.lower() in rule.owned_words and any(c.dep_ == "poss" and c.pos_ == "PROPN" for c in token.children):
        dets.add("the")
    if rule.modifiers:  # 'government troops', 'forces allied with X': the modifier makes it definite
        if not {c.lower_ for c in token.children if c.dep_ in {"compound", "amod", "acl"}} & rule.modifiers:
            return False
    elif not dets & rule.determiners and not (rule.bare and not dets and not _modified(token)):
        return False
    plural = token.tag_ in {"NNS", "NNPS"} or bool(dets & {"both", "neither", "either"})
    if rule.number == "plural":
        return plural
    if rule.number == "singular":
        return not plural
    return True


def _modified(token: Token) -> bool:
    """'Serbian police', 'riot police', 'its police': a modifier may say whose the noun is."""
    return any(c.dep_ in {"poss", "compound", "amod", "nmod"} for c in token.children)


def prefix_of(actor_id: str) -> str:
    return actor_id.partition(":")[0]


def is_ministry(actor_id: str) -> bool:
    return actor_id.startswith("gov:") and actor_id.count(":") == 2


@dataclass
class _Context:
    """One article: actor ids by token, what was resolved so far, offices and the article date."""

    doc: Doc
    named: dict[int, list[str]]  # token index -> actor ids named there
    roles: Mapping[str, Sequence[Role]]
    day: datetime.date | None
    config: CorefConfig
    resolved: dict[int, tuple[str, ...]] = field(default_factory=dict)
    quoted: list[tuple[int, int]] = field(default_factory=list)
    sent_starts: list[int] = field(default_factory=list)
    third_parties: set[str] = field(default_factory=set)
    forces: dict[str, str] = field(default_factory=dict)  # state code -> the army the dictionary lists for it

    def ids_at(self, i: int) -> list[str]:
        return self.named.get(i) or list(self.resolved.get(i, ()))

    def in_quotes(self, char: int) -> bool:
        return any(a < char < b for a, b in self.quoted)

    def window_start(self, token: Token, sentences_back: int) -> int:
        """First token of the sentence `sentences_back` sentences before the token's."""
        index = _sentence_index(self.sent_starts, token.i)
        return self.sent_starts[max(0, index - sentences_back)]

    def visible(self, pronoun: Token, i: int) -> bool:
        """An antecedent token the pronoun can see: not inside quotes unless the pronoun is too."""
        return self.in_quotes(pronoun.idx) or not self.in_quotes(self.doc[i].idx)


def _sentence_index(starts: list[int], i: int) -> int:
    low, high = 0, len(starts) - 1
    while low < high:
        mid = (low + high + 1) // 2
        if starts[mid] <= i:
            low = mid
        else:
            high = mid - 1
    return low


def _outermost(mentions: Iterable[Mention]) -> list[Mention]:
    """Drop mentions nested inside a longer one."""
    ordered = sorted(mentions, key=lambda m: (m.char_start, -(m.char_end - m.char_start)))
    kept: list[Mention] = []
    for mention in ordered:
        if kept and mention.char_start >= kept[-1].char_start and mention.char_end <= kept[-1].char_end:
            continue
        kept.append(mention)
    return kept


def _index(doc: Doc, mentions: Iterable[Mention]) -> dict[int, list[str]]:
    named: dict[int, list[str]] = {}
    for mention in _outermost(m for m in mentions if m.kind == "actor" and m.value):
        span = doc.char_span(mention.char_start, mention.char_end, alignment_mode="expand")
        for i in range(span.start, span.end) if span is not None else ():
            named.setdefault(i, []).append(str(mention.value))
    return named




def _phrase_ids(ctx: _Context, head: Token) -> list[str]:
    """Actors a noun phrase and its conjuncts name: each conjunct and its compounds or appositions."""
    found: list[str] = []
    for conjunct in [head, *head.conjuncts]:
        for t in [conjunct, *(c for c in conjunct.children if c.dep_ in {"compound", "appos", "flat", "nmod"})]:
            found += [a for a in ctx.ids_at(t.i) if a not in found]
    return found


def _verb_of(token: Token) -> Token | None:
    for ancestor in [token, *token.ancestors]:
        if ancestor.pos_ in {"VERB", "AUX"}:
            return ancestor
    return None
