"""Extraction batches in worker processes, one per core, sharing one loaded spaCy pipeline and gazetteer.

spaCy's parse and the rule-based stages hold the GIL, so threads share one core; processes use them all.
Workers are forked from a fork server of the extraction's own (not from a process running Prefect's threads
and event loops) that loaded the model and the gazetteer first (flows/extract/preload.py): their pages are
shared copy-on-write, held once rather than once per worker. The server ends with the extraction. A batch's
results go back to the caller as soon as it is done, so they are cached while the others run.
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.forkserver
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from multiprocessing.context import BaseContext
from pathlib import Path

from flows.records import Article, ArticleExtraction

# Batches queued per worker: enough that none waits for work, few enough to bound the memory they take.
QUEUED_PER_WORKER = 2
# Batches a worker process extracts before a fresh one is forked in its place. A worker's private memory grows
# with what it has done: the pages of the shared model and gazetteer it touched become its own copies, and the
# parse's buffers and string tables grow with its articles. A fresh worker per batch keeps each worker at what
# one batch takes, whatever the size of the corpus; forking from the server that holds the loaded model costs
# little. (One also avoids a flaw of Python 3.11's pool, which can stop replacing workers when the limit is
# larger.)
BATCHES_PER_WORKER_PROCESS = 1
# The module the fork server imports to load what workers share, and the variable telling it the folder
# holding the run's kept gazetteer (the server reads its environment, not this process's state).
PRELOAD_MODULE = "flows.extract.preload"
REFERENCE_FOLDER_VARIABLE = "ACCORD_REFERENCE_FOLDER"


def extract_batch(articles: list[Article], reference_folder: Path | None = None) -> list[ArticleExtraction]:
    """Parse a batch with spaCy's streaming pipe and extract every article of it; reference data built
    once per run is kept in `reference_folder` (the run's cache of this code and reference data version)."""
    from flows.extract.annotate import annotate_texts  # spaCy is imported by those who parse, not by callers
    from flows.extract.article import extract_article
    from flows.extract.places.gazetteer import keep_built_in

    keep_built_in(reference_folder)
    docs = annotate_texts(a.text for a in articles)
    return [extract_article(doc, article) for article, doc in zip(articles, docs, strict=True)]


def available_cores() -> int:
    """The cores this process may run on (its affinity, which containers and `taskset` narrow)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def prepare_worker(reference_folder: Path | None) -> None:
    """Make sure the model and the gazetteer are loaded (the fork server loaded them unless it failed to),
    then take what the worker made so far out of the cyclic collector's scans: they live as long as the
    worker, and every full collection would walk their millions of objects."""
    from flows.extract.annotate import load_nlp
    from flows.extract.places.gazetteer import keep_built_in, load_gazetteer

    keep_built_in(reference_folder)
    load_nlp()
    load_gazetteer()
    gc.freeze()


def _build_gazetteer_into(folder: Path) -> None:
    """The builder process's work. Ctrl+C reaches the whole process group: the builder then ends without a
    traceback of its own (exit status 130), and the run or the scheduled-run server reports the stop."""
    from flows.extract.places.gazetteer import keep_built_in, load_gazetteer

    try:
        keep_built_in(folder)
        load_gazetteer()
    except KeyboardInterrupt:
        raise SystemExit(130) from None


def keep_gazetteer(reference_folder: Path | None) -> None:
    """Build the gazetteer into `reference_folder` in a process of its own when it is not kept there yet.

    Every worker would otherwise build it, and a process that built it holds a few hundred MB of building
    objects until it ends; workers that load the kept file hold only the gazetteer. One built for another
    output folder by the same code and data is taken from the user's cache instead. When the build fails,
    the workers build it as before.
    """
    from flows.cache import fetch_shared
    from flows.extract.places.gazetteer import kept_path_in

    if reference_folder is None or fetch_shared(kept_path_in(reference_folder)):
        return
    builder = multiprocessing.get_context("spawn").Process(target=_build_gazetteer_into, args=(reference_folder,))
    builder.start()
    builder.join()


def _stop_fork_server() -> None:
    """End the fork server, and with it its copy of the model and gazetteer (multiprocessing has no public
    call for it; the server also ends by itself when this process does)."""
    server = getattr(multiprocessing.forkserver, "_forkserver", None)
    stop = getattr(server, "_stop", None)
    if stop is not None:
        stop()


@contextmanager
def sharing_context(reference_folder: Path | None) -> Iterator[BaseContext]:
    """A fork server of this extraction's own that loaded the model and the gazetteer (from
    `reference_folder` when kept there), ended when the extraction is."""
    context = multiprocessing.get_context("forkserver")
    _stop_fork_server()  # one started before knows neither these modules nor this folder
    context.set_forkserver_preload([PRELOAD_MODULE])
    previous = os.environ.get(REFERENCE_FOLDER_VARIABLE)
    os.environ[REFERENCE_FOLDER_VARIABLE] = "" if reference_folder is None else str(reference_folder)
    try:
        multiprocessing.forkserver.ensure_running()
    finally:
        if previous is None:
            del os.environ[REFERENCE_FOLDER_VARIABLE]
        else:
            os.environ[REFERENCE_FOLDER_VARIABLE] = previous
    try:
        yield context
    finally:
        _stop_fork_server()


def extract_in_processes(
    batches: Iterable[list[Article]],
    workers: int,
    done: Callable[[list[ArticleExtraction]], None],
    reference_folder: Path | None = None,
) -> None:
    """Extract every batch in `workers` processes forked from a server holding the model and gazetteer,
    calling `done` with each batch's results in the order they finish; a failure in a worker is raised here."""
    keep_gazetteer(reference_folder)
    with sharing_context(reference_folder) as context:
        _extract_in_pool(batches, workers, done, reference_folder, context)


def _extract_in_pool(
    batches: Iterable[list[Article]],
    workers: int,
    done: Callable[[list[ArticleExtraction]], None],
    reference_folder: Path | None,
    context: BaseContext,
) -> None:
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=prepare_worker, initargs=(reference_folder,),
        max_tasks_per_child=BATCHES_PER_WORKER_PROCESS,
    )
    waiting = iter(batches)
    running: set[Future] = set()
    try:
        for batch in waiting:
            running.add(pool.submit(extract_batch, batch, reference_folder))
            if len(running) >= workers * QUEUED_PER_WORKER:
                break
        while running:
            finished, running = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                done(future.result())
                following = next(waiting, None)
                if following is not None:
                    running.add(pool.submit(extract_batch, following, reference_folder))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
