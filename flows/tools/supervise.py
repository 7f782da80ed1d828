"""`accord run` in a worker process that cannot outlive the command, nor leave Prefect's server behind.

Prefect's embedded mode starts its API server as a child process and stops it at exit; a run killed with
SIGKILL never reaches that exit, and the server was left running. So the `accord` command (the supervisor)
starts the run as a worker in a process group of its own, with the kernel asked to send the worker
SIGTERM when the supervisor dies (Linux `PR_SET_PDEATHSIG`):

- the supervisor killed (even with kill -9): the worker gets SIGTERM and ends its whole group, the
  Prefect server (and any Dask workers) included, then itself;
- the worker killed (even with kill -9): the supervisor ends what is left of the worker's group;
- Ctrl-C or SIGTERM to the supervisor: passed on to the worker, which stops as it would alone.

Elsewhere than Linux the run happens in the command's own process, as before.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time

import psutil

WORKER_ENV = "ACCORD_WORKER"
PR_SET_PDEATHSIG = 1
GRACE_SECONDS = 5.0
FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def supported() -> bool:
    return sys.platform.startswith("linux")


def _die_with(parent: int):
    """Run in the worker between fork and exec: SIGTERM when the supervisor dies."""

    def preexec() -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the supervisor died before the request was made
            os._exit(143)

    return preexec


def end_group(pgid: int, grace: float = GRACE_SECONDS, spare: int | None = None) -> None:
    """SIGTERM to every process of group `pgid`, SIGKILL to those still there after `grace` seconds."""
    members = [p for p in psutil.process_iter(["pid"]) if p.info["pid"] != spare and _group_of(p.info["pid"]) == pgid]
    for process in members:
        try:
            process.terminate()
        except psutil.Error:
            pass
    _gone, alive = psutil.wait_procs(members, timeout=grace)
    for process in alive:
        try:
            process.kill()
        except psutil.Error:
            pass


def _group_of(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except OSError:
        return None


def supervise(argv: list[str]) -> int:
    """Run `accord <argv>` as a worker and return its exit status; nothing of it survives this process."""
    worker = subprocess.Popen([sys.executable, "-m", "flows.tools.cli", *argv],
                              env=dict(os.environ, **{WORKER_ENV: "1"}), process_group=0,
                              preexec_fn=_die_with(os.getpid()))

    def forward(signum: int, _frame: object) -> None:
        try:
            os.kill(worker.pid, signum)
        except ProcessLookupError:
            pass

    for signum in FORWARDED:
        signal.signal(signum, forward)
    while True:
        try:
            status = worker.wait()
            break
        except KeyboardInterrupt:  # pragma: no cover - SIGINT is forwarded, not raised
            continue
    end_group(worker.pid)  # what a worker killed outright left behind
    return status if status >= 0 else 128 - status


def install_worker_handlers() -> None:
    """In the worker: SIGTERM (the supervisor's death, or passed on) ends the worker's whole group."""

    def end_all(signum: int, _frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        end_group(os.getpgrp(), spare=os.getpid())
        sys.stderr.flush()
        os._exit(128 + signum)

    signal.signal(signal.SIGTERM, end_all)
    signal.signal(signal.SIGHUP, end_all)


def wait_gone(pids: list[int], seconds: float) -> list[int]:
    """The pids among `pids` still alive after up to `seconds` (for tests and diagnostics)."""
    deadline = time.monotonic() + seconds
    alive = pids
    while alive and time.monotonic() < deadline:
        alive = [pid for pid in alive if psutil.pid_exists(pid) and psutil.Process(pid).status() != "zombie"]
        time.sleep(0.1)
    return alive
