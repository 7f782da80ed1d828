"""A speaker's name and role at each mention: the name's extent, and the role the text writes next to it,
read by the shared role reader (`WrittenRoles` in `flows/extract/actors/titles.py`) and kept per mention
and per actor."""

from __future__ import annotations

from spacy.tokens import Span, Token

from flows.extract.quotes.context import ArticleContext, Candidate, span_tokens, speaker_key

HYPHENS = frozenset({"-", "‐", "‑"})  # inside a double surname ('Tsikhistavi-Khutsishvili')


def name_tokens(ctx: ArticleContext, token: Token) -> Span:
    """The proper-noun run ending at a speaker token, without the title words before the name."""
    start = token.i
    while start > token.sent.start:
        prev = ctx.doc[start - 1]
        if (prev.pos_ != "PROPN" and prev.text not in HYPHENS) or ctx.is_role_word(prev) or prev.head.i != token.i:
            break
        start -= 1
    return ctx.doc[start:token.i + 1]


def role_of_candidate(ctx: ArticleContext, candidate: Candidate) -> str | None:
    """The role the text gives next to one mention of a speaker (looked up once per mention)."""
    if candidate not in ctx.roles:
        span = span_tokens(ctx.doc, candidate.char_start, candidate.char_end)
        role = None
        if span is not None and len(span):
            role = ctx.written_roles.near(span)
        ctx.roles[candidate] = role
    return ctx.roles[candidate]


def role_of_actor(ctx: ArticleContext, candidate: Candidate) -> str | None:
    """The speaker's role at this mention, else at the earliest mention of the same actor that gives one."""
    role = role_of_candidate(ctx, candidate)
    if role:
        return role
    key = speaker_key(candidate)
    if key not in ctx.actor_roles:
        found = (role_of_candidate(ctx, c) for c in ctx.candidates if speaker_key(c) == key)
        ctx.actor_roles[key] = next((r for r in found if r), None)
    return ctx.actor_roles[key]
