"""Events: PLOVER typing, participant roles, status, date and place attachment, clustering."""

from __future__ import annotations

import dataclasses
import random
import re
from pathlib import Path

import pytest

from flows.extract.coref import annotate_coreference
from flows.extract.dates import dates_compatible
from flows.extract.events import (
    extract_events as run_event_stage,
)
from flows.extract.events import (
    load_codebook,
    parse_codebook,
)
from flows.ids import make_id, text_hash
from flows.records import Actor, Article, Event, Mention
from flows.release.consolidate import _actors, _candidate_pairs, cluster_events, same_event
from schemas.vocabularies import DATE_PRECISIONS, EVENT_STATUSES, PLOVER_EVENT_TYPES

UNSEEN = Path(__file__).parent / "unseen"


def extract_events(doc, article: Article, mentions: list[Mention]) -> list[Event]:
    """The event stage after the shared coreference component, as the pipeline runs them."""
    if doc._.coref is None:
        annotate_coreference(doc, [m for m in mentions if m.kind == "actor"])
    return run_event_stage(doc, article, mentions)

# name -> (actor id, is_metonym); longer names are matched first.
ACTORS: dict[str, tuple[str, bool]] = {
    "Serbia": ("state:SRB", False),
    "Kosovo": ("state:XKX", False),
    "Belgrade": ("gov:SRB", True),
    "Pristina": ("gov:XKX", True),
    "European Union": ("igo:EU", False),
    "EU": ("igo:EU", False),
    "Ethiopia": ("state:ETH", False),
    "Addis Ababa": ("gov:ETH", True),
    "TPLF": ("group:tplf", False),
    "Tigray People's Liberation Front": ("group:tplf", False),
    "African Union": ("igo:AU", False),
    "Kenya": ("state:KEN", False),
    "Russia": ("state:RUS", False),
    "Ukraine": ("state:UKR", False),
    "Aleksandar Vucic": ("person:aleksandar-vucic", False),
    "Vucic": ("person:aleksandar-vucic", False),
    "Albin Kurti": ("person:albin-kurti", False),
    "Kurti": ("person:albin-kurti", False),
    "Josep Borrell": ("person:josep-borrell", False),
    "Borrell": ("person:josep-borrell", False),
    "Miroslav Lajcak": ("person:miroslav-lajcak", False),
    "Lajcak": ("person:miroslav-lajcak", False),
    "Olusegun Obasanjo": ("person:olusegun-obasanjo", False),
    "Obasanjo": ("person:olusegun-obasanjo", False),
    "Redwan Hussien": ("person:redwan-hussien", False),
    "Getachew Reda": ("person:getachew-reda", False),
    "Getachew": ("person:getachew-reda", False),
    "Israel": ("state:ISR", False),
    "Hamas": ("group:hamas", False),
    "Qatar": ("state:QAT", False),
    "Egypt": ("state:EGY", False),
    "Turkey": ("state:TUR", False),
    "United Nations": ("igo:UN", False),
    "Houthis": ("group:houthis", False),
    "Saudi Arabia": ("state:SAU", False),
    "M23": ("group:m23", False),
    "RSF": ("group:rsf", False),
    "Sudanese army": ("gov:SDN:army", False),
    "Eritrean troops": ("state:ERI", False),
    "Recep Tayyip Erdogan": ("person:recep-tayyip-erdogan", False),
    "Vladimir Putin": ("person:vladimir-putin", False),
    "Russian troops": ("state:RUS", False),
    "NATO": ("igo:NATO", False),
    "Norway": ("state:NOR", False),
    "Cuba": ("state:CUB", False),
    "Venezuela": ("state:VEN", False),
    "Rapid Support Forces": ("group:rsf", False),
    "United States": ("state:USA", False),
    "Abdel Fattah al-Burhan": ("person:abdel-fattah-al-burhan", False),
    "Yemeni government": ("gov:YEM", False),
    "Oman": ("state:OMN", False),
    "Congo": ("state:COD", False),
    "Angola": ("state:AGO", False),
    "Rwanda": ("state:RWA", False),
    "Felix Tshisekedi": ("person:felix-tshisekedi", False),
    "Tshisekedi": ("person:felix-tshisekedi", False),
    "Joao Lourenco": ("person:joao-lourenco", False),
    "Paul Kagame": ("person:paul-kagame", False),
}
PLACES: dict[str, str] = {
    "Brussels": "geonames:2800866",
    "Ohrid": "geonames:786735",
    "Pretoria": "geonames:964137",
    "Nairobi": "geonames:184745",
    "Mekelle": "geonames:331180",
    "Aden": "geonames:415189",
    "Kitshanga": "place:kitshanga",
    "Khartoum": "geonames:379252",
    "Doha": "geonames:290030",
    "Bahri": "geonames:379251",
    "Adigrat": "geonames:344979",
    "El Obeid": "geonames:379003",
    "Luanda": "geonames:2240449",
    "Riyadh": "geonames:108410",
    "Sake": "geonames:205036",
    "North Kivu": "geonames:7035266",
    "Istanbul": "geonames:745044",
    "Odesa": "geonames:698740",
}
DATES: dict[str, tuple[str, str]] = {
    "on Tuesday": ("2023-02-14", "day"),
    "on Friday": ("2023-02-17", "day"),
    "on Monday": ("2023-02-13", "day"),
    "Monday's": ("2023-02-13", "day"),
    "March 18": ("2023-03-18", "day"),
    "March 1": ("2023-03-01", "day"),
    "March 10": ("2023-03-10", "day"),
    "March 21": ("2023-03-21", "day"),
    "February 27": ("2023-02-27", "day"),
    "in February": ("2023-02", "month"),
    "next month": ("2023-03", "month"),
    "October 25": ("2022-10-25", "day"),
    "November 2": ("2022-11-02", "day"),
    "November 12": ("2022-11-12", "day"),
    "in 2020": ("2020", "year"),
    "14 February 2023": ("2023-02-14", "day"),
    "in 1998": ("1998", "year"),
    "on April 15": ("2023-04-15", "day"),
    "in March": ("2023-03", "month"),
    "on Thursday": ("2023-02-16", "day"),
    "on April 2": ("2023-04-02", "day"),
    "in November 2020": ("2020-11", "month"),
    "1999": ("1999", "year"),
    "February 7": ("2023-02-07", "day"),
    "in March 2022": ("2022-03", "month"),
    "May 20": ("2023-05-20", "day"),
    "in January": ("2023-01", "month"),
    "on July 22": ("2022-07-22", "day"),
    "in February 2022": ("2022-02", "month"),
    "on Saturday": ("2022-07-23", "day"),
    "on Wednesday": ("2022-07-20", "day"),
    "on Sunday": ("2023-03-19", "day"),
    "March 19": ("2023-03-19", "day"),
    "yesterday": ("2023-03-18", "day"),
    "Sunday 19 March": ("2023-03-19", "day"),
    "Saturday 18 March": ("2023-03-18", "day"),
    "in March 2008": ("2008-03", "month"),
    "the summer of 2011": ("2011", "year"),
    "on February 17, 2008": ("2008-02-17", "day"),
    "last year": ("2022", "year"),
    "September": ("2022-09", "month"),
    "October": ("2022-10", "month"),
}


def _spans(text: str, names: list[str]) -> list[tuple[str, int, int]]:
    """Every whole-word occurrence of the names, longest name first, without overlaps."""
    taken: set[int] = set()
    found = []
    for name in sorted(names, key=len, reverse=True):
        for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            if taken & set(range(match.start(), match.end())):
                continue
            taken.update(range(match.start(), match.end()))
            found.append((name, match.start(), match.end()))
    return sorted(found, key=lambda item: item[1])


def build_mentions(article: Article) -> list[Mention]:
    """A tiny stand-in for the actor, place and date extractors, driven by the dictionaries above."""
    text, aid = article.text, article.article_id
    mentions = []
    for name, start, end in _spans(text, list(ACTORS)):
        actor_id, metonym = ACTORS[name]
        mentions.append(Mention(make_id("mention", aid, "actor", start, end), aid, "actor", name, start, end,
                                actor_id, None, "test", metonym))
    for name, start, end in _spans(text, list(PLACES)):
        mentions.append(Mention(make_id("mention", aid, "place", start, end), aid, "place", name, start, end,
                                PLACES[name], "city", "test"))
    for name, start, end in _spans(text, list(DATES)):
        value, precision = DATES[name]
        mentions.append(Mention(make_id("mention", aid, "date", start, end), aid, "date", name, start, end,
                                value, precision, "test"))
    return mentions


def make_article(text: str, published: str | None = "2023-02-20") -> Article:
    return Article(text_hash(text), "test.txt", None, None, None, published, "metadata", "en", len(text), text)


@pytest.fixture(scope="module")
def nlp():
    from flows.extract.annotate import load_nlp

    return load_nlp()


@pytest.fixture(scope="module")
def extract(nlp):
    def run(text: str, published: str | None = None) -> list[Event]:
        article = make_article(text, published)
        return extract_events(nlp(text), article, build_mentions(article))

    return run


def only(events: list[Event], event_type: str) -> Event:
    found = [e for e in events if e.event_type == event_type]
    assert len(found) == 1, [(e.event_type, e.trigger) for e in events]
    return found[0]


# --- codebook -------------------------------------------------------------------------------------


def test_codebook_has_all_plover_types_with_definitions():
    codebook = load_codebook()
    assert set(codebook.event_types) == set(PLOVER_EVENT_TYPES)
    for spec in codebook.event_types.values():
        assert len(spec["definition"]) > 40


def test_codebook_triggers_use_declared_types_modes_and_paths():
    from flows.extract.events.roles import PATHS

    codebook = load_codebook()
    assert {rule.event_type for rule in codebook.rules} == set(PLOVER_EVENT_TYPES)
    for rule in codebook.rules:
        modes = codebook.event_types[rule.event_type]["modes"] or {}
        assert rule.mode is None or rule.mode in modes, (rule.rule_id, rule.mode)
        assert rule.variants or rule.tokens or rule.alleges or rule.denies, rule.rule_id
        assert rule.roles, rule.rule_id
        for tiers in rule.roles.values():
            for path in (p for tier in tiers for p in tier):
                assert path in PATHS or path.startswith("prep:"), (rule.rule_id, path)
    assert len(codebook.by_id) == len(codebook.rules), "rule ids are unique"


def test_codebook_documents_conventions_and_clustering():
    codebook = load_codebook()
    assert "source" in codebook.conventions["symmetric_consult"]
    assert "planned" in codebook.conventions["future_meeting"]
    assert "RETREAT" in codebook.conventions["ceasefire"]
    assert "cluster_id" in codebook.clustering and "ecluster" in codebook.clustering


def test_codebook_words_are_words():
    """YAML reads bare on/off/no/yes as booleans: every word of a class or a pattern must stay a word."""
    codebook = load_codebook()
    words = [w for items in codebook.words.values() for w in items]

    def collect(value):
        if isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            words.extend(value)

    for rule in codebook.rules:
        for pattern, _names in rule.variants:
            for node in pattern:
                collect(node["RIGHT_ATTRS"])
    for cue in codebook.cues:
        for pattern, _names in cue.variants:
            for node in pattern:
                collect(node["RIGHT_ATTRS"])
    assert words and all(isinstance(w, str) and w not in ("True", "False") for w in words)


def test_load_codebook_is_cached():
    assert load_codebook() is load_codebook()


def test_parse_codebook_accepts_a_minimal_variant():
    import yaml

    from flows.extract.events import CODEBOOK_PATH

    data = yaml.safe_load(CODEBOOK_PATH.read_text(encoding="utf-8"))
    data["triggers"] = [{"id": "consult.meet", "type": "CONSULT", "frame": "mutual",
                         "patterns": [[{"RIGHT_ID": "trigger", "RIGHT_ATTRS": {"LEMMA": "meet"}}]]}]
    codebook = parse_codebook(data)
    assert [rule.rule_id for rule in codebook.rules] == ["consult.meet"]
    assert codebook.rules[0].symmetric and not codebook.rules[0].nominal


def test_relations_expand_into_one_pattern_per_path():
    from flows.extract.events.codebook import expand_pattern

    relations = {"object": [[{"REL_OP": ">", "RIGHT_ATTRS": {"DEP": "dobj"}}],
                            [{"REL_OP": ">", "RIGHT_ATTRS": {"DEP": "prep"}},
                             {"REL_OP": ">", "RIGHT_ATTRS": {"DEP": "pobj"}}]]}
    nodes = [{"RIGHT_ID": "trigger", "RIGHT_ATTRS": {"LEMMA": "sign"}},
             {"LEFT_ID": "trigger", "REL": "object", "RIGHT_ID": "object", "RIGHT_ATTRS": {"LEMMA": {"IN": "@docs"}}}]
    variants = expand_pattern(nodes, relations, {"docs": frozenset({"treaty", "deal"})})
    assert [names for _pattern, names in variants] == [("trigger", "object"), ("trigger", "object.0", "object")]
    last = variants[1][0][-1]
    assert last["RIGHT_ATTRS"] == {"DEP": "pobj", "_": {"plover_lemma": {"IN": ["deal", "treaty"]}}}
    assert last["LEFT_ID"] == "object.0"


# --- one example per event type ---------------------------------------------------------------------

TYPE_CASES = [
    ("Serbia and Kosovo met in Brussels.", "CONSULT", "met", {"state:SRB", "state:XKX"}, set(), set()),
    ("Vucic held talks with Kurti.", "CONSULT", "talks",
     {"person:aleksandar-vucic", "person:albin-kurti"}, set(), set()),
    ("The talks between Serbia and Kosovo were mediated by the European Union.", "CONSULT", "talks",
     {"state:SRB", "state:XKX"}, set(), {"igo:EU"}),
    ("EU-mediated talks between Serbia and Kosovo resumed.", "CONSULT", "talks",
     {"state:SRB", "state:XKX"}, set(), {"igo:EU"}),
    ("Serbia and Kosovo met in Ohrid, with the European Union acting as facilitator.", "CONSULT", "met",
     {"state:SRB", "state:XKX"}, set(), {"igo:EU"}),
    ("Serbia and Kosovo met in Ohrid, with the European Union acting in good faith.", "CONSULT", "met",
     {"state:SRB", "state:XKX"}, set(), set()),
    ("Russia and Ukraine exchanged prisoners under an accord mediated by Turkey.", "RETREAT", "exchanged",
     {"state:RUS", "state:UKR"}, set(), {"state:TUR"}),
    ("Serbia and Kosovo agreed on licence plates at talks hosted by the European Union.", "AGREE", "agreed",
     {"state:SRB", "state:XKX"}, set(), {"igo:EU"}),
    ("Kenya hosted talks between Ethiopia and the TPLF.", "CONSULT", "talks",
     {"state:ETH", "group:tplf"}, set(), {"state:KEN"}),
    ("The talks between Ethiopia and the TPLF were chaired by Obasanjo.", "CONSULT", "talks",
     {"state:ETH", "group:tplf"}, set(), {"person:olusegun-obasanjo"}),
    ("The African Union brokered a truce between Ethiopia and the TPLF.", "CONCEDE", "truce",
     {"state:ETH", "group:tplf"}, set(), {"igo:AU"}),
    ("Borrell visited Kosovo.", "CONSULT", "visited", {"person:josep-borrell"}, {"state:XKX"}, set()),
    ("The African Union mediated between Ethiopia and the TPLF.", "CONSULT", "mediated",
     {"state:ETH", "group:tplf"}, set(), {"igo:AU"}),
    ("Serbia and Kosovo reached an agreement on energy.", "AGREE", "reached",
     {"state:SRB", "state:XKX"}, set(), set()),
    ("Ethiopia signed a peace agreement with the TPLF.", "SUPPORT", "signed",
     {"state:ETH"}, {"group:tplf"}, set()),
    ("Borrell praised Kurti.", "SUPPORT", "praised", {"person:josep-borrell"}, {"person:albin-kurti"}, set()),
    ("The TPLF declared a ceasefire.", "CONCEDE", "declared", {"group:tplf"}, set(), set()),
    ("Serbia cooperated with Kosovo on energy.", "COOPERATE", "cooperated", {"state:SRB"}, {"state:XKX"},
     set()),
    ("The EU sent humanitarian aid to Ethiopia.", "AID", "sent", {"igo:EU"}, {"state:ETH"}, set()),
    ("Serbia returned three villages to Kosovo.", "RETREAT", "returned", {"state:SRB"}, {"state:XKX"},
     set()),
    ("Russia withdrew its troops from Ukraine.", "RETREAT", "withdrew", {"state:RUS"}, set(), set()),
    ("Belgrade demanded that Pristina withdraw its police.", "REQUEST", "demanded", {"gov:SRB"},
     {"gov:XKX"}, set()),
    ("The EU urged Serbia to recognise Kosovo.", "REQUEST", "urged", {"igo:EU"}, {"state:SRB"}, set()),
    ("Kosovo accused Serbia of provoking violence.", "ACCUSE", "accused", {"state:XKX"}, {"state:SRB"},
     set()),
    ("Belgrade denied the allegations.", "REJECT", "denied", {"gov:SRB"}, set(), set()),
    ("Russia threatened Ukraine.", "THREATEN", "threatened", {"state:RUS"}, {"state:UKR"}, set()),
    ("The TPLF protested against Ethiopia.", "PROTEST", "protested", {"group:tplf"}, {"state:ETH"}, set()),
    ("The EU imposed sanctions on Russia.", "SANCTION", "imposed", {"igo:EU"}, {"state:RUS"}, set()),
    ("Russia deployed troops along the border.", "MOBILIZE", "deployed", {"state:RUS"}, set(), set()),
    ("Kosovo arrested two officers.", "COERCE", "arrested", {"state:XKX"}, set(), set()),
    ("The TPLF observed the ceasefire.", "RETREAT", "observed", {"group:tplf"}, set(), set()),
    ("Serbia recalled its ambassador from Kosovo.", "SANCTION", "recalled", {"state:SRB"}, {"state:XKX"},
     set()),
    ("Kurti criticized the EU.", "ACCUSE", "criticized", {"person:albin-kurti"}, {"igo:EU"}, set()),
    ("Russia attacked Ukraine.", "ASSAULT", "attacked", {"state:RUS"}, {"state:UKR"}, set()),
    ("Ethiopia and the TPLF fought a war.", "ASSAULT", "fought", {"state:ETH", "group:tplf"}, set(), set()),
]


@pytest.mark.parametrize(("text", "event_type", "trigger", "source", "target", "other"), TYPE_CASES)
def test_event_types_and_roles(extract, text, event_type, trigger, source, target, other):
    event = only(extract(text), event_type)
    assert event.trigger == trigger
    assert set(event.source_actor_ids) == source
    assert set(event.target_actor_ids) == target
    assert set(event.other_actor_ids) == other


def test_symmetric_consult_sorts_sources_and_leaves_target_empty(extract):
    event = only(extract("Kosovo met Serbia."), "CONSULT")
    assert event.source_actor_ids == ["state:SRB", "state:XKX"]
    assert event.target_actor_ids == []


def test_a_joint_mediator_is_no_party(extract):
    text = "Qatar mediated between Israel and Hamas together with Egypt."
    event = only(extract(text), "CONSULT")
    assert set(event.source_actor_ids) == {"group:hamas", "state:ISR"}
    assert event.other_actor_ids == ["state:QAT", "state:EGY"]


@pytest.mark.parametrize("text", [
    "Serbia and Kosovo accused each other of stoking tension.",
    "Serbia and Kosovo blamed one another for the clashes.",
])
def test_a_reciprocal_accusation_is_one_row_per_direction(extract, text):
    rows = [e for e in extract(text) if e.event_type == "ACCUSE"]
    assert sorted((e.source_actor_ids, e.target_actor_ids) for e in rows) == [
        (["state:SRB"], ["state:XKX"]), (["state:XKX"], ["state:SRB"])]
    assert len({e.event_id for e in rows}) == 2


@pytest.mark.parametrize(("text", "source"), [
    ("Russia transferred 40 million dollars to Serbia on Monday.", "state:RUS"),
    ("Ukraine sent 20 tonnes of medicine to Serbia.", "state:UKR"),
])
def test_a_recipient_after_the_object_is_the_target(extract, text, source):
    event = only(extract(text), "AID")
    assert (event.source_actor_ids, event.target_actor_ids) == ([source], ["state:SRB"])


def test_a_reciprocal_meeting_stays_one_symmetric_row(extract):
    event = only(extract("Serbia and Kosovo met each other in Brussels."), "CONSULT")
    assert (event.source_actor_ids, event.target_actor_ids) == (["state:SRB", "state:XKX"], [])


def test_mediated_consult_has_third_party_mode(extract):
    event = only(extract("The talks between Serbia and Kosovo were mediated by the European Union."),
                 "CONSULT")
    assert event.event_mode == "third-party"


def test_nominal_event_takes_date_from_its_verb(extract):
    event = only(extract("Talks between Ethiopia and the TPLF commenced in Pretoria on Tuesday."), "CONSULT")
    assert (event.event_date, event.date_precision) == ("2023-02-14", "day")
    assert event.place_id == PLACES["Pretoria"]


def test_light_verb_lends_its_subject(extract):
    event = only(extract("Ethiopia and the TPLF have gone to war twice."), "ASSAULT")
    assert set(event.source_actor_ids) == {"state:ETH", "group:tplf"}


def test_pronoun_subject_resolves_to_the_last_named_person(extract):
    events = extract("Josep Borrell arrived in Brussels. He praised Kurti.")
    event = only(events, "SUPPORT")
    assert event.source_actor_ids == ["person:josep-borrell"]
    assert event.confidence < 0.9


def test_hyphenated_parties_of_an_event_noun(extract):
    event = only(extract("The Serbia-Kosovo talks concluded in Brussels on Friday."), "CONSULT")
    assert set(event.source_actor_ids) == {"state:SRB", "state:XKX"}
    assert event.event_date == "2023-02-17"


def test_descriptor_stands_for_the_two_parties(extract):
    events = extract("Serbia and Kosovo have argued for years. On Monday the two sides met in Brussels.")
    assert only(events, "CONSULT").source_actor_ids == ["state:SRB", "state:XKX"]


def test_descriptor_of_people_takes_the_pair_named_together(extract):
    text = "Vucic and Kurti arrived in Brussels, Borrell said. The two leaders met on Tuesday."
    event = only(extract(text), "CONSULT")
    assert event.source_actor_ids == ["person:albin-kurti", "person:aleksandar-vucic"]


def test_plural_pronoun_is_not_its_own_clause_subject(extract):
    text = "Serbia and Kosovo sent delegations. Russia and the EU have hosted talks between them."
    event = only(extract(text), "CONSULT")
    assert event.source_actor_ids == ["state:SRB", "state:XKX"]
    assert set(event.other_actor_ids) == {"state:RUS", "igo:EU"}


def test_possessive_its_names_the_state(extract):
    event = only(extract("Russia said its attack on Ukraine was over."), "ASSAULT")
    assert (event.source_actor_ids, event.target_actor_ids) == (["state:RUS"], ["state:UKR"])


def test_war_without_named_parties_gets_the_story_pair(extract):
    events = extract("Talks between Serbia and Kosovo resumed. Thousands died in the war in 2020.")
    war = only(events, "ASSAULT")
    assert war.source_actor_ids == ["state:SRB", "state:XKX"]
    assert war.event_date == "2020"
    assert war.confidence < 0.9


def test_two_wars_with_two_dates_give_two_rows(extract):
    events = extract("Serbia and Kosovo fought two wars, in 1998 and in 2020.")
    rows = sorted((e.trigger, e.event_date) for e in events if e.event_type == "ASSAULT")
    assert rows == [("fought", "1998"), ("wars", "2020")]
    assert len({e.event_id for e in events}) == len(events)


def test_hosts_are_never_the_story_pair(extract):
    text = ("Russia and Ukraine hosted talks between Serbia and Kosovo. Russia and Ukraine said the war in "
            "2020 had ended.")
    war = only(extract(text), "ASSAULT")
    assert war.source_actor_ids == ["state:SRB", "state:XKX"]


def test_descriptor_with_a_named_owner_is_not_the_story_pair(extract):
    events = extract("Serbia and Kosovo met. The EU urged Ethiopia's warring parties to talk.")
    assert only(events, "REQUEST").target_actor_ids == ["state:ETH"]


@pytest.mark.parametrize("text", [
    "Vucic insisted the process would be peaceful.",
    "Kurti said on Monday, warning that the region could not afford another crisis.",
    "Vucic struck a conciliatory tone.",
    "Kurti struck a more cautious note on Tuesday.",
])
def test_idioms_and_untargeted_warnings_are_no_event(extract, text):
    assert [e for e in extract(text) if e.event_type in ("ASSAULT", "REQUEST", "THREATEN")] == []


def test_a_war_noun_alone_is_no_event(extract):
    assert extract("Kurti spoke about war and peace.") == []


def test_dateline_date_and_place_are_not_the_event_ones(extract):
    event = only(extract("Brussels, 14 February 2023 (Agency): Serbia and Kosovo met on Monday."), "CONSULT")
    assert event.event_date == "2023-02-13"
    assert event.place_id is None


def test_summit_host_is_not_a_party(extract):
    events = extract("Vucic met Kurti on the sidelines of the EU summit.")
    event = only(events, "CONSULT")
    assert event.trigger == "met"


def test_proposed_signing_is_a_promise_whose_content_is_no_event(extract):
    events = extract("Kurti proposed signing the agreement.")
    event = only(events, "AGREE")
    assert (event.trigger, event.status, event.source_actor_ids) == ("proposed", "occurred",
                                                                      ["person:albin-kurti"])
    assert [e.event_type for e in events] == ["AGREE"]


def test_event_noun_in_a_compound(extract):
    event = only(extract("Kurti attended a negotiation session with Vucic in Brussels."), "CONSULT")
    assert event.trigger == "negotiation"
    assert event.source_actor_ids == ["person:albin-kurti", "person:aleksandar-vucic"]
    assert event.place_id == PLACES["Brussels"]


def test_peacekeepers_are_military_aid(extract):
    event = only(extract("Russia deployed peacekeepers along the border."), "AID")
    assert (event.event_mode, event.source_actor_ids) == ("military", ["state:RUS"])


def test_no_consensus_is_a_negated_agreement(extract):
    event = only(extract("Serbia and Kosovo were unable to come to a consensus."), "AGREE")
    assert event.status == "negated"


def test_what_is_alleged_is_the_content_of_the_accusation(extract):
    events = extract("Kosovo accused Serbia of attacking Ukraine.")
    assert only(events, "ACCUSE").target_actor_ids == ["state:SRB"]
    assert [e.event_type for e in events] == ["ACCUSE"]


def test_expressed_willingness_is_a_promise_to_its_recipients(extract):
    event = only(extract("Borrell expressed the EU's willingness to provide assistance to Serbia and Kosovo."),
                 "AGREE")
    assert set(event.source_actor_ids) == {"person:josep-borrell", "igo:EU"}
    assert event.target_actor_ids == ["state:SRB", "state:XKX"]


def test_commitment_without_a_support_verb_is_no_event(extract):
    assert extract("Peace will depend on the commitment of Serbia and Kosovo.") == []


def test_gerund_tagged_as_noun_is_a_verb(extract):
    event = only(extract("Vucic has proposed signing already negotiated sections of the deal."), "AGREE")
    assert event.source_actor_ids == ["person:aleksandar-vucic"]


def test_call_on_targets_the_one_called_upon(extract):
    event = only(extract("Vucic called on Kurti to withdraw the police."), "REQUEST")
    assert (event.source_actor_ids, event.target_actor_ids) == (["person:aleksandar-vucic"],
                                                                ["person:albin-kurti"])


def test_requested_talks_are_the_content_of_the_request_and_name_its_target(extract):
    events = extract("The EU called for talks between Serbia and Kosovo.")
    assert only(events, "REQUEST").target_actor_ids == ["state:SRB", "state:XKX"]
    assert [e.event_type for e in events] == ["REQUEST"]


def test_rejected_talks_are_negated(extract):
    events = extract("Serbia rejected talks with Kosovo.")
    talks = only(events, "CONSULT")
    assert (talks.status, talks.source_actor_ids) == ("negated", ["state:SRB", "state:XKX"])


def test_accompanied_by_is_another_participant(extract):
    event = only(extract("Getachew Reda met Redwan Hussien in Pretoria, accompanied by Obasanjo."), "CONSULT")
    assert event.other_actor_ids == ["person:olusegun-obasanjo"]
    assert event.event_mode == "third-party"


def test_reported_violation_is_an_accusation(extract):
    event = only(extract("Ethiopia said the TPLF had violated the truce."), "ACCUSE")
    assert (event.source_actor_ids, event.target_actor_ids) == (["state:ETH"], ["group:tplf"])
    assert extract("The TPLF violated the truce.") == []


def test_quantity_head_object_and_mediation_noun(extract):
    text = "Russia and Ukraine exchanged hundreds of prisoners on Tuesday after EU mediation."
    event = only(extract(text), "RETREAT")
    assert (event.event_mode, event.source_actor_ids) == ("release", ["state:RUS", "state:UKR"])
    assert event.other_actor_ids == ["igo:EU"]
    assert event.event_date == "2023-02-14"


def test_vow_of_force_is_a_threat(extract):
    events = extract("Russia vowed to resume the attack on Ukraine.")
    assert only(events, "THREATEN").source_actor_ids == ["state:RUS"]
    assert only(events, "THREATEN").target_actor_ids == ["state:UKR"]
    assert [e.event_type for e in events] == ["THREATEN"]


def test_travel_to_meet_plans_the_meeting(extract):
    event = only(extract("Borrell will travel to Pristina to meet Kurti."), "CONSULT")
    assert event.status == "planned"
    assert set(event.source_actor_ids) == {"person:josep-borrell", "person:albin-kurti"}


def test_going_to_see_someone_is_a_visit(extract):
    event = only(extract("Kurti went to Brussels to see Borrell on Monday."), "CONSULT")
    assert (event.event_mode, event.source_actor_ids, event.target_actor_ids) == (
        "visit", ["person:albin-kurti"], ["person:josep-borrell"])
    assert (event.place_id, event.event_date) == (PLACES["Brussels"], "2023-02-13")
    assert extract("Kurti said they see this as a chance for Serbia.") == []


def test_mode_named_by_a_modifier(extract):
    event = only(extract("The EU announced a humanitarian aid package for Ethiopia."), "AID")
    assert (event.event_mode, event.source_actor_ids, event.target_actor_ids) == (
        "humanitarian", ["igo:EU"], ["state:ETH"])


def test_war_as_a_time_reference_takes_no_date(extract):
    text = "Talks between Serbia and Kosovo resumed. Serbia returned a village to Kosovo on Tuesday in the " \
           "largest handover since the start of the war."
    war = only(extract(text), "ASSAULT")
    assert war.event_date is None


def test_parties_hung_on_the_verb_of_a_nominal_event(extract):
    event = only(extract("A meeting was held between Serbia and Kosovo in Brussels on Tuesday."), "CONSULT")
    assert (event.source_actor_ids, event.event_date) == (["state:SRB", "state:XKX"], "2023-02-14")
    event = only(extract("Serbia and Kosovo held a second round of talks in Brussels, mediated by Lajcak."),
                 "CONSULT")
    assert event.other_actor_ids == ["person:miroslav-lajcak"]


def test_visited_place_is_the_event_place(extract):
    event = only(extract("Vucic is scheduled to visit Brussels next month."), "CONSULT")
    assert (event.status, event.place_id, event.event_date) == ("planned", PLACES["Brussels"], "2023-03")


def test_walking_out_of_talks_is_a_sanction(extract):
    event = only(extract("Kosovo withdrew from the negotiations with Serbia."), "SANCTION")
    assert (event.event_mode, event.source_actor_ids, event.target_actor_ids) == (
        "withdraw", ["state:XKX"], ["state:SRB"])


def test_conjunct_with_its_own_auxiliary_takes_the_main_subject(extract):
    text = ("Serbia and Kosovo met in Brussels. The two neighbours gained independence in 2020 when Russia "
            "broke up and have gone to war twice.")
    war = only(extract(text), "ASSAULT")
    assert war.source_actor_ids == ["state:SRB", "state:XKX"]


def rows(events: list[Event]) -> list[tuple]:
    """Events as (type, trigger, source, target, other, date written in the text, place, status), in text
    order (dates from the story or the publication day are tested apart)."""
    return [(e.event_type, e.trigger, e.source_actor_ids, e.target_actor_ids, e.other_actor_ids,
             e.event_date if e.date_basis == "text" else None, e.place_id, e.status)
            for e in sorted(events, key=lambda e: e.char_start)]


VIOLENCE_CASES = [
    ("A car bomb attack on a police academy in Aden killed nine recruits in March.",
     [("ASSAULT", "killed", [], [], [], "2023-03", PLACES["Aden"], "occurred")]),
    ("Troops shelled the town of Kitshanga on Tuesday.",
     [("ASSAULT", "shelled", [], [], [], "2023-02-14", PLACES["Kitshanga"], "occurred")]),
    ("Fighting erupted in Khartoum on April 15 between the Sudanese army and the RSF.",
     [("ASSAULT", "Fighting", ["gov:SDN:army", "group:rsf"], [], [], "2023-04-15", PLACES["Khartoum"],
       "occurred")]),
    ("RSF fighters attacked a military base in Bahri on Thursday.",
     [("ASSAULT", "attacked", ["group:rsf"], [], [], "2023-02-16", PLACES["Bahri"], "occurred")]),
    ("Eritrean troops shelled the town of Adigrat.",
     [("ASSAULT", "shelled", ["state:ERI"], [], [], None, PLACES["Adigrat"], "occurred")]),
    ("Heavy artillery fire and air strikes were reported in Khartoum on Tuesday.",
     [("ASSAULT", "artillery fire", [], [], [], "2023-02-14", PLACES["Khartoum"], "occurred"),
      ("ASSAULT", "air strikes", [], [], [], "2023-02-14", PLACES["Khartoum"], "occurred")]),
    ("The NATO bombing campaign of 1999 forced Serbia to withdraw its troops from Kosovo.",
     [("ASSAULT", "bombing", ["igo:NATO"], [], [], "1999", None, "occurred"),
      ("RETREAT", "withdraw", ["state:SRB"], [], [], "1999", None, "occurred")]),
    ("Israel and Hamas reached a deal in Doha. The deal includes a halt to fighting in Khartoum.",
     [("AGREE", "reached", ["state:ISR", "group:hamas"], [], [], None, PLACES["Doha"], "occurred"),
      ("AGREE", "deal", ["group:hamas", "state:ISR"], [], [], None, PLACES["Khartoum"], "occurred")]),
    ("RSF fighters burned villages near Bahri in March.",
     [("ASSAULT", "burned", ["group:rsf"], [], [], "2023-03", PLACES["Bahri"], "occurred")]),
    ("The RSF has besieged Khartoum.",
     [("COERCE", "besieged", ["group:rsf"], [], [], None, PLACES["Khartoum"], "occurred")]),
    ("Shelling killed three civilians in Aden on Tuesday.",
     [("ASSAULT", "killed", [], [], [], "2023-02-14", PLACES["Aden"], "occurred")]),
    ("The NATO air campaign against Serbia began in 1999.",
     [("ASSAULT", "air campaign", ["igo:NATO"], ["state:SRB"], [], "1999", None, "occurred")]),
    ("Israel responded with air strikes in Khartoum.",
     [("ASSAULT", "air strikes", ["state:ISR"], [], [], None, PLACES["Khartoum"], "occurred")]),
    ("NATO bombed Belgrade in 1999.",
     [("ASSAULT", "bombed", ["igo:NATO"], [], [], "1999", None, "occurred")]),
    ("Gunmen opened fire on a bus in Aden on Tuesday.",
     [("ASSAULT", "opened", [], [], [], "2023-02-14", PLACES["Aden"], "occurred")]),
    ("Israel and Hamas met in Doha. The war began in November 2020.",
     [("CONSULT", "met", ["group:hamas", "state:ISR"], [], [], None, PLACES["Doha"], "occurred"),
      ("ASSAULT", "war", ["group:hamas", "state:ISR"], [], [], "2020-11", None, "occurred")]),
]


@pytest.mark.parametrize(("text", "expected"), VIOLENCE_CASES)
def test_violence(extract, text, expected):
    assert rows(extract(text)) == expected


def test_violence_without_participants_date_or_place_is_no_event(extract):
    assert extract("Troops shelled the town.") == []
    assert extract("The fighting was a tragedy.") == []


@pytest.mark.parametrize("text", [
    "There are fears of renewed fighting in Khartoum.",
    "The deal could trigger fighting in Khartoum.",
    "Officials warned of attacks in Aden in March.",
    "Troops ended the fighting in Khartoum on Tuesday.",
])
def test_feared_or_ended_violence_without_participants_is_no_event(extract, text):
    assert extract(text) == []


def test_condemned_attack_still_happened(extract):
    events = extract("Qatar condemned the attack in Aden on Tuesday.")
    attack = only(events, "ASSAULT")
    assert (attack.source_actor_ids, attack.event_date, attack.place_id) == ([], "2023-02-14", PLACES["Aden"])


def test_unnamed_violence_has_low_confidence(extract):
    event = only(extract("Troops shelled the town of Kitshanga on Tuesday."), "ASSAULT")
    assert event.confidence < 0.5


AGREE_CONSULT_CASES = [
    ("The Houthis and Saudi Arabia agreed on a two-month truce on April 2.",
     [("AGREE", "agreed", ["group:houthis", "state:SAU"], [], [], "2023-04-02", None, "occurred")]),
    ("Israel and Hamas committed to a ceasefire.",
     [("AGREE", "committed", ["state:ISR", "group:hamas"], [], [], None, None, "occurred")]),
    ("An agreement was reached between Israel and Hamas in Doha.",
     [("AGREE", "reached", ["state:ISR", "group:hamas"], [], [], None, PLACES["Doha"], "occurred")]),
    ("Vucic discussed the dispute with Kurti on Monday.",
     [("CONSULT", "discussed", ["person:albin-kurti", "person:aleksandar-vucic"], [], [], "2023-02-13", None,
       "occurred")]),
    ("Recep Tayyip Erdogan held a phone conversation with Vladimir Putin on Tuesday.",
     [("CONSULT", "phone conversation", ["person:recep-tayyip-erdogan", "person:vladimir-putin"], [], [],
       "2023-02-14", None, "occurred")]),
    ("Israel approved the plan on Monday.",
     [("AGREE", "approved", ["state:ISR"], [], [], "2023-02-13", None, "occurred")]),
    ("Israel and Hamas met. Qatar and Egypt, which mediated the deal, said the deal includes a prisoner exchange.",
     [("CONSULT", "met", ["group:hamas", "state:ISR"], [], [], None, None, "occurred"),
      ("AGREE", "deal", ["group:hamas", "state:ISR"], [], [], None, None, "occurred")]),
    ("Israel accepted the plan on Tuesday.",
     [("AGREE", "accepted", ["state:ISR"], [], [], "2023-02-14", None, "occurred")]),
    ("Hamas committed to a prisoner exchange.",
     [("AGREE", "committed", ["group:hamas"], [], [], None, None, "occurred")]),
    ("Recep Tayyip Erdogan spoke by phone with Vladimir Putin on Monday.",
     [("CONSULT", "spoke", ["person:recep-tayyip-erdogan", "person:vladimir-putin"], [], [], "2023-02-13",
       None, "occurred")]),
    ("Israel and Hamas exchanged fire. Qatar hosted talks in Doha on Thursday.",
     [("ASSAULT", "exchanged", ["group:hamas", "state:ISR"], [], [], None, None, "occurred"),
      ("CONSULT", "talks", ["group:hamas", "state:ISR"], [], ["state:QAT"], "2023-02-16", PLACES["Doha"],
       "occurred")]),
    ("Israel and Hamas met in Doha. Neither side signed the document.",
     [("CONSULT", "met", ["group:hamas", "state:ISR"], [], [], None, PLACES["Doha"], "occurred"),
      ("SUPPORT", "signed", ["group:hamas", "state:ISR"], [], [], None, None, "negated")]),
    ("Israel and Hamas reached a deal in Doha. The deal includes a prisoner exchange.",
     [("AGREE", "reached", ["state:ISR", "group:hamas"], [], [], None, PLACES["Doha"], "occurred"),
      ("AGREE", "deal", ["group:hamas", "state:ISR"], [], [], None, None, "occurred")]),
]


@pytest.mark.parametrize(("text", "expected"), AGREE_CONSULT_CASES)
def test_agreements_and_consultations(extract, text, expected):
    assert rows(extract(text)) == expected


def test_guarantors_are_never_the_parties_of_a_bare_ceasefire(extract):
    text = ("Turkey and Qatar acted as guarantors. Turkey and Qatar sent observers. Israel accused Hamas of "
            "stalling. Hamas accused Israel of delays.\n\nA ceasefire took effect on Tuesday.")
    truce = only(extract(text), "RETREAT")  # a ceasefire that takes effect is implemented
    assert (truce.source_actor_ids, truce.event_date) == (["group:hamas", "state:ISR"], "2023-02-14")


def test_guarantors_are_never_the_parties_of_hosted_talks(extract):
    text = "Norway and Cuba act as guarantors of the peace process. Venezuela hosted talks in Doha in March."
    assert extract(text) == []


def test_a_ceasefire_named_by_its_guarantors_is_no_event(extract):
    text = "Israel and Hamas met in Doha. Qatar and Egypt act as guarantors of the ceasefire."
    assert [e.event_type for e in extract(text)] == ["CONSULT"]


def test_a_clause_before_the_main_one_does_not_take_its_date(extract):
    text = "Israel and Hamas met in Doha in March, before the ceasefire was announced."
    truce = only(extract(text), "CONCEDE")
    assert (truce.source_actor_ids, truce.event_date) == (["group:hamas", "state:ISR"], None)


def test_the_two_sides_are_never_the_guarantors(extract):
    text = ("Turkey and Qatar act as guarantors. Turkey and Qatar sent observers. Israel accused Hamas. "
            "The two sides agreed to a truce on Tuesday.")
    agreed = only(extract(text), "AGREE")
    assert (agreed.source_actor_ids, agreed.event_date) == (["group:hamas", "state:ISR"], "2023-02-14")


def test_the_host_is_not_one_of_the_two_sides(extract):
    text = "Israel accused Hamas of delays. Qatar hosted a meeting of the two sides in Doha on Tuesday."
    meeting = only(extract(text), "CONSULT")
    assert (meeting.source_actor_ids, meeting.other_actor_ids) == (["group:hamas", "state:ISR"], ["state:QAT"])


def test_hosted_talks_take_the_people_who_just_met(extract):
    text = "Serbia and Kosovo argued. Vucic and Kurti met in Brussels. The talks, hosted by Borrell, lasted six hours."
    talks = only([e for e in extract(text) if e.trigger == "talks"], "CONSULT")
    assert (talks.source_actor_ids, talks.other_actor_ids) == (
        ["person:albin-kurti", "person:aleksandar-vucic"], ["person:josep-borrell"])


def test_the_two_delegations_named_before_their_states_are_the_article_parties(extract):
    text = ("The two delegations agreed on a truce on Tuesday. Israel accused Hamas of violations. Hamas accused "
            "Israel of delays. Qatar praised Egypt.")
    agreed = only(extract(text), "AGREE")
    assert (agreed.source_actor_ids, agreed.event_date) == (["group:hamas", "state:ISR"], "2023-02-14")
    assert agreed.confidence < 0.9


def test_a_bare_ceasefire_takes_the_parties_of_the_previous_sentence(extract):
    text = "Turkey and Egypt are neighbours.\n\nIsrael accused Hamas on Tuesday. A ceasefire took effect in March."
    truce = only(extract(text), "RETREAT")
    assert (truce.source_actor_ids, truce.event_date) == (["group:hamas", "state:ISR"], "2023-03")


def test_a_bare_ceasefire_takes_no_pair_from_far_away_unless_they_are_parties(extract):
    text = "Turkey and Egypt are neighbours. Kurti praised Borrell.\n\nA ceasefire took effect on Tuesday."
    assert [e for e in extract(text) if e.event_type in ("CONCEDE", "RETREAT")] == []


def test_purpose_clause_is_no_event(extract):
    events = extract("Vucic and Kurti met in Brussels to sign an agreement.")
    assert [e.event_type for e in events] == ["CONSULT"]


# --- status -----------------------------------------------------------------------------------------

STATUS_CASES = [
    ("Serbia and Kosovo met in Brussels.", "occurred"),
    ("Serbia and Kosovo will meet in Brussels.", "planned"),
    ("Serbia and Kosovo are expected to meet in Brussels.", "planned"),
    ("Serbia and Kosovo are scheduled to meet in Brussels.", "planned"),
    ("Serbia and Kosovo are set to meet in Brussels.", "planned"),
    ("Serbia and Kosovo could meet in Brussels.", "hypothetical"),
    ("Serbia and Kosovo might meet in Brussels.", "hypothetical"),
    ("If Serbia and Kosovo meet in Brussels, the dispute may end.", "hypothetical"),
    ("Serbia and Kosovo hope to meet in Brussels.", "hypothetical"),
    ("Serbia and Kosovo are to meet in Brussels.", "planned"),
    ("Serbia and Kosovo may meet in Brussels.", "hypothetical"),
    ("Serbia and Kosovo did not meet in Brussels.", "negated"),
    ("Serbia and Kosovo didn't meet in Brussels.", "negated"),
    ("Serbia and Kosovo failed to meet in Brussels.", "negated"),
]


@pytest.mark.parametrize(("text", "status"), STATUS_CASES)
def test_status(extract, text, status):
    assert only(extract(text), "CONSULT").status == status


def test_ready_to_sign_is_a_promise(extract):
    event = only(extract("Kurti said Kosovo was ready to sign the agreement with Serbia."), "AGREE")
    assert (event.trigger, event.status) == ("ready", "occurred")
    assert event.source_actor_ids == ["state:XKX"]
    assert event.target_actor_ids == ["state:SRB"]


def test_ready_to_meet_is_a_promise_to_meet(extract):
    events = extract("Kurti said Kosovo was ready to meet Serbia.")
    assert [(e.event_type, e.status, e.target_actor_ids) for e in events] == [("AGREE", "occurred", ["state:SRB"])]


def test_wanting_to_meet_leaves_the_meeting_hypothetical(extract):
    assert only(extract("Kurti said Kosovo wanted to meet Serbia."), "CONSULT").status == "hypothetical"


def test_planned_meeting_keeps_consult(extract):
    event = only(extract("Vucic and Kurti will meet in Ohrid next month."), "CONSULT")
    assert (event.status, event.event_date, event.date_precision) == ("planned", "2023-03", "month")
    assert event.place_id == PLACES["Ohrid"]


# --- date and place -----------------------------------------------------------------------------------


def test_date_and_place_of_the_clause(extract):
    event = only(extract("Serbia and Kosovo met in Brussels on Tuesday."), "CONSULT")
    assert (event.event_date, event.date_precision, event.place_id) == ("2023-02-14", "day",
                                                                        PLACES["Brussels"])


def test_own_clause_date_wins_over_the_sentence_date(extract):
    event = only(extract("Borrell said on Monday that Serbia and Kosovo met in Ohrid on Friday."), "CONSULT")
    assert event.event_date == "2023-02-17"
    assert event.place_id == PLACES["Ohrid"]


def test_sentence_date_is_the_fallback(extract):
    event = only(extract("The EU issued a statement on Tuesday after Serbia and Kosovo met."), "CONSULT")
    assert event.event_date == "2023-02-14"


def test_the_date_of_a_statement_is_not_the_event_date(extract):
    event = only(extract("Officials said on Tuesday that Serbia and Kosovo met."), "CONSULT")
    assert event.event_date is None


@pytest.mark.parametrize(("text", "expected"), [
    # Told as going on when it was said: the day of the saying.
    ("Borrell said on Monday that Russian troops were shelling Ukraine.", ("2023-02-13", "context")),
    ("Borrell said on Monday that Russian troops are shelling Ukraine.", ("2023-02-13", "context")),
    # Done before the saying: not the day of the saying, nor the day of the report.
    ("Borrell said on Monday that Russian troops shelled Ukraine.", (None, None)),
    ("Borrell said on Monday that Russian troops had shelled Ukraine.", (None, None)),
])
def test_a_reported_act_is_not_dated_by_the_report(extract, text, expected):
    event = only(extract(text, published="2023-02-15"), "ASSAULT")
    assert (event.event_date, event.date_basis) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # The lead's news in the present perfect, told on a day the text gives: that day.
    ("Serbia and Kosovo have agreed to reopen the crossing, the EU envoy said on Monday.", ("2023-02-13", "context")),
    ("Ethiopia and the TPLF have agreed to a truce, the African Union said on Monday after a week of talks.",
     ("2023-02-13", "context")),
    # The day of the gathering the telling follows is the telling's day.
    ("Serbia and Kosovo have agreed on a truce, Borrell said after talks in Ohrid on Tuesday.",
     ("2023-02-14", "context")),
    # A pluperfect was done before the telling.
    ("Serbia and Kosovo had agreed to reopen the crossing, the EU envoy said on Monday.", (None, None)),
])
def test_a_present_perfect_reported_in_the_lead_takes_the_day_of_the_telling(extract, text, expected):
    event = only(extract(text, published="2023-02-15"), "AGREE")
    assert (event.event_date, event.date_basis) == expected


def test_a_present_perfect_reported_past_the_lead_has_no_day(extract):
    text = LEAD + "Borrell said on Monday that Serbia has blocked the road."
    event = only(extract(text, published="2023-03-20"), "COERCE")
    assert (event.event_date, event.date_basis) == (None, None)


@pytest.mark.parametrize(("text", "event_type", "expected"), [
    # A date owning another noun ('next month's vote') dates that noun, not the act.
    ("Russian troops shelled Odesa ahead of next month's vote.", "ASSAULT", ("2023-02-15", "published")),
    ("Serbia and Kosovo agreed in Brussels on the rules for next month's vote.", "AGREE", ("2023-02-15", "published")),
    ("Kurti accused Serbia of stalling the talks on next month's census.", "ACCUSE", ("2023-02-15", "published")),
])
def test_a_date_owning_another_noun_is_not_the_date_of_the_act(extract, text, event_type, expected):
    event = only(extract(text, published="2023-02-15"), event_type)
    assert (event.event_date, event.date_basis) == expected


@pytest.mark.parametrize(("text", "event_type", "expected"), [
    # A further statement of the same speaker, coordinated with the dated telling: that occasion's day.
    ("Borrell told reporters in Brussels on Monday that he was disappointed, but accused Serbia of stalling.",
     "ACCUSE", ("2023-02-13", "text")),
    ("Borrell told reporters on Monday that the EU would not give up, but urged Serbia to recognise Kosovo.",
     "REQUEST", ("2023-02-13", "text")),
    # Another speaker's statement is not of that telling.
    ("Borrell told reporters on Monday that he was disappointed, and Kurti accused Serbia of stalling.", "ACCUSE",
     ("2023-02-15", "published")),
])
def test_a_statement_coordinated_with_a_dated_telling_takes_its_day(extract, text, event_type, expected):
    event = only(extract(text, published="2023-02-15"), event_type)
    assert (event.event_date, event.date_basis) == expected


@pytest.mark.parametrize(("text", "event_type", "expected"), [
    # The date of a document named in a phrase of the event dates the document, not the event.
    ("In a fresh breach of the memorandum of 14 February 2023, Russian troops shelled Odesa.", "ASSAULT",
     ("2023-02-15", "published")),
    ("Russian troops shelled Odesa in violation of the agreement of 14 February 2023.", "ASSAULT",
     ("2023-02-15", "published")),
    # The document the event makes is of the event's day.
    ("Serbia and Kosovo signed the agreement of 14 February 2023.", "SUPPORT", ("2023-02-14", "text")),
])
def test_the_date_of_a_named_document_is_not_the_date_of_an_act_against_it(extract, text, event_type, expected):
    event = only(extract(text, published="2023-02-15"), event_type)
    assert (event.event_date, event.date_basis) == expected


@pytest.mark.parametrize("text", [
    "Russian troops shelled Odesa overnight, the governor said.",
    "Russian drones struck Odesa overnight, killing two people.",
])
def test_an_act_overnight_has_no_single_day(extract, text):
    event = only(extract(text, published="2023-02-15"), "ASSAULT")
    assert (event.event_date, event.date_basis) == (None, None)


def test_an_act_overnight_keeps_the_day_the_text_gives(extract):
    event = only(extract("Russian troops shelled Odesa overnight on Tuesday.", published="2023-02-15"), "ASSAULT")
    assert (event.event_date, event.date_basis) == ("2023-02-14", "text")


def test_a_step_set_against_a_dated_clause_takes_neither_its_date_nor_the_day_of_the_report(extract):
    text = "Ethiopia and the TPLF signed a deal on November 2, but Eritrean troops attacked the town."
    event = only(extract(text, published="2023-02-15"), "ASSAULT")
    assert (event.event_date, event.date_basis) == (None, None)


@pytest.mark.parametrize(("text", "event_type", "expected"), [
    # The act the offset is counted back from: the dated act's day moved back (or on) by the count.
    ("Serbia and Kosovo met in Brussels on Tuesday, two days after Russian troops shelled Ukraine.", "ASSAULT",
     ("2023-02-12", "context")),
    ("Serbia and Kosovo met in Brussels on Tuesday, a day after the TPLF accused Ethiopia.", "ACCUSE",
     ("2023-02-13", "context")),
    ("Kenya withdrew its envoy on Friday, three days after the attack on Kitshanga.", "ASSAULT",
     ("2023-02-14", "context")),
    ("Serbia and Kosovo met in Brussels on Tuesday, three days after the two sides agreed a truce.", "AGREE",
     ("2023-02-11", "context")),
    ("Kenya reopened the border on Friday, two days after Ethiopia and the TPLF agreed a truce in Pretoria.", "AGREE",
     ("2023-02-15", "context")),
    # The parser may hang 'a day after' from the later clause's verb, 'after' governing its first subject.
    ("The United Nations on Friday authorised aid flights to Ethiopia for six months, a day after the government of "
     "Ethiopia and the rebel TPLF signed an agreement in Pretoria.", "SUPPORT", ("2023-02-16", "context")),
    ("Kenya on Friday reopened its border with Ethiopia for six months, a day after the government of Abiy Ahmed and "
     "the TPLF signed an agreement in Pretoria.", "SUPPORT", ("2023-02-16", "context")),
    # The act counted from another keeps its own date, and never takes the other's.
    ("Serbia and Kosovo met in Brussels on Tuesday, two days after Russian troops shelled Ukraine.", "CONSULT",
     ("2023-02-14", "text")),
    # Without a date of its own, it takes the other act's day moved by the count.
    ("Russian troops shelled Odesa two days before the talks on Friday.", "ASSAULT", ("2023-02-15", "context")),
    ("Russian troops shelled Odesa a day after the talks on February 7.", "ASSAULT", ("2023-02-08", "context")),
    # A rounded span or another act without a day gives no day.
    ("Borrell spoke to us by telephone from Geneva, a day after Ethiopia and the TPLF agreed to free 500 "
     "prisoners.", "AGREE", (None, None)),
    ("Serbia and Kosovo met in Brussels on Tuesday, seven weeks after Russian troops shelled Ukraine.", "ASSAULT",
     (None, None)),
    ("Serbia and Kosovo met in Brussels in February, two days after Russian troops shelled Ukraine.", "ASSAULT",
     (None, None)),
    # Without a counted offset, 'after' may still share the clause's coarse date.
    ("Serbia and Kosovo met in Brussels in February after Russian troops shelled Ukraine.", "ASSAULT",
     ("2023-02", "text")),
    # The other act named by a noun with no date of its own: the pact or gathering the text dated before.
    ("Serbia and Kosovo met in Brussels on Tuesday. Two days after the talks, Kurti accused Belgrade of stalling.",
     "ACCUSE", ("2023-02-16", "context")),
    ("Serbia and Kosovo met in Brussels on Monday. A day after the meeting, Kurti accused Belgrade of stalling.",
     "ACCUSE", ("2023-02-14", "context")),
    # Hours or minutes keep the two acts on one day; a bare 'days' or 'weeks' is a rounded span.
    ("Serbia and Kosovo met in Brussels on Tuesday, hours after Russian troops shelled Ukraine.", "ASSAULT",
     ("2023-02-14", "context")),
    ("Serbia and Kosovo met in Brussels on Tuesday, just minutes after Russian troops shelled Ukraine.", "ASSAULT",
     ("2023-02-14", "context")),
    ("Serbia and Kosovo met in Brussels on Tuesday, days after Russian troops shelled Ukraine.", "ASSAULT",
     (None, None)),
    ("Serbia and Kosovo met in Brussels on Tuesday, weeks after Russian troops shelled Ukraine.", "ASSAULT",
     (None, None)),
])
def test_an_act_a_counted_number_of_days_from_a_dated_act_takes_that_day_moved(extract, text, event_type,
                                                                              expected):
    event = only(extract(text, published="2023-02-15"), event_type)
    assert (event.event_date, event.date_basis) == expected


@pytest.mark.parametrize(("text", "event_type", "expected"), [
    # Under a relative clause the 'after' clause is background: no date from the clauses above it.
    ("Serbia and Kosovo resumed the talks in March 2023, which collapsed in June after Russian troops shelled "
     "Odesa.", "ASSAULT", (None, None)),
    ("Ethiopia signed a truce with the TPLF in March 2022 that broke down in August after Eritrean troops attacked "
     "the town.", "ASSAULT", (None, None)),
    ("The EU imposed sanctions on Serbia on Monday, which it lifted on Friday after Belgrade accused Kosovo of "
     "provocations.", "ACCUSE", (None, None)),
    # Otherwise it may share the date of the clause it hangs from, not of the one that clause is coordinated to.
    ("The talks opened on Monday and collapsed on Friday after Russian troops shelled Odesa.", "ASSAULT",
     ("2023-02-17", "text")),
    ("Serbia and Kosovo met in Brussels on Tuesday after Russian troops shelled Ukraine.", "ASSAULT",
     ("2023-02-14", "text")),
])
def test_an_after_clause_takes_a_date_only_from_the_clause_it_hangs_from(extract, text, event_type, expected):
    event = only(extract(text, published="2023-02-15"), event_type)
    assert (event.event_date, event.date_basis) == expected


@pytest.mark.parametrize(("text", "event_type", "expected"), [
    # The day of the happening told just before it in the paragraph...
    ("Serbia and Kosovo met in Brussels on Tuesday. Hours later, Russian troops shelled Odesa.", "ASSAULT",
     ("2023-02-14", "context")),
    ("Ethiopia and the TPLF signed an agreement on November 2. Earlier in the day, Kenya urged both sides to "
     "stop fighting.", "REQUEST", ("2022-11-02", "context")),
    ("Russian troops shelled Odesa on Monday. The same evening, Ukraine accused Russia of a war crime.", "ACCUSE",
     ("2023-02-13", "context")),
    ("Serbia and Kosovo met in Brussels on Tuesday. Later in the day, Kurti accused Belgrade of stalling.",
     "ACCUSE", ("2023-02-14", "context")),
    # ... or the days after it the phrase counts.
    ("Ethiopia and the TPLF signed an agreement on November 2. The next day, the TPLF freed 40 prisoners.",
     "RETREAT", ("2022-11-03", "context")),
    ("Serbia and Kosovo met in Brussels on Monday. The following morning, Kurti accused Belgrade of stalling.",
     "ACCUSE", ("2023-02-14", "context")),
    ("Russian troops shelled Odesa on Monday. A day later, Ukraine accused Russia of a war crime.", "ACCUSE",
     ("2023-02-14", "context")),
    ("Serbia and Kosovo met in Brussels on Monday. Two days later, Kurti accused Belgrade of stalling.",
     "ACCUSE", ("2023-02-15", "context")),
    # ... or the days before it, the pluperfect of such a step back included.
    ("Serbia and Kosovo met in Brussels on Thursday. A day earlier, Kurti had accused Belgrade of stalling.",
     "ACCUSE", ("2023-02-15", "context")),
    ("Russian troops shelled Odesa on Tuesday. The previous day, Ukraine had accused Russia of a war crime.",
     "ACCUSE", ("2023-02-13", "context")),
    ("Kosovo detained two Serbian officers on Friday. The day before, Serbia accused Kosovo of provocations.",
     "ACCUSE", ("2023-02-16", "context")),
    ("Russian troops shelled Odesa on Thursday. Two days earlier, Ukraine had accused Russia of a war crime.",
     "ACCUSE", ("2023-02-14", "context")),
])
def test_an_act_placed_after_the_happening_told_before_takes_its_day(extract, text, event_type, expected):
    event = only(extract(text, published="2023-02-20"), event_type)
    assert (event.event_date, event.date_basis) == expected


@pytest.mark.parametrize("text", [
    # No happening dated before it: the phrase does not move the act off its usual day.
    "The next day, Kurti accused Belgrade of stalling.",
    "Russian troops shelled Odesa. The next day, Ukraine accused Russia of a war crime.",
])
def test_a_sequel_phrase_without_a_dated_happening_before_keeps_the_usual_day(extract, text):
    event = only(extract(text, published="2023-02-20"), "ACCUSE")
    assert event.event_date in (None, "2023-02-20")


@pytest.mark.parametrize(("text", "expected"), [
    ("Kurti accused Belgrade of stalling the day before the vote.", None),
    ("The day before the talks, Kurti accused Belgrade of stalling.", None),
    ("The day before, Kurti accused Belgrade of stalling.", -1),
    ("Three days earlier, Kurti accused Belgrade of stalling.", -3),
    ("Kurti accused Belgrade of stalling two days afterwards.", 2),
])
def test_a_sequel_phrase_counts_days_only_from_the_happening_told_before(nlp, text, expected):
    """'the day before the vote' is counted from the vote, not from the sentence before."""
    from flows.extract.events.when import sequel_days

    doc = nlp(text)
    anchor = next(t for t in doc if t.lower_ == "accused")
    assert sequel_days(anchor, load_codebook()) == expected


@pytest.mark.parametrize(("text", "event_type"), [
    ("Vucic declared March 21 a day of national mourning and called on the EU to protect the Serbs in Kosovo.",
     "REQUEST"),
    ("Serbia set March 21 as the deadline for the talks and accused Kosovo of stalling.", "ACCUSE"),
])
def test_a_day_a_verb_appoints_is_not_the_date_of_the_act_beside_it(extract, text, event_type):
    """'declared Wednesday a day of mourning': the day is what is declared, not when."""
    event = only(extract(text, published="2023-03-19"), event_type)
    assert (event.event_date, event.date_basis) == ("2023-03-19", "published")


@pytest.mark.parametrize(("text", "event_type"), [
    # The clause before a colon introduces the acts listed after it: its date is theirs.
    ("The EU took three steps on Monday: it imposed sanctions on Serbia, condemned the attack and urged Kosovo "
     "to withdraw its police.", "SANCTION"),
    ("Kurti made two announcements on Monday: he thanked the EU for its support and accused Serbia of stalling.",
     "ACCUSE"),
    ("The talks in Brussels ended on Monday with two steps: the EU pledged aid to Kosovo, and Serbia agreed to "
     "free the detained police officers.", "AGREE"),
])
def test_acts_listed_after_a_colon_take_the_date_of_the_clause_before_it(extract, text, event_type):
    events = [e for e in extract(text, published="2023-02-17") if e.event_type == event_type]
    assert events and all((e.event_date, e.date_basis) == ("2023-02-13", "text") for e in events)


@pytest.mark.parametrize(("text", "event_type", "expected"), [
    ("The crossing has been closed by Kosovo since 1999.", "COERCE", ("1999", "year", "text")),
    ("Kosovo has detained two Serbian officers since February 7.", "COERCE", ("2023-02-07", "day", "text")),
    ("Serbia has suspended its talks with Kosovo since 1999.", "SANCTION", ("1999", "year", "text")),
    ("Serbia has blocked the road to Kosovo since February 7.", "COERCE", ("2023-02-07", "day", "text")),
])
def test_the_act_that_began_a_state_since_a_date_takes_that_date(extract, text, event_type, expected):
    event = only(extract(text, published="2023-02-15"), event_type)
    assert (event.event_date, event.date_precision, event.date_basis) == expected


@pytest.mark.parametrize("text", [
    "The Serbian blockade since 1999 has isolated the north, and Kosovo has urged Serbia to lift it.",
    "The closure of the crossing since 1999 has cut the villages off, and the EU has called on Serbia to reopen it.",
    "The Serbian offensive there since February 7 has displaced thousands of people, and Kosovo has urged Serbia "
    "to stop the fighting.",
])
def test_the_period_of_a_noun_dates_that_noun_not_a_clause_beside_it(extract, text):
    """'The offensive since January has displaced ..., and I have asked both sides to stop': the period is the
    offensive's; the request coordinated with its clause does not begin at its start."""
    events = extract(text, published="2023-02-15")
    assert only(events, "REQUEST").event_date not in ("1999", "2023-02-07")
    assert [e.event_date for e in events if e.event_type != "REQUEST"] in (["1999"], ["2023-02-07"])


@pytest.mark.parametrize(("text", "event_type"), [
    ("Serbia has restricted flights by Kosovo aircraft since February 7.", "COERCE"),
    ("The Serbian offensive since February 7 has displaced thousands of people.", "ASSAULT"),
])
def test_the_period_of_a_noun_of_the_event_dates_the_event(extract, text, event_type):
    """'restricted flights by UN aircraft since August': the parser may hang the period from the object; it is
    still the act's."""
    assert only(extract(text, published="2023-02-15"), event_type).event_date == "2023-02-07"


@pytest.mark.parametrize(("text", "event_type"), [
    ("Serbia and Kosovo have met six times since 1999.", "CONSULT"),
    ("Serbia and Kosovo have met on several occasions since 1999.", "CONSULT"),
    ("Russian troops have shelled Ukraine for months.", "ASSAULT"),
])
def test_a_series_or_a_span_up_to_now_has_no_single_day(extract, text, event_type):
    event = only(extract(text, published="2023-02-15"), event_type)
    assert (event.event_date, event.date_basis) == (None, None)


def test_an_undated_statement_takes_the_publication_day(extract):
    event = only(extract("The EU urged Serbia to recognise Kosovo.", published="2023-02-20"), "REQUEST")
    assert (event.event_date, event.date_precision, event.date_basis) == ("2023-02-20", "day", "published")


def test_without_a_publication_date_an_undated_event_has_none(extract):
    event = only(extract("Serbia and Kosovo met in Brussels."), "CONSULT")
    assert (event.event_date, event.date_precision, event.date_basis) == (None, "unknown", None)


def test_an_undated_act_takes_the_day_of_the_story(extract):
    text = ("Serbia and Kosovo signed a deal in Brussels on March 18.\n\n"
            "After the ceremony, Vucic met Kurti for an hour. Borrell urged both sides to respect the deal.")
    events = extract(text, published="2023-03-19")
    met = only(events, "CONSULT")
    assert (met.event_date, met.date_basis) == ("2023-03-18", "context")
    urged = only(events, "REQUEST")
    assert (urged.event_date, urged.date_basis) == (None, None)


@pytest.mark.parametrize(("text", "event_type", "expected"), [
    # The happening of the frame carries its own date ...
    ("At Monday's talks in Brussels, Kurti accused Belgrade of stalling.", "ACCUSE", ("2023-02-13", "context")),
    ("At Monday's summit, the EU imposed sanctions on Serbia.", "SANCTION", ("2023-02-13", "context")),
    # (a date after the noun is of the sentence: the text's)
    ("During the talks on March 18, Vucic rejected the plan for new licence plates.", "REJECT",
     ("2023-03-18", "text")),
    # ... not a place ('at the talks in Brussels'), nor a date of another noun beside it.
    ("At the talks in Brussels, Kurti accused Belgrade of stalling.", "ACCUSE", ("2023-03-19", "published")),
])
def test_an_act_framed_by_a_happening_that_carries_its_date_takes_it(extract, text, event_type, expected):
    event = only(extract(text, published="2023-03-19"), event_type)
    assert (event.event_date, event.date_basis) == expected


@pytest.mark.parametrize(("text", "event_type", "expected"), [
    # A step back into the background is no happening the next act belongs to ...
    ("Serbia and Kosovo met in Brussels on March 18. Russia had shelled Ukraine in February 2022. Kurti thanked "
     "Borrell for his mediation.", "SUPPORT", ("2023-03-18", "context")),
    ("Serbia and Kosovo met in Brussels on March 18. The EU had sanctioned Serbia in 1998. Kurti accused Belgrade "
     "of stalling.", "ACCUSE", ("2023-03-18", "context")),
    ("Kosovo detained two Serbian officers on March 18. Serbia, which had shelled Kosovo in 1998, accused Kosovo of "
     "provocations.", "ACCUSE", ("2023-03-18", "context")),
    # ... while an act told on the main line is.
    ("Russian troops shelled Ukraine in February 2022. Kurti accused Belgrade of stalling.", "ACCUSE",
     ("2022-02", "context")),
])
def test_a_background_act_is_no_happening_the_next_act_belongs_to(extract, text, event_type, expected):
    event = only(extract(text, published="2023-03-19"), event_type)
    assert (event.event_date, event.date_basis) == expected


def test_a_simple_past_read_as_a_participle_takes_the_day_of_the_story(extract):
    """The tagger may read a sentence's own past verb after a long subject as a participle."""
    text = ("Serbia and Kosovo met in Brussels on March 19.\n\nThe talks lasted five hours. Borrell chaired them. "
            "Lajcak attended.\n\nSupporters of Kurti, who led the campaign against the accord, protested outside "
            "the building.")
    event = only(extract(text, published="2023-03-20"), "PROTEST")
    assert (event.event_date, event.date_basis) == ("2023-03-19", "context")


@pytest.mark.parametrize(("text", "expected"), [
    # The story is of the publication day: an undated statement is that day's.
    ("Serbia and Kosovo signed a deal in Brussels on Sunday.\n\nBorrell urged Serbia to recognise Kosovo.",
     "2023-03-19"),
    ("Serbia and Kosovo met in Brussels on March 19.\n\nBorrell urged Serbia to recognise Kosovo.", "2023-03-19"),
    # A report of the day before: 'urged' may be either day.
    ("Serbia and Kosovo signed a deal in Brussels yesterday.\n\nBorrell urged Serbia to recognise Kosovo.", None),
    ("Serbia and Kosovo met in Brussels on March 18.\n\nBorrell urged Serbia to recognise Kosovo.", None),
])
def test_an_undated_statement_takes_the_publication_day_only_in_a_story_of_that_day(extract, text, expected):
    event = only(extract(text, published="2023-03-19"), "REQUEST")
    assert event.event_date == expected
    assert event.date_basis == ("published" if expected else None)


READOUT = "Vucic and Kurti met in Brussels on March 18 for talks hosted by Borrell.\n\n"


@pytest.mark.parametrize(("text", "event_type"), [
    ("Kurti accused Belgrade of stirring up unrest in the north.", "ACCUSE"),
    ("The talks lasted five hours. Vucic rejected the plan for new licence plates.", "REJECT"),
    ("Borrell praised both leaders for their restraint.", "SUPPORT"),
    ("He thanked the talks' host. Kurti called for the protection of the Albanian minority in Serbia.", "REQUEST"),
])
def test_a_past_statement_in_the_readout_of_a_dated_meeting_takes_its_date(extract, text, event_type):
    """One who took part in the meeting, telling in the past with no date of its own: said there."""
    event = only(extract(READOUT + text, published="2023-03-19"), event_type)
    assert (event.event_date, event.date_basis) == ("2023-03-18", "context")


@pytest.mark.parametrize(("text", "event_type"), [
    ("In Washington, the State Department urged both leaders to show flexibility.", "REQUEST"),
    ("Blinken praised both leaders for their restraint.", "SUPPORT"),
    ("Vucic later rejected the plan for new licence plates.", "REJECT"),
    ("Ahead of the talks, Kurti accused Belgrade of stirring up unrest in the north.", "ACCUSE"),
    ("Ahead of the meeting, Vucic set out his position, saying Serbia rejected the plan for new licence plates.",
     "REJECT"),
    ("The talks lasted five hours. Lajcak attended. Borrell chaired them. Kurti has accused Belgrade of stirring up "
     "unrest in the north.", "ACCUSE"),
    ("The war broke out in 1998. Kurti accused Belgrade of stirring up unrest in the north.", "ACCUSE"),
])
def test_a_reaction_or_an_act_of_another_time_is_no_part_of_the_readout(extract, text, event_type):
    """A reaction by someone who was not there, a present perfect, or a readout another dated act has
    ended."""
    events = [e for e in extract(READOUT + text, published="2023-03-19") if e.event_type == event_type]
    assert events and all(e.event_date != "2023-03-18" for e in events)


STORY = "Vucic and Kurti agreed on a roadmap in Ohrid on March 18.\n\n"
STEP_BACK = "Vucic and Kurti held talks in Brussels on March 1, with Lajcak mediating.\n\n"


@pytest.mark.parametrize(("steps_back", "text", "event_type"), [
    (STEP_BACK, "Kurti accused Belgrade of stalling.", "ACCUSE"),
    ("Vucic and Kurti first met in Brussels on February 27 for talks hosted by Borrell.\n\n",
     "Vucic rejected any recognition of Kosovo at the United Nations.", "REJECT"),
    ("Kurti met Vucic in Paris on March 10 at a dinner hosted by Borrell.\n\n",
     "Kurti urged the EU to make the roadmap binding.", "REQUEST"),
])
def test_an_earlier_meeting_told_after_the_story_leaves_the_readout_to_the_story(extract, steps_back, text,
                                                                                 event_type):
    """The talks that led to the lead's agreement, told after it, are background: what the parties said is of
    the agreement's day."""
    event = only(extract(STORY + steps_back + text, published="2023-03-22"), event_type)
    assert (event.event_date, event.date_basis) == ("2023-03-18", "context")


@pytest.mark.parametrize(("text", "event_type", "expected"), [
    # Not there: neither the story's day nor the talks'.
    (STORY + STEP_BACK + "Putin accused Kosovo of stalling.", "ACCUSE", None),
    # A meeting dated after the story's agreement is a readout of its own.
    (STORY + "Vucic and Kurti met Borrell again in Brussels on March 21.\n\nKurti accused Belgrade of stalling.",
     "ACCUSE", "2023-03-21"),
    # A story the speakers took no part in leaves the earlier talks their readout.
    ("Kosovo police clashed with Serb gunmen in Banjska on March 18.\n\n" + STEP_BACK +
     "Kurti accused Belgrade of stalling.", "ACCUSE", "2023-03-01"),
])
def test_only_the_story_of_the_speakers_takes_over_an_earlier_readout(extract, text, event_type, expected):
    event = only(extract(text, published="2023-03-22"), event_type)
    assert event.event_date == expected


HOSTED = "Vucic and Kurti met in Brussels on March 18 for talks hosted by Lajcak.\n\n"
# Past the lead, the readout ended by another dated happening.
ENDED = HOSTED + "The talks lasted five hours. Borrell chaired them.\n\nThe war broke out in 1998.\n\n"


@pytest.mark.parametrize("text", [
    "Lajcak said he remained committed to the dialogue.",
    "Lajcak said Serbia was ready to resume the talks.",
    "Lajcak said Kosovo was fully committed to the roadmap.",
])
@pytest.mark.parametrize(("published", "expected"), [("2023-03-18", ("2023-03-18", "published")),
                                                     ("2023-03-22", (None, None))])
def test_a_stance_told_as_what_someone_said_is_a_statement(extract, text, published, expected):
    """'X said the army remained committed': dated as the telling is, the publication day only in a story of
    that day; not the story's day as an act of the story would be."""
    event = only(extract(ENDED + text, published=published), "AGREE")
    assert (event.event_date, event.date_basis) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # An act of the story told by someone: the story's day.
    (ENDED + "Lajcak said the two leaders agreed to resume the talks.", ("2023-03-18", "context")),
    # A stance in the readout of one who took part: the meeting's day.
    (HOSTED + "Lajcak said he was ready to resume the talks.", ("2023-03-18", "context")),
    (HOSTED + "Lajcak said he remained committed to the dialogue.", ("2023-03-18", "context")),
])
def test_an_act_said_or_a_stance_of_the_readout_keeps_its_day(extract, text, expected):
    event = only(extract(text, published="2023-03-22"), "AGREE")
    assert (event.event_date, event.date_basis) == expected


@pytest.mark.parametrize("text", [
    '"Kosovo and Serbia have committed to the roadmap," Lajcak said.',
    '"Serbia has agreed to resume the talks," Lajcak said.',
    "Lajcak said Serbia has agreed to resume the talks.",
])
def test_a_present_perfect_a_past_telling_reports_past_the_lead_has_no_date(extract, text):
    """Like a present perfect of the main line: of some time up to the telling, not of a day."""
    event = only(extract(ENDED + text, published="2023-03-22"), "AGREE")
    assert (event.event_date, event.date_basis) == (None, None)


@pytest.mark.parametrize("text", [
    "Lajcak has said he is ready to resume the talks.",
    "Lajcak has said that Serbia is ready to resume the talks.",
    "Vucic has said Serbia remained committed to the dialogue.",
])
def test_an_act_a_present_perfect_telling_reports_past_the_lead_has_no_date(extract, text):
    """'X has said it will not take part': the telling is of some time up to the article, and so is what it tells."""
    event = only(extract(ENDED + text, published="2023-03-22"), "AGREE")
    assert (event.event_date, event.date_basis) == (None, None)


def test_a_present_perfect_a_present_telling_reports_is_its_news(extract):
    """'X says Y has committed': the telling is of the article's day, and what it reports is its news."""
    event = only(extract(ENDED + "Lajcak says Kosovo has committed to the roadmap.", published="2023-03-22"),
                 "AGREE")
    assert event.event_date is not None


# Who each person of the readouts below acts for: their state, as the actors stage gives it.
LEADERS = [Actor("person:aleksandar-vucic", "Aleksandar Vucic", "person", "SRB"),
           Actor("person:albin-kurti", "Albin Kurti", "person", "XKX"),
           Actor("person:vladimir-putin", "Vladimir Putin", "person", "RUS"),
           Actor("state:SRB", "Serbia", "state", "SRB"), Actor("state:XKX", "Kosovo", "state", "XKX"),
           Actor("gov:SRB", "Government of Serbia", "government", "SRB"),
           Actor("state:RUS", "Russia", "state", "RUS")]


def _with_leaders(nlp, text: str, published: str) -> list[Event]:
    article = make_article(text, published)
    mentions = build_mentions(article)
    doc = nlp(text)
    annotate_coreference(doc, [m for m in mentions if m.kind == "actor"])
    return run_event_stage(doc, article, mentions, (), LEADERS)


@pytest.mark.parametrize("lead", [
    "Serbia and Kosovo agreed on a roadmap, Borrell said after twelve hours of talks in Brussels on Sunday.\n\n",
    "Serbia and Kosovo met in Brussels on Sunday for talks hosted by the European Union.\n\n",
])
@pytest.mark.parametrize(("text", "event_type"), [
    ("Kurti accused Belgrade of stalling on the roadmap.", "ACCUSE"),
    ("Vucic rejected any recognition of Kosovo at the United Nations.", "REJECT"),
    ("The talks ran past midnight. Kurti urged the EU to make the roadmap binding.", "REQUEST"),
])
def test_a_leader_of_a_state_at_the_talks_speaks_in_their_readout(nlp, lead, text, event_type):
    """The lead names the states as the parties; their leaders' statements after it are of the talks' day."""
    event = only(_with_leaders(nlp, lead + text, "2023-03-20"), event_type)
    assert (event.event_date, event.date_basis) == ("2023-03-19", "context")


@pytest.mark.parametrize(("text", "event_type"), [
    ("Vladimir Putin accused Kosovo of provoking Serbia.", "ACCUSE"),
    ("Vladimir Putin urged Kosovo to withdraw its police from the north.", "REQUEST"),
])
def test_a_leader_of_a_state_not_at_the_talks_is_no_part_of_their_readout(nlp, text, event_type):
    lead = "Serbia and Kosovo agreed on a roadmap, Borrell said after twelve hours of talks in Brussels on Sunday.\n\n"
    events = [e for e in _with_leaders(nlp, lead + text, "2023-03-20") if e.event_type == event_type]
    assert events and all(e.event_date != "2023-03-19" for e in events)


LIVE = ("Newest posts first.\n\nSunday 19 March\n\n20:05\nSerbia and Kosovo met in Brussels on Sunday.\n\n"
        "Saturday 18 March\n\n22:40\n")


@pytest.mark.parametrize(("text", "event_type"), [
    ("Kurti welcomed the plan.", "SUPPORT"),
    ("Serbia and Kosovo agreed to a truce.", "AGREE"),
    ("Borrell urged Serbia to recognise Kosovo.", "REQUEST"),
])
def test_a_live_blog_entry_is_of_its_headings_day(extract, text, event_type):
    """Newest posts first: an entry under 'Saturday 18 March' is of that day, not of the blog's or of the
    entry above."""
    event = only(extract(LIVE + text, published="2023-03-19"), event_type)
    assert (event.event_date, event.date_basis) == ("2023-03-18", "context")


@pytest.mark.parametrize(("text", "event_type"), [
    ("Borrell urges Serbia to recognise Kosovo.", "REQUEST"),
    ("The Kosovo government welcomes the meeting.", "SUPPORT"),
    ("Vucic argues that Kosovo should dissolve its special police.", "REQUEST"),
])
def test_a_statement_in_the_present_is_of_the_publication_day_in_a_report_of_an_earlier_day(extract, text,
                                                                                             event_type):
    """The story is of March 18; a statement the article tells in the present is made on its own day."""
    text = "Serbia and Kosovo met in Brussels on March 18.\n\n" + text
    event = only(extract(text, published="2023-03-19"), event_type)
    assert (event.event_date, event.date_basis) == ("2023-03-19", "published")


def test_a_headline_present_is_the_day_of_the_story(nlp):
    title = "Serbia declares truce along Kosovo boundary"
    text = f"{title}\n\nKosovo and Serbia met in Brussels on March 18, 2023, the EU said."
    article = dataclasses.replace(make_article(text, "2023-03-19"), title=title)
    truce = only(extract_events(nlp(text), article, build_mentions(article)), "CONCEDE")
    assert (truce.event_date, truce.date_basis) == ("2023-03-18", "context")


def test_an_undated_signing_is_an_act_of_the_story_day(extract):
    text = ("Ethiopia and the TPLF agreed on a truce in Pretoria on November 2, 2022.\n\n"
            "The deal was signed by Redwan Hussien and Getachew Reda.")
    signed = only(extract(text, published="2023-11-03"), "SUPPORT")
    assert (signed.event_date, signed.date_basis) == ("2022-11-02", "context")


def test_without_a_publication_date_an_undated_statement_has_no_date(extract):
    text = "Serbia and Kosovo signed a deal in Brussels on March 18, 2023.\n\nThe EU urged Serbia to recognise Kosovo."
    urged = only(extract(text), "REQUEST")
    assert (urged.event_date, urged.date_basis) == (None, None)


@pytest.mark.parametrize("text", [
    "Serbia and Kosovo will meet in Brussels.",
    "Serbia and Kosovo had met in Brussels before the war.",
    "Talks between Serbia and Kosovo are proceeding.",
])
def test_planned_background_and_ongoing_events_get_no_date_they_do_not_state(extract, text):
    assert all(e.event_date is None for e in extract(text, published="2023-02-20"))


LEAD = ("Serbia and Kosovo met in Brussels on March 19.\n\nThe talks lasted five hours. Borrell chaired them. "
        "Lajcak attended.\n\n")


@pytest.mark.parametrize(("text", "event_type"), [
    ("The Kosovo government has demanded that Serbia recognise its passports.", "REQUEST"),
    ("Serbian police have arrested three Kosovo officers near Jarinje.", "COERCE"),
    ("Kurti has accused Belgrade of arming the gangs.", "ACCUSE"),
    ("Both sides have since accused each other of breaking the deal.", "ACCUSE"),
])
def test_a_present_perfect_outside_the_news_has_no_day(extract, text, event_type):
    """An act told in the present perfect past the lead, with no date of its own, is of some time up to the
    article."""
    events = [e for e in extract(LEAD + text, published="2023-03-19") if e.event_type == event_type]
    assert events and all((e.event_date, e.date_basis) == (None, None) for e in events)


@pytest.mark.parametrize(("text", "event_type"), [
    ("Serbia and Kosovo have agreed on a truce in Brussels, the EU said.", "AGREE"),
    ("Serbia and Kosovo met in Brussels.\n\n11:05 am - Serbia and Kosovo have agreed on a truce.", "AGREE"),
    ("Serbia and Kosovo met in Brussels.\n\n16:48\nSerbia and Kosovo have agreed on a truce.", "AGREE"),
    ("Serbia and Kosovo met in Brussels.\n\nUPDATE 14:05 - Serbia and Kosovo have agreed on a truce.", "AGREE"),
    ("Serbia and Kosovo met in Brussels.\n\n23:17:25 \u2014 Kurti has accused Belgrade of arming the gangs.", "ACCUSE"),
])
def test_a_present_perfect_in_the_lead_or_a_live_entry_keeps_a_date(extract, text, event_type):
    event = only(extract(text, published="2023-03-19"), event_type)
    assert event.event_date is not None


PACT = ("Serbia and Kosovo met in Brussels on March 19.\n\nThe talks lasted five hours. Borrell chaired them. "
        "Lajcak attended.\n\nSerbia and Kosovo reached a deal in Ohrid on February 27. ")


@pytest.mark.parametrize(("text", "trigger", "expected"), [
    ("Under the agreement, Serbia committed to recognise Kosovo's passports.", "committed", "2023-02-27"),
    ("The accord also commits both sides to protect minorities.", "commits", "2023-02-27"),
    ("The EU had brokered a truce in 2020 between Serbia and Kosovo, in which Serbia promised to withdraw its "
     "troops.", "promised", "2020"),
])
def test_what_a_pact_lays_down_takes_the_pacts_date(extract, text, trigger, expected):
    """Not the story's day (March 19) nor the publication day: the terms are of the pact's day."""
    event = next(e for e in extract(PACT + text, published="2023-03-20") if e.trigger == trigger)
    assert (event.event_date, event.date_basis) == (expected, "context")


@pytest.mark.parametrize(("text", "expected"), [
    # The pact told before is a signing, dated in its clause or counted from another act's day.
    ("Ethiopia and the TPLF signed a deal in Pretoria on Tuesday.", "2023-02-14"),
    ("The EU lifted sanctions on Friday, a day after Ethiopia and the TPLF signed a deal in Pretoria.", "2023-02-16"),
])
def test_what_a_signed_pact_lays_down_takes_the_signings_date(extract, text, expected):
    events = extract(text + "\n\nThe accord commits both sides to protect civilians.", published="2023-02-20")
    event = next(e for e in events if e.trigger == "commits")
    assert (event.event_date, event.date_basis) == (expected, "context")


def test_a_headline_and_its_lead_are_one_event(extract):
    text = "Serbia and Kosovo sign energy deal\n\nSerbia and Kosovo signed an energy deal in Brussels on Monday."
    events = [e for e in extract(text, published="2023-02-14") if e.event_type == "SUPPORT"]
    assert len(events) == 1
    assert events[0].event_date == "2023-02-13" and len(events[0].mention_spans) == 2


def test_a_headline_under_a_kicker_is_one_event_with_the_lead(extract):
    text = ("ANALYSIS\n\nSerbia and Kosovo sign an energy deal\n\nSerbia and Kosovo signed an energy deal in "
            "Brussels on Monday. Serbia and Kosovo signed a second deal on Friday.")
    events = [e for e in extract(text, published="2023-02-14") if e.event_type == "SUPPORT"]
    assert len(events) == 2
    assert sorted(len(e.mention_spans) for e in events) == [1, 2]


def test_participant_place_is_not_the_event_place(nlp):
    text = "Serbia and Kosovo met."
    article = make_article(text)
    mentions = build_mentions(article)
    mentions.append(Mention("m:place", article.article_id, "place", "Serbia", 0, 6, "geonames:6290252",
                            "country", "test"))
    event = only(extract_events(nlp(text), article, mentions), "CONSULT")
    assert event.place_id is None


# --- row shape and noise -------------------------------------------------------------------------------


def test_offsets_ids_and_evidence(extract):
    text = "Kurti arrived early. Serbia and Kosovo met in Brussels on Tuesday."
    events = extract(text)
    event = only(events, "CONSULT")
    assert text[event.char_start:event.char_end] == event.trigger == "met"
    assert event.evidence == "Serbia and Kosovo met in Brussels on Tuesday."
    assert event.event_id == make_id("event", text_hash(text), "CONSULT", event.char_start, event.char_end)
    assert event.status in EVENT_STATUSES and event.date_precision in DATE_PRECISIONS
    assert 0 <= event.confidence <= 1
    assert event.cluster_id is None


@pytest.mark.parametrize("text", [
    "The peace process is a long road.",
    "Talks are important for everyone.",
    "Officials hope a deal could be signed.",
    "The war was a tragedy.",
])
def test_generic_sentences_give_no_event(extract, text):
    assert extract(text) == []


def test_headline_line_is_its_own_sentence(extract):
    text = "Serbia and Kosovo meet in Brussels\nThe EU praised Ethiopia on Tuesday."
    event = only(extract(text), "CONSULT")
    assert event.event_date is None
    assert event.evidence == "Serbia and Kosovo meet in Brussels"


def test_same_type_noun_is_merged_into_its_verb(extract):
    events = extract("Vucic and Kurti will meet in Brussels for a new round of EU-mediated talks.")
    event = only(events, "CONSULT")
    assert event.trigger == "meet"
    assert event.other_actor_ids == ["igo:EU"]
    assert set(event.source_actor_ids) == {"person:aleksandar-vucic", "person:albin-kurti"}


# --- clustering ----------------------------------------------------------------------------------------


def event(event_id: str, date: str | None, place: str | None = "geonames:1", status: str = "occurred",
          event_type: str = "CONSULT", source: tuple[str, ...] = ("state:SRB", "state:XKX")) -> Event:
    return Event(event_id, "a" * 16, event_type, None, "met", list(source), [], [], date,
                 "day" if date else "unknown", place, status, "evidence", 0, 3, None, 0.9)


def clusters(events: list[Event]) -> list[set[str]]:
    groups: dict[str, set[str]] = {}
    for item in cluster_events(events):
        groups.setdefault(item.cluster_id, set()).add(item.event_id)
    return sorted(groups.values(), key=min)


def test_same_day_and_contained_dates_cluster():
    assert clusters([event("e1", "2023-02-14"), event("e2", "2023-02"), event("e3", "2023-02-14/2023-02-16")]) \
        == [{"e1", "e2", "e3"}]


def test_different_dates_do_not_cluster():
    assert clusters([event("e1", "2023-02-14"), event("e2", "2023-05-02")]) == [{"e1"}, {"e2"}]


def test_unknown_date_clusters_only_with_the_same_place():
    assert clusters([event("e1", "2023-02-14"), event("e2", None)]) == [{"e1", "e2"}]
    assert clusters([event("e1", "2023-02-14", None), event("e2", None)]) == [{"e1"}, {"e2"}]
    assert clusters([event("e1", "2023-02-14", "geonames:1"), event("e2", None, "geonames:2")]) == \
        [{"e1"}, {"e2"}]


def test_undated_row_does_not_bridge_two_meetings():
    found = clusters([event("e1", "2023-02-14"), event("e2", None), event("e3", "2023-05-02")])
    assert {"e1", "e3"} not in found and len(found) == 2


def test_undated_unplaced_repeat_in_the_same_article_clusters():
    found = clusters([event("e1", "2023-02-14"), event("e2", None, None)])
    assert found == [{"e1", "e2"}]
    other_article = event("e3", None, None)
    other_article.article_id = "b" * 16
    assert clusters([event("e1", "2023-02-14"), other_article]) == [{"e1"}, {"e3"}]


def test_planned_and_occurred_link_but_hypothetical_does_not():
    assert clusters([event("e1", "2023-02-14", status="planned"), event("e2", "2023-02-14")]) == \
        [{"e1", "e2"}]
    assert clusters([event("e1", "2023-02-14", status="hypothetical"), event("e2", "2023-02-14")]) == \
        [{"e1"}, {"e2"}]


def test_a_denial_told_twice_in_one_article_clusters_but_not_with_what_happened():
    assert clusters([event("e1", "2023-02-14", status="negated"), event("e2", None, None, status="negated")]) == \
        [{"e1", "e2"}]
    assert clusters([event("e1", "2023-02-14", status="negated"), event("e2", None, None)]) == [{"e1"}, {"e2"}]
    other_article = event("e3", "2023-02-14", status="negated")
    other_article.article_id = "b" * 16
    assert clusters([event("e1", "2023-02-14", status="negated"), other_article]) == [{"e1"}, {"e3"}]


def test_type_and_participants_must_match():
    assert clusters([event("e1", "2023-02-14"), event("e2", "2023-02-14", event_type="AGREE")]) == \
        [{"e1"}, {"e2"}]
    assert clusters([event("e1", "2023-02-14"), event("e2", "2023-02-14", source=("state:RUS",))]) == \
        [{"e1"}, {"e2"}]


def test_cluster_id_is_made_from_the_smallest_member_and_order_free():
    rows = [event("e2", "2023-02-14"), event("e1", "2023-02")]
    first = cluster_events(rows)
    assert {e.cluster_id for e in first} == {make_id("ecluster", "e1")}
    assert [e.cluster_id for e in cluster_events(rows[::-1])] == [e.cluster_id for e in first][::-1]
    assert rows[0].cluster_id is None


def test_clustering_compares_every_pair_the_rule_can_link():
    """Only pairs of one article, one place or overlapping days are compared: the others never link."""
    rng = random.Random(7)
    dates = [None, None, "2023", "2023-02", "2023-02-14", "2023-02-15", "2023-02-14/2023-02-16", "2023-W07",
             "2022-12-31/2023-01-02", "2023-01-01", "202X", "2023-05-02", "garbage"]
    rows = []
    for n in range(160):
        row = event(f"e{n:03d}", rng.choice(dates), rng.choice([None, None, "geonames:1", "geonames:2"]),
                    rng.choice(["occurred", "occurred", "planned", "negated"]), rng.choice(["CONSULT", "AGREE"]),
                    tuple(rng.sample(["state:SRB", "gov:srb", "state:XKX", "igo:EU", "person:x"], 2)))
        row.article_id = rng.choice("abcdef") * 16
        rows.append(row)
    compared = set(_candidate_pairs(rows, {i: i for i in range(len(rows))}, [_actors(row) for row in rows]))
    linked = {(i, j) for i in range(len(rows)) for j in range(i + 1, len(rows)) if same_event(rows[i], rows[j])}
    assert linked and linked <= compared
    assert len(compared) < len(rows) * (len(rows) - 1) // 4


@pytest.mark.parametrize(("a", "b", "ok"), [
    ("2023", "2023-06-27", True),
    ("2023-06-27/2023-06-29", "2023-06-28", True),
    ("2023-W26", "2023-06-27", True),
    ("202X", "2023-06", True),
    ("2023-06", "2023-07-01", False),
    ("2023-06-27", "garbage", False),
])
def test_dates_compatible(a, b, ok):
    assert dates_compatible(a, b) is ok


# --- unseen articles ---------------------------------------------------------------------------------


def unseen_events(nlp, name: str) -> list[Event]:
    text = (UNSEEN / name).read_text(encoding="utf-8")
    article = make_article(text)
    return extract_events(nlp(text), article, build_mentions(article))


def test_unseen_serbia_kosovo(nlp):
    events = unseen_events(nlp, "events_serbia_kosovo.txt")
    consult = [e for e in events if e.event_type == "CONSULT" and "igo:EU" in e.other_actor_ids]
    assert consult, [(e.event_type, e.trigger) for e in events]
    assert any({"person:aleksandar-vucic", "person:albin-kurti"} <= set(e.source_actor_ids) for e in consult)
    planned = [e for e in events if e.event_type == "CONSULT" and e.status == "planned"]
    assert any(e.event_date == "2023-03-18" and e.place_id == PLACES["Ohrid"] for e in planned)
    assert any(e.event_type == "ACCUSE" and e.source_actor_ids == ["person:albin-kurti"] for e in events)
    assert all(e.date_basis == "published" for e in events if e.event_date == "2023-02-20")


def test_unseen_ethiopia_tigray(nlp):
    events = unseen_events(nlp, "events_ethiopia_tigray.txt")
    types = {e.event_type for e in events}
    assert {"CONSULT", "CONCEDE"} <= types, [(e.event_type, e.trigger) for e in events]
    talks = [e for e in events if e.event_type == "CONSULT" and "igo:AU" in e.other_actor_ids]
    assert any({"state:ETH", "group:tplf"} <= set(e.source_actor_ids) for e in talks)
    assert any(e.place_id == PLACES["Pretoria"] and e.event_date == "2022-10-25" for e in talks)
    signed = [e for e in events if e.event_type in ("SUPPORT", "AGREE")]
    assert any(e.event_date == "2022-11-02" for e in signed)


def test_unseen_planned_meeting_clusters_with_its_later_report(nlp):
    events = unseen_events(nlp, "events_serbia_kosovo.txt") + unseen_events(nlp, "events_ohrid_followup.txt")
    clustered = cluster_events(events)
    ohrid = [e for e in clustered if e.event_type == "CONSULT" and e.event_date == "2023-03-18"]
    assert {e.status for e in ohrid} == {"planned", "occurred"}
    assert len({e.cluster_id for e in ohrid}) == 1
    brussels = [e for e in clustered if e.event_type == "CONSULT" and e.event_date == "2023-02-27"]
    assert brussels and brussels[0].cluster_id != ohrid[0].cluster_id
    assert all(e.cluster_id for e in clustered)


def test_unseen_followup_roles(nlp):
    events = unseen_events(nlp, "events_ohrid_followup.txt")
    met = only([e for e in events if e.trigger == "met"], "CONSULT")
    assert met.source_actor_ids == ["person:albin-kurti", "person:aleksandar-vucic"]
    assert met.other_actor_ids == ["igo:EU"] and met.event_mode == "third-party"
    assert any(e.event_type == "SUPPORT" and e.status == "negated" for e in events)


def unseen_rows(nlp, name: str) -> set[tuple]:
    """The rows of an unseen article, hashable: (type, trigger, source, target, other, date, place, status)."""
    return {tuple(tuple(v) if isinstance(v, list) else v for v in row) for row in rows(unseen_events(nlp, name))}


def test_unseen_congo_violence_agreement_and_calls(nlp):
    found = unseen_rows(nlp, "events_congo_m23.txt")
    expected = {
        ("ASSAULT", "attacked", ("group:m23",), (), (), "2023-02-07", PLACES["Sake"], "occurred"),
        ("ASSAULT", "shelled", ("group:m23",), (), (), "2023-02-14", PLACES["Kitshanga"], "occurred"),
        ("ASSAULT", "fighting", ("group:m23", "state:COD"), (), (), "2022-03", None, "occurred"),
        ("ASSAULT", "offensive", ("group:m23",), (), (), "2022-03", PLACES["North Kivu"], "occurred"),
        ("AGREE", "agreed", ("state:COD", "group:m23"), (), (), None, None, "occurred"),
        ("CONSULT", "meeting", ("person:felix-tshisekedi", "person:joao-lourenco"), (), (), "2023-02-13",
         PLACES["Luanda"], "occurred"),
        ("CONSULT", "spoke", ("person:felix-tshisekedi", "person:paul-kagame"), (), (), None, None, "occurred"),
    }
    assert expected <= found, sorted(found - expected)
    assert not any("state:AGO" in row[2] for row in found)


def test_unseen_yemen_truce_parties_are_never_the_guarantors(nlp):
    found = unseen_rows(nlp, "events_yemen_truce.txt")
    expected = {
        ("AGREE", "agreed", ("group:houthis", "gov:YEM"), (), (), "2023-04-02", None, "occurred"),
        ("CONSULT", "talks", ("gov:YEM", "group:houthis"), (), ("state:SAU",), "2023-02-16", PLACES["Riyadh"],
         "occurred"),
        ("AGREE", "deal", ("gov:YEM", "group:houthis"), (), (), None, None, "occurred"),
        ("AGREE", "committed", ("group:houthis",), (), (), None, None, "occurred"),
        ("AGREE", "pledged", ("gov:YEM",), (), (), None, None, "occurred"),
        ("ASSAULT", "killed", (), (), (), "2023-03", PLACES["Aden"], "occurred"),
        ("ASSAULT", "Air strikes", (), (), (), "2023-01", None, "occurred"),
        ("SUPPORT", "signed", ("gov:YEM", "group:houthis"), (), (), None, None, "negated"),
    }
    assert expected <= found, sorted(found - expected)
    assert not any({"state:OMN", "igo:UN"} & set(row[2] + row[3]) for row in found)


def test_unseen_sudan_fighting_truce_and_hosted_talks(nlp):
    found = unseen_rows(nlp, "events_sudan_jeddah.txt")
    expected = {
        ("ASSAULT", "Fighting", ("gov:SDN:army", "group:rsf"), (), (), "2023-04-15", PLACES["Khartoum"],
         "occurred"),
        ("ASSAULT", "attacked", ("group:rsf",), (), (), "2023-02-16", PLACES["El Obeid"], "occurred"),
        ("ASSAULT", "shelled", (), (), (), None, PLACES["Bahri"], "occurred"),
        ("AGREE", "agreed", ("gov:SDN:army", "group:rsf"), (), (), "2023-05-20", None, "occurred"),
        ("CONSULT", "talks", ("gov:SDN:army", "group:rsf"), (), ("state:SAU", "state:USA"), "2023-05-20", None,
         "occurred"),
    }
    assert expected <= found, sorted(found - expected)
    assert not any(row[0] == "CONCEDE" for row in found)


def test_unseen_grain_deal_guarantors_calls_and_strikes(nlp):
    events = unseen_events(nlp, "events_ukraine_grain.txt")
    found = unseen_rows(nlp, "events_ukraine_grain.txt")
    expected = {
        ("AGREE", "reached", ("state:RUS", "state:UKR"), (), ("state:TUR", "igo:UN"), "2022-07-22",
         PLACES["Istanbul"], "occurred"),  # 'with Turkey and the United Nations acting as guarantors'
        ("AGREE", "accepted", ("state:UKR",), (), (), "2022-07-20", None, "occurred"),
        ("ASSAULT", "war", ("state:RUS", "state:UKR"), (), (), "2022-02", None, "occurred"),
        ("ASSAULT", "invaded", ("state:RUS",), ("state:UKR",), (), "2022-02", None, "occurred"),
        ("ASSAULT", "struck", (), (), (), "2022-07-23", PLACES["Odesa"], "occurred"),
    }
    assert expected <= found, sorted(found - expected)
    assert not any({"state:TUR", "igo:UN"} & set(row[2] + row[3]) for row in found)
    assert only([e for e in events if e.trigger == "phone call"], "CONSULT").event_mode == "phone"


# --- with the real date, actor and place extractors ------------------------------------------------------


@pytest.fixture(scope="module")
def real_extract(nlp):
    import datetime as dt

    from flows.extract.actors import extract_actor_mentions
    from flows.extract.dates import extract_date_mentions
    from flows.extract.places import extract_place_mentions

    def run(name: str, published: str = "2023-03-20") -> list[Event]:
        text = (UNSEEN / name).read_text(encoding="utf-8")
        article = make_article(text, published)
        doc = nlp(text)
        dates = extract_date_mentions(doc, article.article_id, dt.date.fromisoformat(published))
        actors, _ = extract_actor_mentions(doc, article.article_id, published)
        metonyms = {(m.char_start, m.char_end) for m in actors if m.is_metonym}
        places, _ = extract_place_mentions(doc, article.article_id, metonyms)
        return extract_events(doc, article, dates + actors + places)

    return run


def test_real_extractors_unseen_followup(real_extract):
    events = real_extract("events_ohrid_followup.txt")
    met = only([e for e in events if e.trigger == "met"], "CONSULT")
    assert len(met.source_actor_ids) == 2 and met.other_actor_ids
    assert (met.event_date, met.status) == ("2023-03-18", "occurred")
    assert met.place_id is not None


def test_real_extractors_unseen_sudan(real_extract):
    events = real_extract("events_sudan_jeddah.txt")
    fighting = only([e for e in events if e.trigger == "Fighting"], "ASSAULT")
    assert len(fighting.source_actor_ids) == 2 and fighting.event_date and fighting.place_id
    shelled = only([e for e in events if e.trigger == "shelled"], "ASSAULT")
    assert (shelled.source_actor_ids, shelled.target_actor_ids) == ([], [])
    talks = only([e for e in events if e.trigger == "talks"], "CONSULT")
    assert len(talks.source_actor_ids) == 2 and len(talks.other_actor_ids) == 2
    assert not set(talks.source_actor_ids) & set(talks.other_actor_ids)


def test_real_extractors_unseen_ethiopia(real_extract):
    events = real_extract("events_ethiopia_tigray.txt")
    signed = only([e for e in events if e.trigger == "signed"], "SUPPORT")
    assert len(signed.source_actor_ids) == 2 and signed.event_date and signed.place_id
    assert any(e.event_type == "ACCUSE" and e.source_actor_ids and e.target_actor_ids for e in events)


@pytest.mark.slow
def test_sample_corpus_against_gold(nlp):
    """Events over the real date, actor and place mentions of the sample corpus, scored against the gold."""
    import datetime as dt
    from dataclasses import asdict

    from flows.extract.actors import extract_actor_mentions
    from flows.extract.dates import extract_date_mentions
    from flows.extract.places import extract_place_mentions
    from flows.ingest import ingest_raw
    from flows.release.consolidate import merge_actors, merge_places
    from flows.tools.evaluate import score_events
    from flows.tools.gold import Context, load_gold

    root = Path(__file__).resolve().parents[1]
    ingested = ingest_raw(root / "raw")
    events, actors, places = [], [], []
    for article in ingested.articles:
        doc = nlp(article.text)
        anchor = dt.date.fromisoformat(article.published_date) if article.published_date else None
        dates = extract_date_mentions(doc, article.article_id, anchor)
        actor_mentions, found = extract_actor_mentions(doc, article.article_id, article.published_date)
        metonyms = {(m.char_start, m.char_end) for m in actor_mentions if m.is_metonym}
        place_mentions, found_places = extract_place_mentions(doc, article.article_id, metonyms)
        events += extract_events(doc, article, dates + actor_mentions + place_mentions)
        actors += found
        places += found_places
    release = {
        "articles": [asdict(a) for a in ingested.articles],
        "actors": [asdict(a) for a in merge_actors(actors)],
        "places": [asdict(p) for p in merge_places(places)],
        "events": [asdict(e) for e in cluster_events(events)],
        "quotes": [], "mentions": [],
    }
    gold = load_gold(root / "tests" / "gold")
    result = score_events(gold["events"], Context(gold, release), release["events"])
    assert result["precision"] >= 0.8 and result["recall"] >= 0.6, result


def test_grammar_classes_are_words_and_event_places_include_surfaces():
    from flows.extract.grammar import EVENT_PLACE_PREPOSITIONS, PLACE_PREPOSITIONS, grammar

    assert all(isinstance(w, str) and w not in ("True", "False") for classes in grammar().values()
               for words in classes.values() for w in words)
    assert {"in", "on", "near"} <= EVENT_PLACE_PREPOSITIONS and "to" not in EVENT_PLACE_PREPOSITIONS
    assert {"in", "to", "via"} <= PLACE_PREPOSITIONS and "on" not in PLACE_PREPOSITIONS


@pytest.mark.parametrize(("text", "expected"), [
    ("Tensions rose in March 2008, when Serbia and Kosovo met in Brussels.", "2008-03"),
    ("Trade stopped in the summer of 2011, when Serbia and Kosovo met in Brussels.", "2011"),
    ("The crisis began on February 17, 2008, when Serbia and Kosovo met in Vienna.", "2008-02-17"),
    # The parser hangs the clause from the noun before the date: the date just before 'when' counts.
    ("It was a smaller ceremony than the one in Ohrid on March 18, when Serbia and Kosovo signed a deal.",
     "2023-03-18"),
])
def test_a_relative_time_clause_happens_at_the_date_it_hangs_from(extract, text, expected):
    event = next(e for e in extract(text, published="2023-04-02") if e.event_type in ("CONSULT", "SUPPORT"))
    assert (event.event_date, event.date_basis) == (expected, "text")


def test_a_relative_time_clause_without_a_date_takes_none(extract):
    events = extract("Few remember a time when Serbia and Kosovo met in Brussels.", published="2023-04-02")
    assert [e.event_date for e in events if e.event_type == "CONSULT"] == [None]


@pytest.mark.parametrize("text", [
    "Borrell, who met Vucic and Kurti in Brussels, spoke to reporters on Monday.",
    "The region, where Serbia and Kosovo meet in Brussels, was calm on Monday.",
])
def test_a_relative_clause_does_not_take_the_date_of_the_main_clause(extract, text):
    assert [e.event_date for e in extract(text, published="2023-02-20") if e.event_type == "CONSULT"] == [None]


@pytest.mark.parametrize("text", [
    "Vucic and Kurti met in Ohrid on Monday, where they signed a deal.",
    "Vucic and Kurti met on Monday on the shore of the lake, where they signed a deal.",
])
def test_a_past_act_at_the_place_of_the_main_one_happens_at_its_time(extract, text):
    signed = only(extract(text, published="2023-02-20"), "SUPPORT")
    assert (signed.event_date, signed.date_basis) == ("2023-02-13", "text")


@pytest.mark.parametrize("text", [
    "Vucic thanked Kurti when they spoke on Friday.",
    "Vucic thanked Kurti in Brussels when the two leaders met on Friday.",
])
def test_a_clause_of_the_same_time_dates_the_main_one(extract, text):
    thanked = only(extract(text, published="2023-02-20"), "SUPPORT")
    assert (thanked.event_date, thanked.date_basis) == ("2023-02-17", "text")


@pytest.mark.parametrize("text", [
    "The talks between Serbia and Kosovo that opened on Friday ended without a deal.",
    "The talks between Serbia and Kosovo, which began on Friday, ended without a deal.",
])
def test_a_relative_clause_of_occurrence_dates_its_noun(extract, text):
    talks = only(extract(text, published="2023-02-20"), "CONSULT")
    assert (talks.event_date, talks.date_basis) == ("2023-02-17", "text")


@pytest.mark.parametrize(("text", "expected"), [
    # The subject is the act itself: its date, owned or in its clause of occurrence, is the act's.
    ("Monday's attack on Odesa by Russian troops killed five people.", "2023-02-13"),
    ("The fighting between Serbia and Kosovo that broke out on Tuesday has killed five people.", "2023-02-14"),
])
def test_the_date_of_a_subject_that_is_the_act_dates_it(extract, text, expected):
    event = only(extract(text, published="2023-02-20"), "ASSAULT")
    assert (event.event_date, event.date_basis) == (expected, "text")


@pytest.mark.parametrize(("noun", "expected"), [
    # 'the attack' told after the dated shelling is that shelling; 'an attack' is another one.
    ("the attack", ("2023-02-14", "context")),
    ("an attack", (None, None)),
])
def test_a_definite_event_noun_is_the_dated_act_of_its_type_told_before(extract, noun, expected):
    text = (f"Russian troops shelled Odesa on Tuesday, killing five people.\n\nKurti condemned {noun} on Odesa and "
            "said he had spoken to Borrell.")
    event = next(e for e in extract(text, published="2023-02-20") if e.trigger == "attack")
    assert (event.event_date, event.date_basis) == expected


def test_the_date_an_object_owns_is_not_the_date_of_the_statement(extract):
    events = extract("Kurti condemned Monday's attack on Odesa by Russian troops.", published="2023-02-20")
    assert only(events, "ASSAULT").event_date == "2023-02-13"
    assert only(events, "ACCUSE").event_date != "2023-02-13"


@pytest.mark.parametrize("text", [
    "Serbia blamed Kosovo for the killing of two policemen last year.",
    "Serbia accused Kosovo over the shooting of a police officer last year.",
])
def test_a_date_of_the_noun_an_accusation_is_about_is_not_its_date(extract, text):
    accused = only(extract(text, published="2023-02-20"), "ACCUSE")
    assert (accused.event_date, accused.date_basis) == ("2023-02-20", "published")


@pytest.mark.parametrize(("text", "event_type"), [
    ("Borrell stayed away from the summit, a day after Serbia accused Kosovo of provocations.", "ACCUSE"),
    ("Kurti left Brussels after Serbia rejected the proposal of Kosovo.", "REJECT"),
    ("Kurti returned to Pristina before Serbia attacked Kosovo.", "ASSAULT"),
    ("Since the truce took effect, Serbia has attacked Kosovo.", "ASSAULT"),
    ("Serbia has attacked Kosovo since the truce.", "ASSAULT"),
])
def test_an_act_placed_only_relative_to_another_or_over_a_period_takes_no_day(extract, text, event_type):
    assert [e.event_date for e in extract(text, published="2023-02-20") if e.event_type == event_type] == [None]


@pytest.mark.parametrize(("text", "event_type"), [
    ("Serbia accused Kosovo of provocations.", "ACCUSE"),
    ("Serbia attacked Kosovo.", "ASSAULT"),
])
def test_the_same_acts_on_their_own_take_the_publication_day(extract, text, event_type):
    assert [e.event_date for e in extract(text, published="2023-02-20") if e.event_type == event_type] \
        == ["2023-02-20"]


BACKGROUND = ("Talks between Serbia and Kosovo have stalled for years.\n\nThe EU has tried many formats. "
              "Borrell has visited both capitals. Lajcak has written many drafts.\n\n")


@pytest.mark.parametrize(("text", "event_type", "expected"), [
    # Past the lead of an article whose story has no day, an undated past act is of no day the text gives.
    ("Russian troops shelled Odesa.", "ASSAULT", None),
    ("Serbia withdrew its troops from the border.", "RETREAT", None),
    # A statement is still of the article's day.
    ("Borrell urged Serbia to recognise Kosovo.", "REQUEST", "2023-02-20"),
])
def test_an_undated_past_act_past_the_lead_of_a_story_without_a_day_has_none(extract, text, event_type, expected):
    event = only(extract(BACKGROUND + text, published="2023-02-20"), event_type)
    assert event.event_date == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Serbia and Kosovo met in Brussels in February. Borrell urged Serbia to recognise Kosovo.",
     ("2023-02", "month", "context")),
    ("Serbia and Kosovo met in Brussels in February. Afterwards Borrell urged Serbia to recognise Kosovo.",
     ("2023-02", "month", "context")),
    # Another paragraph: no longer the same happening.
    ("Serbia and Kosovo met in Brussels in February.\n\nBorrell urged Serbia to recognise Kosovo.",
     ("2023-03-19", "day", "published")),
])
def test_a_statement_right_after_a_dated_act_belongs_to_it(extract, text, expected):
    urged = only(extract(text, published="2023-03-19"), "REQUEST")
    assert (urged.event_date, urged.date_precision, urged.date_basis) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Serbia attacked Kosovo in September and October.", "2022-09/2022-10"),
    ("Serbia attacked Kosovo in September or October.", "2022-09/2022-10"),
    ("Serbia attacked Kosovo in September.", "2022-09"),
])
def test_coordinated_dates_make_one_period(extract, text, expected):
    attacked = only(extract(text, published="2023-02-20"), "ASSAULT")
    assert (attacked.event_date, attacked.date_precision, attacked.date_basis) == (expected, "month", "text")


@pytest.mark.parametrize(("text", "expected"), [
    ("Then in February, the envoys arrived in Brussels. Serbia then withdrew its bid to host the summit.", "2023-02"),
    ("On October 25, the envoys arrived in Brussels. Serbia withdrew its bid to host the summit.", "2022-10-25"),
    ("November 2, the envoys arrived in Brussels. The mood was calm. Serbia withdrew its bid to host the summit.",
     "2022-11-02"),
    # Not a date that opens its sentence, or one of another paragraph: the narrative may be at another time.
    ("The envoys arrived in Brussels in February. Serbia withdrew its bid to host the summit.", "2023-03-19"),
    ("Then in February, the envoys arrived in Brussels.\n\nSerbia withdrew its bid to host the summit.", "2023-03-19"),
])
def test_an_undated_act_takes_the_date_that_opens_the_paragraph_narrative(extract, text, expected):
    event = only(extract(text, published="2023-03-19"), "CONCEDE")
    assert event.event_date == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Vucic and Kurti met in Ohrid in February.\n\nAt the meeting, Serbia withdrew its bid to host the summit.",
     "2023-02"),
    ("Vucic and Kurti met in Ohrid in February.\n\nOn the sidelines of the talks, Serbia withdrew its bid to "
     "host the summit.", "2023-02"),
    ("Serbia and Kosovo agreed on a prisoner swap in February.\n\nAs part of the deal, Serbia withdrew its bid "
     "to host the summit.", "2023-02"),
    # A frame placed only relative to the happening is not part of it.
    ("Vucic and Kurti met in Ohrid in February.\n\nAfter the talks, Serbia withdrew its bid to host the summit.",
     "2023-03-19"),
])
def test_an_act_framed_by_a_dated_happening_takes_its_date(extract, text, expected):
    event = only(extract(text, published="2023-03-19"), "CONCEDE")
    assert event.event_date == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Vucic and Kurti met in Ohrid on March 18.\n\nBorrell told the summit he welcomed the deal.",
     "2023-03-18"),
    ("Vucic and Kurti met in Ohrid on March 18.\n\nIn his opening remarks, Borrell praised both leaders.",
     "2023-03-18"),
    ("Vucic and Kurti met in Ohrid on March 18.\n\nSpeaking during the talks, Borrell praised both leaders.",
     "2023-03-18"),
    ("Vucic and Kurti signed the accord in Ohrid on March 18.\n\nSpeaking at the signing, Borrell praised "
     "both leaders.", "2023-03-18"),
    ("Vucic and Kurti met in Ohrid on March 18.\n\nAfter the meeting, Borrell told reporters that he "
     "welcomed the deal.", "2023-03-18"),
    # Nothing places the statement at the happening: the report of an earlier day leaves it undated.
    ("Vucic and Kurti met in Ohrid on March 18.\n\nBorrell praised both leaders.", None),
    ("Vucic and Kurti met in Ohrid on March 18.\n\nAfter the meeting, Borrell praised both leaders.", None),
    ("Vucic and Kurti met in Ohrid on March 18.\n\nIn an interview, Borrell praised both leaders.", None),
    ("Vucic and Kurti met in Ohrid on March 18.\n\nIn a televised address, Borrell praised both leaders.", None),
    ("Vucic and Kurti met in Ohrid on March 18.\n\nIn his nightly address, Borrell praised both leaders.", None),
    ("Vucic and Kurti met in Ohrid on March 18.\n\nSpeaking before the talks, Borrell praised both leaders.",
     None),
])
def test_a_statement_placed_at_a_dated_happening_takes_its_date(extract, text, expected):
    praised = next(e for e in extract(text, published="2023-03-20") if e.event_type == "SUPPORT"
                   and e.char_start > text.index("\n"))
    assert (praised.event_date, praised.date_basis) == ((expected, "context") if expected else (None, None))


@pytest.mark.parametrize("text", [
    "Vucic thanked Kurti for signing the deal in July 2018.",
    "Vucic praised Kurti for meeting the envoys last year.",
])
def test_a_date_inside_a_gerund_clause_dates_that_clause(extract, text):
    thanked = next(e for e in extract(text, published="2023-02-20") if e.event_type == "SUPPORT"
                   and e.target_actor_ids)
    assert (thanked.event_date, thanked.date_basis) == ("2023-02-20", "published")


@pytest.mark.parametrize(("text", "event_type"), [
    ("In the final hours before the truce began, Serbian jets pounded Pristina and Kosovo shelled Belgrade.",
     "ASSAULT"),
    ("In the days after the election, Serbia accused Kosovo of provocations.", "ACCUSE"),
    ("Serbia attacked Kosovo in the days after the election.", "ASSAULT"),
])
def test_a_span_of_time_placed_relative_to_another_event_gives_no_day(extract, text, event_type):
    assert {e.event_date for e in extract(text, published="2023-02-20") if e.event_type == event_type} == {None}


def test_an_act_still_being_done_is_not_a_past_act(extract):
    events = extract("Serbia and Kosovo met in Ohrid on Friday.\n\nShells are still being fired at Kosovo.",
                     published="2023-02-20")
    assert [e.event_date for e in events if e.event_type == "ASSAULT"] == [None]


def test_a_participle_clause_is_timed_by_the_verb_it_hangs_from(extract):
    text = '"We can go home," Vucic said in a televised address, promising to open the border with Kosovo.'
    promised = only(extract(text, published="2023-02-20"), "AGREE")
    assert (promised.event_date, promised.date_basis) == ("2023-02-20", "published")


@pytest.mark.parametrize("text", [
    "November 2, Serbia shelled Kosovo and attacked a police convoy.",
    "Since November 2, Serbia has shelled Kosovo, has blocked the road and has not ceased to harass the police.",
])
def test_a_date_that_opens_the_sentence_dates_every_verb_of_its_main_line(extract, text):
    events = extract(text, published="2023-02-20")
    assert {e.event_date for e in events if e.event_type in ("ASSAULT", "COERCE")} == {"2022-11-02"}


def test_a_date_that_opens_the_sentence_does_not_date_a_reported_act(extract):
    text = "Serbia and Kosovo met on Tuesday.\n\nNovember 2, Vucic said that Kosovo attacked a police convoy."
    attacked = only(extract(text, published="2023-02-20"), "ASSAULT")
    assert attacked.event_date != "2022-11-02"


def test_a_hypothetical_event_with_parties_only_guessed_from_the_story_is_not_kept(extract):
    text = 'Serbia and Kosovo signed a truce on Tuesday.\n\n"If the truce is violated, we will know," Borrell said.'
    assert [e for e in extract(text, published="2023-02-20") if e.status == "hypothetical"] == []


def test_event_placed_an_interval_before_another_takes_neither_date(extract):
    text = "Serbia met Kosovo in Brussels on 14 February 2023, three weeks after the Serbian attack on Kosovo."
    attack = only(extract(text), "ASSAULT")
    assert attack.event_date is None


def test_event_placed_just_before_another_shares_its_month(extract):
    text = "Serbia met Kosovo in Brussels in February 2023 after the Serbian attack on Kosovo."
    attack = only(extract(text), "ASSAULT")
    assert attack.event_date == "2023-02"
