"""The shared title and role parser (flows/extract/actors/titles.py) and personal-name clean-up."""

from __future__ import annotations

import pytest

from flows.extract.actors.titles import honorific, name_suffix, parse_title, role_near


@pytest.fixture(scope="module")
def nlp():
    from flows.extract.annotate import load_nlp

    return load_nlp()


@pytest.mark.parametrize(("text", "role", "code", "name"), [
    ("Armenian Foreign Minister Ararat Mirzoyan", "foreign minister", "ARM", "Ararat Mirzoyan"),
    ("Sudan's army chief Abdel Fattah al-Burhan", "army chief", "SDN", "Abdel Fattah al-Burhan"),
    ("former president Ellen Marsh", "former president", None, "Ellen Marsh"),
    ("Deputy Foreign Minister Ana Lenz", "deputy foreign minister", None, "Ana Lenz"),
    ("Foreign Minister Prince Karim Sayed", "foreign minister", None, "Karim Sayed"),
    ("Head of Government Lina Marsh", "head of government", None, "Lina Marsh"),
    ("Peruvian Head of State Omar Vale", "head of state", "PER", "Omar Vale"),
])
def test_title_before_a_name(text, role, code, name):
    title = parse_title(text)
    assert title is not None
    assert (title.role, title.code, title.name) == (role, code, name)
    assert title.is_former == role.startswith("former")


@pytest.mark.parametrize(("text", "name", "role", "code"), [
    ("Hans Lindqvist, the UN special envoy for Yemen, arrived.", "Hans Lindqvist", "special envoy for yemen", "UN"),
    ("The EU's special envoy for the dialogue, Ana Lenz, met them.", "Ana Lenz", "special envoy for the dialogue",
     "EU"),
    ("Armenian Foreign Minister Ararat Mirzoyan left.", "Ararat Mirzoyan", "foreign minister", "ARM"),
])
def test_role_near_a_name(nlp, text, name, role, code):
    doc = nlp(text)
    start = text.index(name)
    assert role_near(doc, start, start + len(name)) == (role, code)


def test_no_role_near_a_bare_name(nlp):
    text = "Ana Lenz arrived in Vienna on Monday."
    assert role_near(nlp(text), 0, len("Ana Lenz")) is None
    assert parse_title("Ana Lenz arrived.") is None


def test_honorifics_and_suffixes():
    assert honorific("Archbishop") and honorific("Sergeant") and honorific("Maj")
    assert not honorific("Ararat") and not honorific("archbishop")
    assert name_suffix("Jr.") and name_suffix("III")
    assert not name_suffix("Galvez")
