"""Where a quotation's cue is: the cue verb it hangs from in the parse, else the nearest one of its sentences;
and the cues whose speaker is not their subject ('quoted the general as saying', 'was described by X')."""

from __future__ import annotations

from spacy.tokens import Span, Token

from flows.extract.quotes.context import ArticleContext
from flows.extract.quotes.marks import QuoteSpan


def governing_cue(ctx: ArticleContext, inner: Span) -> Token | None:
    """The cue verb the quote hangs from in the parse: up from the quote, or a cue attached to it."""
    inside = set(range(inner.start, inner.end))
    best: tuple[int, Token] | None = None
    for token in inner:
        head, steps = token.head, 1
        if head.i in inside:
            continue
        while steps <= 8:
            if ctx.cue_of(head):
                if best is None or steps < best[0]:
                    best = (steps, head)
                break
            if head.head.i == head.i:
                break
            head, steps = head.head, steps + 1
    if best is not None:
        return best[1]
    for token in inner.sent:
        if token.i not in inside and token.head.i in inside and ctx.cue_of(token):
            return token
    return None


def context_tokens(ctx: ArticleContext, span: QuoteSpan, inner: Span) -> list[Token]:
    """Tokens outside any quote in the sentences the quote starts and ends in."""
    sents = {inner[0].sent.start: inner[0].sent, inner[-1].sent.start: inner[-1].sent}
    close = span.close_at if span.close_at is not None else span.end
    after = ctx.doc.char_span(close, min(close + 1, len(ctx.article.text)), alignment_mode="expand")
    if after is not None and len(after) and after[-1].i + 1 < len(ctx.doc):
        following = ctx.doc[after[-1].i + 1]
        if not following.is_sent_start or following.text[:1].islower() or following.text == ",":
            sents[following.sent.start] = following.sent
    tokens = [t for sent in sents.values() for t in sent]
    return [t for t in tokens if not ctx.is_quoted(t)]


def nearest_cue(ctx: ArticleContext, span: QuoteSpan, tokens: list[Token]) -> Token | None:
    """The cue closest to the quote in its own sentences, when the parse does not link them."""
    cues = [t for t in tokens if ctx.cue_of(t)]
    if not cues:
        return None
    close = span.close_at if span.close_at is not None else span.end
    return min(cues, key=lambda t: min(abs(t.idx - span.open_at), abs(t.idx - close)))


def quoted_object(ctx: ArticleContext, verb: Token) -> Token | None:
    """'quoted the general as saying': a cue whose speaker is its direct object, and that object."""
    match = ctx.cue_match(verb)
    if match is None or match.rule.speaker != "direct_object":
        return None
    return next((c for c in verb.children if c.dep_ == "dobj"), None)


def passive_agent(ctx: ArticleContext, verb: Token) -> Token | None:
    """'was described as X by analysts' -> analysts; the passive subject is what was said, not who."""
    for token in verb.subtree:
        if ctx.is_quoted(token):
            continue
        if token.dep_ == "agent" or (token.lower_ == "by" and token.dep_ == "prep"):
            objects = [c for c in token.children if c.dep_ == "pobj"]
            if objects:
                return objects[0]
    return None
