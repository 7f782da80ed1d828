"""Fuzzing raw folders built from the hostile-input cases (plus random bytes and texts).

Properties, for any folder: ingest ends (no crash, no hang), the tables publish and read back (Parquet,
and CSV with Python's csv module at its default settings), and every input is either in `articles` or
in `quarantine`.
"""

from __future__ import annotations

import csv
import datetime as dt
import threading
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows.ingest import ingest_raw
from flows.release.consolidate import frame
from flows.release.publish import publish_release
from flows.release.validate import quarantine_failing_rows
from tests.hostile_cases import CASES, expected_inputs, published_inputs

STEMS = st.text(alphabet="abcdefghij_-. ", min_size=1, max_size=8).map(lambda s: "f" + s.strip())
RANDOM = st.tuples(st.sampled_from([".txt", ".jsonl", ".meta.json", ".html"]),
                   st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")))
FOLDERS = st.lists(st.tuples(st.sampled_from(sorted(CASES)), STEMS) | st.tuples(st.just("random"), STEMS, RANDOM),
                   min_size=1, max_size=6)


def build(raw: Path, plan: list[tuple]) -> None:
    for number, item in enumerate(plan):
        stem = f"{item[1]}{number}"
        if item[0] == "random":
            suffix, data = item[2]
            (raw / f"{stem}{suffix}").write_bytes(data)
        else:
            CASES[item[0]](raw, stem)


def ingest_within(raw: Path, seconds: float):
    outcome: list = []
    thread = threading.Thread(target=lambda: outcome.append(ingest_raw(raw)), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "ingest did not finish: an input made it hang"
    return outcome[0]


def publish_ingested(result, output: Path) -> Path:
    frames = {"articles": frame("articles", result.articles), "quarantine": frame("quarantine", result.quarantine)}
    frames, rejected = quarantine_failing_rows(frames)
    frames["quarantine"] = frame("quarantine", list({q.quarantine_id: q
                                                     for q in result.quarantine + rejected}.values()))
    release = publish_release(frames, output, [], today=dt.date(2024, 1, 1), lock_timeout=5)
    assert release.path is not None
    return release.path


def read_csv_default(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(plan=FOLDERS)
def test_any_raw_folder_is_fully_accounted_for(tmp_path_factory, plan: list[tuple]) -> None:
    base = tmp_path_factory.mktemp("fuzz")
    raw = base / "raw"
    raw.mkdir()
    build(raw, plan)
    result = ingest_within(raw, 60)
    release = publish_ingested(result, base / "out")
    articles = pd.read_parquet(release / "articles.parquet")
    quarantine = pd.read_parquet(release / "quarantine.parquet")
    assert len(read_csv_default(release / "articles.csv")) == len(articles)
    assert len(read_csv_default(release / "quarantine.csv")) == len(quarantine)
    assert set(quarantine["severity"]) <= {"error", "warning"}
    assert quarantine["quarantine_id"].is_unique
    missing = expected_inputs(raw) - published_inputs(articles["source_path"].tolist(),
                                                      quarantine["source_path"].tolist())
    assert not missing, f"inputs neither published nor quarantined: {sorted(missing)}"
    for row in quarantine.itertuples():
        assert row.reason and row.detail and "\n" not in row.detail


def test_a_run_over_every_case_publishes_and_accounts_for_every_input(prefect_harness, tmp_path: Path) -> None:
    """The whole pipeline, once, over a folder holding every hostile case side by side."""
    import json

    from typer.testing import CliRunner

    from flows.tools.cli import app

    raw = tmp_path / "raw"
    raw.mkdir()
    for name, write in sorted(CASES.items()):
        write(raw, name)
    output = tmp_path / "out"
    result = CliRunner().invoke(app, ["run", "--raw", str(raw), "--output", str(output)])
    assert result.exit_code == 0, result.output[-3000:]
    assert "published" in result.output and "Traceback" not in result.output
    release = output / json.loads((output / "index.json").read_text())["latest"]
    articles = pd.read_parquet(release / "articles.parquet")
    quarantine = pd.read_parquet(release / "quarantine.parquet")
    missing = expected_inputs(raw) - published_inputs(articles["source_path"].tolist(),
                                                      quarantine["source_path"].tolist())
    assert not missing, f"inputs neither published nor quarantined: {sorted(missing)}"
    texts = dict(zip(articles["source_path"], articles["text"], strict=True))
    assert texts["latin1.txt"].startswith("Café Müller, São Paulo, José Núñez: ")
    assert texts["utf16.txt"] == texts["utf16.txt"].strip() and "Doha" in texts["utf16.txt"]
    assert len(read_csv_default(release / "articles.csv")) == len(articles)
