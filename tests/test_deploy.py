"""The scheduled deployment: registered with Prefect's API, read back with its cron schedule."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from flows.tools import deploy
from flows.tools.deploy import DEPLOYMENT_NAME, build_deployment, serve_command


def flat(text: str) -> str:
    """Command output with line wrapping undone."""
    return " ".join(text.split())


def test_deployment_is_registered_with_its_cron_schedule(prefect_harness: None, tmp_path: Path) -> None:
    from prefect import get_client

    deployment = build_deployment("30 5 * * 1-5", tmp_path / "raw", tmp_path / "output")
    deployment_id = deployment.apply()
    with get_client(sync_client=True) as client:
        stored = client.read_deployment_by_name(f"accord-pipeline/{DEPLOYMENT_NAME}")
    assert stored.id == deployment_id
    assert [s.schedule.cron for s in stored.schedules] == ["30 5 * * 1-5"]
    assert all(s.active for s in stored.schedules)
    assert stored.parameters == {"raw_dir": str((tmp_path / "raw").resolve()),
                                 "output_dir": str((tmp_path / "output").resolve())}
    assert stored.entrypoint == "flows.pipeline.accord_pipeline"


def test_invalid_cron_is_refused_before_prefect(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="invalid cron expression 'every morning'"):
        build_deployment("every morning", tmp_path, tmp_path)


def test_serve_uses_prefects_own_serve(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from flows.pipeline import accord_pipeline

    calls: list[dict] = []
    monkeypatch.setattr(accord_pipeline, "serve", lambda **kwargs: calls.append(kwargs))
    (tmp_path / "raw").mkdir()
    app = typer.Typer()
    app.command()(serve_command)
    result = CliRunner().invoke(app, ["--cron", "0 3 * * *", "--raw", str(tmp_path / "raw"),
                                      "--output", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert len(calls) == 1
    assert calls[0]["name"] == DEPLOYMENT_NAME and calls[0]["cron"] == "0 3 * * *"
    assert calls[0]["parameters"] == deploy.deployment_parameters(tmp_path / "raw", tmp_path / "out")


def test_serve_command_refuses_bad_input(tmp_path: Path) -> None:
    app = typer.Typer()
    app.command()(serve_command)
    missing = CliRunner().invoke(app, ["--raw", str(tmp_path / "nope")])
    assert missing.exit_code == 2 and "does not exist" in flat(missing.output)
    bad = CliRunner().invoke(app, ["--raw", str(tmp_path), "--cron", "61 * * * *"])
    assert bad.exit_code == 2 and "invalid cron expression" in flat(bad.output)
