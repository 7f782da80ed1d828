"""Coreference, defined once: pronouns ('he', 'their', 'its') and descriptors ('the minister', 'the group',
'the two sides', 'both leaders') resolved to the actors they stand for, from the article's own mentions.

Why one component: the actor, quote and event stages each need to know who 'he' or 'the two sides' is,
and three private resolvers gave three answers. The rules (which words, which resolver, how far back) are
data in `schemas/coreference.yaml`, each with example and negative sentences run as tests.

Interface (the actor stage runs it once per article, after its mentions are chosen; later stages read):

- `doc.spans["coref"]`: one span per resolved pronoun or descriptor phrase ('She', 'The two sides',
  'the minister'); `span.label_` is the rule id ('personal-pronoun', 'story-parties', 'role-descriptor',
  ...); `span._.actor_ids` is the tuple of antecedent actor ids (one for 'he', two for 'the two sides',
  sorted). An unresolved pronoun gets no span.
- `doc._.coref`: {token index: actor ids} for every token of those spans, for a lookup by token.
- `coref_of(token)`: the actor ids a token stands for through coreference, `()` when none.
- `role_antecedent(...)`: the earlier person a title ('the Armenian foreign minister') stands for, by
  their offices (`flows/extract/roles.py`); the actor stage calls it for titles without a name.
- `open_story_descriptor(token)`: 'the two delegations' the rule story-parties matched but left open.
- the parties of the story (`flows/extract/coref_parties.py`): `party_key`, `coordinated_pair(token)`
  (the pair a war or truce named without its parties is between) and `story_third_parties(doc)`
  (guarantors, mediators and hosts), read from the article context the component keeps on the Doc.

A mention named in the text is never overwritten: tokens under an actor mention are not resolved again,
except the name of a grouping that acts through its members ('the Troika': `collectives`), whose span
gives the members while the mention keeps the grouping.
Antecedents inside quotation marks do not count for a pronoun outside them.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

from spacy.tokens import Doc, Span, Token

from flows.extract.annotate import doc_text
from flows.extract.coref_base import (
    _QUOTED,
    CONTEXT_KEY,
    ORGANISATION_PREFIXES,
    PARTY_PREFIXES,
    PERSON_PREFIXES,
    SPAN_KEY,
    STATE_PREFIXES,
    CorefRule,
    _Context,
    _index,
    _phrase_ids,
    _sentence_index,
    _verb_of,
    is_ministry,
    load_coref_config,
    prefix_of,
    unlisted_army,
    word_start,
)
from flows.extract.coref_collectives import resolve_collective, resolve_described, resolve_members
from flows.extract.coref_parties import clause_hosts, party_key, resolve_story_parties, third_parties
from flows.extract.grammar import ACTIVE_SUBJECT, OBJECT
from flows.extract.roles import Role, holds
from flows.records import Mention

# --- resolvers --------------------------------------------------------------------------------------


def _is_subject(token: Token) -> bool:
    return token.dep_ in ACTIVE_SUBJECT or (
        token.dep_ in {"compound", "appos", "conj"} and token.head.dep_ in ACTIVE_SUBJECT)


def _main_subject(token: Token) -> bool:
    """The subject of the sentence's main verb: 'X said ...' rather than '... after Y left'."""
    head = token.head if token.dep_ in {"compound", "appos", "conj"} else token
    return head.dep_ in ACTIVE_SUBJECT and head.head.dep_ == "ROOT"


def _people_before(ctx: _Context, token: Token, start: int) -> list[tuple[Token, str]]:
    """Persons named or resolved between `start` and the token, nearest first."""
    found: list[tuple[Token, str]] = []
    for i in range(token.i - 1, start - 1, -1):
        if not ctx.visible(token, i):
            continue
        found += [(ctx.doc[i], a) for a in ctx.ids_at(i) if prefix_of(a) in PERSON_PREFIXES]
    return found


def _bound_subject(token: Token) -> Token | None:
    """The subject of the clause an object pronoun sits in: 'X thanked him' (him is not X)."""
    if token.dep_ not in OBJECT:
        return None
    verb = token.head.head if token.dep_ == "pobj" else token.head
    return next((c for c in verb.children if c.dep_ in ACTIVE_SUBJECT), None)


def resolve_person(ctx: _Context, token: Token, rule: CorefRule) -> tuple[str, ...]:
    """he/she/his: sentence by sentence back, the main subject of a sentence, else any subject, else the
    nearest person; never the subject of the pronoun's own clause for an object pronoun."""
    bound = _bound_subject(token)
    start = ctx.window_start(token, rule.window_sentences)
    people = [(t, a) for t, a in _people_before(ctx, token, start)
              if bound is None or not (t.i == bound.i or bound.i in {x.i for x in t.ancestors})]
    if not people:
        return ()
    own = _sentence_index(ctx.sent_starts, token.i)
    for back in range(rule.window_sentences + 1):
        here = [(t, a) for t, a in people if _sentence_index(ctx.sent_starts, t.i) == own - back]
        if back == 0:
            chosen = [a for t, a in here if _is_subject(t)]
        else:
            chosen = [a for t, a in here if _main_subject(t)] or [a for t, a in here if _is_subject(t)]
        if chosen:
            return (chosen[0],)
    return (people[0][1],)


def resolve_plural(ctx: _Context, token: Token, rule: CorefRule) -> tuple[str, ...]:
    """they/them/their: the nearest earlier phrase naming two or more actors ('Armenia and Azerbaijan'),
    or one armed group; not the pronoun's own clause subject ('X and Y mediated talks between them'); a
    nearer plural noun that names no actor ('residents ... they') blocks the search."""
    verb = _verb_of(token)
    own_subject = None
    if verb is not None and token.dep_ not in ACTIVE_SUBJECT:
        own_subject = next((c for c in verb.children if c.dep_ in ACTIVE_SUBJECT), None)
    if token.dep_ == "poss" and own_subject is not None and own_subject.i < token.i:
        found = _phrase_ids(ctx, own_subject)
        if len(found) >= 2:
            return tuple(sorted(found))
        if not found and own_subject.tag_ in {"NNS", "NNPS"}:
            return ()  # 'the participants reaffirmed their commitment': their own, whoever they are
    for i in range(token.i - 1, ctx.window_start(token, rule.window_sentences) - 1, -1):
        candidate = ctx.doc[i]
        if candidate.pos_ not in {"NOUN", "PROPN"} or candidate.dep_ in {"conj", "compound", "amod", "poss", "nmod"}:
            continue
        if (own_subject is not None and candidate.i == own_subject.i) or not ctx.visible(token, i):
            continue
        found = _phrase_ids(ctx, candidate)
        if len(found) >= 2:
            return tuple(sorted(found))
        if len(found) == 1 and _is_subject(candidate) and (
                prefix_of(found[0]) in PARTY_PREFIXES or ctx.config.is_force(found[0])):
            return tuple(found)
        if not found and candidate.tag_ in {"NNS", "NNPS"} and _is_subject(candidate):
            return ()
    return ()


def resolve_neuter(ctx: _Context, token: Token, rule: CorefRule) -> tuple[str, ...]:
    """its: the nearest state, government, organisation or group named before, in this or the last sentence."""
    for i in range(token.i - 1, ctx.window_start(token, rule.window_sentences) - 1, -1):
        for actor in ctx.ids_at(i):
            if prefix_of(actor) not in PERSON_PREFIXES and ctx.visible(token, i):
                return (actor,)
    return ()


def resolve_neuter_subject(ctx: _Context, token: Token, rule: CorefRule) -> tuple[str, ...]:
    """it (a subject): the nearest subject before it, when that subject is a state, government,
    organisation or group; 'It is unclear', 'it rained' and a thing as the last subject give nothing."""
    personal = any(c.dep_ == "dobj" and c.lower_ in rule.personal_objects for c in token.head.children)
    if token.dep_ not in ACTIVE_SUBJECT or token.head.pos_ != "VERB" or \
            (token.head.lemma_.lower() in rule.impersonal_verbs and not personal):
        return ()
    for i in range(token.i - 1, ctx.window_start(token, rule.window_sentences) - 1, -1):
        candidate = ctx.doc[i]
        if candidate.dep_ not in ACTIVE_SUBJECT or candidate.pos_ not in {"NOUN", "PROPN"} \
                or not ctx.visible(token, i):
            continue
        found = _phrase_ids(ctx, candidate)
        if len(found) == 1 and prefix_of(found[0]) not in PERSON_PREFIXES:
            return tuple(found)
        return ()
    return ()


def resolve_group(ctx: _Context, token: Token, rule: CorefRule) -> tuple[str, ...]:
    """'the rebels', 'the group': the nearest armed group (for 'group' also an organisation) named before;
    'the two groups', 'both movements': the nearest phrase naming two or more of them."""
    allowed = PARTY_PREFIXES | (ORGANISATION_PREFIXES if token.lemma_.lower() == "group" else frozenset())
    counts = {"two": 2, "both": 2, "three": 3}
    count = next((counts[c.lower_] for c in token.children
                  if c.dep_ in {"nummod", "det", "predet"} and c.lower_ in counts), 0)
    if not count:
        return _nearest(ctx, token, rule, lambda a: prefix_of(a) in allowed)
    for i in range(token.i - 1, ctx.window_start(token, rule.window_sentences) - 1, -1):
        candidate = ctx.doc[i]
        if candidate.dep_ in {"conj", "compound", "appos"} or not ctx.visible(token, i):
            continue
        found = [a for a in _phrase_ids(ctx, candidate) if prefix_of(a) in allowed]
        if len(found) >= 2:
            return tuple(sorted(found)) if len(found) == count else ()
    # the parser may split one list ('fighters of A and B'): the nearest sentence naming as many
    for sentence in reversed([s for s in ctx.doc.sents if s.start < token.sent.start]):
        found = list(dict.fromkeys(a for t in sentence for a in ctx.named.get(t.i, ()) if prefix_of(a) in allowed))
        if len(found) == count:
            return tuple(sorted(found))
        if found:
            break
    return ()


def resolve_organisation(ctx: _Context, token: Token, rule: CorefRule) -> tuple[str, ...]:
    """'the alliance', 'the bloc': the nearest international or other organisation; 'the ministry': the
    nearest ministry."""
    if token.lemma_.lower() == "ministry":
        return _nearest(ctx, token, rule, is_ministry)
    return _nearest(ctx, token, rule, lambda a: prefix_of(a) in ORGANISATION_PREFIXES)


def resolve_name_head(ctx: _Context, token: Token, rule: CorefRule) -> tuple[str, ...]:
    """'the commission' after '5+5 Joint Military Commission', 'the Kingdom' after 'the Kingdom of Morocco':
    the nearest actor other than a person whose name, as written, holds the descriptor's head word."""
    forms = {token.lower_, token.lemma_.lower()}
    for i in range(token.i - 1, ctx.window_start(token, rule.window_sentences) - 1, -1):
        found = [a for a in ctx.named.get(i, ()) if prefix_of(a) not in PERSON_PREFIXES]
        if found and forms & {ctx.doc[i].lower_, ctx.doc[i].lemma_.lower()} and ctx.visible(token, i):
            return (found[0],)
    return ()


def resolve_peacekeeping(ctx: _Context, token: Token, rule: CorefRule) -> tuple[str, ...]:
    """'the peacekeepers', 'the mission', 'the contingent': the nearest peacekeeping force or mission named
    before (UNIFIL, KFOR), or whoever owns an earlier peacekeeping noun ('UN peacekeepers', 'Kenya's
    contingent', 'the AU mission', 'Nepal sent a battalion', or one this rule resolved), who acts through
    its troops."""
    for i in range(token.i - 1, ctx.window_start(token, rule.window_sentences) - 1, -1):
        if not ctx.visible(token, i):
            continue
        found = [a for a in ctx.named.get(i, ()) if ctx.config.is_peacekeeping(a)]
        candidate = ctx.doc[i]
        if not found and candidate.lemma_.lower() in rule.member_words and i not in ctx.named:
            # 'UN Peacekeeping Force': the owner hangs on the noun 'peacekeeping' modifies
            phrase = [candidate, candidate.head] if candidate.dep_ == "compound" else [candidate]
            owners = [c for word in phrase for c in word.children
                      if c.dep_ in {"compound", "poss", "amod", "nmod"} and c.i != candidate.i]
            if candidate.dep_ == "dobj" and candidate.head.lemma_.lower() in ctx.config.sending_verbs:
                owners += [c for c in candidate.head.children if c.dep_ in ACTIVE_SUBJECT]  # 'Nepal sent a battalion'
            found = list(ctx.resolved.get(i, ())) or [
                a for c in owners for a in _phrase_ids(ctx, c) if prefix_of(a) not in PERSON_PREFIXES]
        if found:
            return (found[0],)
    return ()


def resolve_armed_forces(ctx: _Context, token: Token, rule: CorefRule) -> tuple[str, ...]:
    """'the army', 'the police', 'the junta', 'military aircraft': the nearest army or police force named
    before; further back,
    the one force the article named before, when it named only one ('the Tatmadaw, as the military is
    known' ... twenty sentences later 'the army has not allowed journalists in')."""
    if token.tag_ in {"NNS", "NNPS"} and token.lemma_.lower() in ctx.config.force_words - {"police"}:
        return ()  # 'the ethnic armies': several armies, not the one of the story ('gunships' are its craft)
    near = _nearest(ctx, token, rule, ctx.config.is_force)
    if near:
        return near
    named = {a for i in range(token.i) if ctx.visible(token, i) for a in ctx.named.get(i, ())}
    forces = {a for a in named if ctx.config.is_force(a)}
    if forces:
        return (forces.pop(),) if len(forces) == 1 else ()
    # No force named at all: the listed army of the one state named before that has one ('Myanmar' ...
    # 'the military had hedged'); none when two such states are named (whose army would it be?). With no
    # listed army among them, the army of the one state named before (`unlisted_army`).
    if token.lemma_.lower() == "police":
        return ()
    codes = {a.split(":")[1].upper() for a in named if prefix_of(a) in STATE_PREFIXES}
    listed = {ctx.forces[code] for code in codes if code in ctx.forces}
    if listed:
        return (listed.pop(),) if len(listed) == 1 else ()
    return (unlisted_army(codes.pop()),) if len(codes) == 1 else ()


def resolve_sole_force(ctx: _Context, token: Token, rule: CorefRule) -> tuple[str, ...]:
    """'Troops set up checkpoints' with no word saying whose: the army or police force named in the window
    when it is the only armed party there; with another force or an armed group named, whose troops they
    are is not told."""
    armed = {a for i in range(ctx.window_start(token, rule.window_sentences), token.i) if ctx.visible(token, i)
             for a in ctx.ids_at(i) if ctx.config.is_force(a) or prefix_of(a) in PARTY_PREFIXES}
    return (armed.pop(),) if len(armed) == 1 and ctx.config.is_force(next(iter(armed))) else ()


def resolve_allegiance(ctx: _Context, token: Token, rule: CorefRule) -> tuple[str, ...]:
    """'forces loyal to X', 'fighters allied with X and Y': the actors the adjective's 'to' or 'with' names,
    for whom the forces act."""
    found: list[str] = []
    for adjective in (c for c in token.children if c.lower_ in rule.modifiers):
        for prep in (c for c in adjective.children if c.dep_ == "prep" and c.lower_ in {"to", "with"}):
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                found += [a for a in _phrase_ids(ctx, pobj) if a not in found]
    return tuple(found)


def resolve_story_government(ctx: _Context, token: Token, rule: CorefRule) -> tuple[str, ...]:
    """'government troops' with no state named in the phrase: the state whose government the article named
    last before them, else the last state named as the subject of a clause (who acts in the story), else
    the one state it named; its army when the article named that army too."""
    named = [(i, a) for i in range(ctx.window_start(token, rule.window_sentences), token.i)
             if ctx.visible(token, i) for a in ctx.named.get(i, ()) if prefix_of(a) in STATE_PREFIXES]
    governments = [a for _, a in named if prefix_of(a) == "gov" and not is_ministry(a)]
    acting = [a for i, a in named if _is_subject(ctx.doc[i]) and not ctx.doc[i].conjuncts]  # 'A and B met': whose?
    codes = {a.split(":")[1] for _, a in named}
    chosen = (governments or acting or ([f"state:{code}" for code in codes] if len(codes) == 1 else [None]))[-1]
    if chosen is None:
        return ()
    code = chosen.split(":")[1]
    army = [a for _, a in named if ctx.config.is_force(a) and a.split(":")[1] == code]
    return (army[-1],) if army else (f"state:{code}",)


def _nearest(ctx: _Context, token: Token, rule: CorefRule, wanted) -> tuple[str, ...]:
    for i in range(token.i - 1, ctx.window_start(token, rule.window_sentences) - 1, -1):
        found = [a for a in ctx.ids_at(i) if wanted(a)]
        if found and ctx.visible(token, i):
            return (found[0],)
    return ()


def _person_counts(ctx: _Context) -> dict[str, int]:
    """How often the article names each person (a mention of several words counts once)."""
    counts: dict[str, int] = {}
    for i, actors in ctx.named.items():
        for actor in actors:
            if prefix_of(actor) in PERSON_PREFIXES and actor not in ctx.named.get(i - 1, ()):
                counts[actor] = counts.get(actor, 0) + 1
    return counts


def resolve_people_pair(ctx: _Context, token: Token, rule: CorefRule) -> tuple[str, ...]:
    """'the two leaders', 'both ministers': of the people named together before ('A and B met'), the pair
    the article names most often (then the last), never the host of the clause ('X hosted the two
    leaders'); else the last two distinct people named."""
    host = set(clause_hosts(ctx, token))
    counts = _person_counts(ctx)
    pairs: dict[tuple[str, ...], int] = {}
    for t, actor in _people_before(ctx, token, 0):
        for conjunct in t.conjuncts:
            partners = [a for a in ctx.ids_at(conjunct.i) if prefix_of(a) in PERSON_PREFIXES and a != actor]
            if conjunct.i < token.i and partners and not host & {actor, partners[0]}:
                pairs.setdefault(tuple(sorted({actor, partners[0]})), t.i)
    if pairs:
        return max(pairs, key=lambda pair: (sum(counts.get(a, 0) for a in pair), pairs[pair]))
    people = _people_before(ctx, token, ctx.window_start(token, rule.window_sentences))
    distinct = list(dict.fromkeys(a for _, a in people if a not in host))
    return tuple(sorted(distinct[:2])) if len(distinct) >= 2 else ()


def resolve_role(ctx: _Context, token: Token, rule: CorefRule) -> tuple[str, ...]:
    """'the minister', 'the spokeswoman': the last person named before whose office fits the noun."""
    people = [(i, a) for i in range(token.i) for a in ctx.named.get(i, ()) if prefix_of(a) in PERSON_PREFIXES]
    found = role_antecedent(people, token.i, token.lemma_.lower(), None, ctx.roles, ctx.day)
    return (found,) if found else ()


def role_antecedent(people: Sequence[tuple[int, str]], before: int, role: str, code: str | None,
                    roles: Mapping[str, Sequence[Role]], day: datetime.date | None) -> str | None:
    """The last person named before a position (people: (position, actor id) in text order) whose office
    fits a title ('foreign minister' under ARM), at the article date."""
    fitting = [actor for pos, actor in people if pos < before and holds(roles.get(actor, ()), role, code, day)]
    return fitting[-1] if fitting else None


def _holder_of(ctx: _Context, token: Token) -> list[str]:
    """Whose counterpart: the owner named ('Abiy's counterpart'), else the subject of the nearest verb up
    the tree that has one, whom 'his' stands for ('X phoned his counterpart', 'after meeting his
    counterpart, X said')."""
    owners = [c for c in token.children if c.dep_ == "poss" and c.tag_ != "PRP$"]
    if owners and ctx.ids_at(owners[0].i):
        return ctx.ids_at(owners[0].i)
    for ancestor in token.ancestors:
        subject = next((c for c in ancestor.children if c.dep_ in ACTIVE_SUBJECT), None)
        if ancestor.pos_ in {"VERB", "AUX"} and subject is not None:
            return list(_phrase_ids(ctx, subject))
    return []


def _office(ctx: _Context, actor: str) -> tuple[str | None, str | None]:
    """The office (title) and state code an actor acts under: a person's office held at the article date,
    a state's own code."""
    if prefix_of(actor) in STATE_PREFIXES:
        return None, party_key(actor)
    held = [r for r in ctx.roles.get(actor, ()) if r.code and holds((r,), r.role, r.code, ctx.day)]
    return (held[0].role, held[0].code) if held else (None, None)


def resolve_counterpart(ctx: _Context, token: Token, rule: CorefRule) -> tuple[str, ...]:
    """'met his counterpart': the holder of the same office on the other side of the story's pair, when the
    article names one; else that other party. Unresolved when the name is given with it ('his Russian
    counterpart Vladimir Putin') or the holder's side is not one of the pair."""
    if token.dep_ in {"compound", "appos"} and token.head.i in ctx.named or any(
            c.dep_ in {"appos", "compound"} and c.i in ctx.named for c in token.children):
        return ()
    holders = _holder_of(ctx, token)
    if len(holders) != 1:
        return ()
    office, code = _office(ctx, holders[0])
    if code is None:
        return ()
    people = [(i, a) for i in range(len(ctx.doc)) for a in ctx.named.get(i, ()) if prefix_of(a) in PERSON_PREFIXES]
    pair = resolve_story_parties(ctx, token, rule)
    others = [a for a in pair if party_key(a) != code]
    if len(pair) == 2 and len(others) == 1:
        found = role_antecedent(people, len(ctx.doc), office, party_key(others[0]), ctx.roles, ctx.day) \
            if office is not None else None
        return (found or others[0],)
    # no pair of sides: the one person the article names in the same office for another state
    peers = {a for _, a in people if a != holders[0] and office is not None
             and any(r.code and r.code != code for r in ctx.roles.get(a, ()) if holds((r,), office, r.code, ctx.day))}
    return (peers.pop(),) if len(peers) == 1 else ()


RESOLVERS = {
    "members": resolve_members,
    "collective": resolve_collective,
    "person": resolve_person,
    "plural": resolve_plural,
    "neuter": resolve_neuter,
    "neuter_subject": resolve_neuter_subject,
    "story_parties": resolve_story_parties,
    "people_pair": resolve_people_pair,
    "group": resolve_group,
    "described": resolve_described,
    "organisation": resolve_organisation,
    "name_head": resolve_name_head,
    "armed_forces": resolve_armed_forces,
    "peacekeeping": resolve_peacekeeping,
    "sole_force": resolve_sole_force,
    "allegiance": resolve_allegiance,
    "story_government": resolve_story_government,
    "role": resolve_role,
    "counterpart": resolve_counterpart,
}


# --- the component ----------------------------------------------------------------------------------


def _phrase(token: Token, rule: CorefRule) -> Span:
    """The words of a resolved phrase: the pronoun, or the descriptor with its determiners and modifiers."""
    if rule.kind == "pronoun":
        return token.doc[token.i:token.i + 1]
    start = word_start(token)
    if start < token.i:
        before = token.doc[start - 1] if start > 0 else None
        first = start - 1 if before is not None and before.lower_ in rule.determiners else start
        return token.doc[first:token.i + 1]
    lefts = [c for c in token.lefts if c.dep_ in {"det", "nummod", "predet", "preconj", "amod", "compound"}]
    return token.doc[(lefts[0].i if lefts else token.i):token.i + 1]


def annotate_coreference(doc: Doc, mentions: Sequence[Mention], roles: Mapping[str, Sequence[Role]] | None = None,
                         day: datetime.date | None = None,
                         descriptions: Sequence[Mention] = (), forces: Mapping[str, str] | None = None) -> list[Span]:
    """Resolve every pronoun and descriptor of the article and put the answers on the Doc.

    `mentions`: the article's actor mentions; `roles`: each person's offices (dictionary and text), for
    'the minister'; `day`: the article date, for offices in time; `descriptions`: title-only mentions the
    actor stage already resolved ('the Armenian foreign minister'), recorded as coreference too; `forces`:
    the army the dictionary lists for a state (state code -> actor id), for 'the military' of an article
    that names none.
    """
    config = load_coref_config()
    ctx = _Context(doc, _index(doc, [m for m in mentions if m not in descriptions]), roles or {}, day, config)
    ctx.forces = dict(forces or {})
    ctx.quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(doc_text(doc))]
    ctx.sent_starts = [s.start for s in doc.sents] or [0]
    ctx.third_parties = third_parties(ctx)
    spans: list[Span] = []
    for mention in descriptions:
        span = doc.char_span(mention.char_start, mention.char_end, label="role-descriptor", alignment_mode="expand")
        if span is not None and mention.value:
            span._.actor_ids = (str(mention.value),)
            spans.append(span)
            ctx.resolved.update({i: (str(mention.value),) for i in range(span.start, span.end)})
    for token in doc:
        grouping = any(config.is_grouping(a) for a in ctx.named.get(token.i, ()))
        if (token.i in ctx.named and not grouping) or token.i in ctx.resolved:
            continue
        rules = [r for r in config.rules_for(token) if (r.target == "collective") == grouping]
        answers = ((rule, RESOLVERS[rule.target](ctx, token, rule)) for rule in rules)
        rule, found = next(((rule, found) for rule, found in answers if found), (None, ()))
        if rule is None:
            continue
        span = _phrase(token, rule)
        span.label_ = rule.id
        span._.actor_ids = found
        spans.append(span)
        ctx.resolved.update({i: found for i in range(span.start, span.end)} if rule.target == "members"
                            else {token.i: found})
    doc.spans[SPAN_KEY] = sorted(spans, key=lambda s: (s.start, s.end))
    doc.user_data[CONTEXT_KEY] = ctx  # for the parties of the story (`coref_parties.py`)
    doc._.coref = {i: tuple(s._.actor_ids) for s in spans for i in range(s.start, s.end)}
    return spans


def coref_of(token: Token) -> tuple[str, ...]:
    """The actor ids a token stands for through coreference (empty when none or not annotated)."""
    table = token.doc._.coref or {}
    return table.get(token.i, ())


def open_story_descriptor(token: Token) -> bool:
    """'the two delegations', 'both sides' that the rule story-parties matches but could not resolve."""
    return not coref_of(token) and any(
        rule.target == "story_parties" for rule in load_coref_config().rules_for(token))
