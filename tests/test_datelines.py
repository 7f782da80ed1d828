"""Datelines, header dates and publication dates: every example and negative of `schemas/datelines.yaml`
runs as a test, and the order of the publication-date sources is checked."""

from __future__ import annotations

import pytest
import yaml

from flows.extract.dateline import (
    DATELINES_FILE,
    dateline_at,
    find_datelines,
    in_dateline,
    infer_publication,
    publication_date,
    url_date,
)

DATA = yaml.safe_load(DATELINES_FILE.read_text(encoding="utf-8"))


def _cases(section: list[dict], key: str) -> list[tuple[str, object]]:
    return [(entry["id"], case) for entry in section for case in entry[key]]


@pytest.mark.parametrize(("pattern", "example"), _cases(DATA["patterns"], "examples"),
                         ids=lambda v: v if isinstance(v, str) else "")
def test_dateline_example(pattern: str, example: dict) -> None:
    text = example["text"]
    found = find_datelines(text)
    assert found and found[0].start == 0, f"no dateline in {text!r}"
    dateline = found[0]
    assert dateline.pattern == pattern
    places = [text[s:e] for s, e in dateline.places]
    assert places == [example[k] for k in ("place", "qualifier") if k in example]
    date = text[dateline.date_span[0]:dateline.date_span[1]] if dateline.date_span else None
    assert date == (str(example["date"]) if "date" in example else None)
    assert dateline.outlet == example.get("outlet")


@pytest.mark.parametrize(("pattern", "negative"), _cases(DATA["patterns"], "negatives"),
                         ids=lambda v: v if isinstance(v, str) else "")
def test_dateline_negative(pattern: str, negative: str) -> None:
    assert not [d for d in find_datelines(negative) if d.start == 0]


@pytest.mark.parametrize(("pattern", "example"), _cases(DATA["url_patterns"], "examples"),
                         ids=lambda v: v if isinstance(v, str) else "")
def test_url_example(pattern: str, example: dict) -> None:
    year, iso = url_date(example["text"])
    assert iso == example.get("date")
    assert year == (example.get("year") or int(example["date"][:4]))


@pytest.mark.parametrize(("pattern", "negative"), _cases(DATA["url_patterns"], "negatives"),
                         ids=lambda v: v if isinstance(v, str) else "")
def test_url_negative(pattern: str, negative: str) -> None:
    assert url_date(negative) == (None, None)


@pytest.mark.parametrize(("pattern", "example"), _cases(DATA["inference"]["patterns"], "examples"),
                         ids=lambda v: v if isinstance(v, str) else "")
def test_inference_example(pattern: str, example: dict) -> None:
    inferred = infer_publication(example["text"])
    assert inferred is not None and inferred.method == pattern
    assert inferred.date == example["date"] and inferred.basis == "inferred"
    assert 0 < inferred.confidence < 1


@pytest.mark.parametrize(("pattern", "negative"), _cases(DATA["inference"]["patterns"], "negatives"),
                         ids=lambda v: v if isinstance(v, str) else "")
def test_inference_negative(pattern: str, negative: str) -> None:
    assert infer_publication(negative) is None


def test_a_dateline_covers_its_place_and_credit_not_the_sentence() -> None:
    text = "ARAUCA, Colombia (Reuters) - Rebels released two soldiers held for a month in the east."
    assert in_dateline(text, 0, 6) and in_dateline(text, 8, 16) and in_dateline(text, 18, 25)
    assert not in_dateline(text, 29, 35)
    assert dateline_at(text, 3).end == text.index(" Rebels")


def test_briefs_carry_one_dateline_per_item() -> None:
    text = ("Talks resume\nDOHA — Negotiators returned to the table on Monday after a pause of a week.\n\n"
            "Aid convoy stopped\nKHARTOUM — A convoy of twelve lorries was turned back at a checkpoint today.")
    assert [text[d.places[0][0]:d.places[0][1]] for d in find_datelines(text)] == ["DOHA", "KHARTOUM"]


ARTICLE = "Leaders meet\n\nTBILISI, April 3. /TASS/. The ministers met on Monday, the agency reported."


def test_metadata_first() -> None:
    found = publication_date(ARTICLE, "2021-04-03", "https://example.org/2020/01/01/x")
    assert (found.date, found.basis, found.confidence, found.outlet) == ("2021-04-03", "metadata", 1.0, "TASS")


def test_dateline_without_a_year_takes_the_year_of_the_url() -> None:
    found = publication_date(ARTICLE, None, "https://example.org/world/2022/04/03/talks")
    assert (found.date, found.basis, found.method) == ("2022-04-03", "dateline", "place-date-slash-credit+url-year")


def test_dateline_without_a_year_takes_the_year_of_the_nearest_explicit_date() -> None:
    text = ARTICLE + " The previous round was held on 20 December 2021 in the same city."
    found = publication_date(text, None, None)
    assert (found.date, found.basis) == ("2022-04-03", "dateline")
    assert found.confidence < 0.95


def test_a_date_line_under_the_headline_and_byline_dates_the_article() -> None:
    text = ("Rivals swap prisoners at border crossing\nBy Ana Lima and Tom Reyes\nMarch 9, 2024\n\n"
            "KORVIN - The exchange began.")
    found = publication_date(text, None, None)
    assert (found.date, found.basis, found.method) == ("2024-03-09", "dateline", "header-date-line")


def test_a_date_line_deep_in_the_body_is_no_header() -> None:
    text = "Talks\n\n" + "The envoys met again.\n\n" * 6 + "March 9, 2024\n"
    assert publication_date(text, None, None).basis != "dateline"


def test_dateline_without_a_year_takes_the_year_segment_of_the_url() -> None:
    found = publication_date(ARTICLE, None, "https://agency.example.net/en/news/2022/leaders-meet-18231")
    assert (found.date, found.basis) == ("2022-04-03", "dateline")


def test_dateline_year_is_the_latest_evidence_not_a_recalled_past() -> None:
    text = ("SOLVARA, Aug. 7. /Agency/. The council met. Relations have been cold since the 2008 war and the "
            "ceasefire of May 5, 1994. A first draft was tabled on June 30, 2025, and amended in July 2025.")
    found = publication_date(text, None, None)
    assert (found.date, found.basis) == ("2025-08-07", "dateline")


def test_dateline_year_is_not_taken_from_a_deadline_or_plan() -> None:
    text = ("KORVIN, Sept. 12. /Novosti/. The bridge, damaged on Aug. 30, 2025, is due to reopen by March 2026 "
            "and the whole road is scheduled for June 1, 2027.")
    found = publication_date(text, None, None)
    assert (found.date, found.basis) == ("2025-09-12", "dateline")


def test_dateline_abbreviated_month_near_a_year_boundary() -> None:
    text = "VELTRAN, Jan. 3 (Reuters) - The quay, closed on Nov. 20, 2026, after a storm, reopened on Friday."
    found = publication_date(text, None, None)
    assert (found.date, found.basis) == ("2027-01-03", "dateline")


def test_url_date_when_the_text_has_no_dateline() -> None:
    found = publication_date("Leaders meet\n\nThe ministers met on Monday.", None,
                             "https://example.org/analysis/2024/06/03/leaders")
    assert (found.date, found.basis) == ("2024-06-03", "url")


def test_inferred_from_the_lead_else_unknown() -> None:
    text = "Leaders meet\n\nThe ministers signed the text on Tuesday, 4 May 2021, in the capital."
    assert (publication_date(text).date, publication_date(text).basis) == ("2021-05-04", "inferred")
    caption = "Leaders meet\n\nThe ministers in the capital, May 4, 2023. (Photo)\n\nThey met on Monday."
    assert (publication_date(caption).date, publication_date(caption).basis) == (None, "unknown")
