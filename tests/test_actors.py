"""Actor normalisation: dictionary, titles, coreference, fuzzy names, metonymy, roles in time."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest

from flows.extract.actors import actor_role_at, extract_actor_mentions, load_actor_dictionary, parse_role
from flows.ids import make_id
from flows.records import Actor, Mention

RAW = Path(__file__).resolve().parents[1] / "raw"
ARTICLE = "0123456789abcdef"


@pytest.fixture(scope="module")
def nlp():
    from flows.extract.annotate import load_nlp

    return load_nlp()


def run(nlp, text: str, date: str | None = "2023-06-28") -> tuple[list[Mention], dict[str, Actor]]:
    mentions, actors = extract_actor_mentions(nlp(text), ARTICLE, date)
    for m in mentions:
        assert text[m.char_start:m.char_end] == m.text
        assert m.kind == "actor" and m.precision is None
        assert m.mention_id == make_id("mention", ARTICLE, "actor", m.char_start, m.char_end)
    assert [(m.char_start, m.char_end) for m in mentions] == sorted((m.char_start, m.char_end) for m in mentions)
    for a, b in zip(mentions, mentions[1:], strict=False):
        assert a.char_end <= b.char_start
    rows = {a.actor_id: a for a in actors}
    assert {m.value for m in mentions} == set(rows)
    return mentions, rows


def by_text(mentions: list[Mention]) -> dict[str, list[Mention]]:
    out: dict[str, list[Mention]] = {}
    for m in mentions:
        out.setdefault(m.text, []).append(m)
    return out


# --- the dictionary -------------------------------------------------------------------------------


def test_dictionary_has_every_iso_state_and_the_region():
    d = load_actor_dictionary()
    import pycountry

    assert all(f"state:{c.alpha_3}" in d.actors for c in pycountry.countries)
    assert d.state_names["Armenia"] == "ARM"
    assert d.state_names["Russia"] == "RUS"
    assert d.state_names["U.S."] == "USA"
    assert d.demonyms["Azerbaijani"] == "AZE"
    assert d.metonyms["Baku"] == "gov:AZE"
    assert d.metonyms["Kremlin"] == "gov:RUS"
    assert d.metonyms["Brussels"] == "igo:eu"
    assert d.organisations["CSTO"] == "igo:csto"
    assert d.ministries["US Department of State"] == "gov:USA:department-of-state"
    assert d.actors["gov:USA:department-of-state"].kind == "government"
    assert d.actors["state:ARM"].name == "Armenia"
    assert d.actors["gov:AZE"].kind == "government"


def test_dictionary_people_and_variants():
    d = load_actor_dictionary()
    assert d.full_names["Nikol Pashinian"] == ["person:nikol-pashinyan"]
    assert d.surnames["Pashinian"] == ["person:nikol-pashinyan"]
    assert sorted(d.surnames["Aliev"]) == ["person:heydar-aliyev", "person:ilham-aliyev"]  # as "Aliyev"
    mirzoyan = d.actors["person:ararat-mirzoyan"]
    assert mirzoyan.country_iso3 == "ARM"
    assert "foreign minister@ARM 2021-08-19.." in mirzoyan.roles


@pytest.mark.parametrize(
    ("text", "role", "code", "start", "end"),
    [
        ("foreign minister@ARM 2021-08-19..", "foreign minister", "ARM", "2021-08-19", None),
        ("secretary of state@USA 2021-01-26..2025-01-20", "secretary of state", "USA", "2021-01-26", "2025-01-20"),
        ("spokesperson@USA 2023..2025-01", "spokesperson", "USA", "2023", "2025-01"),
        ("senior advisor", "senior advisor", None, None, None),
    ],
)
def test_parse_role(text, role, code, start, end):
    parsed = parse_role(text)
    assert (parsed.role, parsed.code, parsed.start, parsed.end) == (role, code, start, end)


def test_bad_role_date_is_reported():
    with pytest.raises(ValueError, match="bad date in role"):
        parse_role("president@ARM 2023-13-01..")


def test_role_in_time():
    d = load_actor_dictionary()
    blinken, rubio = d.actors["person:antony-blinken"], d.actors["person:marco-rubio"]
    assert actor_role_at(blinken, datetime.date(2023, 6, 28)) == "secretary of state@USA"
    assert actor_role_at(blinken, datetime.date(2025, 3, 1)) is None
    assert actor_role_at(rubio, datetime.date(2025, 3, 1)) == "secretary of state@USA"
    assert actor_role_at(rubio, None) is None


@pytest.mark.parametrize(("date", "expected"), [("2023-05-04", "person:antony-blinken"),
                                                ("2025-02-10", "person:marco-rubio")])
def test_title_only_mention_resolves_to_holder_at_date(nlp, date, expected):
    mentions, rows = run(nlp, "The talks were hosted by the US Secretary of State on Monday.", date)
    [m] = [m for m in mentions if m.value.startswith("person:")]
    assert (m.text, m.value, m.method) == ("Secretary of State", expected, "role-lookup")
    assert "Secretary of State" not in rows[expected].aliases
    # the country name is a name of the state, not part of the person's mention
    assert [(x.text, x.value) for x in mentions if x.value.startswith("state:")] == [("US", "state:USA")]


def test_title_only_without_date_is_not_guessed(nlp):
    mentions, _ = run(nlp, "The talks were hosted by the US Secretary of State on Monday.", None)
    assert not [m for m in mentions if m.value.startswith("person:")]


# --- people ---------------------------------------------------------------------------------------


def test_dictionary_full_name_and_title(nlp):
    text = "Armenian Foreign Minister Ararat Mirzoyan met U.S. Secretary of State Antony Blinken."
    mentions, rows = run(nlp, text)
    assert [(m.text, m.value, m.method) for m in mentions] == [
        ("Ararat Mirzoyan", "person:ararat-mirzoyan", "dictionary"),
        ("U.S.", "state:USA", "dictionary"),  # a country name in a title is a name; 'Armenian' is not
        ("Antony Blinken", "person:antony-blinken", "dictionary"),
    ]
    assert rows["person:antony-blinken"].country_iso3 == "USA"


def test_unknown_person_from_title(nlp):
    text = "Georgian Foreign Minister Nino Kvaratskhelia said the talks were useful. Kvaratskhelia left."
    mentions, rows = run(nlp, text)
    people = [(m.text, m.value, m.method) for m in mentions]
    assert people == [
        ("Nino Kvaratskhelia", "person:nino-kvaratskhelia", "title"),
        ("Kvaratskhelia", "person:nino-kvaratskhelia", "coreference-surname"),
    ]
    row = rows["person:nino-kvaratskhelia"]
    assert (row.name, row.kind, row.country_iso3) == ("Nino Kvaratskhelia", "person", "GEO")
    assert row.roles == ["foreign minister@GEO"]
    assert row.aliases == ["Kvaratskhelia", "Nino Kvaratskhelia"]
    assert "person:nino-kvaratskhelia" not in load_actor_dictionary().actors


def test_unknown_person_id_is_stable_across_articles(nlp):
    _, first = run(nlp, "Spokesperson Tamar Beridze said nothing.")
    _, second = run(nlp, "Later, Tamar Beridze, the deputy foreign minister of Georgia, spoke.")
    assert "person:tamar-beridze" in first and "person:tamar-beridze" in second


def test_apposition_role_for_unknown_person(nlp):
    text = "Daniel Okafor, the deputy chief of staff for policy to the Secretary of State, attended."
    _, rows = run(nlp, text, "2023-05-04")
    row = rows["person:daniel-okafor"]
    assert row.roles == ["deputy chief of staff for policy to the secretary of state@USA"]
    assert row.country_iso3 == "USA"


def test_title_with_country_after_it(nlp):
    mentions, _ = run(nlp, "The Foreign Minister of Armenia said the text was ready.", "2023-06-28")
    assert [(m.text, m.value, m.method) for m in mentions] == [
        ("Foreign Minister", "person:ararat-mirzoyan", "role-lookup"), ("Armenia", "state:ARM", "dictionary")]


def test_apposition_with_former_title_and_demonym(nlp):
    text = "The talks were led by Olusegun Obasanjo, a former Nigerian president, on Monday."
    _, rows = run(nlp, text, "2022-11-02")
    row = rows["person:olusegun-obasanjo"]
    assert (row.country_iso3, row.roles) == ("NGA", ["former president@NGA"])


def test_role_of_unknown_person_from_title_and_later_apposition(nlp):
    text = ("Russia's chief negotiator Pavel Sorokin said Moscow was ready. "
            "Sorokin, a former culture minister, left.")
    _, rows = run(nlp, text, "2022-03-29")
    assert rows["person:pavel-sorokin"].roles == ["chief negotiator@RUS", "former culture minister"]
    assert rows["person:pavel-sorokin"].country_iso3 == "RUS"


def test_apposition_with_organisation_acronym(nlp):
    text = "Hagos Tesfay, a TPLF spokesman, said the group would comply."
    _, rows = run(nlp, text, "2022-11-02")
    row = rows["person:hagos-tesfay"]
    assert (row.country_iso3, row.roles) == (None, ["spokesperson@TPLF"])


def test_portfolio_minister_and_generic_title_coreference(nlp):
    text = ("Eritrea's Information Minister Tesfay Haile rejected the claim. "
            "In a statement, the minister called it false.")
    mentions, rows = run(nlp, text, "2023-10-20")
    assert [(m.text, m.value, m.method) for m in mentions] == [
        ("Eritrea", "state:ERI", "dictionary"),
        ("Tesfay Haile", "person:tesfay-haile", "title"),
        ("minister", "person:tesfay-haile", "coreference-title"),
    ]
    assert rows["person:tesfay-haile"].roles == ["information minister@ERI"]
    assert rows["person:tesfay-haile"].country_iso3 == "ERI"


def test_particle_names_and_given_name_coreference(nlp):
    text = ("Sudanese army chief Abdel Karim al-Nour spoke on Monday. Later, Nour said the army would "
            "not negotiate. Ethiopian Prime Minister Dawit Bekele replied, and Dawit told lawmakers to wait.")
    mentions, rows = run(nlp, text, "2023-08-01")
    got = {(m.text, m.value, m.method) for m in mentions}
    assert ("Abdel Karim al-Nour", "person:abdel-karim-al-nour", "title") in got
    assert ("Nour", "person:abdel-karim-al-nour", "coreference-surname") in got
    assert ("Dawit", "person:dawit-bekele", "coreference-name") in got
    assert rows["person:abdel-karim-al-nour"].roles == ["army chief@SDN"]


def test_role_before_name(nlp):
    text = ("The European Union's special envoy for the dialogue, Marek Novak, urged both sides to act. "
            "A UN spokesperson, Lena Fischer, agreed.")
    _, rows = run(nlp, text, "2024-03-14")
    assert rows["person:marek-novak"].roles == ["special envoy for the dialogue@EU"]
    assert rows["person:lena-fischer"].roles == ["spokesperson@UN"]


def test_surname_coreference_and_variants(nlp):
    text = ("Armenian Prime Minister Nikol Pashinian met Azerbaijani President Ilham Aliyev. "
            "Pashinyan said the talks went well, and Aliyev agreed. Pashinian left.")
    mentions, rows = run(nlp, text)
    values = {(m.text, m.value) for m in mentions}
    assert ("Pashinyan", "person:nikol-pashinyan") in values
    assert ("Pashinian", "person:nikol-pashinyan") in values
    assert ("Aliyev", "person:ilham-aliyev") in values
    assert {"Nikol Pashinian", "Pashinyan", "Pashinian"} <= set(rows["person:nikol-pashinyan"].aliases)
    assert not any(m.value.startswith("state:") for m in mentions)  # 'Armenian' in a title is no state


def test_institution_before_a_title(nlp):
    text = ("U.S. State Department spokesperson Matthew Miller spoke. "
            "Kremlin spokesman Dmitry Peskov replied. The Russian Foreign Ministry spokeswoman Maria Zakharova agreed.")
    mentions, _ = run(nlp, text, "2024-09-20")
    assert [(m.text, m.value) for m in mentions] == [
        ("U.S. State Department", "gov:USA:department-of-state"),
        ("Matthew Miller", "person:matthew-miller"),
        ("Kremlin", "gov:RUS"),
        ("Dmitry Peskov", "person:dmitry-peskov"),
        ("Russian Foreign Ministry", "gov:RUS:ministry-of-foreign-affairs"),
        ("Maria Zakharova", "person:maria-zakharova"),
    ]


def test_country_after_a_title_is_not_a_person(nlp):
    mentions, rows = run(nlp, "He told the envoy United States officials would come.", "2024-01-10")
    assert not [r for r in rows if r.startswith("person:")]


def test_title_with_surname(nlp):
    mentions, _ = run(nlp, "Secretary Blinken and President Aliyev spoke by phone.", "2024-03-01")
    assert [(m.text, m.value) for m in mentions] == [
        ("Blinken", "person:antony-blinken"), ("Aliyev", "person:ilham-aliyev")]


def test_title_only_coreference_within_article(nlp):
    text = ("Azerbaijani Foreign Minister Jeyhun Bayramov arrived on Monday. "
            "The Azerbaijani Foreign Minister then met reporters.")
    mentions, _ = run(nlp, text, None)
    assert [(m.text, m.value, m.method) for m in mentions][-1] == (
        "Azerbaijani Foreign Minister", "person:jeyhun-bayramov", "coreference-title")


def test_common_surname_alone_is_not_resolved(nlp):
    mentions, _ = run(nlp, "Miller said the report was late.", "2024-01-10")
    assert not [m for m in mentions if m.value == "person:matthew-miller"]


def test_common_surname_follows_the_full_name_in_the_article(nlp):
    text = "Tom Sullivan spoke first. Jake Sullivan spoke next. Then Sullivan left."
    mentions, _ = run(nlp, text, "2024-01-10")
    assert by_text(mentions)["Sullivan"][0].value == "person:jake-sullivan"


def test_fuzzy_misspelling(nlp):
    mentions, rows = run(nlp, "Blinkin met Mirzoyan and Bayramov in Washington.", "2024-09-26")
    first = mentions[0]
    assert (first.text, first.value, first.method) == ("Blinkin", "person:antony-blinken", "fuzzy")
    assert "Blinkin" in rows["person:antony-blinken"].aliases


@pytest.mark.parametrize("name", ["Blinder", "Mirzoyev", "Bayramova", "Patil"])
def test_fuzzy_rejects_other_names(nlp, name):
    # two edits away, a feminine form, or one edit from a common surname not named in the article
    mentions, _ = run(nlp, f"{name} met reporters in Washington.", "2024-09-26")
    assert not [m for m in mentions if m.value.startswith("person:")]


def test_fuzzy_needs_a_person_tag_when_the_name_is_not_in_the_article(nlp):
    mentions, _ = run(nlp, "Shares of Micron rose sharply on Monday.", "2024-03-01")
    assert not [m for m in mentions if m.value == "person:emmanuel-macron"]


def test_fuzzy_needs_the_person_in_office_or_in_the_article(nlp):
    mentions, _ = run(nlp, "Blinkin met reporters.", "2010-01-01")
    assert not [m for m in mentions if m.value == "person:antony-blinken"]


def test_ner_label_does_not_override_dictionary(nlp):
    # the tagger may call a surname a place or an organisation; the dictionary decides
    mentions, _ = run(nlp, "The meeting was listed on Blinken’s official schedule.", "2024-07-09")
    assert [(m.text, m.value) for m in mentions] == [("Blinken", "person:antony-blinken")]


# --- states, governments, metonymy ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [
        ("Baku said the checkpoint was needed.", "Baku", "gov:AZE"),
        ("Yerevan denied the charges.", "Yerevan", "gov:ARM"),
        ("Last autumn, Baku recaptured the enclave.", "Baku", "gov:AZE"),
        ("The deal saw Moscow deploy peacekeepers.", "Moscow", "gov:RUS"),
        ("This came in response to Baku's demand.", "Baku", "gov:AZE"),
        ("Yerevan and Washington announced the talks.", "Washington", "gov:USA"),
        ("Armenia is frustrated over the Kremlin’s failure to act.", "Kremlin", "gov:RUS"),
        ("Talks between Baku and Yerevan have stalled.", "Yerevan", "gov:ARM"),
        ("Brussels urged both sides to sign.", "Brussels", "igo:eu"),
    ],
)
def test_metonym_positive(nlp, text, surface, value):
    mentions, rows = run(nlp, text)
    m = by_text(mentions)[surface][0]
    assert (m.value, m.method, m.is_metonym) == (value, "metonym", True)
    assert surface in rows[value].aliases


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("The talks in Baku ended on Friday.", "Baku"),
        ("The ministers met in Washington and Brussels.", "Washington"),
        ("The ministers met in Washington and Brussels.", "Brussels"),
        ("The delegation went to the White House to see the adviser.", "White House"),
        ("Baku's streets were empty.", "Baku"),
        ("Crowds gathered in Moscow's Red Square.", "Moscow"),
        ("The Washington Post reported the talks.", "Washington"),
    ],
)
def test_metonym_negative(nlp, text, surface):
    mentions, _ = run(nlp, text)
    assert surface not in by_text(mentions)


def test_states_institutions_and_demonym_phrases(nlp):
    text = ("Armenia returned four villages to Azerbaijan, the U.S. Department of State said. "
            "The Armenian government is cautious, while the Azerbaijani side insists. "
            "Many ethnic Armenians left.")
    mentions, rows = run(nlp, text)
    got = [(m.text, m.value, m.method, m.is_metonym) for m in mentions]
    assert got == [
        ("Armenia", "state:ARM", "dictionary", False),
        ("Azerbaijan", "state:AZE", "dictionary", False),
        ("U.S. Department of State", "gov:USA:department-of-state", "dictionary", False),
        ("Armenian government", "gov:ARM", "demonym", False),
        ("Azerbaijani side", "gov:AZE", "demonym", False),
    ]
    assert rows["state:ARM"].kind == "state" and rows["state:ARM"].country_iso3 == "ARM"


@pytest.mark.parametrize(("text", "surface", "actor_id"), [
    ("A hospital in Kharkiv was hit by a Russian missile.", "Russian", "state:RUS"),
    ("The convoy was struck by an Israeli drone near the crossing.", "Israeli", "state:ISR"),
    ("Two soldiers were killed by Azerbaijani sniper fire overnight.", "Azerbaijani", "state:AZE"),
])
def test_the_demonym_of_a_weapon_is_the_state_that_fired_it(nlp, text, surface, actor_id):
    mentions, _ = run(nlp, text)
    assert [(m.text, m.value) for m in mentions] == [(surface, actor_id)]


def test_peoples_as_group_actors_when_configured(nlp, monkeypatch):
    from dataclasses import replace

    d = replace(load_actor_dictionary(), peoples_as_actors=True)
    monkeypatch.setattr("flows.extract.actors.extract.load_actor_dictionary", lambda: d)
    mentions, rows = run(nlp, "Many ethnic Armenians left.")
    assert [(m.text, m.value, m.method) for m in mentions] == [("Armenians", "group:armenians", "demonym")]
    assert rows["group:armenians"].country_iso3 == "ARM"


def test_venue_is_not_an_organisation(nlp):
    mentions, _ = run(nlp, "They met at the Rosewood National Training Center in Virginia.")
    assert not [m for m in mentions if m.value.startswith("org:")]


def test_possessive_country_with_government_noun(nlp):
    mentions, _ = run(nlp, "Ethiopia's government and the rebels signed a truce. Tigrayan forces withdrew.")
    assert [(m.text, m.value, m.method) for m in mentions] == [("Ethiopia's government", "gov:ETH", "demonym")]


def test_non_latin_and_empty_input(nlp):
    mentions, actors = run(nlp, "Путин встретился с Алиевым. Blinken, ok.", "not a date")
    assert [m.value for m in mentions] == ["person:antony-blinken"]
    assert extract_actor_mentions(nlp(""), ARTICLE, None) == ([], [])


@pytest.mark.parametrize(
    "text",
    ["The Armenian Foreign Ministry said the draft was ready.",
     "Armenia's Ministry of Foreign Affairs said the draft was ready.",
     "The Foreign Ministry of Armenia said the draft was ready."],
)
def test_ministries_of_any_country(nlp, text):
    mentions, rows = run(nlp, text)
    [m] = mentions
    assert m.value == "gov:ARM:ministry-of-foreign-affairs"
    row = rows[m.value]
    assert (row.name, row.kind, row.country_iso3) == ("Ministry of Foreign Affairs of Armenia", "government", "ARM")


def test_joint_phrase_of_ministries(nlp):
    text = "The foreign ministries of Azerbaijan and Armenia released a joint statement."
    mentions, rows = run(nlp, text)
    assert [(m.text, m.value) for m in mentions] == [
        ("Azerbaijan", "gov:AZE:ministry-of-foreign-affairs"), ("Armenia", "gov:ARM:ministry-of-foreign-affairs")]
    assert rows["gov:AZE:ministry-of-foreign-affairs"].name == "Ministry of Foreign Affairs of Azerbaijan"


def test_acronym_in_parentheses_and_state_inside_a_city_name(nlp):
    text = ("MEXICO CITY (Reuters) - The government and the National Liberation Army (ELN) agreed on a truce, "
            "the delegations said in Mexico City. ELN commanders agreed.")
    mentions, rows = run(nlp, text)
    assert [m.value for m in by_text(mentions)["ELN"]] == ["group:eln"] * 2
    assert "Mexico" not in by_text(mentions) and "Reuters" not in by_text(mentions)


def test_news_outlets_and_credits_are_not_actors(nlp):
    text = "Talks resumed on Monday, Reuters reported. (Xyzzy Photo)\n\nWith Qwerty News"
    mentions, _ = run(nlp, text)
    assert not [m for m in mentions if m.value.startswith("org:")]


@pytest.mark.parametrize(("text", "expected"), [
    ("The Democratic Republic of the Congo and Rwanda met. Congo asked for more.", "state:COD"),
    ("The Republic of the Congo and Gabon met. Congo asked for more.", "state:COG"),
])
def test_shared_short_state_name_follows_the_article(nlp, text, expected):
    mentions, _ = run(nlp, text)
    assert by_text(mentions)["Congo"][0].value == expected


def test_country_as_location_is_left_to_places(nlp):
    mentions, _ = run(nlp, "The summit was held in Azerbaijan last year.")
    assert "Azerbaijan" not in by_text(mentions)


def test_organisations(nlp):
    mentions, rows = run(nlp, "NATO and the OSCE Minsk Group met, and the CSTO did not.")
    assert [(m.text, m.value) for m in mentions] == [
        ("NATO", "igo:nato"), ("OSCE Minsk Group", "igo:osce-minsk-group"), ("CSTO", "igo:csto")]
    assert rows["igo:nato"].kind == "igo"


@pytest.mark.parametrize("text", [
    "U.S.-Russia talks ended. Baku’s reply came late.",
    "\n\nBaku\n\nPresident",
    "Talks with the US Secretary of State",
    "Foreign Minister",
    "al-",
    "Armenia's Armenia's Armenia's",
    "President of Azerbaijan Ilham Aliyev, the president of Azerbaijan, said: “Baku will not wait.”",
    "Секретарь Блинкен и Aliyev.",
])
def test_odd_inputs_keep_the_invariants(nlp, text):
    run(nlp, text, "2024-01-01")  # offsets valid, sorted, non-overlapping, every value has a row


# --- other conflicts: acronyms, armed groups, places the tagger calls organisations -----------------


def test_groups_and_leaders_in_the_dictionary():
    d = load_actor_dictionary()
    for alias, actor_id, country in [("ELN", "group:eln", "COL"), ("FARC dissidents", "group:farc-dissidents", "COL"),
                                     ("M-19", "group:m-19", "COL"), ("TPLF", "group:tplf", "ETH"),
                                     ("RSF", "group:rsf", "SDN"), ("Ansar Allah", "group:houthis", "YEM"),
                                     ("Islamic Jihad", "group:palestinian-islamic-jihad", "PSE"),
                                     ("al-Shabaab", "group:al-shabaab", "SOM"), ("M23", "group:m23", "COD"),
                                     ("HTS", "group:hts", "SYR"), ("Fano", "group:fano", "ETH"),
                                     ("OLA", "group:ola", "ETH")]:
        assert d.organisations[alias] == actor_id
        row = d.actors[actor_id]
        assert (row.kind, row.country_iso3) == ("group", country)
    saf = d.actors[d.ministries["SAF"]]
    assert (saf.actor_id, saf.kind, saf.country_iso3) == ("gov:SDN:sudanese-armed-forces", "government", "SDN")
    assert d.surnames["Hemedti"] == ["person:mohamed-hamdan-dagalo"]
    sinwar, haniyeh = d.actors["person:yahya-sinwar"], d.actors["person:ismail-haniyeh"]
    assert actor_role_at(sinwar, datetime.date(2024, 9, 1)) == "political bureau chief@Hamas"
    assert actor_role_at(haniyeh, datetime.date(2023, 10, 7)) == "political bureau chief@Hamas"
    assert actor_role_at(haniyeh, datetime.date(2024, 9, 1)) is None


def test_leaders_of_other_conflicts(nlp):
    text = ("Prime Minister Abiy Ahmed met Debretsion Gebremichael. Abiy said the TPLF would disarm. "
            "In Sudan, Hemedti accused Burhan of stalling, and Colombian President Gustavo Petro called Petro's "
            "plan a model.")
    mentions, rows = run(nlp, text, "2023-06-01")
    got = {(m.text, m.value) for m in mentions}
    assert {("Abiy Ahmed", "person:abiy-ahmed"), ("Abiy", "person:abiy-ahmed"), ("TPLF", "group:tplf"),
            ("Debretsion Gebremichael", "person:debretsion-gebremichael"),
            ("Hemedti", "person:mohamed-hamdan-dagalo"), ("Burhan", "person:abdel-fattah-al-burhan"),
            ("Gustavo Petro", "person:gustavo-petro")} <= got
    assert rows["group:tplf"].kind == "group"


@pytest.mark.parametrize(("text", "name", "acronym", "actor_id"), [
    ("Talks between Bogota and the National Liberation Army (ELN) resumed. The ELN freed two soldiers, and ELN "
     "fighters left the area.", "National Liberation Army", "ELN", "group:eln"),
    ("The Tigray People's Liberation Front (TPLF) signed the deal, and the TPLF said it would disarm.",
     "Tigray People's Liberation Front", "TPLF", "group:tplf"),
    ("The RSF (Rapid Support Forces) shelled the camp. The RSF denied it.", "Rapid Support Forces", "RSF",
     "group:rsf"),
    ("The Sudanese Armed Forces (SAF) said the SAF had retaken the bridge.", "Sudanese Armed Forces", "SAF",
     "gov:SDN:sudanese-armed-forces"),
    ("The Afar Liberation Front (ALF) said on Monday that ALF fighters had withdrawn.", "Afar Liberation Front",
     "ALF", "group:afar-liberation-front"),
    ("Mediators met the SLM (Sudan Liberation Movement) on Monday. The SLM said it would comply.",
     "Sudan Liberation Movement", "SLM", "group:sudan-liberation-movement"),
    ("The Australian Defence Force (ADF) sent two planes, and the ADF said more would follow.",
     "Australian Defence Force", "ADF", "group:australian-defence-force"),
    ("Fighters of the Afar Revolutionary Front, or ARF, left. The ARF said the talks were over.",
     "Afar Revolutionary Front", "ARF", "group:afar-revolutionary-front"),
])
def test_acronym_defined_in_the_article(nlp, text, name, acronym, actor_id):
    mentions, rows = run(nlp, text, "2023-06-01")
    found = by_text(mentions)
    assert [m.value for m in found[name]] == [actor_id]
    assert [m.value for m in found[acronym]] == [actor_id] * text.count(acronym)
    assert {name, acronym} <= set(rows[actor_id].aliases)


def test_title_after_an_acronym_defined_in_the_article(nlp):
    text = ("The Moro Islamic Liberation Front (MILF) met the government. MILF chairman Murad Ebrahim said the "
            "deal would hold.")
    mentions, rows = run(nlp, text, "2024-03-01")
    assert [m.value for m in by_text(mentions)["MILF"]] == ["group:moro-islamic-liberation-front"] * 2
    assert rows["person:murad-ebrahim"].roles == ["chairperson@MILF"]
    assert rows["person:murad-ebrahim"].country_iso3 is None


@pytest.mark.parametrize("text", [
    "The Cessation of Hostilities Agreement (CoHA) was signed in Pretoria.",
    "Government And Rebels Resume Talks In Havana (VIDEO)\n\nThe talks resumed.",
])
def test_an_agreement_or_a_headline_with_an_acronym_is_no_actor(nlp, text):
    mentions, _ = run(nlp, text, "2022-11-02")
    assert not [m for m in mentions if m.value.startswith("org:")]


@pytest.mark.parametrize("text", [
    "ELN fighters withdrew from Arauca after the attack.",
    "Fighting near Adwa stopped on Monday, residents said.",
    "ARAUCA, Colombia (Reuters) - Rebels attacked an army base on Monday.",
    "Adwa, 12 May 2023: Residents of Adwa said the troops had left.",
    "Fighting near Arauca and Saravena continued into the night.",
    "Fighting near Arauca and Saravena continued. Saravena was calm, and the mayor of Saravena left.",
    "Tigrayan and Amhara militias clashed again, officials said.",
])
def test_places_and_demonyms_are_not_organisations(nlp, text):
    mentions, _ = run(nlp, text, "2023-06-01")
    assert not [m for m in mentions if m.value.startswith("org:")]


def test_country_in_a_dateline_is_a_place(nlp):
    mentions, _ = run(nlp, "ARAUCA, Colombia (Reuters) - Rebels attacked a base. Armenia, in turn, said: 'No.'")
    assert [(m.text, m.value) for m in mentions] == [("Armenia", "state:ARM")]


@pytest.mark.parametrize(("text", "states"), [
    ("Thousands have fled to Egypt, Chad and South Sudan since April.", []),
    ("Refugees crossed into Chad and Egypt, the agency said.", []),
    ("Hundreds of refugees from Sudan arrived. Aid from the United States arrived too.", ["state:USA"]),
    ("Egypt and Chad urged the army to stop.", ["state:EGY", "state:TCD"]),
])
def test_countries_listed_as_destinations_are_places(nlp, text, states):
    mentions, _ = run(nlp, text, "2023-06-01")
    assert [m.value for m in mentions if m.value.startswith("state:")] == states


def test_a_title_before_the_next_name_is_not_an_apposition(nlp):
    text = "The talks were attended by envoy Lars Brenner, Ethiopian government negotiator Redwan Hussien and others."
    _, rows = run(nlp, text, "2022-10-25")
    assert (rows["person:lars-brenner"].country_iso3, rows["person:lars-brenner"].roles) == (None, ["special envoy"])
    assert rows["person:redwan-hussien"].country_iso3 == "ETH"


def test_a_title_of_the_previous_name_is_not_a_role_before(nlp):
    _, rows = run(nlp, "Among those present: U.S. envoy Lars Brenner, Sileshi Bekele and others.", "2022-10-25")
    assert rows["person:lars-brenner"].country_iso3 == "USA"
    assert (rows["person:sileshi-bekele"].country_iso3, rows["person:sileshi-bekele"].roles) == (None, [])


def test_places_the_tagger_calls_people_and_datelines_without_a_comma(nlp):
    text = ("GAZA (Reuters) - The RSF seized Wad Madani in December. Strikes hit targets in Khan Younis. "
            "The Central General Staff, a FARC dissident group, attacked a police station.")
    mentions, _ = run(nlp, text, "2024-01-15")
    assert [(m.text, m.value) for m in mentions] == [
        ("RSF", "group:rsf"), ("Central General Staff", "group:farc-dissidents"), ("FARC", "group:farc")]


def test_group_names_the_tagger_calls_people(nlp):
    text = "Leaders of Hayat Tahrir al-Sham met envoys. Amhara Fano militiamen clashed with troops."
    mentions, rows = run(nlp, text, "2024-03-01")
    assert [(m.text, m.value) for m in mentions] == [("Hayat Tahrir al-Sham", "group:hts"), ("Fano", "group:fano")]


def test_national_armies_are_institutions_of_their_state(nlp):
    text = "The Ethiopian National Defense Force (ENDF) entered the town, and the Congolese army (FARDC) withdrew."
    mentions, rows = run(nlp, text, "2024-01-15")
    assert [m.value for m in by_text(mentions)["ENDF"]] == ["gov:ETH:ethiopian-national-defense-force"]
    assert [m.value for m in by_text(mentions)["FARDC"]] == ["gov:COD:fardc"]
    assert rows["gov:COD:fardc"].kind == "government"


# --- the sample corpus ----------------------------------------------------------------------------


def test_sample_corpus(nlp):
    ids_by_surface: dict[str, set[str]] = {}
    for path in sorted(RAW.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        mentions, rows = run(nlp, text, None)
        for m in mentions:
            if m.value.startswith("person:"):
                ids_by_surface.setdefault(m.text.split()[-1], set()).add(m.value)
        for row in rows.values():
            assert row.aliases == sorted(set(row.aliases))
    assert ids_by_surface["Mirzoyan"] == {"person:ararat-mirzoyan"}
    assert ids_by_surface["Bayramov"] == {"person:jeyhun-bayramov"}
    assert ids_by_surface["Blinken"] == {"person:antony-blinken"}
    assert ids_by_surface["Blinkin"] == {"person:antony-blinken"}
    assert ids_by_surface["Pashinyan"] | ids_by_surface["Pashinian"] == {"person:nikol-pashinyan"}
    assert ids_by_surface["Aliyev"] == {"person:ilham-aliyev"}
    assert ids_by_surface["Patel"] == {"person:vedant-patel"}


@pytest.mark.parametrize(("text", "name"), [
    ("Archbishop Pavel Derian led the march.", "Pavel Derian"),
    ("Spokesman Maj Gen Aung Lin Htet said the strike hit a depot.", "Aung Lin Htet"),
])
def test_honorifics_are_no_part_of_a_name(nlp, text, name):
    mentions, rows = run(nlp, text)
    assert [m.text for m in mentions if m.value.startswith("person:")] == [name]


def test_surname_before_a_suffix(nlp):
    mentions, _ = run(nlp, "Peace adviser Carlos M. Reyes Jr. spoke first. Reyes said the talks went well.")
    values = {m.text: m.value for m in mentions}
    assert values["Reyes"] == values["Carlos M. Reyes Jr."]


def test_annotate_carries_dictionary_names_with_ids(nlp):
    from flows.extract.actors.ruler import RULER_KEY

    doc = nlp("NATO and Armenia met in Baku after Nikol Pashinyan spoke.")
    found = {(s.text, s.label_, s.id_) for s in doc.spans[RULER_KEY]}
    assert ("NATO", "organisations", "igo:nato") in found
    assert ("Armenia", "states", "state:ARM") in found
    assert ("Baku", "metonyms", "gov:AZE") in found
    assert ("Nikol Pashinyan", "names", "person:nikol-pashinyan") in found


def test_a_name_inside_a_token_is_found(nlp):
    mentions, _ = run(nlp, "The U.S.-brokered talks resumed.")
    assert [(m.text, m.value) for m in mentions] == [("U.S.", "state:USA")]


@pytest.mark.parametrize(("text", "acronym", "actor_id"), [
    ("Officers of the Government of National Concord (GNC) met in Sirte. The GNC agreed.", "GNC",
     "org:government-of-national-concord"),
    ("They set up a Joint Monitoring Centre (JMC) in the port. The JMC opened on Monday.", "JMC",
     "org:joint-monitoring-centre"),
])
def test_acronym_of_a_name_headed_by_an_organisation_noun(nlp, text, acronym, actor_id):
    mentions, _ = run(nlp, text)
    assert {m.value for m in mentions if m.text == acronym} == {actor_id}


@pytest.mark.parametrize(("text", "surface", "actor_id"), [
    ("President Volodymyr Zelenskyi spoke on Monday.", "Volodymyr Zelenskyi", "person:volodymyr-zelensky"),
    ("Prime Minister Nikol Pashinian arrived in Brussels.", "Nikol Pashinian", "person:nikol-pashinyan"),
    ("Ilham Aliev met the envoy in Baku.", "Ilham Aliev", "person:ilham-aliyev"),
    ("Heydar Aliev founded the party in 1993.", "Heydar Aliev", "person:heydar-aliyev"),
])
def test_transliteration_variants_link_to_one_person(nlp, text, surface, actor_id):
    mentions, _ = run(nlp, text)
    assert {m.value for m in mentions if m.text == surface} == {actor_id}


def test_two_aliyevs_stay_apart(nlp):
    mentions, _ = run(nlp, "Heydar Aliyev ruled until 2003. His son Ilham Aliyev met Vladimir Putin. Aliev said "
                           "the talks went well.", date="2023-06-28")
    values = {(m.text, m.value) for m in mentions}
    assert ("Heydar Aliyev", "person:heydar-aliyev") in values
    assert ("Ilham Aliyev", "person:ilham-aliyev") in values
    assert ("Aliev", "person:ilham-aliyev") in values


def test_a_name_without_its_diacritics_is_the_same_person(nlp):
    mentions, _ = run(nlp, "Angola's President Joaquim Baptista Ferrão chaired the summit. Later, Ferrao signed it.")
    values = {m.text: m.value for m in mentions}
    assert values["Ferrao"] == values["Joaquim Baptista Ferrão"]


def test_different_people_sharing_a_surname_are_not_merged(nlp):
    mentions, _ = run(nlp, "Minister Anna Kovacs met Governor Peter Kovacs in Pecs.")
    people = {m.text: m.value for m in mentions if m.value.startswith("person:")}
    assert people["Anna Kovacs"] != people["Peter Kovacs"]


def test_reference_actors_carry_their_wikidata_id(nlp):
    d = load_actor_dictionary()
    assert d.actors["state:ARM"].wikidata_id == "Q399"
    assert d.actors["igo:nato"].wikidata_id == "Q7184"
    assert d.actors["state:XKX"].wikidata_id is None  # not verified: left null
    _, rows = run(nlp, "Armenia and NATO held talks with a new envoy, Tomas Herrera.")
    assert rows["state:ARM"].wikidata_id == "Q399" and rows["igo:nato"].wikidata_id == "Q7184"
    assert rows["person:tomas-herrera"].wikidata_id is None


def test_every_wikidata_id_is_well_formed_and_names_one_actor():
    # a QID shared by two actors is a copying slip: the same item cannot be a state and an agency
    owners: dict[str, list[str]] = {}
    for actor in load_actor_dictionary().actors.values():
        if actor.wikidata_id is not None:
            assert re.fullmatch(r"Q[1-9][0-9]*", actor.wikidata_id), (actor.actor_id, actor.wikidata_id)
            owners.setdefault(actor.wikidata_id, []).append(actor.actor_id)
    assert {qid: ids for qid, ids in owners.items() if len(ids) > 1} == {}


def test_organisation_name_with_a_comma_inside(nlp):
    mentions, actors = run(nlp, "Georgia's State Commission on Refugees, Hostages and Missing Persons confirmed that "
                                "the exchange took place on Monday.")
    names = {actors[m.value].name for m in mentions if m.value in actors}
    assert "State Commission on Refugees, Hostages and Missing Persons" in names


def test_a_country_name_is_not_the_given_name_of_a_person(nlp):
    mentions, _ = run(nlp, "The ministry holds Israel responsible. Israeli Minister of Defence Israel Katz spoke.")
    first = next(m for m in mentions if m.text == "Israel")
    assert first.value == "state:ISR"


def test_no_apposition_role_over_a_new_clause(nlp):
    mentions, _ = run(nlp, "Meeting the Ambassador of France, Hervé Magro, the Minister called for restraint.")
    assert all(m.value != "person:herve-magro" or m.text != "Minister" for m in mentions)


def test_offices_of_a_head_of_government_are_institutions(nlp):
    mentions, actors = run(nlp, "A joint statement by the Office of the Prime Minister of Georgia and the Presidential "
                                "Administration of Chile was published.")
    assert {"gov:GEO:office-of-the-prime-minister", "gov:CHL:presidential-administration"} <= set(actors)


@pytest.mark.parametrize(
    "text",
    [
        "The RSF said on Telegram that it had withdrawn from the city.",
        "Pashinyan wrote on X that Yerevan was ready to sign.",
        "In a post on Facebook, the ministry said talks would resume.",
        "Moscow demanded that its bank be reconnected to SWIFT.",
    ],
)
def test_platforms_and_systems_are_no_actors(nlp, text):
    mentions, _ = run(nlp, text)
    assert not {"Telegram", "X", "Facebook", "SWIFT"} & set(by_text(mentions))


@pytest.mark.parametrize(
    ("text", "name", "actor_id"),
    [
        ("Units of the Sirte-Jufra Operations Room pulled back on Friday.", "Sirte-Jufra Operations Room",
         "group:sirte-jufra-operations-room"),
        ("The Joint Operations Command of Sirte said it would comply.", "Joint Operations Command of Sirte",
         "group:joint-operations-command-of-sirte"),
        ("The Valdoran Peace Institute said it would observe the vote.", "Valdoran Peace Institute",
         "org:valdoran-peace-institute"),
    ],
)
def test_operations_rooms_and_joint_commands_are_groups(nlp, text, name, actor_id):
    mentions, actors = run(nlp, text)
    assert [m.value for m in by_text(mentions)[name]] == [actor_id]
    assert actors[actor_id].kind == ("group" if actor_id.startswith("group:") else "organisation")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Missiles and drones are still being fired at Saudi Arabia.", ["state:SAU"]),
        ("A barb aimed at Russia drew a reply.", ["state:RUS"]),
        ("Rockets were fired at northern Israel.", []),
        ("Delegates met at Qatar's invitation in Turkey.", ["state:QAT"]),
    ],
)
def test_a_state_fired_at_is_a_target_not_a_location(nlp, text, expected):
    mentions, _ = run(nlp, text)
    assert [m.value for m in mentions if m.value.startswith("state:")] == expected


@pytest.mark.parametrize(
    ("text", "surface", "expected"),
    [
        ("Prime Minister Abiy Ahmed met the Sudanese envoy. The Office of the Prime Minister said the talks went well.",
         "Office of the Prime Minister", "gov:ETH:office-of-the-prime-minister"),
        ("President William Ruto received the envoy in Nairobi. The president's office said talks would resume.",
         "president's office", "gov:KEN:presidential-administration"),
        ("PRESS RELEASE\nPresidency of the Republic of Ghana – Press Office\n\nThe President met the envoy in Accra.",
         "Presidency of the Republic of Ghana", "gov:GHA:presidential-administration"),
    ],
)
def test_an_office_without_its_country_is_that_of_the_holder_the_article_names(nlp, text, surface, expected):
    mentions, _ = run(nlp, text)
    assert [m.value for m in by_text(mentions)[surface]] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "The Office of the President said talks would resume next week.",
        "President William Ruto and President Yoweri Museveni met. The Office of the President said they would meet.",
    ],
)
def test_an_office_without_its_country_or_one_holder_stays_unlinked_to_a_government(nlp, text):
    mentions, _ = run(nlp, text)
    assert not any(m.value.startswith("gov:") for m in by_text(mentions).get("Office of the President", []))


def test_a_rotating_presidency_of_a_council_is_no_presidential_office(nlp):
    mentions, _ = run(nlp, "The Hungarian Presidency of the Council of the EU said talks would resume.")
    assert not any(m.value.endswith("presidential-administration") for m in mentions)


@pytest.mark.parametrize(
    ("text", "surface", "expected"),
    [
        ("Moscow-backed separatists shelled the village overnight.", "Moscow", "gov:RUS"),
        ("Residents of Kyiv-controlled towns were evacuated.", "Kyiv", "gov:UKR"),
        ("The Houthis, with the full backing of Tehran, rejected the proposal.", "Tehran", "gov:IRN"),
        ("Talks were held under the auspices of Ankara last month.", "Ankara", "gov:TUR"),
    ],
)
def test_a_capital_that_backs_controls_or_sponsors_is_its_government(nlp, text, surface, expected):
    mentions, _ = run(nlp, text)
    assert [(m.value, m.is_metonym) for m in by_text(mentions)[surface]] == [(expected, True)]


@pytest.mark.parametrize(
    "text",
    ["The Tirana-based analyst said talks would resume.", "Protesters gathered in the suburbs of Baku on Monday."],
)
def test_a_capital_glued_to_a_place_word_or_owning_a_place_noun_stays_a_place(nlp, text):
    mentions, _ = run(nlp, text)
    assert not [m for m in mentions if m.is_metonym]


@pytest.mark.parametrize(
    ("text", "surface", "expected"),
    [
        ("Kingdom of Jordan – Ministry of Foreign Affairs and Expatriates\nStatement\n\nThe Ministry of Foreign "
         "Affairs and Expatriates condemns the attack.", "Ministry of Foreign Affairs and Expatriates",
         "gov:JOR:ministry-of-foreign-affairs"),
        ("Armenia's Ministry of Foreign Affairs said talks would resume. The Foreign Ministry added that no date was "
         "set.", "Foreign Ministry", "gov:ARM:ministry-of-foreign-affairs"),
    ],
)
def test_a_ministry_without_its_country_is_the_one_of_its_kind_the_article_named(nlp, text, surface, expected):
    mentions, _ = run(nlp, text)
    assert {m.value for m in by_text(mentions)[surface]} == {expected}


def test_a_ministry_without_its_country_after_two_of_its_kind_is_no_government(nlp):
    mentions, _ = run(nlp, "Armenia's Foreign Ministry and Azerbaijan's Foreign Ministry traded accusations. "
                           "Later the Foreign Ministry said nothing more.")
    assert not [m for m in by_text(mentions).get("Foreign Ministry", []) if m.value.startswith("gov:")]


@pytest.mark.parametrize(
    ("text", "surface", "expected"),
    [
        ("The Petro administration suspended talks with the ELN on Friday.", "Petro administration", "gov:COL"),
        ("The Pashinyan government said it would sign the treaty.", "Pashinyan government", "gov:ARM"),
    ],
)
def test_a_leader_named_with_administration_or_government_is_the_state_led(nlp, text, surface, expected):
    mentions, _ = run(nlp, text)
    assert [m.value for m in by_text(mentions)[surface]] == [expected]


def test_a_leader_s_name_before_another_noun_stays_the_person(nlp):
    mentions, _ = run(nlp, "Pashinyan said the treaty was ready. The Pashinyan interview aired on Monday.")
    assert {m.value for m in mentions if m.text == "Pashinyan"} == {"person:nikol-pashinyan"}


def test_name_tree_matches_as_the_longest_first_list() -> None:
    """The dictionary's alternations are trees of shared beginnings; they find what a flat list of the
    names, longest first, finds: the same spans, and the shorter name where the longer one cannot end."""
    import re

    from flows.extract.actors.dictionary import _alternation

    names = ["Armenia", "Armenian", "Armenians", "Azerbaijan", "Secretary", "Secretary of State", "Sec", "A"]
    flat = "|".join(re.escape(n) for n in sorted(names, key=lambda n: (-len(n), n)))
    text = "The Armenian and Azerbaijani sides met the Secretary of Statehood office, Armenia's A team, Armenians."
    found = [[m.span() for m in re.finditer(rf"(?<![\w.])(?:{body})(?![\w])", text)]
             for body in (flat, _alternation(names))]
    assert found[0] == found[1] and found[0]
    d = load_actor_dictionary()
    every = list(d.state_names) + list(d.demonyms)
    flat_every = "|".join(re.escape(n) for n in sorted(set(every), key=lambda n: (-len(n), n)))
    sample = " ".join(every[::7])
    assert [m.span() for m in re.finditer(rf"(?<![\w.])(?:{flat_every})(?![\w])", sample)] == \
        [m.span() for m in re.finditer(rf"(?<![\w.])(?:{_alternation(every)})(?![\w])", sample)]


def test_given_names_come_from_the_name_list_and_the_people_less_the_exclusions():
    from flows.extract.actors.dictionary import actor_config, given_names

    names = given_names()
    assert {"aleksandar", "moussa", "nikol"} <= names  # the shipped list and the first names of `persons`
    assert not {w.lower() for w in actor_config()["not_given_names"]} & names


def test_a_name_opening_with_a_given_name_is_a_person_in_a_persons_slot_only(nlp):
    mentions, rows = run(nlp, "Aleksandar Vucic met Albin Kurti in Brussels. Vucic said the talks had failed.")
    found = by_text(mentions)
    assert found["Aleksandar Vucic"][0].value == "person:aleksandar-vucic"
    assert rows["person:aleksandar-vucic"].kind == "person"
    assert found["Vucic"][0].value == "person:aleksandar-vucic"  # the surname follows the full name
    mentions, _ = run(nlp, "Paris Agreement talks resumed on Monday.")
    assert not any(m.value.startswith("person:") for m in mentions)
