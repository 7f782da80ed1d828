"""Per-article result cache keyed by article hash and the fingerprint of code and reference data."""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

import flows
import flows.extract
from flows.extract.annotate import MODEL_NAME
from flows.records import Article, ArticleExtraction
from schemas import REFERENCE_DIR

FLOWS_DIR = Path(flows.__file__).parent


def extraction_inputs() -> list[Path]:
    """What an article's extraction depends on: the extract stages, the row types and ids, the reference data.

    Tooling, publishing and the table declarations are left out, so changing them re-uses the cache.
    """
    code = sorted(Path(flows.extract.__file__).parent.rglob("*.py")) + [FLOWS_DIR / "records.py", FLOWS_DIR / "ids.py"]
    reference = sorted(p for p in REFERENCE_DIR.glob("*") if p.suffix in (".yaml", ".json", ".csv"))
    return code + reference


@lru_cache(maxsize=1)
def pipeline_fingerprint() -> str:
    """Hash of every code and reference file the extraction depends on, plus the spaCy model."""
    digest = hashlib.sha256(MODEL_NAME.encode())
    for path in extraction_inputs():
        digest.update(path.relative_to(FLOWS_DIR.parent).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def extraction_key(article: Article) -> str:
    """The article's text hash plus the metadata extraction reads: a new sidecar date re-extracts the text."""
    metadata = (article.published_date, article.published_basis, article.title, article.outlet, article.url,
                article.language)
    return f"{article.article_id}-{hashlib.sha256(repr(metadata).encode()).hexdigest()[:12]}"


def cache_path(cache_dir: Path, article: Article) -> Path:
    return cache_dir / pipeline_fingerprint() / f"{extraction_key(article)}.pkl"


def load_cached(cache_dir: Path, article: Article) -> ArticleExtraction | None:
    path = cache_path(cache_dir, article)
    if not path.exists():
        return None
    try:
        with path.open("rb") as handle:
            value = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        return None
    return value if isinstance(value, ArticleExtraction) else None


def store_cached(cache_dir: Path, article: Article, extraction: ArticleExtraction) -> None:
    """Write through a temporary file of this process's own, so two runs storing the same article at once
    never write into one file or rename each other's."""
    path = cache_path(cache_dir, article)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp",
                                     delete=False) as handle:
        pickle.dump(extraction, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(handle.name, path)


def has_other_fingerprints(cache_dir: Path) -> bool:
    """True when the cache holds results of another code or reference-data version only."""
    if not cache_dir.exists():
        return False
    return any(p.is_dir() and p.name != pipeline_fingerprint() for p in cache_dir.iterdir())


def prune_other_fingerprints(cache_dir: Path) -> None:
    """Drop results of other code or reference-data versions: they can never be used again as they are."""
    if not cache_dir.exists():
        return
    for folder in cache_dir.iterdir():
        if folder.is_dir() and folder.name != pipeline_fingerprint():
            shutil.rmtree(folder, ignore_errors=True)
