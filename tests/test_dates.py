"""Date normalisation: one table per rule, negatives included, and the document-level extractor."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.extract.dates import (
    clause_tense,
    extract_date_mentions,
    iso_week,
    resolve,
    resolve_date,
    season_value,
    shift_month,
    weekday_on_or_after,
    weekday_on_or_before,
)
from flows.extract.dates.amounts import duration_candidates, duration_value, find_clock_times, text_zone
from flows.extract.dates.find import candidate_patterns, trim_span
from flows.extract.dates.rules import rules
from flows.extract.dates.vocab import V
from flows.ids import make_id
from schemas.tables import ISO_DATE_OR_INTERVAL
from schemas.vocabularies import DATE_PRECISIONS

ANCHOR = dt.date(2023, 6, 28)  # a Wednesday
PATTERNS = {pid: (regex, group) for pid, regex, group in candidate_patterns()} | {
    pid: (regex, 0) for pid, regex in duration_candidates()}
RAW = Path(__file__).resolve().parents[1] / "raw"


@pytest.fixture(scope="module")
def nlp():
    from flows.extract.annotate import load_nlp

    return load_nlp()


# ---------------------------------------------------------------- helpers


def test_shift_month_crosses_years() -> None:
    assert shift_month(2023, 1, -1) == (2022, 12)
    assert shift_month(2023, 12, 1) == (2024, 1)
    assert shift_month(2023, 6, -18) == (2021, 12)


def test_iso_week_uses_iso_year() -> None:
    assert iso_week(dt.date(2021, 1, 1)) == "2020-W53"
    assert iso_week(dt.date(2023, 6, 21)) == "2023-W25"


def test_weekday_helpers_include_the_anchor_day() -> None:
    assert weekday_on_or_before(ANCHOR, 2) == ANCHOR
    assert weekday_on_or_after(ANCHOR, 2) == ANCHOR
    assert weekday_on_or_before(ANCHOR, 3) == dt.date(2023, 6, 22)
    assert weekday_on_or_after(ANCHOR, 1) == dt.date(2023, 7, 4)


def test_season_value_winter_spans_two_years() -> None:
    assert season_value("winter", 2023) == "2023-12/2024-02"
    assert season_value("autumn", 2023) == "2023-09/2023-11"


# ---------------------------------------------------------------- one table per rule


def check(text: str, expected: tuple[str | None, str], method: str, tense: str | None = None) -> None:
    result = resolve(text, ANCHOR, tense)
    assert (result.value, result.precision) == expected
    assert result.value is None or re.match(ISO_DATE_OR_INTERVAL, result.value)
    assert result.method == method
    assert resolve_date(text, ANCHOR, tense) == expected


@pytest.mark.parametrize("text, expected", [
    ("May 4, 2023", ("2023-05-04", "day")),
    ("28 June 2023", ("2023-06-28", "day")),
    ("Sept. 26, 2024", ("2024-09-26", "day")),
    ("the 3rd of March, 2021", ("2021-03-03", "day")),
    ("Wednesday, July 10, 2024", ("2024-07-10", "day")),
    ("2023-06-28", ("2023-06-28", "day")),
    ("June 2023", ("2023-06", "month")),
    ("June of 2023", ("2023-06", "month")),
    ("28/06/2023", ("2023-06-28", "day")),
    ("6/28/2023", ("2023-06-28", "day")),
    ("28.06.2023", ("2023-06-28", "day")),
    ("05/05/2023", ("2023-05-05", "day")),
])
def test_absolute(text: str, expected: tuple[str | None, str]) -> None:
    check(text, expected, "absolute")


@pytest.mark.parametrize("text", ["May 4, 2023", "28 June 2023", "June 2023", "2020"])
def test_absolute_needs_no_anchor(text: str) -> None:
    assert resolve_date(text, None)[0] is not None


def test_absolute_invalid_day_is_not_a_date() -> None:
    assert resolve_date("February 30, 2023", ANCHOR) == (None, "unknown")


def test_numeric_day_month_ambiguity_stays_unresolved() -> None:
    assert resolve("05/06/2023", ANCHOR) == resolve("05/06/2023", None)
    assert resolve_date("05/06/2023", ANCHOR) == (None, "unknown")


@pytest.mark.parametrize("text, expected", [
    ("2020", "2020"), ("in 2020", "2020"), ("1991", "1991"), ("in 1994", "1994"),
    ("mid-2023", "2023"), ("early 2024", "2024"), ("the end of 2023", "2023"),
])
def test_year(text: str, expected: str) -> None:
    check(text, (expected, "year"), "year")


@pytest.mark.parametrize("text, expected", [
    ("the 1990s", "1990/1999"), ("the late 1980s", "1980/1989"), ("the early 2000s", "2000/2009"),
    ("the '90s", "1990/1999"), ("1960s", "1960/1969"),
])
def test_decade(text: str, expected: str) -> None:
    check(text, (expected, "decade"), "decade")


@pytest.mark.parametrize("text, expected, precision", [
    ("June 27-29", "2023-06-27/2023-06-29", "day"),
    ("June 27–29, 2022", "2022-06-27/2022-06-29", "day"),
    ("27-29 June 2023", "2023-06-27/2023-06-29", "day"),
    ("from June 27 to July 2", "2023-06-27/2023-07-02", "day"),
    ("between June 27 and 29", "2023-06-27/2023-06-29", "day"),
    ("May-June 2023", "2023-05/2023-06", "month"),
    ("1992-94", "1992/1994", "year"),
    ("from 2020 to 2022", "2020/2022", "year"),
])
def test_range(text: str, expected: str, precision: str) -> None:
    check(text, (expected, precision), "range")


@pytest.mark.parametrize("text", ["June 29-27", "2022-2020"])
def test_range_backwards_is_not_a_range(text: str) -> None:
    assert resolve(text, ANCHOR).method != "range"


def test_until_gives_the_bound() -> None:
    check("until June 29", ("2023-06-29", "day"), "partial-day")


@pytest.mark.parametrize("text, expected", [
    ("today", "2023-06-28"), ("yesterday", "2023-06-27"), ("Yesterday's", "2023-06-27"),
    ("tomorrow", "2023-06-29"), ("tonight", "2023-06-28"), ("last night", "2023-06-27"),
    ("this morning", "2023-06-28"), ("yesterday afternoon", "2023-06-27"),
    ("the day before yesterday", "2023-06-26"),
])
def test_relative_day(text: str, expected: str) -> None:
    check(text, (expected, "day"), "relative-day")


@pytest.mark.parametrize("text, expected", [
    ("last week", "2023-W25"), ("Last week", "2023-W25"), ("this week", "2023-W26"),
    ("earlier this week", "2023-W26"), ("next week", "2023-W27"),
])
def test_relative_week(text: str, expected: str) -> None:
    check(text, (expected, "week"), "relative-week")


def test_relative_weekend_is_saturday_to_sunday() -> None:
    check("this weekend", ("2023-07-01/2023-07-02", "day"), "relative-week")
    check("last weekend", ("2023-06-24/2023-06-25", "day"), "relative-week")


@pytest.mark.parametrize("text, tense, expected", [
    ("the weekend", None, "2023-06-24/2023-06-25"),
    ("over the weekend", "past", "2023-06-24/2023-06-25"),
    ("at the weekend", "future", "2023-07-01/2023-07-02"),
])
def test_bare_weekend_follows_tense(text: str, tense: str | None, expected: str) -> None:
    check(text, (expected, "day"), "relative-week", tense)


@pytest.mark.parametrize("text, expected", [
    ("last month", "2023-05"), ("Last month", "2023-05"), ("later last month", "2023-05"),
    ("this month", "2023-06"), ("earlier this month", "2023-06"), ("next month", "2023-07"),
    ("early next month", "2023-07"),
])
def test_relative_month(text: str, expected: str) -> None:
    check(text, (expected, "month"), "relative-month")


@pytest.mark.parametrize("text, expected", [
    ("last year", "2022"), ("this year", "2023"), ("earlier this year", "2023"), ("next year", "2024"),
])
def test_relative_year(text: str, expected: str) -> None:
    check(text, (expected, "year"), "relative-year")


@pytest.mark.parametrize("text, expected", [
    ("three days ago", ("2023-06-25", "day")),
    ("two weeks ago", ("2023-W24", "week")),
    ("a month ago", ("2023-05", "month")),
    ("two years ago", ("2021", "year")),
])
def test_relative_offset(text: str, expected: tuple[str, str]) -> None:
    check(text, expected, "relative-offset")


@pytest.mark.parametrize("text, expected, method", [
    ("last December", "2022-12", "month-last"),
    ("last September's", "2022-09", "month-last"),
    ("last June", "2022-06", "month-last"),
    ("last May", "2023-05", "month-last"),
    ("next May", "2024-05", "month-next"),
    ("next July", "2023-07", "month-next"),
    ("this December", "2023-12", "month-this"),
])
def test_month_relative(text: str, expected: str, method: str) -> None:
    check(text, (expected, "month"), method)


@pytest.mark.parametrize("text, tense, expected, method", [
    ("In May", None, "2023-05", "month-latest"),
    ("May", "past", "2023-05", "month-latest"),
    ("June", None, "2023-06", "month-latest"),
    ("in December", None, "2022-12", "month-latest"),
    ("early May", None, "2023-05", "month-latest"),
    ("late May", None, "2023-05", "month-latest"),
    ("mid-April", None, "2023-04", "month-latest"),
    ("in December", "future", "2023-12", "month-next"),
    ("in May", "future", "2024-05", "month-next"),
    ("in August", "around", "2023-08", "month-next"),
    ("in April", "around", "2023-04", "month-latest"),
])
def test_month(text: str, tense: str | None, expected: str, method: str) -> None:
    check(text, (expected, "month"), method, tense)


@pytest.mark.parametrize("text, expected", [
    ("June 27", "2023-06-27"), ("27 June", "2023-06-27"), ("the 27th of June", "2023-06-27"),
    ("December 3", "2023-12-03"),
])
def test_partial_day_takes_anchor_year(text: str, expected: str) -> None:
    check(text, (expected, "day"), "partial-day")


@pytest.mark.parametrize("anchor, text, expected", [
    (dt.date(2024, 1, 5), "December 28", "2023-12-28"),
    (dt.date(2023, 12, 20), "January 3", "2024-01-03"),
    (dt.date(2023, 7, 1), "January 3", "2023-01-03"),
    (dt.date(2024, 1, 5), "December 28-30", "2023-12-28/2023-12-30"),
])
def test_partial_day_near_a_year_boundary(anchor: dt.date, text: str, expected: str) -> None:
    assert resolve_date(text, anchor) == (expected, "day")


@pytest.mark.parametrize("text, tense, expected", [
    ("Last autumn", None, "2022-09/2022-11"),
    ("last winter", None, "2022-12/2023-02"),
    ("this autumn", None, "2023-09/2023-11"),
    ("this summer", None, "2023-06/2023-08"),
    ("next spring", None, "2024-03/2024-05"),
    ("next summer", None, "2024-06/2024-08"),
    ("spring", None, "2023-03/2023-05"),
    ("winter", "future", "2023-12/2024-02"),
    ("late autumn", None, "2022-09/2022-11"),
    ("autumn 2021", None, "2021-09/2021-11"),
    ("the fall of 2021", None, "2021-09/2021-11"),
    ("this fall", None, "2023-09/2023-11"),
])
def test_season(text: str, tense: str | None, expected: str) -> None:
    check(text, (expected, "season"), "season", tense)


def test_season_this_winter_in_january_is_the_current_one() -> None:
    assert resolve_date("this winter", dt.date(2024, 1, 15)) == ("2023-12/2024-02", "season")


def test_bare_fall_is_not_a_season() -> None:
    assert resolve("fall", ANCHOR).method != "season"


@pytest.mark.parametrize("text, tense, expected, method", [
    ("Wednesday", "future", "2023-06-28", "weekday-future"),
    ("Thursday", "future", "2023-06-29", "weekday-future"),
    ("Tuesday", "future", "2023-07-04", "weekday-future"),
    ("Thursday", "past", "2023-06-22", "weekday-past"),
    ("on Tuesday", "past", "2023-06-27", "weekday-past"),
    ("Wednesday", "past", "2023-06-28", "weekday-past"),
    ("Monday", None, "2023-06-26", "weekday-past"),
    ("last Wednesday", None, "2023-06-21", "weekday-past"),
    ("next Wednesday", None, "2023-07-05", "weekday-future"),
    ("Friday morning", "future", "2023-06-30", "weekday-future"),
    ("Monday", "around", "2023-06-26", "weekday-past"),  # a plan told in the past: the nearer Monday
    ("Friday", "around", "2023-06-30", "weekday-future"),
])
def test_weekday(text: str, tense: str | None, expected: str, method: str) -> None:
    check(text, (expected, "day"), method, tense)


@pytest.mark.parametrize("text", [
    "in the coming weeks", "the coming days and weeks", "the weeks and months ahead", "recently",
    "decades earlier", "two days later", "years ago", "the following day", "the near future",
    "in recent months", "hours later", "a decade ago", "two hours ago",
])
def test_vague(text: str) -> None:
    check(text, (None, "unknown"), "vague")


@pytest.mark.parametrize("text", [
    "six years", "decades", "nearly three decades", "three-day", "five-day", "one-day", "several months",
    "Years", "a month", "less than three months", "as many months", "decade-long", "annual",
    "the past three years", "24 hours", "a few weeks",
])
def test_durations_are_not_dates(text: str) -> None:
    check(text, (None, "unknown"), "duration")


@pytest.mark.parametrize("text", ["10:15 am (1415 GMT)", "1415 GMT", "10 p.m.", "noon"])
def test_clock_time_alone_is_unknown(text: str) -> None:
    check(text, (None, "unknown"), "time")


def test_clock_time_with_a_day_takes_the_day() -> None:
    check("today at 10:15 am", ("2023-06-28", "day"), "relative-day")
    check("Wednesday, 10:15 am (1415 GMT)", ("2023-06-28", "day"), "weekday-future", "future")


@pytest.mark.parametrize("text", [
    "In May", "June 27", "last week", "earlier this month", "Last autumn", "next month", "yesterday",
    "today", "last December", "later last month", "Wednesday", "June 27-29", "two weeks ago",
    "this autumn",
])
def test_no_anchor_never_guesses(text: str) -> None:
    assert resolve_date(text, None) == (None, "unknown")
    assert resolve_date(text, None, "future") == (None, "unknown")
    assert resolve(text, None).method == "no-anchor"


@pytest.mark.parametrize("text", ["the end of the war", "the end of", ""])
def test_unresolved(text: str) -> None:
    assert resolve_date(text, ANCHOR) == (None, "unknown")


# ---------------------------------------------------------------- tense from the parse


@pytest.mark.parametrize("sentence, word, expected", [
    ("The ministers will meet Wednesday in Washington.", "Wednesday", "future"),
    ("Blinken said Thursday that progress was made.", "Thursday", "past"),
    ("The talks commenced on Tuesday.", "Tuesday", "past"),
    ("The talks are scheduled to start on Tuesday.", "Tuesday", "future"),
    ("The meeting is scheduled for Friday.", "Friday", "future"),
    ("The minister is to visit Paris on Monday.", "Monday", "future"),
    ("The minister has arrived on Monday.", "Monday", "past"),
    ("The meeting was listed on the schedule for Wednesday.", "Wednesday", "future"),
    ("The foreign ministers are due to meet on Friday.", "Friday", "future"),
    ("The two sides agreed to meet again on Friday.", "Friday", "future"),
    ("Talks held Monday in Geneva ended without a deal.", "Monday", "past"),
    ("The summit begins Tuesday.", "Tuesday", "future"),
    ("Russia had warned on Sunday that it would respond.", "Sunday", "past"),
    ("He said he would resign on Friday.", "Friday", "future"),
    ("The ministers met Tuesday and will meet again Thursday.", "Tuesday", "past"),
    ("The ministers met Tuesday and will meet again Thursday.", "Thursday", "future"),
    ("Rebels and government to sign truce in Lome on Thursday", "Thursday", "future"),
    ("Foreign ministers to meet in Vienna on 24 November", "24 November", "future"),
    ("A week later a new round was due to open on Monday.", "Monday", "around"),
    ("The talks were scheduled to resume on Friday.", "Friday", "around"),
    ("He declared Wednesday a day of national mourning.", "Wednesday", "future"),
    ("The council set Friday as the deadline for a reply.", "Friday", "future"),
    ("The president declared Monday that the truce held.", "Monday", "past"),
])
def test_clause_tense(nlp, sentence: str, word: str, expected: str) -> None:
    doc = nlp(sentence)
    start = sentence.index(word)
    span = doc.char_span(start, start + len(word))
    assert clause_tense(span) == expected


# ---------------------------------------------------------------- document level


def mentions_of(nlp, text: str, anchor: dt.date | None = ANCHOR) -> dict[str, tuple[str | None, str, str]]:
    return {m.text: (m.value, m.precision, m.method) for m in extract_date_mentions(nlp(text), "a1", anchor)}


def test_extract_weekday_uses_tense(nlp) -> None:
    found = mentions_of(nlp, "The ministers will meet Tuesday. Blinken said Thursday the talks went well.")
    assert found["Tuesday"] == ("2023-07-04", "day", "weekday-future")
    assert found["Thursday"] == ("2023-06-22", "day", "weekday-past")


def test_extract_durations_apart_and_drops_vague(nlp) -> None:
    doc = nlp("The war lasted six years. Talks will resume in the coming weeks after a three-day pause that "
              "ended in 1994.")
    mentions = {m.text: m for m in extract_date_mentions(doc, "a1", ANCHOR)}
    assert (mentions["six years"].kind, mentions["six years"].value) == ("duration", "P6Y")
    assert (mentions["three-day"].kind, mentions["three-day"].value) == ("duration", "P3D")
    assert "the coming weeks" not in mentions  # names no time: not a mention
    assert (mentions["1994"].value, mentions["1994"].basis) == ("1994", "text")


def test_extract_parts_of_that_year_take_the_year_before_them(nlp) -> None:
    found = mentions_of(nlp, "The dam at Orvel was finished in 1987. In October of that year it flooded, and in "
                             "the spring of that year the valley emptied. That winter the village was rebuilt.")
    assert found["October of that year"] == ("1987-10", "month", "anaphoric")
    assert found["the spring of that year"] == ("1987-03/1987-05", "season", "anaphoric")
    assert found["That winter"] == ("1987-12/1988-02", "season", "anaphoric")


def test_extract_month_with_a_relative_year(nlp) -> None:
    found = mentions_of(nlp, "The mill closed in October last year and will reopen in Feb. next year.")
    assert found["October last year"] == ("2022-10", "month", "month-relative-year")
    assert found["Feb. next year"] == ("2024-02", "month", "month-relative-year")


def test_extract_abbreviated_months_resolve_like_full_names(nlp) -> None:
    found = mentions_of(nlp, "The envoy arrived on Sept. 12, 2022, and left on Jan. 3 for talks in Orvel.")
    assert found["Sept. 12, 2022"] == ("2022-09-12", "day", "absolute")
    assert found["Jan. 3"][0] == "2023-01-03"


def test_extract_day_month_in_a_future_clause_resolves_forward(nlp) -> None:
    anchor = dt.date(2025, 4, 9)
    future = mentions_of(nlp, "Talks on the Orvel dam are due to resume on 24 March, the mediator said.", anchor)
    past = mentions_of(nlp, "Talks on the Orvel dam resumed on 24 March, the mediator said.", anchor)
    assert future["24 March"][0] == "2026-03-24"
    assert past["24 March"][0] == "2025-03-24"


def test_extract_city_time_zone_takes_the_offset_of_the_day(nlp) -> None:
    text = "The truce begins at 22:00 Kyiv time, the mayor said at 6:30."
    summer = mentions_of(nlp, text, dt.date(2023, 6, 28))
    winter = mentions_of(nlp, text, dt.date(2023, 12, 6))
    assert summer["22:00 Kyiv time"][0] == "T22:00+03:00"
    assert winter["22:00 Kyiv time"][0] == "T22:00+02:00"
    assert summer["6:30"][0] == "T06:30"


def test_extract_time_takes_the_day_before_it(nlp) -> None:
    found = mentions_of(nlp, "The meeting will be held on Wednesday, 10:15 am (1415 GMT), officials said.")
    assert found["Wednesday"] == ("2023-06-28", "day", "weekday-future")
    assert found["10:15 am"] == ("2023-06-28T10:15", "minute", "time-of-day")
    assert found["1415 GMT"] == ("T14:15Z", "minute", "clock-military-zone")


def test_extract_time_takes_the_day_after_it(nlp) -> None:
    found = mentions_of(nlp, "At 10 a.m. local time on Tuesday, shelling began.")
    assert found["Tuesday"] == ("2023-06-27", "day", "weekday-past")
    assert found["10 a.m."] == ("2023-06-27T10:00", "minute", "time-of-day")


def test_extract_times_take_the_zone_of_a_note(nlp) -> None:
    found = mentions_of(nlp, "Live updates. All times local (GMT+2).\n\n17:05\nThe commission met again at 2pm.")
    assert found["17:05"][0] == "T17:05+02:00" and found["2pm"][0] == "T14:00+02:00"


def test_resolved_dates_carry_the_basis_of_their_anchor(nlp) -> None:
    doc = nlp("The envoy arrived yesterday, two years after the war of 2020.")
    mentions = {m.text: m for m in extract_date_mentions(doc, "a1", ANCHOR, "dateline", 0.95)}
    assert (mentions["yesterday"].value, mentions["yesterday"].basis) == ("2023-06-27", "dateline")
    assert mentions["yesterday"].confidence < mentions["2020"].confidence
    assert (mentions["2020"].basis, mentions["two years"].basis) == ("text", "text")
    assert [span.label_ for span in doc.spans["dates"]] == ["date", "duration", "date"]
    assert doc.spans["dates"][0]._.date.basis == "dateline"


def test_extract_keeps_abbreviation_dots_only(nlp) -> None:
    found = mentions_of(nlp, "The treaty was signed on 12 January. Another was signed Sept. 3.")
    assert found["12 January"] == ("2023-01-12", "day", "partial-day")
    assert found["Sept. 3"] == ("2022-09-03", "day", "partial-day")  # signed: in the past


def test_extract_weekday_before_a_date_yields_the_date(nlp) -> None:
    found = mentions_of(nlp, "The talks, which began Monday, May 1, ran until Wednesday.")
    assert found["Monday, May 1"] == ("2023-05-01", "day", "partial-day")
    assert found["Wednesday"] == ("2023-06-28", "day", "weekday-past")


def test_extract_drops_entities_without_a_temporal_word(nlp) -> None:
    found = mentions_of(nlp, "On the 25th anniversary he spoke about the attack on the morning of June 5.")
    assert found == {"June 5": ("2023-06-05", "day", "partial-day")}


def test_extract_numeric_date(nlp) -> None:
    found = mentions_of(nlp, "The decree of 28/06/2023 was published.")
    assert found["28/06/2023"] == ("2023-06-28", "day", "absolute")


def test_extract_range_is_one_mention(nlp) -> None:
    found = mentions_of(nlp, "The summit runs June 27-29 in the capital.")
    assert found == {"June 27-29": ("2023-06-27/2023-06-29", "day", "range")}


def test_extract_without_anchor(nlp) -> None:
    found = mentions_of(nlp, "Last week the two sides met, as they did in May 4, 2023 and in 2020.", None)
    assert found["Last week"] == (None, "unknown", "no-anchor")
    assert found["2020"] == ("2020", "year", "year")


def test_extract_mention_fields(nlp) -> None:
    text = "Officials met yesterday.\nThe next round is set for September 26, 2024.\nMore text"
    doc = nlp(text)
    mentions = extract_date_mentions(doc, "a1", ANCHOR)
    assert [m.text for m in mentions] == ["yesterday", "September 26, 2024"]
    for m in mentions:
        assert m.kind == "date" and m.article_id == "a1" and not m.is_metonym
        assert m.mention_id == make_id("mention", "a1", "date", m.char_start, m.char_end)
        assert text[m.char_start:m.char_end] == m.text


def test_sample_article(nlp) -> None:
    text = (RAW / "003_29fb0ade0d62482c.txt").read_text(encoding="utf-8")
    mentions = extract_date_mentions(nlp(text), "sample", dt.date(2023, 6, 28))
    found = {m.text: m.value for m in mentions}
    assert found["28 June 2023"] == "2023-06-28"
    assert found["June 27, 2023"] == "2023-06-27"
    assert found["yesterday"] == "2023-06-27"
    assert found["June 29"] == "2023-06-29"
    assert found["today"] == "2023-06-28"
    assert found["2020"] == "2020"
    assert found["early June"] == "2023-06"
    assert found["three-day"] == "P3D" and not {"decade", "decades"} & set(found)
    starts = [m.char_start for m in mentions]
    assert starts == sorted(starts)
    assert all(a.char_end <= b.char_start for a, b in zip(mentions, mentions[1:], strict=False))


FRAGMENTS = st.sampled_from(list("abcMJW0123456789 -\u2013,.:'()\n") + [
    "May ", "June ", "last ", "week", "Wednesday", "2023", "1990s", " am", "GMT", "next ", "autumn",
    "yesterday", "between ", " and ", "ago", "the ", "\u2019s", "Sept. ",
])


@settings(max_examples=50, deadline=None)
@given(st.lists(FRAGMENTS, max_size=20).map("".join) | st.text(max_size=40))
def test_extract_never_crashes_and_offsets_hold(nlp, text: str) -> None:
    doc = nlp(text)
    for anchor in (ANCHOR, None):
        mentions = extract_date_mentions(doc, "h", anchor)
        previous_end = 0
        for m in mentions:
            assert 0 <= m.char_start < m.char_end <= len(text)
            assert m.text == doc.text[m.char_start:m.char_end]
            assert m.char_start >= previous_end
            assert m.precision in DATE_PRECISIONS
            if m.kind == "duration":
                assert re.fullmatch(r"PT?\d+(?:\.\d+)?[YMWDHS]", m.value or "")
            elif m.precision == "minute":
                assert re.search(r"T\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2})?$", m.value or "")
            else:
                assert m.value is None or re.match(ISO_DATE_OR_INTERVAL, m.value)
            previous_end = m.char_end


# ---------------------------------------------------------------- the examples of schemas/date_expressions.yaml


def _cases(entries: list[dict], key: str) -> list[tuple[str, object]]:
    return [(entry["id"], case) for entry in entries for case in entry.get(key) or []]


def _ids(value: object) -> str:
    return value if isinstance(value, str) else ""


@pytest.mark.parametrize(("pattern", "example"), _cases(V["candidates"] + V["durations"]["candidates"], "examples"),
                         ids=_ids)
def test_candidate_example(pattern: str, example: dict) -> None:
    regex, group = PATTERNS[pattern]
    spans = [trim_span(example["text"], m.start(group), m.end(group)) for m in regex.finditer(example["text"])]
    assert example["span"] in [example["text"][s:e] for s, e in spans]


@pytest.mark.parametrize(("pattern", "negative"), _cases(V["candidates"] + V["durations"]["candidates"],
                                                         "negatives"), ids=_ids)
def test_candidate_negative(pattern: str, negative: str) -> None:
    assert not PATTERNS[pattern][0].search(negative)


EXAMPLE_ANCHOR = dt.date.fromisoformat(V["example_anchor"])


@pytest.mark.parametrize(("rule", "example"), _cases(V["rules"], "examples"), ids=_ids)
def test_rule_example(rule: str, example: dict) -> None:
    result = resolve(example["text"], EXAMPLE_ANCHOR, example.get("tense"))
    assert (result.value, result.precision, result.method) == (example["value"], example["precision"],
                                                              example["method"])


@pytest.mark.parametrize(("rule", "negative"), _cases(V["rules"], "negatives"), ids=_ids)
def test_rule_negative(rule: str, negative: str) -> None:
    found = next(r for r in rules() if r.id == rule)
    assert found.callback(negative, EXAMPLE_ANCHOR, None, found.forms) is None


@pytest.mark.parametrize("example", V["durations"]["examples"], ids=lambda e: e["text"])
def test_duration_example(example: dict) -> None:
    assert duration_value(example["text"]) == (example["value"], example["precision"])


@pytest.mark.parametrize("negative", V["durations"]["negatives"])
def test_duration_negative(negative: str) -> None:
    assert duration_value(negative) is None


@pytest.mark.parametrize(("pattern", "example"), _cases(V["clock"]["patterns"], "examples"), ids=_ids)
def test_clock_example(pattern: str, example: dict) -> None:
    found = {example["text"][s:e]: (value, kind) for s, e, value, kind in find_clock_times(example["text"])}
    assert found[example["span"]] == (example["value"], pattern)


@pytest.mark.parametrize(("pattern", "negative"), _cases(V["clock"]["patterns"], "negatives"), ids=_ids)
def test_clock_negative(pattern: str, negative: str) -> None:
    assert not [kind for _, _, _, kind in find_clock_times(negative) if kind == pattern]


@pytest.mark.parametrize(("note", "example"), _cases(V["clock"]["zone_notes"], "examples"), ids=_ids)
def test_zone_note_example(note: str, example: dict) -> None:
    assert text_zone(example["text"]) == example["offset"]


@pytest.mark.parametrize(("note", "negative"), _cases(V["clock"]["zone_notes"], "negatives"), ids=_ids)
def test_zone_note_negative(note: str, negative: str) -> None:
    assert text_zone(negative) == ""
