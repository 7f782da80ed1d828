"""The scheduled deployment, the messages of `accord serve` and `accord status`, and the local server's guards."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
from pathlib import Path
from uuid import uuid4

import pytest
import typer
from typer.testing import CliRunner

from flows.pipeline import SCHEDULED_RETRIES, RunSummary, release_message, scheduled_pipeline
from flows.prefect_server import START_TIMEOUT_SECONDS, ServerError, start_server
from flows.release.publish import PublishResult
from flows.tools.deploy import (
    DEPLOYMENT_NAME,
    FLOW_NAME,
    ServeInputError,
    build_deployment,
    describe_run,
    serve_command,
    status_command,
)


def flat(text: str) -> str:
    """Command output with line wrapping undone."""
    return " ".join(text.split())


def invoke(command, args: list[str]):
    app = typer.Typer()
    app.command()(command)
    return CliRunner().invoke(app, args)


def test_deployment_is_registered_with_its_cron_schedule(prefect_harness: None, tmp_path: Path) -> None:
    from prefect import get_client

    deployment = build_deployment(tmp_path / "raw", tmp_path / "output", cron="30 5 * * 1-5")
    deployment_id = deployment.apply()
    with get_client(sync_client=True) as client:
        stored = client.read_deployment_by_name(f"{FLOW_NAME}/{DEPLOYMENT_NAME}")
    assert stored.id == deployment_id
    assert [s.schedule.cron for s in stored.schedules] == ["30 5 * * 1-5"]
    assert all(s.active for s in stored.schedules) and not stored.paused
    assert stored.global_concurrency_limit is not None and stored.global_concurrency_limit.limit == 1
    assert stored.parameters == {"raw_dir": str((tmp_path / "raw").resolve()),
                                 "output_dir": str((tmp_path / "output").resolve())}
    assert stored.entrypoint == "flows.pipeline.scheduled_pipeline"


def test_interval_schedule_in_seconds(prefect_harness: None, tmp_path: Path) -> None:
    from prefect import get_client

    build_deployment(tmp_path / "raw", tmp_path / "output", interval=90).apply()
    with get_client(sync_client=True) as client:
        stored = client.read_deployment_by_name(f"{FLOW_NAME}/{DEPLOYMENT_NAME}")
    assert [s.schedule.interval for s in stored.schedules] == [dt.timedelta(seconds=90)]


def test_status_shows_last_runs_with_their_release_and_the_next_run(prefect_harness: None, tmp_path: Path) -> None:
    from prefect import get_client
    from prefect.states import Completed, Failed, Running

    deployment_id = build_deployment(tmp_path / "raw", tmp_path / "output", interval=3600).apply()
    with get_client(sync_client=True) as client:
        published = client.create_flow_run_from_deployment(deployment_id)
        client.set_flow_run_state(published.id, Running(), force=True)
        client.set_flow_run_state(published.id, Completed(message="published 2026.01.02"), force=True)
        failed = client.create_flow_run_from_deployment(deployment_id)
        client.set_flow_run_state(failed.id, Running(), force=True)
        client.set_flow_run_state(failed.id, Failed(message="Flow run encountered an exception: boom"), force=True)
    result = invoke(status_command, ["--output", str(tmp_path / "output"), "--runs", "5"])
    assert result.exit_code == 0, result.output
    text = flat(result.output)
    assert f"{FLOW_NAME}/{DEPLOYMENT_NAME}: every 3600 s" in text
    assert f"{published.name} Completed" in text and "published 2026.01.02" in text
    assert f"{failed.name} Failed" in text and "boom" in text
    assert "next run:" in text


def test_invalid_schedules_are_refused_before_prefect(tmp_path: Path) -> None:
    with pytest.raises(ServeInputError, match="invalid cron expression 'every morning'"):
        build_deployment(tmp_path, tmp_path, cron="every morning")
    with pytest.raises(ServeInputError, match="either --cron or --interval"):
        build_deployment(tmp_path, tmp_path, cron="0 6 * * *", interval=60)
    with pytest.raises(ServeInputError, match="at least 1"):
        build_deployment(tmp_path, tmp_path, interval=0)


def test_serve_command_refuses_bad_input(tmp_path: Path) -> None:
    missing = invoke(serve_command, ["--raw", str(tmp_path / "nope")])
    assert missing.exit_code == 2 and "does not exist" in flat(missing.output)
    bad_cron = invoke(serve_command, ["--raw", str(tmp_path), "--cron", "61 * * * *"])
    assert bad_cron.exit_code == 2 and "invalid cron expression" in flat(bad_cron.output)
    both = invoke(serve_command, ["--raw", str(tmp_path), "--cron", "0 6 * * *", "--interval", "60"])
    assert both.exit_code == 2 and "either --cron or --interval" in flat(both.output)
    zero = invoke(serve_command, ["--raw", str(tmp_path), "--interval", "0"])
    assert zero.exit_code == 2 and "at least 1" in flat(zero.output)
    port = invoke(serve_command, ["--raw", str(tmp_path), "--port", "70000"])
    assert port.exit_code == 2 and "between 1 and 65535" in flat(port.output)


def test_port_is_refused_when_a_server_already_names_the_api(tmp_path: Path) -> None:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: "http://127.0.0.1:9/api"}):
        result = invoke(serve_command, ["--raw", str(tmp_path), "--port", "4200"])
    assert result.exit_code == 2
    assert "PREFECT_API_URL names a server already (http://127.0.0.1:9/api): leave --port out" in flat(result.output)


def test_taken_port_is_named_before_starting_a_server(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ServerError, match=f"port {port} on 127.0.0.1 is already in use"):
            start_server(tmp_path, port)
    assert not (tmp_path / "server.log").exists()


def flow_run(state, run_count: int = 1, seconds: int = 42):
    from prefect.client.schemas.objects import FlowRun

    start = dt.datetime(2026, 1, 2, 6, 0, tzinfo=dt.UTC)
    return FlowRun(flow_id=uuid4(), name="calm-otter", state=state, run_count=run_count, start_time=start,
                   end_time=start + dt.timedelta(seconds=seconds))


def test_run_reports_say_what_happened() -> None:
    from prefect.states import AwaitingRetry, Cancelled, Completed, Failed, Pending, Running

    assert describe_run(flow_run(Running())) == "run calm-otter started"
    assert describe_run(flow_run(Running(), run_count=2)) == (
        f"run calm-otter started (attempt 2 of {SCHEDULED_RETRIES + 1})")
    assert describe_run(flow_run(Completed(message="published 2026.01.02"))) == (
        "run calm-otter completed in 42 s: published 2026.01.02")
    retry = AwaitingRetry(scheduled_time=dt.datetime(2026, 1, 2, 6, 5, tzinfo=dt.UTC), message="locked")
    assert describe_run(flow_run(retry)) == (
        f"run calm-otter failed (attempt 1 of {SCHEDULED_RETRIES + 1}): locked; retrying at 2026-01-02 06:05:00 UTC")
    assert describe_run(flow_run(Failed(message="locked"), run_count=3)) == (
        "run calm-otter failed after 3 attempt(s): locked")
    assert describe_run(flow_run(Cancelled(message="Runner is shutting down."))) == (
        "run calm-otter cancelled: Runner is shutting down.")
    assert describe_run(flow_run(Pending())) is None


def test_scheduled_runs_are_retried_and_say_which_release_they_published() -> None:
    assert scheduled_pipeline.retries == SCHEDULED_RETRIES
    assert scheduled_pipeline.name == FLOW_NAME

    def summary(release: PublishResult) -> RunSummary:
        return RunSummary(articles_read=1, processed=1, from_cache=0, quarantined=[], row_counts={}, release=release)

    assert release_message(summary(PublishResult("2026.01.02", Path("out/2026.01.02"), "", {}))) == (
        "published 2026.01.02")
    assert release_message(summary(PublishResult(None, Path("out/2026.01.01"), "tables identical to release "
                                                 "2026.01.01", {}))) == (
        "nothing new: tables identical to release 2026.01.01")



@pytest.mark.parametrize(("user_value", "expected"), [(None, START_TIMEOUT_SECONDS), ("45", 45)])
def test_embedded_server_gets_the_managed_start_timeout_unless_the_user_set_one(user_value, expected) -> None:
    """Read in a fresh interpreter, as `accord run` sets it before Prefect is first imported."""
    key = "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"
    env = {k: v for k, v in os.environ.items() if k != key} | ({key: user_value} if user_value else {})
    code = ("from flows.prefect_server import prefect_defaults; prefect_defaults(); "
            "from prefect.settings import get_current_settings as s; "
            "print(s().server.ephemeral.startup_timeout_seconds)")
    shown = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert int(shown.stdout.strip()) == expected
