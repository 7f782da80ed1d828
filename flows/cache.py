"""Per-article result cache keyed by article hash and the fingerprint of code and reference data, and the
cache of raw files as read, keyed by their bytes."""

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
from flows.ids import sha256_file
from flows.ingest import IngestResult, read_file, sidecar_path
from flows.records import Article, ArticleExtraction
from flows.run_state import code_fingerprint
from schemas import REFERENCE_DIR

FLOWS_DIR = Path(flows.__file__).parent
# The variable naming the user's cache folder (results and reference data kept across output folders).
USER_CACHE_VARIABLE = "ACCORD_CACHE_DIR"
# Files of this many code versions are kept in the user's cache folder.
SHARED_KEPT = 4


def user_cache_dir() -> Path:
    """The user's cache folder of the project: `ACCORD_CACHE_DIR`, else `$XDG_CACHE_HOME/accord`, else
    `~/.cache/accord`."""
    named = os.environ.get(USER_CACHE_VARIABLE)
    if named:
        return Path(named)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "accord"



def shared_file(path: Path) -> Path:
    """The user's cache's copy of `path`, reference data built by this extraction code and reference data
    and kept for every output folder (a run into a new one links it instead of building it again)."""
    return user_cache_dir() / "reference" / f"{pipeline_fingerprint()}-{path.name}"


def fetch_shared(path: Path) -> bool:
    """Whether `path` exists, linked from the user's cache when it did not."""
    if not path.exists():
        link_shared(shared_file(path), path)
    return path.exists()


def prune_shared(kept: Path) -> None:
    """Leave the most recently used few files of other code versions beside `kept` (checkouts share them)."""
    try:
        name = kept.name.split("-", 1)[-1]
        others = sorted((p for p in kept.parent.iterdir() if p != kept and p.name.split("-", 1)[-1] == name),
                        key=lambda p: p.stat().st_mtime, reverse=True)
        for old in others[SHARED_KEPT - 1:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass


def link_shared(shared: Path, path: Path) -> None:
    """A shared file into a run's cache (a hard link where the file system allows, else a copy), marked as
    used; nothing when it is missing or cannot be linked (the run then builds its own)."""
    try:
        os.utime(shared)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.stem}.{os.getpid()}.tmp")
        try:
            os.link(shared, temporary)
        except OSError:
            shutil.copyfile(shared, temporary)
        os.replace(temporary, path)
    except OSError:
        pass

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
    metadata = (
        article.published_date,
        article.published_basis,
        article.title,
        article.outlet,
        article.url,
        article.language,
    )
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


def is_cached(cache_dir: Path, article: Article) -> bool:
    """A result is kept for the article (reading it may still fail: `load_cached` says so)."""
    return cache_path(cache_dir, article).exists()


def load_all_cached(cache_dir: Path, articles: list[Article]) -> dict[str, ArticleExtraction]:
    """The kept results of `articles` that can be read, by article id."""
    loaded = {article.article_id: load_cached(cache_dir, article) for article in articles}
    return {article_id: value for article_id, value in loaded.items() if value is not None}


def store_cached(cache_dir: Path, article: Article, extraction: ArticleExtraction) -> None:
    """Write through a temporary file of this process's own, so two runs storing the same article at once
    never write into one file or rename each other's."""
    path = cache_path(cache_dir, article)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "wb", dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp", delete=False
    ) as handle:
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


class RawFileCache:
    """The articles and quarantine notes of each raw file as read before, so an unchanged file is not
    decoded, cleaned and language-checked again on every run.

    An entry is keyed by the file's path and bytes, its sidecar's bytes and the fingerprint of all code and
    installed packages: whatever could change what reading gives is in the key. Files whose sidecar is not a
    plain file are read every time. Entries this run did not use are dropped by `prune`.
    """

    def __init__(self, folder: Path) -> None:
        self.root = folder
        self.folder = folder / code_fingerprint()[:16]
        self.used: set[str] = set()

    def key(self, path: Path, source_path: str) -> str | None:
        digest = hashlib.sha256(f"{source_path}\0{sha256_file(path)}".encode())
        sidecar = sidecar_path(path)
        if os.path.lexists(sidecar):
            if sidecar.is_symlink() or not sidecar.is_file():
                return None
            digest.update(f"\0{sha256_file(sidecar)}".encode())
        return digest.hexdigest()[:40]

    def read(self, path: Path, source_path: str, result: IngestResult) -> list[Article]:
        """`read_file`'s articles and notes for this file, from the cache when its inputs are unchanged."""
        key = self.key(path, source_path)
        if key is None:
            return read_file(path, source_path, result)
        self.used.add(key)
        entry = self.folder / f"{key}.pkl"
        try:
            with entry.open("rb") as handle:
                articles, notes = pickle.load(handle)
            result.quarantine.extend(notes)
            return articles
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
            pass
        own = IngestResult()
        articles = read_file(path, source_path, own)  # a file that cannot be read raises, and is not kept
        result.quarantine.extend(own.quarantine)
        self.folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "wb", dir=self.folder, prefix=f".{key}.", suffix=".tmp", delete=False
        ) as handle:
            pickle.dump((articles, own.quarantine), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, entry)
        return articles

    def prune(self) -> None:
        """Drop entries of other code versions and of files this run did not read as they were kept."""
        if not self.root.exists():
            return
        for folder in self.root.iterdir():
            if folder.is_dir() and folder != self.folder:
                shutil.rmtree(folder, ignore_errors=True)
        if self.folder.exists():
            for entry in self.folder.iterdir():
                if entry.suffix == ".pkl" and entry.stem not in self.used:
                    entry.unlink(missing_ok=True)
