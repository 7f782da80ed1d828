"""Speakers the text refers back to: pronouns ('he said'), descriptors ('the spokesperson', 'the two
leaders', 'the statement added'), resolved to the people and institutions named or quoted before."""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from flows.extract.quotes.context import CONFIDENCE, NO_ACTOR_PENALTY, ArticleContext, Candidate, Speaker
from flows.extract.quotes.roles import role_of_actor
from flows.extract.quotes.sources import quoted_source, recent_anonymous
from flows.extract.quotes.speakers import (
    from_candidates,
    is_institution_word,
    is_subject,
    reuse,
    speaker_span,
)

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
    if subjects:
        chosen = subjects[-1]
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


def descriptor_words(token: Token) -> list[str]:
    return [t.lower_ for t in token.lefts if t.dep_ in ("amod", "compound")] + [token.lemma_.lower()]


def resolve_descriptor(ctx: ArticleContext, token: Token, cue: Token | None) -> Speaker | None:
    """'the spokesperson' -> the person whose written role holds that noun; 'the statement' -> its maker."""
    confidence = CONFIDENCE["descriptor"]
    noun = token.lemma_.lower()
    if is_institution_word(ctx, token):
        named = institution_antecedent(ctx, token)
        if named is not None:
            return from_candidates(ctx, [named], None, "descriptor", cue, confidence)
        institutions = [s for s in ctx.speakers if s.is_person is False]
        if institutions:
            return reuse(ctx, institutions[-1], "descriptor", cue, confidence)
        pool = [c for c in ctx.candidates if c.char_end <= token.idx and c.is_person is False
                and not ctx.in_quotes(c.char_start) and is_subject(ctx, c)]
        if pool:
            return from_candidates(ctx, [pool[-1]], None, "descriptor", cue, confidence)
        return None
    anonymous = recent_anonymous(ctx, token)
    if anonymous is not None:
        return from_candidates(ctx, [anonymous], None, "descriptor", cue, confidence)
    if is_pair(token):
        people = list(dict.fromkeys(c for c in reversed(ctx.candidates)
                                    if c.char_end <= token.idx and c.is_person and not ctx.in_quotes(c.char_start)))
        pair = list(dict.fromkeys(c.actor_id or c.name for c in people))[:2]
        chosen = [next(c for c in people if (c.actor_id or c.name) == key) for key in reversed(pair)]
        if len(chosen) == 2:
            return from_candidates(ctx, chosen, None, "descriptor", cue, confidence)
    words = descriptor_words(token)
    best: tuple[int, Candidate, str] | None = None
    before = [c for c in ctx.candidates if c.char_end <= token.idx and c.is_person]
    after = [c for c in ctx.candidates if c.char_start > token.idx and c.is_person]
    for candidate in list(reversed(before)) + after:
        role = role_of_actor(ctx, candidate) or ""
        actor = ctx.actors.get(candidate.actor_id or "")
        haystack = " ".join([role] + (actor.roles if actor else [])).lower()
        if noun not in haystack and token.lower_ not in haystack:
            continue
        score = sum(1 for w in words if w in haystack)
        if best is None or score > best[0]:
            best = (score, candidate, role)
        if candidate.char_start > token.idx:
            break
    if best is None:
        return last_person_speaker(ctx, token, cue)
    return from_candidates(ctx, [best[1]], best[2] or None, "descriptor", cue, confidence)


def is_pair(token: Token) -> bool:
    """'the two leaders', 'both ministers': a descriptor for two people."""
    return token.tag_ in ("NNS", "NNPS") and any(
        c.lower_ in ("two", "both") and c.dep_ in ("nummod", "det", "predet") for c in token.children)


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
    subject in the narrative around the quotation ('X said Y had left. "He said, 'No,'" X said.')."""
    want_person = token.lower_ in ctx.codebook.person_pronouns
    level, ctx.level = ctx.level, ctx.level - 1
    try:
        pool = [c for c in ctx.candidates if c.char_end <= token.idx and not ctx.in_quotes(c.char_start)
                and c.is_person is want_person and is_subject(ctx, c)]
        if not pool:
            return None
        return from_candidates(ctx, pool[-1:], role_of_actor(ctx, pool[-1]), "pronoun", cue, CONFIDENCE["pronoun"])
    finally:
        ctx.level = level


def institution_antecedent(ctx: ArticleContext, token: Token) -> Candidate | None:
    """'the army said' after 'the Lebanese army': the nearest earlier institution whose name (or the words
    the codebook's `refers_to` gives for the noun: 'armed forces' for 'army') holds the noun, or whose
    actor is of the kind the noun names ('the group': a group). Its name is kept as written when the
    actor is its state ('Lebanese army', linked to Lebanon)."""
    noun = token.lemma_.lower()
    words = {noun, token.lower_, *ctx.codebook.refers_to.get(noun, ())}
    for candidate in reversed([c for c in ctx.candidates if c.char_end <= token.idx]):
        if candidate.is_person or candidate.kind == "anonymous" or ctx.in_quotes(candidate.char_start):
            continue
        names = f" {candidate.text.lower()} {candidate.name.lower()} "
        if any(f" {w} " in names for w in words) or f"kind:{candidate.kind}" in words:
            if candidate.kind == "state" and candidate.text and noun in candidate.text.lower():
                return replace(candidate, name=candidate.text)
            return candidate
    return None
