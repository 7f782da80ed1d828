"""The parties of the story, for the shared coreference component (`flows/extract/coref.py`) and the stages
after it: who 'the two sides' are, the pair a war or a truce named without its parties is between, and who
the article names as a guarantor, observer, mediator or host (never a party).

Why here: the event stage once kept its own pair of the story and its own third parties beside these, and
the two disagreed; one definition serves 'the two sides' and 'the war' alike. The component keeps its
article context on the Doc, so later stages ask about the same mentions and the same coordinations.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Token

from flows.extract.coref_base import (
    CONTEXT_KEY,
    PARTY_PREFIXES,
    PERSON_PREFIXES,
    STATE_PREFIXES,
    CorefRule,
    _Context,
    _phrase_ids,
    _verb_of,
    is_ministry,
    load_coref_config,
    prefix_of,
)
from flows.extract.grammar import ACTIVE_SUBJECT


def party_key(actor: str) -> str | None:
    """What makes two actor ids one party: countries (a state and its government as one), named groups and a
    state's army or police force (a party of its own: 'the army and the RSF signed'); ministries and people
    are no party."""
    prefix, _, rest = actor.partition(":")
    if prefix in STATE_PREFIXES and ":" not in rest:
        return rest.upper()
    return actor if prefix in PARTY_PREFIXES or load_coref_config().is_force(actor) else None


def _parties_at(ctx: _Context, token: Token, resolved: bool = False) -> dict[str, str]:
    """Party key -> id named on the token (a state id preferred to its government's); with `resolved`, as
    in a coordination, also an organisation ('the government and the opposition Unitary Platform') and the
    one actor a descriptor there stands for ('the army and the RSF')."""
    found: dict[str, str] = {}
    single = ctx.resolved.get(token.i, ()) if resolved and token.i not in ctx.named else ()
    for actor in ctx.named.get(token.i, ()) or (single if len(single) == 1 else ()):
        key = actor if resolved and (prefix_of(actor) == "org" or is_ministry(actor)) else party_key(actor)
        if key is not None and (key not in found or actor.startswith("state:")):
            found[key] = actor
    return found


def _coordinations(ctx: _Context) -> list[tuple[int, dict[str, str], bool]]:
    """Every coordination of parties ('A and B', 'A-B talks'): its last token, the parties in it, and whether
    it acts as the two sides of the story ('A and B signed', 'signed by A and B', 'between A and B')."""
    groups: list[tuple[int, dict[str, str], bool]] = []
    doc = ctx.doc
    for i in sorted(ctx.named.keys() | ctx.resolved.keys()):  # no other token names a party
        token = doc[i]
        names = _parties_at(ctx, token, resolved=True)
        if not names or any(c.i < token.i for c in token.conjuncts):
            continue
        last = token.i
        for conjunct in token.conjuncts:
            names.update({k: v for k, v in _parties_at(ctx, conjunct, resolved=True).items() if k not in names})
            last = max(last, conjunct.i)
        if token.i + 2 < len(doc) and doc[token.i + 1].text in {"-", "\u2013"}:
            names.update({k: v for k, v in _parties_at(ctx, doc[token.i + 2]).items() if k not in names})
            last = max(last, token.i + 2)
        if len(names) >= 2:
            # 'between A, B and C' names three sides, not the story's two
            groups.append((last, names, len(names) == 2 and _acts_as_parties(ctx, token)))
    return groups


def _acts_as_parties(ctx: _Context, head: Token) -> bool:
    """A coordination that does what the two sides of a story do: the subject or agent of a verb of
    `party_verbs` ('A and B signed a truce', 'a truce signed by A and B') or the object of 'between'."""
    if head.dep_ == "pobj" and head.head.lower_ == "between":
        return True
    if head.dep_ == "pobj" and head.head.dep_ == "agent":
        return head.head.head.lemma_.lower() in ctx.config.party_verbs
    return head.dep_ in ACTIVE_SUBJECT and head.head.lemma_.lower() in ctx.config.party_verbs


def _named_parties(ctx: _Context) -> tuple[dict[str, int], dict[str, str]]:
    """How often the article names each party (by token), and the id it goes by (a state's before its
    government's)."""
    frequency: dict[str, int] = {}
    names: dict[str, str] = {}
    for i in sorted(ctx.named):  # the tokens naming an actor
        for key, actor in _parties_at(ctx, ctx.doc[i]).items():
            frequency[key] = frequency.get(key, 0) + 1
            if key not in names or actor.startswith("state:"):
                names[key] = actor
    return frequency, names


def _coordinated_pair(ctx: _Context, before: Token, excluded: set[str], within: range | None = None,
                      ) -> tuple[str, ...]:
    """The pair coordinated as the ones who sign, agree, fight or talk ('A and B signed', 'between A and
    B'), then the pair most often coordinated ('A and B', 'A-B talks'; ties to the most named, then the
    last before the token); `excluded`: party keys that never count; `within`: only the coordinations
    ending on those tokens."""
    frequency, names = _named_parties(ctx)
    pairs: dict[tuple[str, str], list[int]] = {}
    acting: set[tuple[str, str]] = set()
    for last, found, acts in _coordinations(ctx):
        keys = sorted(found)
        if excluded & set(keys) or (within is not None and last not in within):
            continue
        for key, actor in found.items():
            names.setdefault(key, actor)
            frequency.setdefault(key, 0)
        for n, first in enumerate(keys):
            for second in keys[n + 1:]:
                pairs.setdefault((first, second), []).append(last)
                if acts:
                    acting.add((first, second))
    if not pairs:
        return ()
    best = max(pairs.items(), key=lambda item: (item[0] in acting, len(set(item[1])),
                                                 sum(frequency[k] for k in item[0]),
                                                 max((i for i in item[1] if i < before.i), default=-1)))
    return tuple(sorted(names[k] for k in best[0]))


def story_parties(ctx: _Context, before: Token, exclude: set[str]) -> tuple[str, ...]:
    """The two parties of the story: the pair coordinated as its parties or most often
    (`_coordinated_pair`), else the two most named before the token. Guarantors, observers, mediators and
    hosts never count."""
    excluded = {party_key(a) or a for a in exclude | ctx.third_parties}
    pair = _coordinated_pair(ctx, before, excluded)
    if pair:
        return pair
    names = _named_parties(ctx)[1]
    seen: dict[str, tuple[int, int]] = {}
    for i in sorted(i for i in ctx.named if i < before.i):
        for key in _parties_at(ctx, ctx.doc[i]):
            if key not in excluded and not (i > 0 and key in _parties_at(ctx, ctx.doc[i - 1])):
                seen[key] = (seen.get(key, (0, 0))[0] + 1, i)
    ranked = sorted(seen, key=lambda k: (-seen[k][0], -seen[k][1]))
    return tuple(sorted(names[k] for k in ranked[:2])) if len(ranked) >= 2 else ()


def resolve_story_parties(ctx: _Context, token: Token, rule: CorefRule) -> tuple[str, ...]:
    """'the two sides', 'both countries': the two actors of a 'between A and B' just before ('a truce
    between the alliance and the army ... Both sides accused each other'), else the story's two parties,
    leaving out the host of the clause ('X hosted a meeting of the two sides': X is not one of them)."""
    host = clause_hosts(ctx, token)
    pair = _between_pair(ctx, token, host) or story_parties(ctx, token, host)
    return pair if _fits_owner(ctx, token, rule, pair) else ()


def _fits_owner(ctx: _Context, token: Token, rule: CorefRule, pair: tuple[str, ...]) -> bool:
    """'Sudan's warring sides' are the story's parties when they fight within the owner (its groups, its
    own state, army or government); 'Ethiopia's warring parties' in a story of Serbia and Kosovo are not."""
    owner = next((c for c in token.children if c.dep_ == "poss" and c.pos_ == "PROPN"), None)
    if owner is None or token.lemma_.lower() not in rule.owned_words:
        return True
    def country(actor: str) -> str | None:
        prefix, _, rest = actor.partition(":")
        return rest.partition(":")[0].upper() if prefix in STATE_PREFIXES else None

    owners = {country(a) for a in ctx.ids_at(owner.i)}
    return not any(country(a) not in owners | {None} for a in pair)


def _between_pair(ctx: _Context, token: Token, exclude: set[str]) -> tuple[str, ...]:
    """The two actors (not people, hosts or third parties) of the nearest 'between A and B' in the
    descriptor's sentence or the one before, names or resolved descriptors alike."""
    excluded = exclude | ctx.third_parties
    for i in range(token.i - 1, ctx.window_start(token, 1) - 1, -1):
        word = ctx.doc[i]
        if word.lower_ != "between" or not ctx.visible(token, i):
            continue
        for pobj in (c for c in word.children if c.dep_ == "pobj"):
            found = [a for a in _phrase_ids(ctx, pobj) if prefix_of(a) not in PERSON_PREFIXES and a not in excluded]
            if len(found) == 2:
                return tuple(sorted(found))
    return ()


def clause_hosts(ctx: _Context, token: Token) -> set[str]:
    verb = _verb_of(token)
    if verb is None or verb.lemma_.lower() not in ctx.config.host_verbs:
        return set()
    subject = next((c for c in verb.children if c.dep_ in ACTIVE_SUBJECT), None)
    return set(_phrase_ids(ctx, subject)) if subject is not None and subject.i != token.i else set()


def third_parties(ctx: _Context) -> set[str]:
    """Actors the article names as guarantors, observers, mediators or hosts ('X and Y acting as guarantors',
    'X, an observer', 'guarantor X', 'X brokered a truce', 'X, which has facilitated the talks'): never one
    of the story's parties."""
    found: set[str] = set()
    for token in ctx.doc:
        if token.pos_ != "NOUN" or token.lemma_.lower() not in ctx.config.third_party_nouns:
            continue
        heads = [c for c in token.children if c.dep_ in {"appos", "compound"}]
        if token.dep_ == "appos":
            heads.append(token.head)
        if token.dep_ == "pobj" and token.head.lower_ == "as":
            governor = token.head.head
            own = ACTIVE_SUBJECT if governor.pos_ in {"VERB", "AUX"} else ACTIVE_SUBJECT | {"nmod", "compound"}
            heads += [c for c in governor.children if c.dep_ in own]
            # 'X and Y act as guarantors, alongside Z': Z acts in the same role
            heads += [o for holder in (token, governor) for prep in holder.children
                      if prep.dep_ == "prep" and prep.lower_ == "alongside" for o in prep.children if o.dep_ == "pobj"]
            if governor.dep_ == "acl" and governor.head.pos_ in {"NOUN", "PROPN"}:
                heads.append(governor.head)
        if token.dep_ == "attr":
            heads += [c for c in token.head.children if c.dep_ in ACTIVE_SUBJECT]
        for head in heads:
            found.update(_phrase_ids(ctx, head))
    for verb in ctx.doc:
        if verb.pos_ != "VERB" or verb.lemma_.lower() not in ctx.config.host_verbs:
            continue
        hosts = [c for c in verb.children if c.dep_ in ACTIVE_SUBJECT and c.tag_ not in {"WDT", "WP"}]
        if verb.dep_ == "relcl":
            hosts.append(verb.head)
        for head in hosts:
            found.update(_phrase_ids(ctx, head))
    return found


# --- what later stages read -------------------------------------------------------------------------


def _article_context(doc: Doc) -> _Context | None:
    return doc.user_data.get(CONTEXT_KEY)


def story_third_parties(doc: Doc) -> set[str]:
    """The guarantors, observers, mediators and hosts the article names (`third_parties`): never one of
    the story's parties."""
    ctx = _article_context(doc)
    return set(ctx.third_parties) if ctx is not None else set()


def coordinated_pair(before: Token, exclude: Iterable[str] = (), within: range | None = None) -> tuple[str, ...]:
    """The two parties the article coordinates as the story's pair (`_coordinated_pair`), none of them one
    of `exclude`; `within`: only coordinations ending on those tokens ('A and B' in this sentence or the
    last)."""
    ctx = _article_context(before.doc)
    if ctx is None:
        return ()
    return _coordinated_pair(ctx, before, {party_key(a) or a for a in exclude}, within)
