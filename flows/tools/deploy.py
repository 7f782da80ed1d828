"""Scheduled runs: a Prefect deployment of the pipeline with a cron schedule, served by Prefect itself.

Prefect's scheduler creates the runs and `flow.serve` executes them in this process; there is no
scheduler of our own. The entrypoint is the module path, so the deployment works from any working
directory where Accord is installed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from prefect.deployments.runner import RunnerDeployment

DEPLOYMENT_NAME = "accord-scheduled"
DEFAULT_CRON = "0 6 * * *"


def deployment_parameters(raw: Path, output: Path) -> dict[str, str]:
    """Absolute paths: a scheduled run must not depend on the directory the runner was started in."""
    return {"raw_dir": str(raw.resolve()), "output_dir": str(output.resolve())}


def validate_cron(cron: str) -> None:
    """Fail at the boundary with a clear message rather than deep inside Prefect's schedule model."""
    from prefect.client.schemas.schedules import CronSchedule

    try:
        CronSchedule(cron=cron)
    except ValueError as error:
        raise ValueError(f"invalid cron expression {cron!r}: {error}") from None


def build_deployment(cron: str, raw: Path, output: Path) -> RunnerDeployment:
    """The pipeline as a deployment that runs on `cron`, ready to `.apply()` or to serve."""
    from prefect.deployments.runner import EntrypointType

    from flows.pipeline import accord_pipeline

    validate_cron(cron)
    return accord_pipeline.to_deployment(
        name=DEPLOYMENT_NAME,
        cron=cron,
        parameters=deployment_parameters(raw, output),
        description="Run the Accord pipeline on the raw folder and publish a release when anything changed.",
        tags=["accord"],
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def serve_pipeline(cron: str, raw: Path, output: Path) -> None:
    """Register the scheduled deployment and execute its runs until interrupted (Prefect's `flow.serve`)."""
    from prefect.deployments.runner import EntrypointType

    from flows.pipeline import accord_pipeline

    validate_cron(cron)
    accord_pipeline.serve(
        name=DEPLOYMENT_NAME,
        cron=cron,
        parameters=deployment_parameters(raw, output),
        tags=["accord"],
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def serve_command(
    cron: Annotated[str, typer.Option("--cron", help="Cron schedule (UTC) of the runs.")] = DEFAULT_CRON,
    raw: Annotated[Path, typer.Option("--raw", help="Folder of raw texts.")] = Path("raw"),
    output: Annotated[Path, typer.Option("--output", help="Folder of releases.")] = Path("output"),
) -> None:
    """Run the pipeline on a schedule: register a Prefect deployment and serve its runs until stopped."""
    from rich.console import Console

    console = Console(stderr=True, soft_wrap=True)
    if not raw.is_dir():
        console.print(f"[red]error:[/red] raw folder {raw} does not exist")
        raise typer.Exit(2)
    try:
        validate_cron(cron)
    except ValueError as error:
        console.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from None
    console.print(f"serving deployment accord-pipeline/{DEPLOYMENT_NAME} on '{cron}' "
                  f"({raw} -> {output}); stop with Ctrl+C")
    serve_pipeline(cron, raw, output)
