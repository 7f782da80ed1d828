"""Speakers the text refers back to: pronouns ('he said'), descriptors ('the spokesperson', 'the two
leaders', 'the statement added'), resolved to the people and institutions named or quoted before."""

from __future__ import annotations

from spacy.tokens import Token

from flows.extract.coref import coref_of
from flows.extract.quotes.context import (
    CONFIDENCE,
    NO_ACTOR_PENALTY,
    ArticleContext,
    Candidate,
    Speaker,
    span_tokens,
)
from flows.extract.quotes.roles import role_of_actor
from flows.extract.quotes.sources import (
    anonymous_speaker,
    document_speaker,
    institution_antecedent,
    is_source_noun,
    names_a_person,
    quoted_source,
    recent_anonymous,
    recent_document,
    role_holders,
)
from flows.extract.quotes.speakers import (
    from_candidates,
    hyphen_word_head,
    is_institution_word,
    is_subject,
    reuse,
    speaker_span,
)
from flows.extract.roles import title_in

PRONOUN_WINDOW_SENTENCES = 4


def resolve_pronoun(ctx: ArticleContext, token: Token, cue: Token | None) -> Speaker | None:
    """'he said' -> the nearest preceding person who is a grammatical subject, else the last speaker."""
    want_person = token.lower_ in ctx.codebook.person_pronouns
    sents = list(ctx.doc.sents)
    index = next(i for i, s in enumerate(sents) if s.start <= token.i < s.end)
    window_start = sents[max(0, index - PRONOUN_WINDOW_SENTENCES)].start_char
    pool = [c for c in ctx.candidates
            if window_start <= c.char_start and c.char_end <= token.idx and not ctx.in_quotes(c.char_start)
            and (c.is_person is True if want_person else c.is_person is False)]
    subjects = [c for c in pool if is_subject(ctx, c)]
    if ctx.level > 0 and not pool:  # 'When I asked the commander, he told me, "..."'
        return (quoted_source(ctx, token, cue) if want_person else None) or outer_subject(ctx, token, cue)
    previous = [s for s in ctx.speakers if s.is_person is want_person and s.position >= window_start]
    confidence = CONFIDENCE["pronoun"]
    document = recent_document(ctx, token, window_start) if not want_person else None
    if document is not None and (not subjects or subjects[-1].char_end <= document.idx):
        speaker = document_speaker(ctx, document, cue, confidence)
        speaker.attribution = "pronoun"
        return speaker
    if subjects:
        chosen = reporter_of(ctx, subjects[-1], subjects) or subjects[-1]
        holders = role_holders_of(ctx, chosen)
        if holders:  # 'The Co-Chairs expressed concern. They reiterated ...': who holds that role
            return from_candidates(ctx, holders, None, "pronoun", cue, confidence)
        if previous and chosen.actor_id and chosen.actor_id in previous[-1].actor_ids:
            return reuse(ctx, previous[-1], "pronoun", cue, confidence)  # 'The UN mission said ... it said'
        return from_candidates(ctx, [chosen], role_of_actor(ctx, chosen), "pronoun", cue, confidence)
    if previous:
        return reuse(ctx, previous[-1], "pronoun", cue, confidence)
    if pool:
        chosen = pool[-1]
        return from_candidates(ctx, [chosen], role_of_actor(ctx, chosen), "pronoun", cue, confidence)
    same_kind = [s for s in ctx.speakers if s.is_person is want_person]
    if same_kind:
        return reuse(ctx, same_kind[-1], "pronoun", cue, confidence)
    return None


def reporter_of(ctx: ArticleContext, candidate: Candidate, subjects: list[Candidate]) -> Candidate | None:
    """'X said a soldier stopped her. "...," she said': a subject inside what another subject reported is
    the story told, not its teller; the pronoun goes on with the teller."""
    span = span_tokens(ctx.doc, candidate.char_start, candidate.char_end)
    if span is None or not len(span):
        return None
    clause = span.root
    while clause.dep_ not in ("ccomp", "ROOT") and clause.head.i != clause.i:
        clause = clause.head
    if clause.dep_ != "ccomp" or ctx.cue_match(clause.head) is None:
        return None
    tellers = [c for c in subjects if c.char_end <= candidate.char_start and c.is_person is candidate.is_person
               and any(t.head.i == clause.head.i for t in span_tokens(ctx.doc, c.char_start, c.char_end) or [])]
    return tellers[-1] if tellers else None


def role_holders_of(ctx: ArticleContext, candidate: Candidate) -> list[Candidate]:
    """The actors a plural role named as written stands for ('the Co-Chairs': no actor, or one made of
    those words only)."""
    if candidate.actor_id is not None and candidate.name != candidate.text.removeprefix("the ").strip():
        return []
    words = span_tokens(ctx.doc, candidate.char_start, candidate.char_end)
    if words is None or not len(words):
        return []
    head = hyphen_word_head(words.root)
    singular = head.lemma_.lower() if head.tag_ in ("NNS", "NNPS") else head.lower_.removesuffix("s")
    if singular == head.lower_ or singular not in ctx.codebook.role_nouns:
        return []
    return role_holders(ctx, head)


def descriptor_words(token: Token) -> list[str]:
    return [t.lower_ for t in token.lefts if t.dep_ in ("amod", "compound")] + [token.lemma_.lower()]


def antecedent_kinds(ctx: ArticleContext, token: Token) -> frozenset[str] | None:
    """The actor kinds an institution noun may stand for, when the codebook limits them ('the government':
    a state or a government), else None."""
    words = ctx.codebook.refers_to.get(token.lemma_.lower(), ())
    kinds = frozenset(w.removeprefix("kind:") for w in words if w.startswith("kind:"))
    return kinds or None


def speaker_actor_kind(ctx: ArticleContext, actor_id: str) -> str | None:
    actor = ctx.actors.get(actor_id)
    return actor.kind if actor is not None else None


def resolve_descriptor(ctx: ArticleContext, token: Token, cue: Token | None) -> Speaker | None:
    """'the spokesperson' -> the person whose written role holds that noun; 'the statement' -> its maker."""
    confidence = CONFIDENCE["descriptor"]
    noun = token.lemma_.lower()
    if is_institution_word(ctx, token):
        named = institution_antecedent(ctx, token)
        if named is not None:
            return from_candidates(ctx, [named], None, "descriptor", cue, confidence)
        kinds = antecedent_kinds(ctx, token)
        institutions = [s for s in ctx.speakers if s.is_person is False
                        and (kinds is None or any(speaker_actor_kind(ctx, a) in kinds for a in s.actor_ids))]
        if institutions:
            return reuse(ctx, institutions[-1], "descriptor", cue, confidence)
        pool = [c for c in ctx.candidates if c.char_end <= token.idx and c.is_person is False
                and not ctx.in_quotes(c.char_start) and is_subject(ctx, c) and (kinds is None or c.kind in kinds)]
        if pool:
            return from_candidates(ctx, [pool[-1]], None, "descriptor", cue, confidence)
        return None
    anonymous = recent_anonymous(ctx, token)
    if anonymous is not None:
        return from_candidates(ctx, [anonymous], None, "descriptor", cue, confidence)
    words = descriptor_words(token)
    best: tuple[int, Candidate, str] | None = None
    before = [c for c in ctx.candidates if c.char_end <= token.idx and c.is_person]
    after = [c for c in ctx.candidates if c.char_start > token.idx and c.is_person]
    for candidate in list(reversed(before)) + after:
        role = role_of_actor(ctx, candidate) or ""
        actor = ctx.actors.get(candidate.actor_id or "")
        haystack = " ".join([role] + (actor.roles if actor else [])).lower()
        if not (title_in(noun, haystack) or title_in(token.lower_, haystack)):
            continue
        score = sum(1 for w in words if w in haystack)
        if best is None or score > best[0]:
            best = (score, candidate, role)
        if candidate.char_start > token.idx:
            break
    if best is None:
        return last_person_speaker(ctx, token, cue)
    return from_candidates(ctx, [best[1]], best[2] or None, "descriptor", cue, confidence)



def last_person_speaker(ctx: ArticleContext, token: Token, cue: Token | None) -> Speaker | None:
    """'The Russian leader added' with no such role written: the person who spoke just before."""
    sents = list(ctx.doc.sents)
    index = next(i for i, s in enumerate(sents) if s.start <= token.i < s.end)
    window_start = sents[max(0, index - PRONOUN_WINDOW_SENTENCES)].start_char
    recent = [s for s in ctx.speakers if s.is_person and s.position >= window_start and s.names]
    span = speaker_span(token)
    if ctx.level > 0 or not recent or token.tag_ != "NN" or ctx.candidates_in(span.start_char, span.end_char):
        return None
    return reuse(ctx, recent[-1], "descriptor", cue, CONFIDENCE["descriptor"] - NO_ACTOR_PENALTY)


def outer_subject(ctx: ArticleContext, token: Token, cue: Token | None) -> Speaker | None:
    """A pronoun in a quotation the quoted speaker gives no referent for: the nearest person who is a
    subject in the narrative around the quotation ('X said Y had left. "He said, 'No,'" X said.'), else
    the nearest person it names at all ('X said she had asked Governor Y. "He said, '...'"'). A quoted
    speaker says 'I' of himself: 'he' or 'she' in his quotation, like the one who speaks to 'me', is
    somebody else."""
    want_person = token.lower_ in ctx.codebook.person_pronouns
    outer = ctx.speakers[-1] if ctx.speakers and (want_person or addresses_speaker(ctx, cue)) else None
    level, ctx.level = ctx.level, ctx.level - 1
    try:
        named = [c for c in ctx.candidates if c.char_end <= token.idx and not ctx.in_quotes(c.char_start)
                 and c.is_person is want_person and c.kind != "anonymous"
                 and not (outer and (c.actor_id in outer.actor_ids or c.name in outer.names))]
        pool = [c for c in named if is_subject(ctx, c)] or [c for c in named if c.actor_id is not None]
        if pool:
            return from_candidates(ctx, pool[-1:], role_of_actor(ctx, pool[-1]), "pronoun", cue,
                                   CONFIDENCE["pronoun"])
        return narrated_source(ctx, token, cue) if outer is not None and want_person else None
    finally:
        ctx.level = level


def addresses_speaker(ctx: ArticleContext, cue: Token | None) -> bool:
    """'He told me', 'she said to us': inside a quotation, the one who speaks to 'me' is not the quoted
    speaker."""
    if cue is None:
        return False
    words = ctx.codebook.words["addressee_first_person"]
    verbs = [cue, cue.head] if cue.dep_ == "conj" else [cue]  # 'he looked at me and said'
    near = [c for v in verbs for c in v.children]
    near += [g for c in near if c.dep_ == "prep" for g in c.children]
    return any(t.lower_ in words and t.dep_ in ("dobj", "dative", "pobj") for t in near)


def narrated_source(ctx: ArticleContext, token: Token, cue: Token | None) -> Speaker | None:
    """'X said her neighbour had warned her. "He told me, '...'"': the person the narrative named before
    the quotation by a noun ('neighbour', 'the general'), as an anonymous source."""
    start = ctx.sentence_index(token)[0][max(0, ctx.sentence_index(token)[1] - 1)].start
    for other in reversed(ctx.doc[start:token.i]):
        if not ctx.is_quoted(other) and is_source_noun(ctx, other) and not names_a_person(ctx, other):
            speaker = anonymous_speaker(ctx, other, cue, CONFIDENCE["pronoun"])
            speaker.attribution = "pronoun"
            return speaker
    return None


def shared_referent(ctx: ArticleContext, token: Token, cue: Token | None) -> Speaker | None:
    """Who the shared coreference component (`flows/extract/coref.py`) says a pronoun or descriptor stands
    for, unless an anonymous source the text described is nearer ('A diplomat ... "...," he said'), or the
    quotation is inside another one (the component does not see quoted speakers)."""
    ids = coref_of(token)
    if not ids or ctx.level > 0 or (token.pos_ == "NOUN" and recent_anonymous(ctx, token) is not None):
        return None
    before = [c for c in ctx.candidates if c.char_end <= token.idx and not ctx.in_quotes(c.char_start)]
    found = [next((c for c in reversed(before) if c.actor_id == actor_id), None) for actor_id in ids]
    if not all(found):
        return None
    chosen = [c for c in found if c is not None]
    anonymous = [c for c in before if c.kind == "anonymous" and is_subject(ctx, c)]
    if token.pos_ == "PRON" and anonymous and anonymous[-1].char_start > max(c.char_start for c in chosen):
        return None
    attribution = "pronoun" if token.pos_ == "PRON" else "descriptor"
    role = role_of_actor(ctx, chosen[0]) if len(chosen) == 1 else None
    speaker = from_candidates(ctx, chosen, role, attribution, cue, CONFIDENCE[attribution])
    label = next((s.label_ for s in token.doc.spans.get("coref", []) if s.start <= token.i < s.end), None)
    speaker.rule_ids.append(f"coreference:{label}" if label else "coreference")
    return speaker


def run_goes_on(ctx: ArticleContext, token: Token, cue: Token | None, resolved: Speaker) -> Speaker | None:
    """'X told reporters "...". "...," the rebel commander added': a person descriptor with a cue that goes on
    (`quote_run`) right after a named person spoke, in the sentence before or this one, is that person,
    unless the referent found for the descriptor is named again since (the text turned to them)."""
    if cue is None or not resolved.is_person or ctx.level > 0 or not ctx.speakers:
        return None
    if cue.lemma_.lower() not in ctx.codebook.words["quote_run"] or is_institution_word(ctx, token):
        return None
    last = ctx.speakers[-1]
    sents, index = ctx.sentence_index(token)
    window_start = sents[max(0, index - 1)].start_char
    if not last.is_person or not last.names or last.position < window_start or last.kind == "anonymous":
        return None
    if set(last.actor_ids) & set(resolved.actor_ids) or set(last.names) & set(resolved.names):
        return None
    again = [c for c in ctx.candidates_in(window_start, token.idx) if not ctx.in_quotes(c.char_start)
             and ((c.actor_id and c.actor_id in resolved.actor_ids) or c.name in resolved.names)]
    if again:
        return None
    speaker = reuse(ctx, last, "descriptor", cue, CONFIDENCE["descriptor"])
    speaker.rule_ids.append("quote_run")
    return speaker
