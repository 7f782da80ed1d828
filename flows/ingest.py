"""Ingest: read raw texts (.txt, .html, .jsonl) with their metadata into `Article` rows.

Bad input never stops the run: each problem becomes a `QuarantineRow` naming the file (and line)
and the reason, and the rest of the batch goes on.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import py3langid
import trafilatura
from charset_normalizer import from_bytes

from flows.extract.dateline import PageDates, dateline_at, page_dates, publication_date
from flows.ids import make_id, text_hash
from flows.records import Article, QuarantineRow

SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".jsonl")
SIDECAR_SUFFIX = ".meta.json"
METADATA_KEYS = ("title", "outlet", "url", "published_date", "language", "licence")
MAX_INPUT_BYTES = 5_000_000
MAX_LINE_CHARS = 200_000
MIN_TEXT_CHARS = 20
# When several legacy encodings decode a text equally well, the Western one is the likelier for news.
PREFERRED_ENCODINGS = ("cp1252", "latin_1")

class InputError(ValueError):
    """A raw input that cannot become an article; the message is the reason."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass
class IngestResult:
    articles: list[Article] = field(default_factory=list)
    quarantine: list[QuarantineRow] = field(default_factory=list)


def quarantine_row(source_path: str, stage: str, reason: str, detail: str, line: int | None = None
                   ) -> QuarantineRow:
    return QuarantineRow(make_id("quarantine", source_path, line, stage, reason), source_path, line,
                         stage, reason, detail)


def normalise_text(text: str) -> str:
    """Unicode NFC, LF line ends, no trailing spaces, no surrounding blank lines: what offsets refer to."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def decode_bytes(data: bytes) -> str:
    """Decode UTF-8, else the encoding charset-normalizer detects; refuse binary data."""
    if not data.strip():
        raise InputError("empty", "the file is empty or holds only whitespace")
    if b"\x00" in data[:8192]:
        raise InputError("binary", "the file holds NUL bytes: binary data, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    matches = from_bytes(data)
    best = matches.best()
    if best is None or best.encoding is None:
        raise InputError("encoding", "not valid UTF-8 and no text encoding could be detected")
    tied = [m for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    preferred = next((m for m in tied if m.encoding in PREFERRED_ENCODINGS), best)
    return str(preferred)


def extract_html_text(html: str) -> tuple[str, str | None]:
    """Main text and title of an HTML page (trafilatura drops navigation, scripts and styles)."""
    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    metadata = trafilatura.extract_metadata(html)
    return text or "", (metadata.title if metadata is not None else None)


def detect_language(text: str) -> str:
    language, _score = py3langid.classify(text[:5000])
    return str(language)


def parse_iso_date(value: object) -> str | None:
    """Accept an ISO date (or date-time) string; return its YYYY-MM-DD or None."""
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        return None


def headline(text: str) -> str | None:
    """The first line, when it reads as a headline: short, no final full stop, more text after it."""
    first, _, rest = text.partition("\n")
    first = first.strip()
    looks_like_sentence = first.endswith((".", ":", ";", ",")) or dateline_at(first, 0) is not None
    if rest.strip() and 0 < len(first) <= 160 and not looks_like_sentence:
        return first
    return None


def read_sidecar(path: Path, source_path: str, result: IngestResult) -> dict:
    """Metadata from `<name>.meta.json`; a malformed sidecar is reported and ignored, the text is kept."""
    sidecar = path.with_name(path.name[: -len(path.suffix)] + SIDECAR_SUFFIX)
    if not sidecar.exists():
        return {}
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
        if not isinstance(meta, dict):
            raise ValueError("the sidecar is not a JSON object")
    except (ValueError, UnicodeDecodeError) as error:
        result.quarantine.append(quarantine_row(source_path, "ingest", "bad-metadata",
                                                f"{sidecar.name}: {error}; metadata ignored"))
        return {}
    return check_metadata(meta, source_path, result)


def check_metadata(meta: dict, source_path: str, result: IngestResult, line: int | None = None) -> dict:
    """Keep known keys with valid values; report the others."""
    clean: dict = {}
    for key, value in meta.items():
        if key not in METADATA_KEYS:
            continue
        if key == "published_date":
            iso = parse_iso_date(value)
            if iso is None:
                result.quarantine.append(quarantine_row(
                    source_path, "ingest", "bad-metadata",
                    f"published_date {value!r} is not an ISO date; ignored", line))
                continue
            value = iso
        elif not isinstance(value, str) or not value.strip():
            result.quarantine.append(quarantine_row(source_path, "ingest", "bad-metadata",
                                                    f"{key} {value!r} is not a text; ignored", line))
            continue
        clean[key] = value.strip()
    return clean


def make_article(text: str, source_path: str, meta: dict, html_title: str | None = None,
                 page: PageDates | None = None) -> Article:
    """Build the article row: normalised text, id, title and publication date with its basis."""
    text = normalise_text(text)
    if len(text) < MIN_TEXT_CHARS:
        raise InputError("empty", f"only {len(text)} characters of text after cleaning")
    if max(len(line) for line in text.split("\n")) > MAX_LINE_CHARS:
        raise InputError("too-large", f"a line longer than {MAX_LINE_CHARS} characters: not a news text")
    publication = publication_date(text, meta.get("published_date"), meta.get("url"), page)
    return Article(
        article_id=text_hash(text),
        source_path=source_path,
        title=meta.get("title") or html_title or headline(text),
        outlet=meta.get("outlet") or publication.outlet,
        url=meta.get("url"),
        published_date=publication.date,
        published_basis=publication.basis,
        language=meta.get("language") or detect_language(text),
        n_chars=len(text),
        text=text,
        published_confidence=publication.confidence,
    )


def read_file(path: Path, source_path: str, result: IngestResult) -> list[Article]:
    """All articles of one raw file (a .jsonl feed may hold many)."""
    size = path.stat().st_size
    if size > MAX_INPUT_BYTES:
        raise InputError("too-large", f"{size:,} bytes exceeds the {MAX_INPUT_BYTES:,}-byte limit")
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return read_feed(path, source_path, result)
    text = decode_bytes(path.read_bytes())
    meta = read_sidecar(path, source_path, result)
    if suffix in (".html", ".htm"):
        body, html_title = extract_html_text(text)
        return [make_article(body, source_path, meta, html_title, page_dates(text))]
    return [make_article(text, source_path, meta)]


def read_feed(path: Path, source_path: str, result: IngestResult) -> list[Article]:
    """One article per JSON line; a broken line is quarantined and the good lines kept."""
    articles = []
    text = decode_bytes(path.read_bytes())
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise InputError("bad-record", "a feed line must be a JSON object with a 'text' string")
            meta = check_metadata(record, source_path, result, number)
            articles.append(make_article(record["text"], f"{source_path}#{number}", meta))
        except json.JSONDecodeError as error:
            result.quarantine.append(quarantine_row(source_path, "ingest", "bad-json", str(error), number))
        except InputError as error:
            result.quarantine.append(quarantine_row(source_path, "ingest", error.reason, error.detail, number))
    return articles


def list_raw_files(raw_dir: Path) -> list[Path]:
    """Input files under raw_dir in a stable order, sidecars and hidden files excluded."""
    root = raw_dir.resolve()
    files = []
    for path in sorted(raw_dir.rglob("*")):
        relative = path.relative_to(raw_dir)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        if path.name.endswith(SIDECAR_SUFFIX) or path.name == "README.md":
            continue
        if not path.resolve().is_relative_to(root):
            continue
        files.append(path)
    return files


def ingest_raw(raw_dir: Path) -> IngestResult:
    """Read every raw input; identical texts become one article (the first path in sorted order)."""
    result = IngestResult()
    seen: dict[str, str] = {}
    for path in list_raw_files(raw_dir):
        source_path = path.relative_to(raw_dir).as_posix()
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            result.quarantine.append(quarantine_row(source_path, "ingest", "unsupported-type",
                                                    f"'{path.suffix}' files are not read (.txt, .html, .jsonl)"))
            continue
        try:
            articles = read_file(path, source_path, result)
        except InputError as error:
            result.quarantine.append(quarantine_row(source_path, "ingest", error.reason, error.detail))
            continue
        except OSError as error:
            result.quarantine.append(quarantine_row(source_path, "ingest", "unreadable", str(error)))
            continue
        for article in articles:
            if article.article_id in seen:
                result.quarantine.append(quarantine_row(
                    article.source_path, "ingest", "duplicate",
                    f"same text as {seen[article.article_id]}; kept once"))
                continue
            seen[article.article_id] = article.source_path
            if article.language != "en":
                result.quarantine.append(quarantine_row(
                    article.source_path, "ingest", "not-english",
                    f"language detected as '{article.language}': published without extraction"))
            result.articles.append(article)
    return result
