"""A local Prefect server as a managed child process, for `accord serve` and `accord status`.

Prefect's scheduler only runs inside a real server (`prefect server start`), never in the embedded
mode `accord run` uses. When no server is configured (`PREFECT_API_URL`), Accord starts one on
127.0.0.1 with its database in the output folder's state directory, and stops it when done, so no
server process outlives the command.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
START_TIMEOUT_SECONDS = 180
STOP_TIMEOUT_SECONDS = 30
LOG_LINES_SHOWN = 15


class ServerError(RuntimeError):
    """The Prefect server could not be used; the message says why and what to do."""


@dataclass
class LocalServer:
    process: subprocess.Popen
    url: str
    log: Path

    @property
    def api_url(self) -> str:
        return f"{self.url}/api"


def prefect_defaults() -> None:
    """Prefect's own logs at warnings and above, no analytics: Accord reports what the runs do. The
    embedded server `accord run` starts gets as long as a managed one: on a busy machine (a scheduled run
    beside other work) Prefect's own 20 s is not enough and the whole run would fail before it began.
    A value the user set wins."""
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", str(START_TIMEOUT_SECONDS))


def state_dir(output: Path) -> Path:
    """Where the scheduler's state lives: beside the releases, never inside one."""
    return output / ".state" / "prefect"


def configured_api_url() -> str | None:
    """The Prefect server the user named (environment or Prefect profile), if any."""
    if not api_url_may_be_set():
        return None
    from prefect.settings import get_current_settings

    return get_current_settings().api.url or None


def api_url_may_be_set() -> bool:
    """False only when no place Prefect reads its settings from can name an API: no PREFECT_API... variable,
    no `.env`, `prefect.toml` or `[tool.prefect]` in the working folder, no profile mentioning an API. Reading
    Prefect's settings means importing Prefect (over a second of CPU), which a one-shot run needs no more.
    Once Prefect is imported its settings are read (a settings context may name one)."""
    if "prefect" in sys.modules or any(name.startswith("PREFECT_API") for name in os.environ):
        return True
    here = Path.cwd()
    if (here / ".env").exists() or (here / "prefect.toml").exists():
        return True
    pyproject = here / "pyproject.toml"
    if pyproject.exists() and "tool.prefect" in pyproject.read_text(encoding="utf-8", errors="replace"):
        return True
    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()
    profiles = Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml").expanduser()
    try:
        return "api" in profiles.read_text(encoding="utf-8", errors="replace").lower()
    except FileNotFoundError:
        return False
    except OSError:
        return True


def configured_database() -> bool:
    """True when the user chose Prefect's database (e.g. PostgreSQL); then Accord leaves it alone."""
    from prefect.settings import get_current_settings

    database = get_current_settings().server.database
    return "connection_url" in database.model_fields_set or database.driver is not None


def sqlite_url(folder: Path) -> str:
    return f"sqlite+aiosqlite:///{(folder / 'prefect.db').resolve()}"


def is_healthy(api_url: str, timeout: float = 2.0) -> bool:
    """The server answers its health check."""
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=timeout) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def port_is_free(port: int, host: str = HOST) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = HOST) -> int:
    """A port nobody listens on now, chosen by the operating system."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def log_tail(log: Path, lines: int = LOG_LINES_SHOWN) -> str:
    if not log.exists():
        return ""
    return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def start_server(folder: Path, port: int | None = None, services: bool = True) -> LocalServer:
    """Start `prefect server start` in its own session (Ctrl+C reaches Accord, which stops it in order).

    The database is SQLite in `folder` unless the user configured one. `services=False` runs the API
    only (no scheduler), to read the run history.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if port is None:
        port = free_port()
    elif not port_is_free(port):
        raise ServerError(f"port {port} on {HOST} is already in use: choose another with --port, "
                          "or leave --port out to pick a free one")
    env = dict(os.environ)
    env.pop("PREFECT_API_URL", None)
    env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    env.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
    if not configured_database():
        env["PREFECT_API_DATABASE_CONNECTION_URL"] = sqlite_url(folder)
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", HOST, "--port", str(port),
               "--analytics-off"]
    if not services:
        command.append("--no-services")
    log = folder / "server.log"
    with log.open("w", encoding="utf-8") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   env=env, start_new_session=True)
    server = LocalServer(process, f"http://{HOST}:{port}", log)
    try:
        wait_until_healthy(server)
    except BaseException:
        stop_server(server)
        raise
    return server


def wait_until_healthy(server: LocalServer, timeout: float = START_TIMEOUT_SECONDS) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise ServerError(f"the Prefect server stopped while starting (exit code {server.process.returncode}); "
                              f"last lines of {server.log}:\n{log_tail(server.log)}")
        if is_healthy(server.api_url, timeout=1.0):
            return
        time.sleep(0.25)
    raise ServerError(f"the Prefect server did not answer at {server.url} within {timeout:.0f} s; "
                      f"last lines of {server.log}:\n{log_tail(server.log)}")


def stop_server(server: LocalServer, timeout: float = STOP_TIMEOUT_SECONDS) -> None:
    """SIGTERM to the server's process group, SIGKILL if it has not ended in time."""
    if server.process.poll() is not None:
        return
    try:
        os.killpg(server.process.pid, signal.SIGTERM)
        server.process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait()
    except ProcessLookupError:
        server.process.wait()


@contextmanager
def local_server(folder: Path, port: int | None = None, services: bool = True) -> Iterator[LocalServer]:
    """A local server for the duration of the block, stopped however the block ends."""
    server = start_server(folder, port, services)
    try:
        yield server
    finally:
        stop_server(server)


def running_file(folder: Path) -> Path:
    return folder / "server.json"


def record_running(folder: Path, server: LocalServer) -> None:
    """Let `accord status` (and a second `accord serve`) find the server of a running `accord serve`."""
    running_file(folder).write_text(json.dumps({"url": server.url, "accord_pid": os.getpid(),
                                                "server_pid": server.process.pid}), encoding="utf-8")


def clear_running(folder: Path) -> None:
    running_file(folder).unlink(missing_ok=True)


def running_server(folder: Path) -> dict | None:
    """The record of a running `accord serve` for this state folder, if its server still answers."""
    path = running_file(folder)
    if not path.exists():
        return None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or not is_healthy(f"{record.get('url')}/api"):
        return None
    return record
