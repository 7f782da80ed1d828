"""Interviews: 'we' and 'I' in the answers stand for the interviewee and the organisation they speak for."""

from __future__ import annotations

from flows.extract.events.interview import interview_spans
from flows.records import Mention
from flows.tools.corpus import extract_sentence

INTERVIEW = ("We spoke to Lena Varga, spokeswoman of the Rapid Support Forces, in Jeddah.\n\n"
             "Why did the talks fail?\n\n"
             "We rejected the proposal because it ignored the ceasefire.\n\n"
             "What comes next?\n\n"
             "We are ready to return to Jeddah.")


def _sources(text: str, event_type: str) -> list[list[str]]:
    tables = extract_sentence(text)
    names = {a["actor_id"]: a["name"] for a in tables["actors"]}
    return [[names[a] for a in e["source_actor_ids"]] for e in tables["events"] if e["event_type"] == event_type]


def test_we_in_answers_is_the_interviewees_organisation():
    assert _sources(INTERVIEW, "REJECT") == [["Rapid Support Forces"]]


def test_no_interview_without_questions():
    text = INTERVIEW.replace("Why did the talks fail?", "The talks failed.").replace("What comes next?", "Then.")
    assert _sources(text, "REJECT") == []


def _person(text: str, start: int) -> Mention:
    return Mention(f"m{start}", "a", "actor", "Griffiths", start, start + 9, "person:martin-griffiths", None, "ner")


def test_labelled_answers_give_the_person():
    text = "Q: Why?\n\nGriffiths: I rejected it.\n\nQ: And now?\n\nGriffiths: I wait."
    starts = [i for i in range(len(text)) if text.startswith("Griffiths", i)]
    spans = interview_spans(text, [_person(text, i) for i in starts])
    assert [s.speaker for s in spans] == ["person:martin-griffiths"] * 2
    assert [s.start for s in spans] == starts


def test_layout_reads_questions_answers_and_the_introduction():
    from flows.extract.interview import question_before, read_layout

    layout = read_layout(INTERVIEW)
    assert layout.is_interview
    assert [INTERVIEW[s:e] for s, e in layout.introduction] == [
        "We spoke to Lena Varga, spokeswoman of the Rapid Support Forces, in Jeddah."]
    assert [INTERVIEW[s:e] for s, e in layout.answers] == [
        "We rejected the proposal because it ignored the ceasefire.", "We are ready to return to Jeddah."]
    answer = INTERVIEW.index("We are ready")
    start, end = question_before(INTERVIEW, answer)
    assert INTERVIEW[start:end] == "What comes next?"
    assert question_before(INTERVIEW, INTERVIEW.index("Why did")) is None


def test_a_labelled_question_without_a_question_mark_is_a_question():
    from flows.extract.interview import question_before

    text = "Q: Some say you were too soft on them.\n\nI reject that."
    assert question_before(text, text.index("I reject")) == (0, text.index("\n"))


def test_a_headline_quotation_of_an_interview_is_the_interviewees():
    text = ("Q&A: 'We will not leave the hills'\n\nBy Petr Novy\n\nJana Kolar, the rebels' spokeswoman, spoke to us "
            "from the border.\n\nWhy did you leave the talks?\n\n\"Because nobody listened to us.\"")
    tables = extract_sentence(text)
    assert [(q["text"], q["speaker_name"]) for q in tables["quotes"]] == [
        ("We will not leave the hills", "Jana Kolar"), ("Because nobody listened to us.", "Jana Kolar")]


def _dates(text: str, event_type: str) -> list[str | None]:
    return [e["event_date"] for e in extract_sentence(text)["events"] if e["event_type"] == event_type]


def test_a_past_act_told_in_an_answer_has_no_day_and_a_present_one_the_interviews():
    """'We rejected the proposal': some time before the interview; 'we are ready': the day it is published."""
    dated = "date 2023-06-01\n\n" + INTERVIEW
    assert _dates(dated, "REJECT") == [None]
    assert _dates(dated, "AGREE") == ["2023-06-01"]
