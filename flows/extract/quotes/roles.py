"""Roles as the text writes them next to a speaker's name: before it ('Kenyan Foreign Minister Musalia
Mudavadi'), in apposition ('Jan Novak, Senior Adviser to the Prime Minister,') or set off before it ('The
special envoy for the talks, Jan Novak,'). Role words come from the codebook (`role_noun`).

The shared title parser (`flows/extract/actors/titles.py`) gives the same speakers on the dev split, but
its written extent leaves out the country and institution words ('Secretary of State' for 'U.S.
Secretary of State'), which `speaker_role` publishes as written; this parser stays until it does."""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from flows.extract.quotes.context import ArticleContext, Candidate, span_tokens, speaker_key

APPOSITION_MAX_TOKENS = 15


def strip_article(text: str) -> str:
    return re.sub(r"^(the|a|an)\s+", "", text.strip(" ,"), flags=re.IGNORECASE)


def name_tokens(ctx: ArticleContext, token: Token) -> Span:
    """The proper-noun run ending at a speaker token, without the title words before the name."""
    start = token.i
    while start > token.sent.start:
        prev = ctx.doc[start - 1]
        if prev.pos_ != "PROPN" or ctx.is_role_word(prev) or prev.head.i != token.i:
            break
        start -= 1
    return ctx.doc[start:token.i + 1]


def role_before(ctx: ArticleContext, start_token: int) -> str | None:
    """A role written before a name: 'Kenyan Foreign Minister Musalia Mudavadi', 'spokesperson Jane Doe'."""
    doc = ctx.doc
    i = start_token - 1
    words: list[Token] = []
    while i >= 0 and not doc[i + 1].is_sent_start:
        token = doc[i]
        if ctx.is_quoted(token) or token.i in ctx.person_tokens:
            break
        capital = token.text[:1].isupper() and token.pos_ in ("PROPN", "NOUN", "ADJ")
        spaced_dash = token.text == "-" and (token.whitespace_ or (i > 0 and doc[i - 1].whitespace_))
        modifier = token.dep_ in ("compound", "amod") and token.head in words
        connector = token.lower_ in ctx.codebook.words["role_connectors"] or (
            token.lower_ in ctx.codebook.words["portfolio_joiners"] and not any(ctx.is_role_word(t) for t in words))
        if spaced_dash or not (capital or modifier or ctx.is_role_word(token) or connector):
            break
        words.insert(0, token)
        i -= 1
    while words and words[0].lower_ in ctx.codebook.words["role_connectors"]:
        words.pop(0)
    if not any(ctx.is_role_word(t) for t in words):
        return None
    return doc[words[0].i:words[-1].i + 1].text


def role_after(ctx: ArticleContext, token: Token) -> str | None:
    """A role written as an apposition: 'Tom Sullivan, Senior Policy Advisor to the Secretary of State,'."""
    doc = ctx.doc
    if token.i + 1 >= len(doc) or doc[token.i + 1].text != ",":
        return None
    words: list[Token] = []
    for other in doc[token.i + 2:min(token.i + 2 + APPOSITION_MAX_TOKENS, token.sent.end)]:
        if other.text in (",", ";", ":", "(", ")") or ctx.is_quoted(other):
            break
        words.append(other)
    if not words or any(t.pos_ in ("VERB", "AUX") for t in words):
        return None
    if not any(ctx.is_role_word(t) for t in words):
        return None
    return strip_article(doc[words[0].i:words[-1].i + 1].text)


def role_of_candidate(ctx: ArticleContext, candidate: Candidate) -> str | None:
    """The role the text gives next to one mention of a speaker (looked up once per mention)."""
    if candidate not in ctx.roles:
        span = span_tokens(ctx.doc, candidate.char_start, candidate.char_end)
        role = None
        if span is not None and len(span):
            role = (role_before(ctx, span.start) or role_after(ctx, span[-1])
                    or role_apposed_to(ctx, span.root, span.start) or role_before_comma(ctx, span.start))
        ctx.roles[candidate] = role
    return ctx.roles[candidate]


def role_apposed_to(ctx: ArticleContext, token: Token, name_start: int) -> str | None:
    """A role the name is in apposition to: 'The EU foreign policy chief, Josep Borrell,'."""
    if token.dep_ != "appos":
        return None
    head = token.head
    for _ in range(3):
        if ctx.is_role_word(head) or head.dep_ not in ("pobj", "prep") or head.head.i == head.i:
            break
        head = head.head
    if not ctx.is_role_word(head) or head.i > name_start:
        return None
    text = ctx.doc[head.left_edge.i:name_start].text
    return strip_article(text)


def role_before_comma(ctx: ArticleContext, start: int) -> str | None:
    """A role set off before the name: 'The special envoy for the talks, Jan Novak,' (when the parse misses it)."""
    doc = ctx.doc
    if start < 2 or doc[start - 1].text != ",":
        return None
    words: list[Token] = []
    for i in range(start - 2, max(doc[start].sent.start, start - 2 - APPOSITION_MAX_TOKENS) - 1, -1):
        token = doc[i]
        if token.is_punct and token.text not in ("'s", "’s", ".") or ctx.is_quoted(token):
            break
        words.insert(0, token)
    if not words or words[0].pos_ not in ("DET", "ADJ", "NOUN", "PROPN"):
        return None
    if any(t.pos_ in ("VERB", "AUX") for t in words) or not any(ctx.is_role_word(t) for t in words[:5]):
        return None
    return strip_article(doc[words[0].i:words[-1].i + 1].text)


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
