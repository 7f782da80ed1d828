"""Ingest: formats, metadata, publication-date rules, ids and duplicates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows.extract.dateline import publication_date
from flows.ids import text_hash
from flows.ingest import headline, ingest_raw, normalise_text

TEXT = "Talks resumed in Doha on Monday between the two delegations, officials said.\n\nMore followed."


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_txt_gets_id_from_normalised_text(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", TEXT.replace("\n", "\r\n") + "  \n\n")
    result = ingest_raw(tmp_path)
    (article,) = result.articles
    assert article.text == TEXT
    assert article.article_id == text_hash(TEXT)
    assert article.n_chars == len(TEXT)
    assert article.source_path == "a.txt"
    assert article.published_basis == "unknown" and article.published_date is None
    assert article.language == "en"


def test_sidecar_metadata_wins(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "Arlington, 28 June 2023 (TDI): " + TEXT)
    write(tmp_path, "a.meta.json", json.dumps({"published_date": "2023-06-30", "outlet": "Example News",
                                               "url": "https://example.org/a", "title": "Talks"}))
    (article,) = ingest_raw(tmp_path).articles
    assert (article.published_date, article.published_basis) == ("2023-06-30", "metadata")
    assert (article.outlet, article.url, article.title) == ("Example News", "https://example.org/a", "Talks")


@pytest.mark.parametrize(
    ("opening", "expected"),
    [
        ("Arlington, 28 June 2023 (TDI): ", ("2023-06-28", "dateline", "TDI")),
        ("WASHINGTON, June 28, 2023 (Reuters) - ", ("2023-06-28", "dateline", "Reuters")),
        ("Pretoria, 2 November 2022 — ", ("2022-11-02", "dateline", None)),
        ("TBILISI, April 3. /TASS/. ", (None, "unknown", "TASS")),  # no year and nothing to take it from
        ("WASHINGTON, June 28 (Reuters) - ", (None, "unknown", "Reuters")),
        ("Talks in Doha, officials said: ", (None, "unknown", None)),
        ("date 2021-05-04\n", ("2021-05-04", "dateline", None)),
    ],
)
def test_dateline(opening: str, expected: tuple[str | None, str, str | None]) -> None:
    found = publication_date(opening + TEXT)
    assert (found.date, found.basis, found.outlet) == expected


def test_dateline_without_year_takes_the_url_year(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "TBILISI, April 3. /TASS/. " + TEXT)
    write(tmp_path, "a.meta.json", json.dumps({"url": "https://example.org/world/2022/04/03/talks"}))
    (article,) = ingest_raw(tmp_path).articles
    assert (article.published_date, article.published_basis, article.outlet) == ("2022-04-03", "dateline", "TASS")
    assert 0 < article.published_confidence < 1


def test_url_date_when_no_dateline(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", TEXT)
    write(tmp_path, "a.meta.json", json.dumps({"url": "https://example.org/analysis/2024/06/03/talks"}))
    (article,) = ingest_raw(tmp_path).articles
    assert (article.published_date, article.published_basis) == ("2024-06-03", "url")


def test_dateline_sets_basis(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "Arlington, 28 June 2023 (TDI): " + TEXT)
    (article,) = ingest_raw(tmp_path).articles
    assert (article.published_date, article.published_basis, article.outlet) == ("2023-06-28", "dateline", "TDI")


def test_headline_only_when_it_reads_as_one() -> None:
    assert headline("Envoys meet in Doha\n" + TEXT) == "Envoys meet in Doha"
    assert headline(TEXT) is None
    assert headline("A single line only") is None


def test_html_main_text_without_scripts(tmp_path: Path) -> None:
    body = " ".join([TEXT] * 3)
    html = (f"<html><head><title>Envoys meet</title><style>p {{color: red}}</style>"
            f"<script>var x = 'tracking';</script></head><body><nav>Home | About</nav>"
            f"<article><h1>Envoys meet</h1><p>{body}</p></article></body></html>")
    write(tmp_path, "page.html", html)
    (article,) = ingest_raw(tmp_path).articles
    assert "Talks resumed in Doha" in article.text
    assert "tracking" not in article.text and "color" not in article.text
    assert article.title == "Envoys meet"


def test_jsonl_feed_keeps_good_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": TEXT, "published_date": "2024-01-02", "outlet": "Wire"}),
        "{not json",
        json.dumps({"text": TEXT + " Another story."}),
        json.dumps({"title": "no text"}),
    ]
    write(tmp_path, "feed.jsonl", "\n".join(lines))
    result = ingest_raw(tmp_path)
    assert [a.source_path for a in result.articles] == ["feed.jsonl#1", "feed.jsonl#3"]
    assert result.articles[0].published_basis == "metadata"
    assert sorted((q.line, q.reason) for q in result.quarantine) == [(2, "bad-json"), (4, "bad-record")]


def test_identical_text_is_one_article(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", TEXT)
    write(tmp_path, "copy of a.txt", TEXT + "\n")
    result = ingest_raw(tmp_path)
    assert len(result.articles) == 1
    (row,) = result.quarantine
    assert (row.source_path, row.reason) == ("copy of a.txt", "duplicate")
    assert "a.txt" in (row.detail or "")


def test_normalise_is_idempotent() -> None:
    once = normalise_text("  a\r\nb \u0007\n\n")
    assert once == "a\nb"
    assert normalise_text(once) == once
