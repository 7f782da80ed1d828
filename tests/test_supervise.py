"""kill -9 of a run (the command or its worker) leaves no process behind: no orphaned extraction process, nor
Prefect server when the run uses one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from flows.steps import IN_PROCESS_ARTICLES
from flows.tools.supervise import supported, wait_gone

ROOT = Path(__file__).resolve().parents[1]
TEXT = "Delegations from the two neighbours met in Doha on Monday and agreed to continue talks next month."

pytestmark = pytest.mark.skipif(not supported(), reason="the supervisor needs Linux")


def start_run(tmp_path: Path) -> subprocess.Popen:
    raw = tmp_path / "raw"
    raw.mkdir()
    # More new articles than a run extracts in its own process, so it starts an extraction process.
    for number in range(IN_PROCESS_ARTICLES + 1):
        (raw / f"a{number}.txt").write_text(f"{TEXT} Report {number}.")
    return subprocess.Popen([sys.executable, "-c", "from flows.tools.cli import entry; entry()", "run",
                             "--raw", str(raw), "--output", str(tmp_path / "out")],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_for_descendants(command: subprocess.Popen, seconds: float = 120) -> list[psutil.Process]:
    """The run's descendants, once its worker has started a process of its own (an extraction process, or
    Prefect's server when the run uses one)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            descendants = psutil.Process(command.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            break
        if any(p.ppid() != command.pid for p in descendants if _alive(p)):
            return descendants
        time.sleep(0.2)
    command.kill()
    pytest.fail("the run never started a process of its own")


def _alive(process: psutil.Process) -> bool:
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def test_kill_9_of_the_command_ends_its_processes(tmp_path: Path) -> None:
    command = start_run(tmp_path)
    descendants = wait_for_descendants(command)
    os.kill(command.pid, signal.SIGKILL)
    command.wait(10)
    assert wait_gone([p.pid for p in descendants], 20) == []


def test_kill_9_of_the_worker_ends_its_processes(tmp_path: Path) -> None:
    command = start_run(tmp_path)
    descendants = wait_for_descendants(command)
    worker = next(p for p in descendants if p.ppid() == command.pid)
    os.kill(worker.pid, signal.SIGKILL)
    assert command.wait(30) == 128 + signal.SIGKILL
    assert wait_gone([p.pid for p in descendants], 20) == []
