"""Events told inside a quotation: the quoted speaker reports them, and 'I' and 'we' are resolved through
the speaker (with the real actor and quote stages)."""

from __future__ import annotations

from flows.ingest import make_article
from flows.pipeline import extract_batch


def events_of(text: str):
    return extract_batch([make_article(text, "quoted.txt", {})])[0].events


def test_an_event_in_a_quotation_is_reported_by_its_speaker():
    events = events_of("“Russia attacked Ukraine overnight,” Antony Blinken said.")
    assert [(e.event_type, e.reported_by_actor_id) for e in events] == [("ASSAULT", "person:antony-blinken")]


def test_an_event_told_by_no_one_has_no_reporter():
    events = events_of("Russia attacked Ukraine overnight.")
    assert [e.reported_by_actor_id for e in events] == [None]


def test_an_act_in_a_reported_clause_is_the_named_actors_reported_by_the_speaker():
    events = events_of("Azerbaijani President Ilham Aliyev said Armenia had withdrawn its troops from the border.")
    assert [(e.event_type, e.source_actor_ids, e.reported_by_actor_id) for e in events] == [
        ("RETREAT", ["state:ARM"], "person:ilham-aliyev")]


def test_a_speech_act_of_the_speakers_own_state_is_the_speakers():
    events = events_of("Serbian President Aleksandar Vucic said Serbia would never recognise Kosovo.")
    assert [(e.event_type, e.source_actor_ids, e.reported_by_actor_id) for e in events] == [
        ("REJECT", ["person:aleksandar-vucic"], None)]


def test_a_material_act_of_the_speakers_own_state_stays_the_states():
    events = events_of("Azerbaijani President Ilham Aliyev said Azerbaijan had withdrawn its troops from the border.")
    assert [(e.event_type, e.source_actor_ids, e.reported_by_actor_id) for e in events] == [
        ("RETREAT", ["state:AZE"], "person:ilham-aliyev")]


def test_a_speech_act_of_an_untitled_speaker_stays_the_named_states():
    events = events_of("Aleksandar Vucic said Serbia would never recognise Kosovo.")
    assert [(e.event_type, e.source_actor_ids, e.reported_by_actor_id) for e in events] == [
        ("REJECT", ["state:SRB"], "person:aleksandar-vucic")]


def test_the_speakers_own_act_in_a_reported_clause_has_no_other_reporter():
    events = events_of("Felix Tshisekedi said he would never negotiate with the M23.")
    assert [e.reported_by_actor_id for e in events if e.event_type == "REJECT"] == [None]


def test_i_is_the_speaker():
    events = events_of("“I met Pashinyan in Paris this morning,” Antony Blinken said.")
    assert set(events[0].source_actor_ids) == {"person:antony-blinken", "person:nikol-pashinyan"}


def test_we_in_a_ministers_material_act_is_the_state():
    events = events_of("“We are exchanging intelligence with Nigeria every day,” "
                       "Cameroon's defence minister Joseph Beti Assomo told parliament.")
    assert [(e.event_type, e.source_actor_ids) for e in events] == [("COOPERATE", ["state:CMR"])]
