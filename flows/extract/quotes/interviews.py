"""Quotations in an interview's layout: an answer after the interviewer's question, and a headline
quotation no sentence attributes, both the interviewee's (the layout is read by `flows.extract.interview`,
which the event stage shares); and the page labels and bylines that never speak."""

from __future__ import annotations

from spacy.tokens import Span

from flows.extract.interview import ANSWER_LABEL, interviewee, introduced_person, question_before, read_layout
from flows.extract.quotes.context import CONFIDENCE, ArticleContext, Candidate, Speaker, speaker_key
from flows.extract.quotes.marks import QuoteSpan
from flows.extract.quotes.roles import role_of_actor
from flows.extract.quotes.speakers import from_candidates, is_subject, reuse


def is_layout_label(ctx: ArticleContext, words: Span) -> bool:
    """'Q&A', 'ANALYSIS', 'By Jana Kolar': a page's label or byline, never a speaker."""
    labels = ctx.codebook.words["interview_answer"]
    return words.text.strip().lower() in labels or (
        words[0].lower_ in labels and words[0].is_title and words[0].i == words.sent.start and len(words) <= 4
    )


def on_byline(ctx: ArticleContext, char: int) -> bool:
    line_start = ctx.article.text.rfind("\n", 0, char) + 1
    words = ctx.doc.char_span(line_start, char, alignment_mode="expand")
    return words is not None and len(words) > 0 and is_layout_label(ctx, words)


def after_question(ctx: ArticleContext, span: QuoteSpan) -> int | None:
    """Where the question ends when the paragraph before a quotation is an interviewer's question."""
    question = question_before(ctx.article.text, span.paragraph_start)
    if question is None or ctx.in_quotes(question[1] - 1) or ctx.in_quotes(question[0]):
        return None
    return question[0]


def named_people(ctx: ArticleContext, end: int) -> list[Candidate]:
    """People the narrative names before `end`, bylines and anonymous sources left out."""
    return [
        c
        for c in ctx.candidates
        if c.is_person
        and c.char_end <= end
        and c.kind != "anonymous"
        and not ctx.in_quotes(c.char_start)
        and not on_byline(ctx, c.char_start)
    ]


def interview_speaker(ctx: ArticleContext, span: QuoteSpan) -> Speaker | None:
    """An answer in an interview: the person who answered last, else the one the introduction presents
    ('X spoke to us'), else the last person it names as a subject (never the byline)."""
    question = after_question(ctx, span)
    lead = ctx.article.text[span.paragraph_start:span.open_at]
    if question is None or not (lead == "" or ANSWER_LABEL.fullmatch(lead)):  # 'A: "..."' opens an answer too
        return None
    people = [s for s in ctx.speakers if s.is_person and s.names]
    if people:
        speaker = reuse(ctx, people[-1], "previous_sentence", people[-1].cue_token, CONFIDENCE["previous_sentence"])
    else:
        named = named_people(ctx, question)
        presented = introduced_person(ctx.article.text, read_layout(ctx.article.text).introduction, named)
        named = [presented] if presented is not None else [c for c in named if is_subject(ctx, c)] or named
        if not named:
            return None
        speaker = from_candidates(
            ctx, named[-1:], role_of_actor(ctx, named[-1]), "previous_sentence", None, CONFIDENCE["previous_sentence"]
        )
    speaker.rule_ids.append("interview_answer")
    return speaker


def interviewee_speaker(ctx: ArticleContext) -> Speaker | None:
    """The interviewee of a text laid out as questions and answers, for a headline quotation no sentence
    attributes ('Q&A: "We will not disarm"' above 'X spoke to us ... Why did you leave?')."""
    text = ctx.article.text
    layout = read_layout(text)
    if not layout.questions:
        return None
    found = interviewee(text, layout, named_people(ctx, len(text)), key=speaker_key)
    if found is None:
        return None
    speaker = from_candidates(
        ctx, [found], role_of_actor(ctx, found), "previous_sentence", None, CONFIDENCE["previous_sentence"]
    )
    speaker.rule_ids.append("interview_answer")
    return speaker
