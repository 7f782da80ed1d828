"""Per-article result cache keyed by article hash and the fingerprint of code and reference data."""

from __future__ import annotations

import hashlib
import pickle
import shutil
from functools import lru_cache
from pathlib import Path

import flows
import schemas
from flows.annotate import MODEL_NAME
from flows.consolidate import ArticleExtraction

CODE_DIRS = (Path(flows.__file__).parent, Path(schemas.__file__).parent)


@lru_cache(maxsize=1)
def pipeline_fingerprint() -> str:
    """Hash of every code and reference file the extraction depends on, plus the spaCy model."""
    digest = hashlib.sha256(MODEL_NAME.encode())
    for folder in CODE_DIRS:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".yaml", ".json", ".csv") and "__pycache__" not in path.parts:
                digest.update(path.relative_to(folder.parent).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cache_path(cache_dir: Path, article_id: str) -> Path:
    return cache_dir / pipeline_fingerprint() / f"{article_id}.pkl"


def load_cached(cache_dir: Path, article_id: str) -> ArticleExtraction | None:
    path = cache_path(cache_dir, article_id)
    if not path.exists():
        return None
    try:
        with path.open("rb") as handle:
            value = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        return None
    return value if isinstance(value, ArticleExtraction) else None


def store_cached(cache_dir: Path, extraction: ArticleExtraction) -> None:
    path = cache_path(cache_dir, extraction.article_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as handle:
        pickle.dump(extraction, handle, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)


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
