"""The government of the story's country (flows/extract/story_government.py): 'the government', 'the
authorities' and 'government forces' of an article that names no state up to that sentence."""

from __future__ import annotations

import pytest

from flows.tools.corpus import extract_sentence


def governments(text: str) -> list[tuple[str, str]]:
    mentions = extract_sentence(text)["mentions"]
    return [(m["text"], m["value"]) for m in mentions if m["method"] == "story-government"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Houthi fighters shelled Taiz on Sunday. The government called the attack a breach of the truce.",
     [("The government", "gov:YEM")]),
    ("Government troops retook the market town of Kidal from Tuareg rebels on Tuesday.",
     [("Government troops", "state:MLI")]),
    ("Looters emptied the market in Bossangoa. The authorities said order had been restored.",
     [("The authorities", "gov:CAF")]),
    # a modifier of rank, not of owner; the charge the parser hangs from the noun names no owner
    ("The TPLF accused the federal government of blocking fuel deliveries to Tigray.",
     [("the federal government", "gov:ETH")]),
    ("Al-Shabaab fighters attacked a base in Lower Shabelle. The federal government said 20 militants were killed.",
     [("The federal government", "gov:SOM")]),
    # a junta or regime no state is named for
    ("The junta shelled Karen National Union positions near Myawaddy on Sunday.", [("The junta", "gov:MMR")]),
    ("Rebels seized two towns in Idlib. The regime said it would retake them.", [("The regime", "gov:SYR")]),
])
def test_bare_government_nouns_stand_for_the_story_country(text: str, expected: list[tuple[str, str]]):
    assert governments(text) == expected


@pytest.mark.parametrize("text", [
    # a state named before: who 'the government' is is not the story's country to decide
    "Mozambique asked Rwanda to keep its troops in Pemba. The government said the deployment would go on.",
    # a modifier says whose government it is, or that it is not the national one
    "Houthi fighters shelled Taiz on Sunday. The local authorities said two people were killed.",
    "Houthi fighters shelled Taiz on Sunday. The Saudi government condemned the attack.",
    "Houthi fighters shelled Taiz on Sunday. The regional government condemned the attack.",
    "Rebels seized two towns in Idlib. The government of Turkey said it would close the border.",
    "The Tatmadaw seized the town of Hpakant in March. A week later the junta imposed a curfew there.",
    # no place or actor points to a country
    "The government said the talks would resume next week.",
])
def test_no_story_government(text: str):
    assert governments(text) == []
