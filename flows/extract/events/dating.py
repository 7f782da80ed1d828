"""A date for every event the article reports as happening: the date written at the event (basis text),
else the day of the story it belongs to (context), else the article's own day (published).

An act or statement right after a dated act of the same paragraph belongs to that happening ('In
April 2023 the army bombed the village. The NUG called it a war crime'). The story's day is the
day-precise date of the first event of the lead that has one. Statements
('urged', 'welcomed', 'accused': types marked `statement` in the codebook) are dated by the publication
day when the story is of that day (or has no day) or when told in the present ('X argues that ...'), and get
none in a report of an earlier day's story (so is a stance told as what someone said: 'X said the army remained
committed');
other past acts by the story's day first, else, in the lead or a live-blog entry, the article's (past the lead
of a story without a day, an undated past act is background: no date; an ongoing 'talks are proceeding' gets
none). A headline's
present ('X and Y sign peace deal') is the story's day, another present the article's.
What a pact lays down ('Under the agreement, X committed to ...', 'the accord commits both sides to ...', 'a
truce, in which the army promised ...') takes the pact's date.
An act framed by a happening the article dates elsewhere ('As part of the deal, X freed ...', 'at the
summit, Y pledged ...') takes that happening's date; so does a past statement or act of its readout, by one
who took part, in the paragraphs after a meeting, call, visit, signing or the lead's agreement dated to the day
('They met in Brussels on Thursday. ... Kurti accused Belgrade of ...'); an earlier meeting of the parties told
after the lead's agreement is background to it ('The talks opened on October 25'). A live-blog entry under a
dated heading ('Friday 1 April') is of that day, not of the blog's.
A definite event noun with no clause of its own ('Borrell condemned the attack on the police') is the act of
its type the text dated before it (context).
An act a counted number of days from another the text dates to the day ('five days after the two men
sealed a truce' in a clause dated Tuesday; 'two days before the vote on 12 March') takes that day moved
by the count (basis context); so does an act a phrase of its clause places after the happening the paragraph
told just before it ('Later in the day, X accused ...', 'The next day, the rebels freed ...', 'two days later'):
that happening's day moved by the count (basis context). Background (a pluperfect, a relative clause, 'at
the time'), acts placed a counted time from an act without such a day or by a rounded span ('seven weeks after'),
planned, hypothetical and negated events and bare nouns get no date they do not state; nor does a present perfect
('Russia has demanded ...', '"We have agreed to ...," X said') past the lead and outside a live-blog entry: it is
of some time up to the article
(the lead's, reported by a telling the text dates, 'X and Y have agreed, Z said on Saturday' or '... said after
talks on Saturday', is of the telling's day);
nor a simple past told inside a quotation or an interview answer ('we denied it'): it is of some time before.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Mapping, Sequence

from spacy.tokens import Token

from flows.extract.annotate import doc_text
from flows.extract.dates.vocab import V as DATE_WORDS
from flows.extract.events.codebook import Codebook
from flows.extract.events.happenings import GATHERING, counted_from_told, frame_date
from flows.extract.events.liveblog import clock_line_between, entry_heading_date, live_entry
from flows.extract.events.matching import Candidate
from flows.extract.events.pacts import pact_date, verb_index
from flows.extract.events.status import status_anchor
from flows.extract.events.syntax import (
    complement_chain,
    coordinated_before,
    is_verb,
    root_of,
    sentence_bounds,
)
from flows.extract.events.telling import reported_speech_date
from flows.extract.events.when import (
    contrasted_clause,
    counted_from_another,
    offset_date,
    participle_clause,
    sequel_days,
    series_or_span,
    time_reference,
)
from flows.records import Article, Event, Mention

LEAD_SENTENCES = 4
# The event type of an agreement reached: the story's happening a readout may report, like a signing.
PACT = "AGREE"
# How many lines (paragraphs) after a dated gathering its readout may run on.
READOUT_LINES = 6
# How many words may come before a date that opens its sentence ('In late December, ...').
SCENE_OPENING = 2


def _background(anchor: Token, codebook: Codebook) -> bool:
    """'had signed', 'X, who signed ...', 'at the time', 'previously', 'have met six times', 'has shelled the
    villages for months': not the story's own time; nor an act
    placed only relative to another ('a day after X accused Y', 'after rejecting the results', 'in the
    hours before the truce began, jets pounded X and rebels fired rockets') or over a period ('since the
    truce took effect, X has carried out strikes')."""
    background = codebook.word("background_words")
    relative = codebook.word("relative_time_marks")
    if any(_relative_span(c, relative) for verb in coordinated_before(anchor) for c in verb.children
           if c.dep_ == "prep" and (verb is anchor or c.i < verb.i)):
        return True
    for token in complement_chain(anchor):
        if token.dep_ in ("relcl", "acl", "amod") or series_or_span(token, codebook):
            return True
        if _opened_by(token, relative) or (token.dep_ == "pcomp" and token.head.lower_ in relative):
            return True
        if any(_opened_by(c, codebook.word("period_openers")) or (c.dep_ == "prep" and c.lower_ in
                                                                  codebook.word("period_openers"))
               for c in token.children):
            return True
        for child in token.children:
            if child.dep_ == "aux" and child.lower_ in ("had", "'d"):
                return True
            words = [child] + [c for c in child.children if child.dep_ == "prep" and c.dep_ == "pobj"]
            if any(w.lower_ in background for w in words if w.dep_ in ("advmod", "npadvmod", "pobj")):
                return True
    return False


def _relative_span(prep: Token, relative: frozenset[str]) -> bool:
    """'in the final hours before the truce began', 'in the days after the attack': a span of time
    placed only relative to another event."""
    return any(o.dep_ == "pobj" and o.lemma_.lower() in DATE_WORDS["units"]
               and any(_opened_by(c, relative) or (c.dep_ == "prep" and c.lower_ in relative) for c in o.children)
               for o in prep.children)


def _opened_by(clause: Token, marks: frozenset[str]) -> bool:
    """An adverbial clause opened by one of the conjunctions ('after X accused Y')."""
    return clause.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in marks for c in clause.children)


def _past(verb: Token) -> bool:
    """'met', 'has met', 'was signed': a past act, not an ongoing one ('talks are proceeding', 'missiles
    are being fired'). A sentence's own verb with a subject and no auxiliary is a simple past even when
    the tagger reads a participle ('Supporters of X, who led the campaign, protested outside')."""
    if verb.tag_ == "VBD":
        return True
    if any(c.dep_ == "auxpass" and c.lower_ == "being" for c in verb.children):
        return False
    if verb.tag_ == "VBN" and verb.dep_ == "ROOT" and any(c.dep_ == "nsubj" for c in verb.children) and \
            not any(c.dep_ in ("aux", "auxpass") for c in verb.children):
        return True
    return verb.tag_ == "VBN" and any(c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBZ", "VBP", "VBD")
                                      for c in verb.children)


def _present_perfect(verb: Token, codebook: Codebook) -> bool:
    """'has demanded', 'have agreed': a participle with an auxiliary of the present perfect."""
    return verb.tag_ == "VBN" and any(c.dep_ == "aux" and c.lower_ in codebook.word("perfect_auxiliaries")
                                      for c in verb.children)


def _reported_now(anchor: Token) -> bool:
    """'the army says it has started moving troops', 'forces pull back', a headline's 'US eases sanctions':
    the simple present of news reports what happens on the article's day."""
    chain = complement_chain(anchor)
    return any(_past(verb) for verb in chain) or any(verb.tag_ in ("VBZ", "VBP") for verb in chain)


def story_day(pairs: list[tuple[Event, Candidate]]) -> str | None:
    """The day-precise text date of the first dated event of the lead (its first sentences)."""
    for event, cand in sorted(pairs, key=lambda p: p[0].char_start):
        if event.date_basis == "text" and event.date_precision == "day" and event.status == "occurred" \
                and sentence_index(cand.head) < LEAD_SENTENCES:
            return event.event_date
    return None


def sentence_index(token: Token) -> int:
    """How many sentences come before the token's (headline lines count as sentences)."""
    index = 0
    start = sentence_bounds(token)[0]
    while start > 0:
        start = sentence_bounds(token.doc[start - 1])[0]
        index += 1
    return index


def _dated(event: Event, value: str, basis: str, precision: str = "day") -> Event:
    return dataclasses.replace(event, event_date=value, date_precision=precision, date_basis=basis)


def paragraph_date(event: Event, cand: Candidate, pairs: list[tuple[Event, Candidate]], codebook: Codebook,
                   bases: tuple[str, ...] = ("text",), distances: tuple[int, ...] = (1, 2)) -> Event | None:
    """The nearest event before it in the same paragraph, at most two sentences back, whose date the text
    gives ('In October 2022 the leaders met in Prague. Both confirmed their commitment ...'): the act
    belongs to that happening. An act of the background ('The two countries had cut ties in 2016. Iran
    thanked ...', 'X, who met Y in 2019, ...') is no happening the next act belongs to."""
    text = doc_text(cand.head.doc)
    own = sentence_index(cand.head)
    earlier = [e for e, c in pairs if e.date_basis in bases and e.status == "occurred" and e.event_date
               and e.char_start < event.char_start and "\n" not in text[e.char_start:event.char_start]
               and own - sentence_index(c.head) in distances
               and ((anchor := status_anchor(c)) is None or not _background(anchor, codebook))]
    return max(earlier, key=lambda e: e.char_start) if earlier else None


def sequel_date(event: Event, cand: Candidate, anchor: Token, pairs: list[tuple[Event, Candidate]],
                codebook: Codebook) -> str | None:
    """'Ethiopia and the TPLF signed a truce on 2 November. The next day, the TPLF freed prisoners': the day of
    the happening the paragraph tells just before it (dated by the text or by its context, to the day), moved
    by the days its phrase counts; None when there is no such happening (the phrase is left to the dates)."""
    days = sequel_days(anchor, codebook)
    if days is None:
        return None
    before = paragraph_date(event, cand, pairs, codebook, ("text", "context"), (0, 1, 2))
    if before is None or before.date_precision != "day" or not re.fullmatch(r"\d{4}-\d{2}-\d{2}",
                                                                              str(before.event_date)):
        return None
    return (datetime.date.fromisoformat(str(before.event_date)) + datetime.timedelta(days=days)).isoformat()


def readout_date(event: Event, cand: Candidate, pairs: list[tuple[Event, Candidate]], codebook: Codebook,
                 actors: Mapping[int, list[Mention]], sides: Mapping[str, str] | None = None,
                 story: str | None = None) -> Event | None:
    """The dated meeting, talks, call, visit or signing whose report the event belongs to: the latest one told before it
    on the main line (not 'X, who spoke with Y on Sunday, warned ...'), dated to the day, within a few
    paragraphs, that its source took part in (a party, host or mediator: named where it is told), with no act of
    another date told in between ('The two leaders met in Ohrid on Saturday. ... Kurti accused Belgrade of
    ...' is of Saturday). A reaction of someone who was not there ('In Washington, Blinken welcomed the
    outcome') or an act placed after or before it ('Santos later urged voters to ...', 'Ahead of the talks, the
    spokesman reiterated ... stating "we continue to support ..."') is not; in a live blog the
    gathering is told in the same entry (entries run back in time). A leader speaks for the state a
    lead names as the party ('Serbia and Kosovo agreed after talks in Ohrid on Saturday. ... Kurti accused
    Belgrade of ...'): with `sides` (actor id -> the side it acts for: a person the country it belongs to),
    taking part is compared by side."""
    speakers = _with_sides(set(event.source_actor_ids), sides or {})
    own = status_anchor(cand)
    if not speakers or own is None or any(c.dep_ == "advmod" and c.lower_ in codebook.word("readout_leaving_adverbs")
                                          for above in (own, *own.ancestors)
                                          for verb in coordinated_before(above) for c in verb.children):
        return None
    text = doc_text(cand.head.doc)
    before = [(e, c) for e, c in pairs if (e.event_type == GATHERING or c.rule.act
                                           or (e.event_type == PACT and e.event_date == story))
              and e.date_basis == "text"
              and e.status == "occurred"
              and e.event_date and e.date_precision == "day" and e.char_start < event.char_start
              and speakers & _with_sides(_taking_part(e, c, actors), sides or {})
              and _told_as_happening(e, c, codebook)]
    told = _without_steps_back(before, story)
    if not told:
        return None
    happening, told_by = max(told, key=lambda pair: pair[0].char_start)
    if text.count("\n", happening.char_start, event.char_start) - \
            text.count("\n\n", happening.char_start, event.char_start) > READOUT_LINES:
        return None
    if live_entry(told_by.head) and clock_line_between(text, happening.char_start, event.char_start):
        return None
    steps_back = {id(e) for e, _c in before} - {id(e) for e, _c in told}
    moved = any(e.date_basis == "text" and e.status == "occurred" and e.event_date and id(e) not in steps_back
                and e.event_date != happening.event_date and happening.char_start < e.char_start < event.char_start
                and (anchor := status_anchor(c)) is not None and not _background(anchor, codebook)
                for e, c in pairs)
    return None if moved else happening


def _without_steps_back(told: list[tuple[Event, Candidate]], story: str | None) -> list[tuple[Event, Candidate]]:
    """The happenings a readout may report, less the steps back: a meeting or act of the same parties told after
    the story's own happening but dated before it ('... signed the deal on Wednesday. The talks opened on October
    25 and were led by ...') is background to the story, and what the parties said after it is of the story's
    day."""
    if story is None:
        return told
    first = min((e.char_start for e, _c in told if e.event_date == story), default=None)
    return told if first is None else [(e, c) for e, c in told
                                       if e.char_start <= first or str(e.event_date) >= story]


def _told_as_happening(event: Event, cand: Candidate, codebook: Codebook) -> bool:
    """A meeting or act the text tells as the story's own happening: a verb not of the background, or the
    noun of talks the text dates to the day ('said after twelve hours of talks in Ohrid on Saturday')."""
    anchor = status_anchor(cand)
    if anchor is None:
        return event.event_type == GATHERING and cand.nominal
    return not _background(anchor, codebook)


def _with_sides(actor_ids: set[str], sides: Mapping[str, str]) -> set[str]:
    """The actors and the sides they act for ('person:albin-kurti' and 'XKX')."""
    return actor_ids | {sides[a] for a in actor_ids if a in sides}


def _taking_part(event: Event, cand: Candidate, actors: Mapping[int, list[Mention]]) -> set[str]:
    """Who took part in a happening: its actors and every actor named in the sentence that tells it ('X and Y
    met in Luanda for talks mediated by Z')."""
    start, end = sentence_bounds(cand.head)
    named = {str(m.value) for i in range(start, end) for m in actors.get(i, ()) if m.value}
    return named | set(event.source_actor_ids + event.target_actor_ids + event.other_actor_ids)


def referred_act(event: Event, cand: Candidate, pairs: list[tuple[Event, Candidate]]) -> Event | None:
    """'Gunmen attacked the patrol on Sunday. ... Borrell condemned the attack on the police': a definite
    event noun with no date or clause of its own, told after an act of its type the text dates, is that
    act: the latest one before it."""
    if not cand.nominal or not any(c.dep_ == "det" and c.lower_ == "the" for c in cand.head.children):
        return None
    told = [e for e, c in pairs if e.event_type == event.event_type and e.date_basis == "text"
            and e.status == "occurred" and e.event_date and not c.nominal and e.char_start < event.char_start]
    return max(told, key=lambda e: e.char_start) if told else None


def _line_break_between(first: Token, last: Token) -> bool:
    """A line break in the text from the first token to the end of the last (their span's text)."""
    return doc_text(first.doc).find("\n", first.idx, last.idx + len(last.text)) >= 0


def _main_line(verb: Token) -> bool:
    """'On Wednesday, X agreed to a truce and *pledged* to ...', 'Since May, X has blocked the road and has
    not ceased to *harass* the observers': a verb of the sentence's main line (coordinated, complement or
    unmarked adverbial verbs up to the root), which a date opening the sentence dates; not a reported,
    relative or subordinate clause."""
    while verb.head.i != verb.i:
        if verb.dep_ not in ("conj", "xcomp", "advcl") or \
                (verb.dep_ == "advcl" and any(c.dep_ == "mark" for c in verb.children)):
            return False
        verb = verb.head
    return True


def scene_date(cand: Candidate, anchor: Token, dates: Sequence[tuple[Mention, list[int]]]
               ) -> tuple[Mention, str] | None:
    """The date that opens one of the two sentences before it in the same paragraph ('In December, the two
    governments announced a deal ... Yerevan also withdrew its bid'): the narrative is still at that time
    (basis context). A date that opens the event's own sentence dates every verb of its main line (basis
    text)."""
    doc = cand.head.doc
    own = sentence_index(cand.head)
    found = []
    for mention, ids in dates:
        if not ids or ids[0] >= cand.head.i or _line_break_between(doc[ids[0]], doc[cand.head.i - 1]) \
                or not mention.value:
            continue
        start = sentence_bounds(doc[ids[0]])[0]
        after = ids[-1] + 1
        if ids[0] - start > SCENE_OPENING or after >= len(doc) or doc[after].text != ",":
            continue
        distance = own - sentence_index(doc[ids[0]])
        if distance in (1, 2):
            found.append((mention, "context"))
        elif distance == 0 and _main_line(anchor):
            found.append((mention, "text"))
    return max(found, key=lambda item: item[0].char_start) if found else None


def date_events(pairs: list[tuple[Event, Candidate]], article: Article, codebook: Codebook,
                dates: Sequence[tuple[Mention, list[int]]] = (), actors: Mapping[int, list[Mention]] | None = None,
                sides: Mapping[str, str] | None = None) -> list[tuple[Event, Candidate]]:
    """Every event with the date it deserves (see the module docstring). A participle clause without a
    subject ('he said ..., pledging money') is timed by the verb it hangs from; `sides` as `readout_date`'s."""
    story = story_day(pairs)
    published = article.published_date
    found = []
    for event, cand in pairs:
        anchor = status_anchor(cand)
        if anchor is not None and participle_clause(anchor):
            anchor = anchor.head
        counted = None if event.event_date else offset_date(cand, dates, codebook) or \
            counted_from_told(event, cand, found + pairs[len(found):], codebook)
        if counted is not None:
            found.append((_dated(event, counted, "context"), cand))
            continue
        # The happenings told before it with the dates given so far.
        dated_so_far = found + pairs[len(found):]
        sequel = None if event.event_date or event.status != "occurred" or anchor is None \
            else sequel_date(event, cand, anchor, dated_so_far, codebook)
        if sequel is not None:
            found.append((_dated(event, sequel, "context"), cand))
            continue
        # The pacts among them ('a day after X and Y signed a deal').
        pact = None if event.event_date or event.status != "occurred" or anchor is None \
            else pact_date(event, anchor, dated_so_far, dates, codebook)
        if pact is not None:
            found.append((_dated(event, pact[0], "context", pact[1]), cand))
            continue
        referred = None if event.event_date or event.status != "occurred" or anchor is not None \
            else referred_act(event, cand, pairs)
        if referred is not None:
            found.append((_dated(event, str(referred.event_date), "context", referred.date_precision or "day"), cand))
            continue
        if event.event_date or event.status != "occurred" or anchor is None or _background(anchor, codebook) \
                or time_reference(cand, codebook) or _counted_back(cand, codebook):
            found.append((event, cand))
            continue
        if _after_dated_clause(anchor, dates, codebook.is_statement(event.event_type)):
            found.append((event, cand))
            continue
        reported = reported_speech_date(anchor, dates, codebook)
        if reported is not None and reported[0].value and reported[0].value != published:
            mention, ongoing = reported
            news = ongoing or (sentence_index(cand.head) < LEAD_SENTENCES and _present_perfect(anchor, codebook))
            found.append((_dated(event, str(mention.value), "context", mention.precision or "day") if news
                          else event, cand))
            continue
        framed = frame_date(event, anchor, pairs, dates, codebook)
        if framed is not None:
            found.append((_dated(event, framed[0], "context", framed[1]), cand))
            continue
        if _perfect_not_news(cand, anchor, dates, codebook) or _told_of_earlier(event, anchor):
            found.append((event, cand))
            continue
        found.append((_story_or_publication_date(event, cand, anchor, pairs, (dates, actors or {}, sides or {}), story,
                                                 article,
                                                 codebook), cand))
    return found


def _story_or_publication_date(event: Event, cand: Candidate, anchor: Token, pairs: list[tuple[Event, Candidate]],
                               mentions: tuple[Sequence[tuple[Mention, list[int]]], Mapping[int, list[Mention]],
                                               Mapping[str, str]],
                               story: str | None, article: Article, codebook: Codebook) -> Event:
    """An undated act or statement of the story: by the happening told just before it in the paragraph, the
    date opening its scene, the story's day or the publication day (see the module docstring). A live-blog
    entry under a dated heading ('Friday 1 April') is told on that day: it stands for both."""
    dates, actors, sides = mentions
    published, day_basis = article.published_date, "published"
    heading = entry_heading_date(cand.head, dates)
    if heading is not None and heading != published:
        published, story, day_basis = heading, heading, "context"
    statement = (codebook.is_statement(event.event_type) or _said_stance(event, anchor, codebook)) \
        and not cand.rule.act
    if statement and _told_now(event, anchor) and published:
        return _dated(event, published, day_basis)
    if not statement and not any(_past(verb) for verb in complement_chain(anchor)):
        if _reported_now(anchor) and story and _in_headline(event, article):
            return _dated(event, story, "context")
        return _dated(event, published, day_basis) if _reported_now(anchor) and published else event
    near = paragraph_date(event, cand, pairs, codebook)
    if near is not None:
        return _dated(event, str(near.event_date), "context", near.date_precision or "day")
    scene = scene_date(cand, anchor, dates)
    if scene is not None:
        return _dated(event, str(scene[0].value), scene[1], scene[0].precision or "day")
    readout = readout_date(event, cand, pairs, codebook, actors, sides, story)
    if readout is not None:
        return _dated(event, str(readout.event_date), "context", readout.date_precision or "day")
    if statement:
        value, basis = (published, day_basis) if _reported_on_publication_day(story, published) \
            else (None, None)
    else:
        value, basis = (story, "context") if story else (published, day_basis) if day_basis == "context" \
            or live_entry(cand.head) or sentence_index(cand.head) < LEAD_SENTENCES else (None, None)
    return _dated(event, value, basis) if value else event


def _told_now(event: Event, anchor: Token) -> bool:
    """'X argues that the bloc should stop ...', 'the government welcomes the meeting', 'it will react with
    firmness': a statement of the main line in the present is made on the article's day, even in the report
    of an earlier day's story (not one inside a quotation, whose telling may be told in the past)."""
    chain = complement_chain(anchor)
    return event.reported_by_actor_id is None and _main_line(chain[-1]) and not any(_past(verb) for verb in chain)


def _said_stance(event: Event, anchor: Token, codebook: Codebook) -> bool:
    """'X said the army remained committed to the talks', 'said it was "fully committed" to the truce': a stance
    told as what someone said (an adjective or a participle of state) is a statement, of the telling's day."""
    top = complement_chain(anchor)[-1]
    return codebook.is_speech_act(event.event_type) and _said_by_past_telling(top, codebook) and (
        anchor.tag_ == "JJ" or any(c.dep_ == "auxpass" for c in anchor.children))


def _telling(verb: Token, codebook: Codebook) -> Token | None:
    """The verb of saying whose reported clause the verb is ('X said the army remained ...': said)."""
    return verb.head if verb.dep_ == "ccomp" and verb.head.lemma_.lower() in codebook.word("speech_verbs") else None


def _said_by_past_telling(verb: Token, codebook: Codebook) -> bool:
    """'X said the army remained ...', '"The parties have committed to ...," X said': the clause of a telling in
    the past of the sentence's main line."""
    telling = _telling(verb, codebook)
    return telling is not None and telling.tag_ == "VBD" and _main_line(telling)


def _told_of_earlier(event: Event, anchor: Token) -> bool:
    """'We denied it and we asked for an investigation', in a quotation or an interview answer: a speaker's
    simple past with no date of its own tells of some earlier time, not the day of the telling."""
    return event.reported_by_actor_id is not None and anchor.tag_ == "VBD" and _main_line(anchor)


def _perfect_not_news(cand: Candidate, anchor: Token, dates: Sequence[tuple[Mention, list[int]]],
                      codebook: Codebook) -> bool:
    """'Russia has demanded that ...', 'X has described the blockades as ... and asked KFOR to ...', 'X has said it
    will not take part': a present perfect of the sentence's main line (or its telling) tells an act at some time
    up to the article, not on a day, unless
    it is the article's news: in the lead or a live-blog entry (a perfect reported by a verb of saying, 'the
    army says it has started', is that statement's news)."""
    if sentence_index(cand.head) < LEAD_SENTENCES or live_entry(cand.head):
        return False
    telling = _telling(complement_chain(anchor if is_verb(anchor) or cand.nominal else cand.head)[-1], codebook)
    if telling is not None and _main_line(telling) and _present_perfect(telling, codebook):
        return True  # 'X has said it will not take part': a telling at some time up to the article
    perfect = codebook.word("perfect_auxiliaries")
    if anchor.tag_ != "VBN" or any(c.dep_ == "aux" and c.lower_ not in perfect for c in anchor.children):
        return False
    scene = scene_date(cand, anchor, dates)
    if scene is not None and scene[1] == "text":
        return False
    return any((_main_line(verb) or _said_by_past_telling(verb, codebook)) and _present_perfect(verb, codebook)
               for verb in coordinated_before(anchor))


def _counted_back(cand: Candidate, codebook: Codebook) -> bool:
    """'a day after the two sides agreed a truce': the truce's day is not the one the text gives."""
    offset = counted_from_another(cand, codebook)
    return offset is not None and offset.counted_back


def _in_headline(event: Event, article: Article) -> bool:
    """'Envoy meets rebel chief in Tindouf': a headline's present tells the story the lead dates."""
    title = (article.title or "").strip()
    if not title:
        return False
    start = article.text.rfind("\n", 0, event.char_start) + 1
    end = article.text.find("\n", event.char_start)
    return article.text[start:end if end >= 0 else None].strip() == title


def _after_dated_clause(anchor: Token, dates: Sequence[tuple[Mention, list[int]]], statement: bool) -> bool:
    """'X suspended its part last October but rejoined ...': the later step of a clause the text dates after
    its verb happened some time after that date, not on the story's day."""
    first = contrasted_clause(anchor, statement)
    if first is None:
        return False
    later = complement_chain(anchor)[-1]
    doc = anchor.doc
    return any(ids and first.i < ids[0] and ids[-1] < later.i and verb_index(root_of(doc, ids)) == first.i
               for _mention, ids in dates)


def _reported_on_publication_day(story: str | None, published: str | None) -> bool:
    """An undated statement is the article's own day only when the story happens that day: in a report
    dated the day after the talks, 'X welcomed the deal' may be either day, and the reader cannot tell."""
    return published is not None and (story is None or story == published)
