"""Ingest: read raw texts (.txt, .html, .jsonl) with their metadata into `Article` rows.

Bad input never stops the run: each problem becomes a `QuarantineRow` naming the file (and line)
and the reason, and the rest of the batch goes on.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import os
import re
import reprlib
import stat
import unicodedata
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import py3langid
import trafilatura
from charset_normalizer import from_bytes

from flows.extract.dateline import PageDates, dateline_at, page_dates, publication_date
from flows.ids import make_id, text_hash
from flows.records import Article, QuarantineRow

SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".jsonl")
TEXT_SUFFIXES = (".txt", ".html", ".htm")
SIDECAR_SUFFIX = ".meta.json"
METADATA_KEYS = ("title", "outlet", "url", "published_date", "language", "licence")
MAX_INPUT_BYTES = 5_000_000
MAX_SIDECAR_BYTES = 65_536
MAX_JSON_DEPTH = 32
# Every published text cell stays below the 131,072 characters Python's csv module reads by default.
MAX_TEXT_CHARS = 100_000
MAX_LINE_CHARS = 200_000
MIN_TEXT_CHARS = 20
# Metadata values longer than this are cut (title, outlet, licence) or ignored (url, language).
FIELD_LIMITS = {"title": 1_000, "outlet": 200, "licence": 200, "url": 2_048, "language": 35}
TRUNCATED_FIELDS = ("title", "outlet", "licence")
MAX_DETAIL_CHARS = 500
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
# Legacy decoding: the Western code page unless the detector prefers another by a clear margin.
WESTERN_ENCODINGS = ("cp1252", "latin_1")
DETECTOR_CHAOS_MARGIN = 0.05
DETECTOR_COHERENCE_MARGIN = 0.15
# A text with a few bytes that are not UTF-8 amid valid UTF-8 is UTF-8 with damage: repaired, not re-guessed.
REPAIRABLE_INVALID_SHARE = 0.005
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
SHORT_REPR = reprlib.Repr()
SHORT_REPR.maxstring = 80
SHORT_REPR.maxother = 80

class InputError(ValueError):
    """A raw input that cannot become an article; the message is the reason."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass
class Decoded:
    """A decoded text and, when it was repaired or its encoding guessed, a note for quarantine."""

    text: str
    note: tuple[str, str] | None = None


@dataclass
class IngestResult:
    articles: list[Article] = field(default_factory=list)
    quarantine: list[QuarantineRow] = field(default_factory=list)

    def add(self, source_path: str, reason: str, detail: str, line: int | None = None,
            severity: str = "error") -> None:
        self.quarantine.append(quarantine_row(source_path, "ingest", reason, detail, line, severity))


def valid_unicode(text: str) -> str:
    """The text with any lone surrogate (a JSON '\\udcff' escape, say) replaced by U+FFFD: UTF-8 can hold it."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def clip(text: str, limit: int = MAX_DETAIL_CHARS) -> str:
    """A detail on one line and of bounded length."""
    text = " ".join(valid_unicode(str(text)).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quarantine_row(source_path: str, stage: str, reason: str, detail: str, line: int | None = None,
                   severity: str = "error") -> QuarantineRow:
    """One quarantine row; the id includes the detail, so two problems of one file are two rows."""
    detail = clip(detail)
    return QuarantineRow(make_id("quarantine", source_path, line, stage, reason, detail), source_path, line,
                         stage, reason, detail, severity)


def normalise_text(text: str) -> str:
    """Unicode NFC, LF line ends, no trailing spaces, no surrounding blank lines: what offsets refer to."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def decode_bytes(data: bytes) -> Decoded:
    """UTF-8; else the encoding a byte-order mark declares; else a legacy code page (see `decode_legacy`)."""
    if not data.strip():
        raise InputError("empty", "the file is empty or holds only whitespace")
    for bom, codec in BOMS:
        if data.startswith(bom):
            name = codec.replace("-sig", "").upper()
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as error:
                raise InputError("encoding", f"starts with a {name} byte-order mark but is not valid {name}: "
                                             f"{error.reason} at byte {error.start}") from None
            if not text.strip():
                raise InputError("empty", "the file holds only a byte-order mark and whitespace")
            return Decoded(text)
    if b"\x00" in data[:8192]:
        raise InputError("binary", "the file holds NUL bytes: binary data, not text")
    try:
        return Decoded(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    escaped = data.decode("utf-8", "surrogateescape")
    invalid = sum(1 for ch in escaped if "\udc80" <= ch <= "\udcff")
    multibyte = sum(1 for ch in escaped if ord(ch) > 127) - invalid
    if multibyte and invalid <= max(multibyte, len(data) * REPAIRABLE_INVALID_SHARE):
        return Decoded(data.decode("utf-8", "replace"),
                       ("repaired", f"UTF-8 with {invalid} invalid byte(s), replaced with U+FFFD"))
    return decode_legacy(data)


def decode_legacy(data: bytes) -> Decoded:
    """A single-byte legacy text: Western European (cp1252, else Latin-1) unless the detector
    prefers another encoding by a clear margin; a decision without that margin is noted."""
    matches = list(from_bytes(data))
    if not matches:
        raise InputError("encoding", "not valid UTF-8 and no text encoding could be detected")
    best = min(matches, key=lambda m: (m.chaos, -m.coherence))
    western = next((m for m in matches if set(m.could_be_from_charset) & set(WESTERN_ENCODINGS)), None)
    if western is not None:
        text = str(western)
        rivals = [m for m in matches if str(m) != text]
        clearly_better = [m for m in rivals if m.chaos <= western.chaos - DETECTOR_CHAOS_MARGIN
                          or (m.chaos <= western.chaos and m.coherence >= western.coherence
                              + DETECTOR_COHERENCE_MARGIN)]
        if not clearly_better:
            close = [m for m in rivals if m.chaos <= western.chaos and m.coherence > western.coherence]
            chosen = next(e for e in WESTERN_ENCODINGS + (western.encoding,) if e in western.could_be_from_charset)
            note = None if not close else (
                "encoding-guess", f"not UTF-8; decoded as {chosen}, though {close[0].encoding} "
                                  f"scored about as well: check the accented letters")
            return Decoded(text, note)
        best = min(clearly_better, key=lambda m: (m.chaos, -m.coherence))
    text = str(best)
    rivals = [m for m in matches if str(m) != text]
    runner_up = min(rivals, key=lambda m: (m.chaos, -m.coherence)) if rivals else None
    confident = runner_up is None or (runner_up.chaos - best.chaos >= DETECTOR_CHAOS_MARGIN
                                      or runner_up.coherence + DETECTOR_COHERENCE_MARGIN <= best.coherence)
    note = None if confident else (
        "encoding-guess", f"not UTF-8; decoded as {best.encoding} with low confidence "
                          f"({runner_up.encoding} scored about as well)")
    return Decoded(text, note)


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
    if not isinstance(value, str) or len(value) > 40:
        return None
    value = value.strip()
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(value).date().isoformat()
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


def read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; never follows a link, never blocks on a pipe."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        if os.path.islink(path):
            raise InputError("symlink", "a symbolic link: links are not followed") from None
        raise InputError("unreadable", error.strerror or str(error)) from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise InputError("not-a-file", f"a {file_kind(info.st_mode)}, not a regular file: not read")
        if info.st_size > limit:
            raise InputError("too-large", f"{info.st_size:,} bytes exceeds the {limit:,}-byte limit")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise InputError("too-large", f"more than the {limit:,}-byte limit")
    return data


def file_kind(mode: int) -> str:
    kinds = ((stat.S_ISFIFO, "named pipe"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "character device"),
             (stat.S_ISBLK, "block device"), (stat.S_ISDIR, "directory"), (stat.S_ISLNK, "symbolic link"))
    return next((name for test, name in kinds if test(mode)), "special file")


def json_depth(text: str) -> int:
    """How deeply a JSON text nests arrays and objects (strings skipped), without parsing it."""
    depth = deepest = 0
    for bracket in re.findall(r"[\[\]{}]", JSON_STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def load_json(text: str) -> object:
    """json.loads with a bounded nesting depth: a deeply nested value is an error, never a crash."""
    if (depth := json_depth(text)) > MAX_JSON_DEPTH:
        raise InputError("bad-json", f"JSON nested {depth} levels deep (at most {MAX_JSON_DEPTH})")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError("bad-json", str(error)) from None
    except RecursionError:
        raise InputError("bad-json", f"JSON nested too deeply (at most {MAX_JSON_DEPTH} levels)") from None


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name[: -len(path.suffix)] + SIDECAR_SUFFIX)


def read_sidecar(path: Path, source_path: str, result: IngestResult) -> dict:
    """Metadata from `<name>.meta.json`; a malformed sidecar is reported and ignored, the text is kept."""
    sidecar = sidecar_path(path)
    if not os.path.lexists(sidecar):
        return {}
    try:
        meta = load_json(read_regular_file(sidecar, MAX_SIDECAR_BYTES).decode("utf-8"))
        if not isinstance(meta, dict):
            raise InputError("bad-metadata", "the sidecar is not a JSON object")
    except (InputError, UnicodeDecodeError) as error:
        detail = error.detail if isinstance(error, InputError) else f"not UTF-8: {error.reason}"
        result.add(source_path, "bad-metadata", f"{display_name(sidecar.name)}: {detail}; metadata ignored",
                   severity="warning")
        return {}
    return check_metadata(meta, source_path, result)


def is_web_address(value: str) -> bool:
    parts = urllib.parse.urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not re.search(r"\s", value)


def check_metadata(meta: dict, source_path: str, result: IngestResult, line: int | None = None) -> dict:
    """Keep known keys with valid values; report each other one. Over-long values are cut (title, outlet,
    licence) or ignored (url, language), as `FIELD_LIMITS` says."""
    clean: dict = {}
    for key, value in meta.items():
        if key not in METADATA_KEYS:
            continue
        if key == "published_date":
            iso = parse_iso_date(value)
            if iso is None:
                result.add(source_path, "bad-metadata",
                           f"published_date {SHORT_REPR.repr(value)} is not an ISO date; ignored", line, "warning")
                continue
            clean[key] = iso
            continue
        if not isinstance(value, str) or not value.strip():
            result.add(source_path, "bad-metadata", f"{key} {SHORT_REPR.repr(value)} is not a text; ignored",
                       line, "warning")
            continue
        value = value.strip()
        if valid_unicode(value) != value:
            result.add(source_path, "bad-metadata", f"{key} {SHORT_REPR.repr(value)} holds a lone surrogate, not a "
                                                    "character; ignored", line, "warning")
            continue
        limit = FIELD_LIMITS[key]
        if len(value) > limit and key in TRUNCATED_FIELDS:
            result.add(source_path, "truncated", f"{key} of {len(value):,} characters cut to {limit:,}", line,
                       "warning")
            value = value[:limit].rstrip()
        elif len(value) > limit:
            result.add(source_path, "bad-metadata", f"{key} of {len(value):,} characters is longer than "
                                                    f"{limit:,}; ignored", line, "warning")
            continue
        elif key == "url" and not is_web_address(value):
            result.add(source_path, "bad-metadata", f"url {SHORT_REPR.repr(value)} is not an http(s) address; "
                                                    "ignored", line, "warning")
            continue
        elif key == "language" and not LANGUAGE_TAG.match(value):
            result.add(source_path, "bad-metadata", f"language {SHORT_REPR.repr(value)} is not a language code; "
                                                    "detected instead", line, "warning")
            continue
        clean[key] = value
    return clean


def make_article(text: str, source_path: str, meta: dict, html_title: str | None = None,
                 page: PageDates | None = None) -> Article:
    """Build the article row: normalised text, id, title and publication date with its basis."""
    text = normalise_text(text)
    if len(text) < MIN_TEXT_CHARS:
        raise InputError("empty", f"only {len(text)} characters of text after cleaning")
    if len(text) > MAX_TEXT_CHARS:
        raise InputError("too-large", f"{len(text):,} characters of text exceeds the {MAX_TEXT_CHARS:,}-character "
                                      "limit")
    if max(len(line) for line in text.split("\n")) > MAX_LINE_CHARS:
        raise InputError("too-large", f"a line longer than {MAX_LINE_CHARS} characters: not a news text")
    publication = publication_date(text, meta.get("published_date"), meta.get("url"), page)
    if html_title is not None:
        html_title = html_title[: FIELD_LIMITS["title"]].strip() or None
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


def decode_noted(data: bytes, source_path: str, result: IngestResult) -> str:
    decoded = decode_bytes(data)
    if decoded.note is not None:
        result.add(source_path, decoded.note[0], decoded.note[1], severity="warning")
    return decoded.text


def read_file(path: Path, source_path: str, result: IngestResult) -> list[Article]:
    """All articles of one raw file (a .jsonl feed may hold many)."""
    data = read_regular_file(path, MAX_INPUT_BYTES)
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return read_feed(data, source_path, result)
    text = decode_noted(data, source_path, result)
    meta = read_sidecar(path, source_path, result)
    if suffix in (".html", ".htm"):
        body, html_title = extract_html_text(text)
        return [make_article(body, source_path, meta, html_title, page_dates(text))]
    return [make_article(text, source_path, meta)]


def read_feed(data: bytes, source_path: str, result: IngestResult) -> list[Article]:
    """One article per JSON line; a broken line is quarantined and the good lines kept."""
    articles = []
    text = decode_noted(data, source_path, result)
    rows_before = len(result.quarantine)
    lines = text.split("\n")
    if not any(line.strip() for line in lines):
        raise InputError("empty", "the feed holds no line with content")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = load_json(line)
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise InputError("bad-record", "a feed line must be a JSON object with a 'text' string")
            meta = check_metadata(record, source_path, result, number)
            text = valid_unicode(record["text"])
            if text != record["text"]:
                result.add(source_path, "repaired", "the text holds lone surrogates (\\ud800-\\udfff escapes), "
                                                    "replaced with U+FFFD", number, "warning")
            articles.append(make_article(text, f"{source_path}#{number}", meta))
        except InputError as error:
            result.add(source_path, error.reason, error.detail, number)
        except Exception as error:  # noqa: BLE001 - whatever a line holds, the other lines go on
            result.add(source_path, "ingest-error", f"{type(error).__name__}: {error}", number)
    if not articles and len(result.quarantine) == rows_before:
        raise InputError("empty", "the feed holds no article")
    return articles


def display_name(name: str) -> str:
    """A path as published: a name that is not valid UTF-8 keeps its bytes as backslash escapes."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


@dataclass
class RawEntry:
    """One thing found under the raw folder: a file to read, or a problem to record."""

    path: Path
    source_path: str
    problem: tuple[str, str] | None = None


def walk_raw(raw_dir: Path, folder: Path | None = None) -> list[RawEntry]:
    """Everything under raw_dir in a stable (sorted) order, without following links; hidden names skipped."""
    folder = folder or raw_dir
    entries: list[RawEntry] = []
    root = raw_dir.resolve()
    try:
        with os.scandir(folder) as listing:
            children = sorted(listing, key=lambda e: e.name)
    except OSError as error:
        source_path = display_name(folder.relative_to(raw_dir).as_posix())
        return [RawEntry(folder, source_path, ("unreadable", f"folder cannot be listed: {error.strerror}"))]
    names = {child.name for child in children}
    for child in children:
        if child.name.startswith("."):
            continue
        path = Path(child.path)
        source_path = display_name(path.relative_to(raw_dir).as_posix())
        if child.is_symlink():
            try:
                where = "inside" if path.resolve().is_relative_to(root) else "outside"
                target = f"a symbolic link to a path {where} the raw folder"
            except (OSError, RuntimeError):  # a loop of links
                target = "a symbolic link that cannot be resolved"
            entries.append(RawEntry(path, source_path, ("symlink", f"{target}: links are not followed")))
        elif child.is_dir(follow_symlinks=False):
            entries.extend(walk_raw(raw_dir, path))
        elif child.name.endswith(SIDECAR_SUFFIX):
            stem = child.name[: -len(SIDECAR_SUFFIX)]
            if not any(stem + suffix in names for suffix in TEXT_SUFFIXES):
                entries.append(RawEntry(path, source_path, ("orphan-metadata", "a metadata sidecar without a "
                                                                               ".txt or .html file beside it")))
        elif child.name == "README.md":
            continue
        elif not child.is_file(follow_symlinks=False):
            mode = child.stat(follow_symlinks=False).st_mode
            entries.append(RawEntry(path, source_path, ("not-a-file", f"a {file_kind(mode)}, not a regular file: "
                                                                      "not read")))
        else:
            entries.append(RawEntry(path, source_path))
    return entries


def list_raw_files(raw_dir: Path) -> list[Path]:
    """Input files under raw_dir in a stable order, sidecars, hidden files, links and special files excluded."""
    return [entry.path for entry in walk_raw(raw_dir) if entry.problem is None]


FileReader = Callable[[Path, str, IngestResult], list[Article]]


def ingest_raw(raw_dir: Path, read: FileReader = read_file) -> IngestResult:
    """Read every raw input; identical texts become one article (the first path in sorted order).

    Nothing a file holds stops the batch: every problem is a quarantine row naming the file. `read` reads
    one file (a cache of earlier reads may stand in for `read_file`).
    """
    result = IngestResult()
    seen: dict[str, str] = {}
    for entry in walk_raw(raw_dir):
        source_path, path = entry.source_path, entry.path
        if entry.problem is not None:
            result.add(source_path, *entry.problem)
            continue
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            result.add(source_path, "unsupported-type",
                       f"'{display_name(path.suffix)}' files are not read (.txt, .html, .jsonl)")
            continue
        if source_path != path.relative_to(raw_dir).as_posix():
            result.add(source_path, "file-name", "the file name is not valid UTF-8: recorded with its "
                                                 "undecodable bytes as \\x escapes", severity="warning")
        try:
            articles = read(path, source_path, result)
        except InputError as error:
            result.add(source_path, error.reason, error.detail)
            continue
        except Exception as error:  # noqa: BLE001 - whatever a file holds, the batch goes on
            result.add(source_path, "ingest-error", f"{type(error).__name__}: {error}")
            continue
        for article in articles:
            if article.article_id in seen:
                result.add(article.source_path, "duplicate", f"same text as {seen[article.article_id]}; kept once")
                continue
            seen[article.article_id] = article.source_path
            if article.language != "en":
                result.add(article.source_path, "not-english",
                           f"language detected as '{article.language}': published without extraction",
                           severity="warning")
            result.articles.append(article)
    return result
