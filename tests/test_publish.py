"""Publishing: versions, crash safety, the lock and spreadsheet-safe CSV."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pandas as pd
import pytest

from flows.release import publish
from flows.release.publish import PublishLockedError, csv_cell, next_version, publish_lock, publish_release

DAY = dt.date(2024, 5, 1)


def quarantine_frame(reasons: list[str]) -> pd.DataFrame:
    return pd.DataFrame({
        "quarantine_id": [f"quarantine:{i:016x}" for i in range(len(reasons))],
        "source_path": ["x.txt"] * len(reasons),
        "line": [None] * len(reasons),
        "stage": ["ingest"] * len(reasons),
        "reason": reasons,
        "detail": ["=HYPERLINK(\"http://evil\")"] * len(reasons),
        "severity": ["error"] * len(reasons),
    })


def test_versions_are_calendar_with_suffix(tmp_path: Path) -> None:
    assert next_version(tmp_path, DAY) == "2024.05.01"
    (tmp_path / "2024.05.01").mkdir()
    assert next_version(tmp_path, DAY) == "2024.05.01.1"


def test_identical_tables_publish_nothing(tmp_path: Path) -> None:
    first = publish_release({"quarantine": quarantine_frame(["empty"])}, tmp_path, [], today=DAY)
    second = publish_release({"quarantine": quarantine_frame(["empty"])}, tmp_path, [], today=DAY)
    third = publish_release({"quarantine": quarantine_frame(["empty", "binary"])}, tmp_path, [], today=DAY)
    assert (first.version, second.version, third.version) == ("2024.05.01", None, "2024.05.01.1")
    assert json.loads((tmp_path / "index.json").read_text())["latest"] == "2024.05.01.1"


@pytest.mark.parametrize("step", ["write_table", "changes_markdown", "dataset_card", "datapackage",
                                  "write_checksums", "rename", "write_json_atomically"])
def test_crash_at_any_step_keeps_previous_release(step: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    publish_release({"quarantine": quarantine_frame(["empty"])}, tmp_path, [], today=DAY)
    index_before = (tmp_path / "index.json").read_bytes()
    release_before = {p.name: p.read_bytes() for p in (tmp_path / "2024.05.01").iterdir() if p.is_file()}

    def explode(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt("killed")

    if step == "rename":
        monkeypatch.setattr(publish.os, "rename", explode)
    else:
        monkeypatch.setattr(publish, step, explode)
    with pytest.raises(KeyboardInterrupt):
        publish_release({"quarantine": quarantine_frame(["binary"])}, tmp_path, [], today=DAY)
    assert (tmp_path / "index.json").read_bytes() == index_before
    assert json.loads(index_before)["latest"] == "2024.05.01"
    assert {p.name: p.read_bytes() for p in (tmp_path / "2024.05.01").iterdir() if p.is_file()} == release_before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2024.05.01", "index.json"]


def test_second_run_cannot_publish_while_locked(tmp_path: Path) -> None:
    with publish_lock(tmp_path), pytest.raises(PublishLockedError, match="locked by another accord run"):
        publish_release({"quarantine": quarantine_frame(["empty"])}, tmp_path, [], today=DAY, lock_timeout=0.3)


def test_stale_lock_of_dead_process_is_taken_over(tmp_path: Path) -> None:
    (tmp_path / ".lock").write_text("999999999")
    assert publish_release({"quarantine": quarantine_frame(["empty"])}, tmp_path, [], today=DAY).version


@pytest.mark.parametrize(
    ("value", "is_text", "expected"),
    [("=1+1", True, "'=1+1"), ("+7", True, "'+7"), ("-x", True, "'-x"), ("@a", True, "'@a"),
     ("safe", True, "safe"), (-3.5, False, "-3.5"), (None, True, ""), (["a", "b"], True, "a|b"),
     (True, False, "true")],
)
def test_csv_cells(value: object, is_text: bool, expected: str) -> None:
    assert csv_cell(value, is_text) == expected


def test_csv_neutralises_formulas_but_parquet_keeps_them(tmp_path: Path) -> None:
    result = publish_release({"quarantine": quarantine_frame(["empty"])}, tmp_path, [], today=DAY)
    assert result.path is not None
    assert "'=HYPERLINK" in (result.path / "quarantine.csv").read_text()
    assert pd.read_parquet(result.path / "quarantine.parquet")["detail"][0].startswith("=HYPERLINK")


KILL_SCRIPT = """
import datetime as dt, os, signal, sys
from pathlib import Path
import pandas as pd
from flows.release import publish

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

if sys.argv[2] == "rename":
    publish.os.rename = lambda *a: (os.replace(*a), die())
else:
    setattr(publish, sys.argv[2], die)
frame = pd.DataFrame({"quarantine_id": ["quarantine:" + "1" * 16], "source_path": ["x.txt"], "line": [None],
                      "stage": ["ingest"], "reason": ["binary"], "detail": ["d"], "severity": ["error"]})
publish.publish_release({"quarantine": frame}, Path(sys.argv[1]), [], today=dt.date(2024, 5, 1))
"""


def killed_publish(output: Path, step: str) -> None:
    """Run a publish in another process and kill -9 it at `step`."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", KILL_SCRIPT, str(output), step], cwd=Path(__file__).parents[1],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == -9, done.stderr


def binary_frame() -> pd.DataFrame:
    frame = quarantine_frame(["binary"])
    frame["quarantine_id"] = ["quarantine:" + "1" * 16]
    frame["detail"] = ["d"]
    return frame


@pytest.mark.parametrize("step", ["write_table", "write_checksums", "rename", "write_json_atomically"])
def test_kill_at_any_step_is_repaired_by_the_next_run(step: str, tmp_path: Path) -> None:
    publish_release({"quarantine": quarantine_frame(["empty"])}, tmp_path, [], today=DAY)
    killed_publish(tmp_path, step)
    result = publish_release({"quarantine": binary_frame()}, tmp_path, [], today=DAY, lock_timeout=5)
    index = json.loads((tmp_path / "index.json").read_text())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2024.05.01", "2024.05.01.1", "index.json"]
    assert [v["version"] for v in index["versions"]] == ["2024.05.01", "2024.05.01.1"]
    assert index["latest"] == "2024.05.01.1"
    if step in ("rename", "write_json_atomically"):  # the release was complete: catalogued, not made again
        assert result.version is None and any("catalogued release 2024.05.01.1" in n for n in result.notes)
    else:
        assert result.version == "2024.05.01.1"
        assert any("removed .tmp-" in n for n in result.notes)


def test_uncatalogued_folder_that_does_not_verify_is_removed(tmp_path: Path) -> None:
    publish_release({"quarantine": quarantine_frame(["empty"])}, tmp_path, [], today=DAY)
    stray = tmp_path / "2024.05.02"
    stray.mkdir()
    (stray / "articles.parquet").write_bytes(b"not parquet")
    result = publish_release({"quarantine": quarantine_frame(["empty"])}, tmp_path, [], today=DAY)
    assert not stray.exists() and any("removed release folder 2024.05.02" in n for n in result.notes)


def test_deleted_latest_release_is_published_again(tmp_path: Path) -> None:
    import shutil

    first = publish_release({"quarantine": quarantine_frame(["empty"])}, tmp_path, [], today=DAY)
    assert first.path is not None
    shutil.rmtree(first.path)
    again = publish_release({"quarantine": quarantine_frame(["empty"])}, tmp_path, [], today=DAY)
    assert again.version == "2024.05.01.1"  # never the name of a catalogued release
    assert any("missing or damaged" in n for n in again.notes)
    damaged = again.path / "quarantine.parquet"
    damaged.write_bytes(damaged.read_bytes()[:20])
    third = publish_release({"quarantine": quarantine_frame(["empty"])}, tmp_path, [], today=DAY)
    assert third.version == "2024.05.01.2"
    assert json.loads((tmp_path / "index.json").read_text())["latest"] == "2024.05.01.2"


def test_catalog_records_every_file_size(tmp_path: Path) -> None:
    result = publish_release({"quarantine": quarantine_frame(["empty"])}, tmp_path, [], today=DAY)
    entry = json.loads((tmp_path / "index.json").read_text())["versions"][0]
    assert set(entry["sizes"]) == set(entry["files"])
    assert all((result.path / name).stat().st_size == size for name, size in entry["sizes"].items())


def hold_lock(output: str, seconds: float, started) -> None:
    with publish_lock(Path(output)):
        started.set()
        import time

        time.sleep(seconds)


def test_a_second_run_waits_for_the_lock(tmp_path: Path) -> None:
    import multiprocessing
    import time

    context = multiprocessing.get_context("spawn")
    started = context.Event()
    holder = context.Process(target=hold_lock, args=(str(tmp_path), 1.5, started))
    holder.start()
    assert started.wait(60)
    begun = time.monotonic()
    result = publish_release({"quarantine": quarantine_frame(["empty"])}, tmp_path, [], today=DAY, lock_timeout=60)
    assert result.version == "2024.05.01" and time.monotonic() - begun > 0.5
    holder.join(10)


def contend(output: str, marker: str, rounds: int) -> int:
    """Take the lock `rounds` times; count the times another holder was inside at the same moment."""
    overlaps = 0
    for _ in range(rounds):
        with publish_lock(Path(output), timeout=60):
            try:
                fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                overlaps += 1
                continue
            os.close(fd)
            os.unlink(marker)
    return overlaps


def test_lock_never_has_two_holders(tmp_path: Path) -> None:
    import multiprocessing

    (tmp_path / ".lock").write_text("999999999")  # a stale lock from a killed run
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        overlaps = pool.starmap(contend, [(str(tmp_path), str(tmp_path / "inside"), 50)] * 4)
    assert overlaps == [0, 0, 0, 0]
    assert not (tmp_path / ".lock").exists()
