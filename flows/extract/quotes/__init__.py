"""Quotes: find quotations in an article, attribute each to a speaker, and cluster them across articles.

Detection is a character scan (`marks.find_quote_spans`) so it can be tested without spaCy; attribution
uses the dependency parse: the speech cue governing the quote, its subject, the actor mention under that
subject. Marks, cues, speaker words and quoted names are rules of the codebook `schemas/cue_verbs.yaml`,
each with an id that the quotes table's `rule_ids` column publishes.

Attribution, in order, with the confidence each gives (lowered by 0.1 when no actor id is found):
explicit, the cue governs the quote in the parse (0.9); explicit from the nearest cue of the sentence or
'Name: "..."' (0.75); pronoun (0.7); descriptor (0.65); previous or following sentence (0.55);
unattributed (0.2). When the parser ran a sentence over a line break (a headline without a full stop),
the article is parsed again with a sentence break at every line break.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from flows.extract.annotate import doc_text
from flows.extract.quotes.attribution import attribute_quote, climb_to_subject, opens_sentence
from flows.extract.quotes.codebook import load_codebook
from flows.extract.quotes.context import CONFIDENCE, ArticleContext, Speaker, span_tokens
from flows.extract.quotes.marks import QuoteSpan, find_quote_spans, is_capitalised_title, named_title, quote_kind
from flows.extract.quotes.sources import anonymous_candidates
from flows.ids import make_id
from flows.records import Actor, Article, Mention, Quote

__all__ = ["extract_quotes", "find_quote_spans", "is_capitalised_title", "load_codebook", "normalise_quote"]
DATE_ATTACH_STEPS = 4  # 'said in an interview on Sunday': Sunday -> on -> interview -> in -> said


def quote_date(ctx: ArticleContext, cue: Token | None) -> str | None:
    """The date mention hanging from the cue ('said Thursday'), else the article's date."""
    verbs = {t.i for t in climb_to_subject(ctx, cue)[0]} if cue is not None else set()
    if verbs:
        for mention in ctx.date_mentions:
            if ctx.in_quotes(mention.char_start):
                continue
            span = span_tokens(ctx.doc, mention.char_start, mention.char_end)
            if span is None or not len(span):
                continue
            head, steps = span.root, 0
            while steps < DATE_ATTACH_STEPS and head.head.i != head.i:
                head, steps = head.head, steps + 1
                if head.i in verbs:
                    return mention.value
                if head.pos_ in ("VERB", "AUX"):
                    break
    return ctx.article.published_date


def normalise_quote(text: str) -> str:
    """Casefolded words only: the key that matches one quotation across articles."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def make_quote(ctx: ArticleContext, span: QuoteSpan, speaker: Speaker | None) -> Quote:
    text = ctx.article.text[span.start:span.end]
    article_id = ctx.article.article_id
    speaker = speaker or Speaker([], [], None, "unattributed", None, None, CONFIDENCE["unattributed"], None)
    return Quote(
        quote_id=make_id("quote", article_id, span.start, span.end),
        article_id=article_id,
        text=text,
        char_start=span.start,
        char_end=span.end,
        kind=quote_kind(ctx.article.text, span, opens_sentence(ctx, span), ctx.codebook),
        speaker_actor_id=speaker.actor_id,
        speaker_name=speaker.name,
        speaker_role=speaker.role,
        attribution=speaker.attribution,
        cue=speaker.cue,
        quote_date=quote_date(ctx, speaker.cue_token),
        cluster_id=make_id("qcluster", normalise_quote(text)),
        confidence=round(max(0.0, min(1.0, speaker.confidence)), 2),
        speaker_kind=speaker_kind(speaker),
        speaker_country_iso3=speaker.country_iso3,
        rule_ids=list(dict.fromkeys([span.style, *cue_rules(ctx, speaker), *speaker.rule_ids])),
    )


def cue_rules(ctx: ArticleContext, speaker: Speaker) -> list[str]:
    match = ctx.cues.get(speaker.cue_token.i) if speaker.cue_token is not None else None
    return [match.rule.id] if match is not None else []


def speaker_kind(speaker: Speaker) -> str:
    """person | institution | document | anonymous | unknown, as attribution decided or from the actor."""
    if speaker.kind:
        return speaker.kind
    if not speaker.names and not speaker.actor_ids:
        return "unknown"
    return "person" if speaker.is_person else "institution"


def paragraph_starts(doc: Doc) -> list[bool | None]:
    """True for the first token of every line, None elsewhere (left to the parser)."""
    starts: list[bool | None] = []
    for token in doc:
        prev = doc[token.i - 1] if token.i else None
        after_newline = prev is None or "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text)
        starts.append(True if after_newline and not token.is_space else None)
    return starts


def crosses_paragraphs(doc: Doc) -> bool:
    return any("\n" in t.text or "\n" in t.whitespace_ for sent in doc.sents for t in sent[:-1])


def with_paragraph_sentences(doc: Doc) -> Doc:
    """The parse again with a sentence break at every line break, when the parser ran over one.

    A headline without a full stop otherwise becomes the subject of the first sentence of the body.
    """
    if not crosses_paragraphs(doc):
        return doc
    from flows.extract.annotate import load_nlp

    nlp = load_nlp()
    words = [t.text for t in doc]
    spaces = [bool(t.whitespace_) for t in doc]
    fresh = Doc(nlp.vocab, words=words, spaces=spaces, sent_starts=paragraph_starts(doc))
    for _, component in nlp.pipeline:
        fresh = component(fresh)
    fresh._.coref = doc._.coref  # the same words: the shared coreference still applies
    if "coref" in doc.spans:
        fresh.spans["coref"] = [fresh[s.start:s.end] for s in doc.spans["coref"]]
        for old, new in zip(doc.spans["coref"], fresh.spans["coref"], strict=True):
            new.label_, new._.actor_ids = old.label_, old._.actor_ids
    return fresh


def is_scare_quote(ctx: ArticleContext, span: QuoteSpan) -> bool:
    """A term held at a distance ('so-called "illegal crossings"'): quoted, but nobody's speech."""
    words = ctx.article.text[max(0, span.open_at - 40):span.open_at].split()
    return bool(words) and words[-1].lower() in ctx.codebook.words["scare_quote"]


def scare_quote_speaker() -> Speaker:
    return Speaker([], [], None, "unattributed", None, None, CONFIDENCE["unattributed"], None,
                   rule_ids=["scare_quote"])


def extract_quotes(doc: Doc, article: Article, mentions: list[Mention], actors: dict[str, Actor]) -> list[Quote]:
    """Every quotation of an article with its speaker, role, cue, date and confidence."""
    if doc_text(doc) != article.text:
        raise ValueError(f"{article.source_path}: the parsed text differs from the article text")
    doc = with_paragraph_sentences(doc)
    spans = find_quote_spans(article.text)
    ctx = ArticleContext(doc, article, mentions, actors, load_codebook(), spans)
    ctx.add_candidates(anonymous_candidates(ctx))
    quotes: list[Quote] = []
    for span in spans:
        if named_title(article.text, span, ctx.codebook, attributed=True):
            continue
        ctx.level = span.depth
        if is_scare_quote(ctx, span):
            quotes.append(make_quote(ctx, span, scare_quote_speaker()))
            continue
        speaker = attribute_quote(ctx, span)
        if speaker is None and named_title(article.text, span, ctx.codebook, attributed=False):
            continue
        if speaker is not None and span.depth == 0:
            speaker.position = span.end
            ctx.speakers.append(speaker)
        quotes.append(make_quote(ctx, span, speaker))
    ctx.level = 0
    return quotes
