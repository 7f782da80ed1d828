"""Extraction quality measured at build time on the frozen test split of the evaluation corpus.

A release is built from a raw folder; when the evaluation corpus is at hand (`tests/corpus/` of the
repository the raw folder belongs to, or a folder named by `accord run --corpus` or the `ACCORD_CORPUS`
environment variable), the test split's raw texts are extracted with the code of the release (per-article
results come from the evaluation cache, so only new or changed texts are parsed) and scored against the
split's gold annotations. The report shows the figures, or says why they were not measured.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CORPUS_ENV = "ACCORD_CORPUS"
CORPUS_IN_REPOSITORY = Path("tests") / "corpus"
SPLIT = "test"
OFF = ("", "0", "no", "none", "off")
FIGURES = ("gold", "predicted", "matched", "precision", "recall", "f1")


@dataclass(frozen=True)
class CorpusChoice:
    """The corpus to measure with (None when there is none) and how it was found, in words."""

    path: Path | None
    label: str


@dataclass(frozen=True)
class ExtractionQuality:
    """Scores per table on the test split, or why there are none; only figures, no paths."""

    measured: bool
    note: str
    documents: int = 0
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)
    actor_linking: dict[str, Any] | None = None
    publication_dates: dict[str, Any] | None = None


def repository_of(folder: Path) -> Path | None:
    """The nearest folder at or above `folder` that is a repository root (has .git or pyproject.toml)."""
    for candidate in [folder, *folder.parents]:
        if (candidate / ".git").exists() or (candidate / "pyproject.toml").exists():
            return candidate
    return None


def locate_corpus(raw_dir: Path, explicit: Path | None = None) -> CorpusChoice:
    """An explicit folder, else `ACCORD_CORPUS` (empty, 'none' or 'off' turns measuring off), else the
    repository's `tests/corpus/` when the raw folder lies in a repository that has one."""
    if explicit is not None:
        return CorpusChoice(explicit, f"the corpus folder `{explicit.name}` given to the run")
    configured = os.environ.get(CORPUS_ENV)
    if configured is not None:
        if configured.strip().lower() in OFF:
            return CorpusChoice(None, f"measuring was turned off ({CORPUS_ENV}={configured.strip()!r})")
        return CorpusChoice(Path(configured), f"the corpus folder `{Path(configured).name}` ({CORPUS_ENV})")
    repository = repository_of(Path(raw_dir).resolve())
    if repository is not None and (repository / CORPUS_IN_REPOSITORY).is_dir():
        return CorpusChoice(repository / CORPUS_IN_REPOSITORY, f"`{CORPUS_IN_REPOSITORY.as_posix()}`")
    return CorpusChoice(None, f"no evaluation corpus was found: the raw folder is not in a repository with "
                              f"`{CORPUS_IN_REPOSITORY.as_posix()}/` (give one with `accord run --corpus` "
                              f"or {CORPUS_ENV})")


def measure_extraction(choice: CorpusChoice, cache_dir: Path | None = None) -> ExtractionQuality:
    """Extract and score the test split of the chosen corpus; not measured when it has none."""
    from flows.tools.corpus import default_cache_dir, extract_raw_folder
    from flows.tools.evaluate import evaluate_tables

    if choice.path is None:
        return ExtractionQuality(False, f"Not measured: {choice.label}.")
    split = choice.path / SPLIT
    if not (split / "gold").is_dir() or not (split / "raw").is_dir():
        return ExtractionQuality(False, f"Not measured: {choice.label} has no {SPLIT} split "
                                        f"(`{SPLIT}/raw/` and `{SPLIT}/gold/`).")
    tables = extract_raw_folder(split / "raw", cache_dir or default_cache_dir())
    report = evaluate_tables(tables, split / "gold", SPLIT)
    documents = report["documents"]
    note = (f"Measured when this release was built: the {documents['found']} texts of the frozen {SPLIT} split "
            f"of {choice.label}, extracted with the code of this release and scored against their hand "
            f"annotations with `accord evaluate`.")
    if documents["missing"]:
        note += f" {len(documents['missing'])} annotated texts could not be read and count as misses."
    return ExtractionQuality(True, note, documents["gold"], summarise_tables(report["tables"]),
                             pick(report.get("actor_linking"), ("occurrences", "linked", "rate")),
                             pick(report.get("publication_dates"), ("documents", "date_accuracy", "basis_accuracy")))


def summarise_tables(tables: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The figures of each table, without the lists of misses."""
    from flows.tools.evaluate import ACCURACY_KEYS

    return {name: {**{key: result.get(key) for key in FIGURES},
                   "accuracy": {label: result.get(key) for label, key in ACCURACY_KEYS.get(name, ())},
                   "duplicates": result.get("duplicates", 0)}
            for name, result in tables.items()}


def pick(figures: dict[str, Any] | None, keys: tuple[str, ...]) -> dict[str, Any] | None:
    return {key: figures.get(key) for key in keys} if figures else None
