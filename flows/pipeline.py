"""The top-level Prefect flow: ingest -> annotate/extract -> consolidate -> validate -> publish.

The steps and the run that chains them live in `flows.steps`, free of Prefect; this module makes that run a
Prefect flow (recorded by a Prefect API, or with Dask's task runner) and the flow that `accord serve` schedules.
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow
from prefect.states import Completed, State

from flows.release.publish import LOCK_TIMEOUT_SECONDS
from flows.steps import (
    IN_PROCESS_ARTICLES,
    QualityGateError,
    RunSummary,
    extract_and_load,
    extract_batch,
    release_day,
    release_message,
    run_pipeline,
    run_step,
    write_quality_report,
)

__all__ = ["IN_PROCESS_ARTICLES", "QualityGateError", "RunSummary", "accord_pipeline", "extract_and_load",
           "extract_batch", "pipeline_with_runner", "release_day", "release_message", "run_step",
           "scheduled_pipeline", "write_quality_report"]

# A failed scheduled run is tried again twice, five minutes apart, before it is reported as failed.
SCHEDULED_RETRIES = 2
SCHEDULED_RETRY_DELAY_SECONDS = 300


@flow(name="accord-pipeline", log_prints=True)
def accord_pipeline(raw_dir: Path = Path("raw"), output_dir: Path = Path("output"),
                    cache_dir: Path | None = None, full: bool = False, corpus_dir: Path | None = None,
                    lock_timeout: float = LOCK_TIMEOUT_SECONDS, workers: int | None = None) -> RunSummary:
    """Turn the texts in raw_dir into a new release in output_dir (or nothing, if nothing changed); each step a
    task run of the flow."""
    return run_pipeline(raw_dir=raw_dir, output_dir=output_dir, cache_dir=cache_dir, full=full,
                        corpus_dir=corpus_dir, lock_timeout=lock_timeout, workers=workers)


def pipeline_with_runner(runner: str = "local", address: str | None = None, orchestrated: bool = True):
    """The flow with the chosen task runner: local threads, or Dask (a local cluster unless an address is given).

    `orchestrated=False` with the local runner gives the plain run (`flows.steps.run_pipeline`): the run is not
    recorded by a Prefect API, and none is started (Prefect's embedded server costs seconds of CPU on every run).
    """
    if runner == "local":
        return accord_pipeline if orchestrated else run_pipeline
    if runner == "dask":
        from prefect_dask import DaskTaskRunner

        if address:
            return accord_pipeline.with_options(task_runner=DaskTaskRunner(address=address))
        return accord_pipeline.with_options(task_runner=DaskTaskRunner(
            cluster_kwargs={"n_workers": 2, "threads_per_worker": 1, "processes": True}))
    raise ValueError(f"unknown runner {runner!r}: use 'local' or 'dask'")


@flow(name="accord-pipeline", log_prints=True, retries=SCHEDULED_RETRIES,
      retry_delay_seconds=SCHEDULED_RETRY_DELAY_SECONDS)
def scheduled_pipeline(raw_dir: Path, output_dir: Path) -> State:
    """The pipeline as one scheduled run: retried on failure, its final state saying which release it published."""
    summary = run_pipeline(raw_dir=raw_dir, output_dir=output_dir)
    return Completed(message=release_message(summary))
