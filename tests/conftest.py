"""Shared fixtures: one Prefect test harness per session, the sample corpus, one sample release."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from flows.prefect_server import prefect_defaults

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "raw"
os.environ.pop("ACCORD_CORPUS", None)  # releases built here find (or not) their corpus beside the raw folder
prefect_defaults()  # as `accord` sets them, before Prefect is first imported: runs outside the harness wait as long


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.logging.configuration import ensure_logging_setup
    from prefect.testing.utilities import prefect_test_harness

    # Configure Prefect's logging now, on pytest's streams: configured first inside a CliRunner.invoke, its
    # console handler would keep that invocation's stream, closed once the invocation returns.
    ensure_logging_setup()
    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def sample_raw() -> Path:
    return RAW


@pytest.fixture(scope="session")
def sample_raw_copy(tmp_path_factory) -> Path:
    """The sample texts copied outside the repository (so no evaluation corpus lies beside them)."""
    raw = tmp_path_factory.mktemp("raw")
    for path in RAW.iterdir():
        shutil.copy(path, raw / path.name)
    return raw


@pytest.fixture(scope="session")
def sample_release(prefect_harness, sample_raw_copy, tmp_path_factory) -> Path:
    """The sample corpus run once through the whole pipeline; returns the output folder."""
    from flows.pipeline import accord_pipeline

    output = tmp_path_factory.mktemp("release")
    summary = accord_pipeline(raw_dir=sample_raw_copy, output_dir=output)
    assert summary.release.version is not None
    return output
