"""Participants the parser hides: a clause naming the host of talks hung from a party of the talks ('the
talks between A and B, which X hosted'), and the 'from X' or 'in X' of a representative or a ruling body
hung from the verb ('met government negotiators from Colombia', 'accused the junta in Guinea of ...')."""

from __future__ import annotations

import pytest

from flows.tools.corpus import extract_sentence


def events(text: str) -> list[dict]:
    return extract_sentence(text)["events"]


@pytest.mark.parametrize(("text", "sources", "other"), [
    ("The talks between Armenia and Azerbaijan, which Kazakhstan hosted in Almaty, ended on Friday.",
     {"state:ARM", "state:AZE"}, ["state:KAZ"]),
    ("Talks between the Houthis and Saudi Arabia, hosted by Oman in Muscat, resumed on Monday.",
     {"group:houthis", "state:SAU"}, ["state:OMN"]),
    ("The talks between Israel and Hamas, which Egypt and Qatar mediated, stalled on Sunday.",
     {"group:hamas", "state:ISR"}, ["state:EGY", "state:QAT"]),
])
def test_a_clause_naming_the_host_of_talks_is_no_second_meeting(text: str, sources: set[str], other: list[str]):
    found = [e for e in events(text) if e["event_type"] == "CONSULT"]
    assert [(set(e["source_actor_ids"]), e["other_actor_ids"]) for e in found] == [(sources, other)]


def test_a_host_that_is_a_party_is_no_mediator():
    # the relative pronoun is the subject: Qatar hosts an office, not the talks
    found = [e for e in events("Hamas held talks with Qatar, which hosts its political office.")
             if e["event_type"] == "CONSULT"]
    assert all(not e["other_actor_ids"] for e in found)


@pytest.mark.parametrize(("text", "party"), [
    ("The ELN delegation met government negotiators from Colombia in Havana.", "state:COL"),
    ("Moussa Faki Mahamat accused the junta in Guinea of delaying the return to civilian rule.", "gov:GIN"),
    ("The African Union accused the authorities in Khartoum of blocking aid convoys to Darfur.", "gov:SDN"),
])
def test_a_phrase_hung_on_the_verb_still_names_whom_people_act_for(text: str, party: str):
    (event,) = events(text)
    assert party in event["source_actor_ids"] + event["target_actor_ids"]


@pytest.mark.parametrize("text", [
    "Russia withdrew troops from Syria in December.",
    "Algeria recalled the envoy from Paris on Monday.",
])
def test_where_people_come_from_is_not_whom_they_act_for(text: str):
    (event,) = events(text)
    assert event["target_actor_ids"] == []
