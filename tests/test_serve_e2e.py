"""`accord serve` end to end: a real Prefect server schedules a run that publishes, SIGTERM stops it all."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = "000_ccb4217a21302fe9"
PUBLISH_DEADLINE_SECONDS = 300  # a guard against a run that never publishes, not a speed figure
STOP_DEADLINE_SECONDS = 60


def latest_release(output: Path) -> str | None:
    index = output / "index.json"
    if not index.exists():
        return None
    return json.loads(index.read_text(encoding="utf-8")).get("latest")


def accord(*args: str) -> list[str]:
    return [sys.executable, "-m", "flows.tools.cli", *args]


@pytest.mark.slow
def test_scheduled_run_publishes_and_sigterm_leaves_no_process(tmp_path: Path) -> None:
    raw, output, log = tmp_path / "raw", tmp_path / "out", tmp_path / "serve.log"
    raw.mkdir()
    for path in (ROOT / "raw").glob(f"{SAMPLE}.*"):
        shutil.copy(path, raw / path.name)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    started = time.monotonic()
    with log.open("w", encoding="utf-8") as sink:
        serve = subprocess.Popen(accord("serve", "--interval", "10", "--raw", str(raw), "--output", str(output)),
                                 cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
    seen: dict[int, psutil.Process] = {}
    try:
        while latest_release(output) is None:
            assert serve.poll() is None, f"accord serve ended early:\n{log.read_text()}"
            assert time.monotonic() - started < PUBLISH_DEADLINE_SECONDS, (
                f"no release within {PUBLISH_DEADLINE_SECONDS} s:\n{log.read_text()}")
            seen |= {p.pid: p for p in psutil.Process(serve.pid).children(recursive=True)}
            time.sleep(0.5)
        published_after = time.monotonic() - started
        status = subprocess.run(accord("status", "--output", str(output)), cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=60)
        seen |= {p.pid: p for p in psutil.Process(serve.pid).children(recursive=True)}
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=STOP_DEADLINE_SECONDS)
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)
            serve.wait()
    text = log.read_text(encoding="utf-8")
    print(f"published after {published_after:.1f} s\n{text}")
    assert serve.returncode == 0, text
    assert status.returncode == 0, status.stderr
    assert f"published {latest_release(output)}" in status.stdout and "next run:" in status.stdout
    assert f"published {latest_release(output)}" in text and text.rstrip().endswith("stopped")
    assert "Traceback" not in text and "Error" not in text
    left = [p for p in seen.values() if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert not left, f"processes left: {[p.cmdline() for p in left]}"
    assert not (output / ".state" / "prefect" / "server.json").exists()
