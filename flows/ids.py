"""Stable, opaque ids derived from content, never from row order."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path


def make_id(prefix: str, *parts: object) -> str:
    """Return `prefix:` plus 16 hex digits of the SHA-256 of the parts (zavod's make_id)."""
    joined = "\x1f".join("" if part is None else str(part) for part in parts)
    return f"{prefix}:{hashlib.sha256(joined.encode('utf-8')).hexdigest()[:16]}"


def slugify(text: str) -> str:
    """Lower-case ASCII slug: 'Albin Kurti' -> 'albin-kurti'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def text_hash(text: str) -> str:
    """The first 16 hex digits of the SHA-256 of a text: the article id."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, read in 1 MiB blocks so large files use little memory."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def mention_id(article_id: str, kind: str, char_start: int, char_end: int) -> str:
    """The id of a date, actor or place span: stable for the same article, kind and offsets."""
    return make_id("mention", article_id, kind, char_start, char_end)
