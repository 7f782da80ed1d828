"""Scheduled runs: a Prefect deployment of the pipeline, scheduled by a real Prefect server and run here.

`accord serve` registers the deployment (cron or interval schedule, one run at a time) with the server
named by `PREFECT_API_URL`, or with a local server it starts and stops itself, then executes the
scheduled runs with Prefect's `Runner` until Ctrl+C or SIGTERM. Prefect's scheduler creates the runs;
there is no scheduler of our own. `accord status` reads the last runs back from the same server.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from uuid import UUID

import typer
from rich.console import Console

from flows.prefect_server import (
    LocalServer,
    ServerError,
    clear_running,
    configured_api_url,
    configured_database,
    local_server,
    prefect_defaults,
    record_running,
    running_server,
    sqlite_url,
    state_dir,
)

if TYPE_CHECKING:
    from prefect.client.orchestration import PrefectClient
    from prefect.client.schemas.objects import Deployment, FlowRun
    from prefect.deployments.runner import RunnerDeployment

FLOW_NAME = "accord-pipeline"
DEPLOYMENT_NAME = "accord-scheduled"
DEFAULT_CRON = "0 6 * * *"
REPORT_SECONDS = 3.0
RUNS_SHOWN = 10


class ServeInputError(ValueError):
    """A command-line value `accord serve` cannot use."""


def deployment_parameters(raw: Path, output: Path) -> dict[str, str]:
    """Absolute paths: a scheduled run must not depend on the directory the runner was started in."""
    return {"raw_dir": str(raw.resolve()), "output_dir": str(output.resolve())}


def validate_cron(cron: str) -> None:
    """Fail at the boundary with a clear message rather than deep inside Prefect's schedule model."""
    from prefect.client.schemas.schedules import CronSchedule

    try:
        CronSchedule(cron=cron)
    except ValueError as error:
        raise ServeInputError(f"invalid cron expression {cron!r}: {error}") from None


def choose_schedule(cron: str | None, interval: int | None) -> tuple[str | None, int | None]:
    """Exactly one of a cron expression or an interval in seconds; the daily default when neither is given."""
    if cron is not None and interval is not None:
        raise ServeInputError("give either --cron or --interval, not both")
    if interval is not None:
        if interval < 1:
            raise ServeInputError(f"--interval must be a whole number of seconds of at least 1, not {interval}")
        return None, interval
    cron = cron or DEFAULT_CRON
    validate_cron(cron)
    return cron, None


def describe_schedule(cron: str | None, interval: int | float | None) -> str:
    return f"every {interval:g} s" if interval is not None else f"on cron '{cron}' (UTC)"


def describe_stored_schedule(schedule: object) -> str:
    """A schedule read back from the server, in the words `accord serve` printed when it registered it."""
    interval = getattr(schedule, "interval", None)
    return describe_schedule(getattr(schedule, "cron", None), interval.total_seconds() if interval else None)


def build_deployment(raw: Path, output: Path, cron: str | None = None,
                     interval: int | None = None) -> RunnerDeployment:
    """The scheduled pipeline as a deployment, one run at a time, ready to `.apply()` or to serve."""
    from prefect.deployments.runner import EntrypointType

    from flows.pipeline import scheduled_pipeline

    cron, interval = choose_schedule(cron, interval)
    return scheduled_pipeline.to_deployment(
        name=DEPLOYMENT_NAME,
        cron=cron,
        interval=interval,
        paused=False,
        concurrency_limit=1,
        parameters=deployment_parameters(raw, output),
        description="Run the Accord pipeline on the raw folder and publish a release when anything changed.",
        tags=["accord"],
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def utc(moment: dt.datetime | None) -> str:
    if moment is None:
        return "-"
    return f"{moment.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S} UTC"


def duration(run: FlowRun) -> str:
    if run.start_time is None:
        return "-"
    end = run.end_time or dt.datetime.now(dt.UTC)
    seconds = round((end - run.start_time).total_seconds())
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


def describe_run(run: FlowRun) -> str | None:
    """One line for a state change worth telling the user about; None for the waiting states."""
    from flows.pipeline import SCHEDULED_RETRIES

    state = run.state
    if state is None:
        return None
    attempts = SCHEDULED_RETRIES + 1
    message = state.message or ""
    if state.name == "AwaitingRetry":
        return (f"run {run.name} failed (attempt {run.run_count} of {attempts}): {message}; "
                f"retrying at {utc(state.state_details.scheduled_time)}")
    if state.is_running():
        attempt = f" (attempt {run.run_count} of {attempts})" if run.run_count > 1 else ""
        return f"run {run.name} started{attempt}"
    if state.is_completed():
        return f"run {run.name} completed in {duration(run)}: {message}"
    if state.is_failed():
        return f"run {run.name} failed after {run.run_count} attempt(s): {message}"
    if state.is_crashed():
        return f"run {run.name} crashed: {message}"
    if state.is_cancelled():
        return f"run {run.name} cancelled: {message}"
    return None


async def find_deployment(client: PrefectClient) -> Deployment:
    from prefect.exceptions import ObjectNotFound

    try:
        return await client.read_deployment_by_name(f"{FLOW_NAME}/{DEPLOYMENT_NAME}")
    except ObjectNotFound:
        raise ServerError(f"the Prefect server at {client.api_url} has no deployment "
                          f"{FLOW_NAME}/{DEPLOYMENT_NAME}: start the schedule with accord serve") from None


async def started_runs(client: PrefectClient, deployment_id: UUID, limit: int,
                       since: dt.datetime | None = None) -> list[FlowRun]:
    """The deployment's runs that have started, newest first."""
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterId,
        FlowRunFilter,
        FlowRunFilterStartTime,
    )
    from prefect.client.schemas.sorting import FlowRunSort

    return await client.read_flow_runs(
        deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id])),
        flow_run_filter=FlowRunFilter(start_time=FlowRunFilterStartTime(is_null_=False, after_=since)),
        sort=FlowRunSort.START_TIME_DESC,
        limit=limit,
    )


async def next_run_time(client: PrefectClient, deployment_id: UUID) -> dt.datetime | None:
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterId,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.client.schemas.sorting import FlowRunSort

    scheduled = await client.read_flow_runs(
        deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id])),
        flow_run_filter=FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.SCHEDULED]))),
        sort=FlowRunSort.EXPECTED_START_TIME_ASC,
        limit=1,
    )
    return scheduled[0].expected_start_time if scheduled else None


async def report_runs(deployment_id: UUID, since: dt.datetime, console: Console, server: LocalServer | None,
                      stop: asyncio.Event, finished: asyncio.Event) -> str | None:
    """Tell the user when a run starts, publishes, fails or is retried, and when the next one is due.

    Polls until `finished`, then once more so a run cancelled at shutdown is reported too. Also watches
    the local server: if it dies, serving stops and the reason is returned, instead of failing on every poll.
    """
    from prefect import get_client

    shown: dict[UUID, str] = {}
    next_shown: dt.datetime | None = None
    async with get_client() as client:
        while True:
            last_pass = finished.is_set()
            if server is not None and server.process.poll() is not None:
                stop.set()
                return (f"the Prefect server stopped unexpectedly (exit code {server.process.returncode}); "
                        f"see {server.log}")
            try:
                runs = await started_runs(client, deployment_id, RUNS_SHOWN, since)
                upcoming = await next_run_time(client, deployment_id)
            except Exception as error:  # the server is busy or restarting: say so, try again next poll
                console.print(f"[yellow]could not read the runs from the Prefect server:[/yellow] {error}")
                runs, upcoming = [], next_shown
            for run in reversed(runs):
                line = describe_run(run)
                if line and shown.get(run.id) != line:
                    shown[run.id] = line
                    console.print(f"{utc(dt.datetime.now(dt.UTC))}  {line}", highlight=False)
            if last_pass:
                return None
            if upcoming is not None and upcoming != next_shown and not stop.is_set():
                next_shown = upcoming
                console.print(f"next run at {utc(upcoming)}", highlight=False)
            try:
                await asyncio.wait_for(finished.wait(), REPORT_SECONDS)
            except TimeoutError:
                pass


async def serve_runs(deployment: RunnerDeployment, console: Console, server: LocalServer | None) -> None:
    """Register the deployment and run its scheduled runs (one at a time) until a stop signal.

    SIGINT and SIGTERM both stop the runner in order: an in-progress run is cancelled (a release is
    published atomically, so nothing half-written appears), the schedule is paused, then we return.
    """
    from prefect.runner import Runner

    runner = Runner(name="accord-serve", limit=1)
    try:
        deployment_id = await runner.aadd_deployment(deployment)
    except Exception as error:
        raise ServerError(f"could not register the deployment with the Prefect server: {error}") from None
    since = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5)
    stop, finished = asyncio.Event(), asyncio.Event()
    running = asyncio.create_task(runner.start())
    await asyncio.sleep(0)  # the runner installs its own SIGTERM handler as it starts; ours replace it
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    reporter = asyncio.create_task(report_runs(deployment_id, since, console, server, stop, finished))
    stopped = asyncio.create_task(stop.wait())
    await asyncio.wait({running, stopped}, return_when=asyncio.FIRST_COMPLETED)
    stop.set()
    runner_error = None
    if server is not None and server.process.poll() is not None:
        runner.pause_on_shutdown = False  # no server to pause the schedule on; do not wait for its retries
    try:
        if runner.started and not running.done():
            console.print("stopping: cancelling any run in progress"
                          + (" and pausing the schedule" if runner.pause_on_shutdown else ""))
            await runner.astop()
        await running
    except Exception as error:
        runner_error = error
    finished.set()
    problem = await reporter
    if problem or runner_error:
        raise ServerError(problem or f"the Prefect runner stopped with an error: {runner_error}")


@contextmanager
def stop_signals() -> Iterator[None]:
    """Until the runner is up, SIGTERM interrupts like Ctrl+C, so the local server is still stopped."""
    previous = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def ignore_stop_signals() -> None:
    """While shutting down: a second Ctrl+C must not leave the server running without us."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def run_schedule(deployment: RunnerDeployment, console: Console, server: LocalServer | None) -> None:
    try:
        asyncio.run(serve_runs(deployment, console, server))
    except KeyboardInterrupt:
        pass
    finally:
        ignore_stop_signals()


def serve_schedule(raw: Path, output: Path, cron: str | None, interval: int | None, port: int | None,
                   console: Console) -> None:
    """Serve on the configured Prefect server, or on a local one started for the purpose and stopped after."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    deployment = build_deployment(raw, output, cron, interval)
    what = (f"{FLOW_NAME}/{DEPLOYMENT_NAME} {describe_schedule(cron, interval)} ({raw} -> {output}), "
            "one run at a time")
    api_url = configured_api_url()
    if api_url:
        if port is not None:
            raise ServeInputError(f"--port sets the port of the local Prefect server, but PREFECT_API_URL names "
                                  f"a server already ({api_url}): leave --port out")
        console.print(f"using the Prefect server at {api_url} (PREFECT_API_URL)", highlight=False)
        console.print(f"serving {what}; stop with Ctrl+C", highlight=False)
        run_schedule(deployment, console, None)
        return
    folder = state_dir(output)
    other = running_server(folder)
    if other:
        raise ServerError(f"accord serve already runs for {output} (pid {other.get('accord_pid')}, Prefect server "
                          f"{other.get('url')}): stop it first, or see its runs with accord status")
    console.print(f"starting a local Prefect server (state in {folder})", highlight=False)
    with local_server(folder, port) as server:
        record_running(folder, server)
        try:
            console.print(f"Prefect server at {server.url} (UI and API), log in {server.log}", highlight=False)
            console.print(f"serving {what}; stop with Ctrl+C", highlight=False)
            with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
                run_schedule(deployment, console, server)
        finally:
            clear_running(folder)


def serve_command(
    cron: Annotated[str | None, typer.Option("--cron", help="Cron schedule (UTC) of the runs.",
                                             show_default=DEFAULT_CRON)] = None,
    interval: Annotated[int | None, typer.Option("--interval", metavar="SECONDS",
                                                 help="Run every SECONDS instead of on a cron schedule.")] = None,
    raw: Annotated[Path, typer.Option("--raw", help="Folder of raw texts.")] = Path("raw"),
    output: Annotated[Path, typer.Option("--output", help="Folder of releases.")] = Path("output"),
    port: Annotated[int | None, typer.Option("--port", help="Port of the local Prefect server.",
                                             show_default="a free port")] = None,
) -> None:
    """Run the pipeline on a schedule until stopped: Prefect's scheduler creates the runs, this process runs them."""
    console = Console(stderr=True, soft_wrap=True)
    if not raw.is_dir():
        console.print(f"[red]error:[/red] raw folder {raw} does not exist")
        raise typer.Exit(2)
    if port is not None and not 1 <= port <= 65535:
        console.print(f"[red]error:[/red] --port must be between 1 and 65535, not {port}")
        raise typer.Exit(2)
    try:
        cron, interval = choose_schedule(cron, interval)
    except ServeInputError as error:
        console.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from None
    prefect_defaults()
    try:
        with stop_signals():
            serve_schedule(raw, output, cron, interval, port, console)
    except KeyboardInterrupt:
        pass
    except ServeInputError as error:
        console.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from None
    except ServerError as error:
        console.print(f"[red]error:[/red] {error}", highlight=False)
        raise typer.Exit(1) from None
    console.print("stopped")


async def status_lines(limit: int) -> list[str]:
    """The deployment's schedule, its last runs (state, result, duration) and its next scheduled time."""
    from prefect import get_client

    async with get_client() as client:
        deployment = await find_deployment(client)
        runs = await started_runs(client, deployment.id, limit)
        upcoming = await next_run_time(client, deployment.id)
    plans = ", ".join(describe_stored_schedule(s.schedule) for s in deployment.schedules) or "no schedule"
    parameters = deployment.parameters or {}
    lines = [f"{FLOW_NAME}/{DEPLOYMENT_NAME}: {plans}, {parameters.get('raw_dir')} -> {parameters.get('output_dir')}",
             ""]
    if runs:
        lines.append(f"{'started':<24} {'run':<24} {'state':<16} {'duration':<12} result")
        for run in runs:
            state = run.state.name if run.state else "-"
            result = (run.state.message or "") if run.state else ""
            lines.append(f"{utc(run.start_time):<24} {run.name:<24} {state:<16} {duration(run):<12} {result}")
    else:
        lines.append("no run has started yet")
    lines.append("")
    if deployment.paused:
        lines.append("next run: none, the schedule is paused (it runs while accord serve runs)")
    else:
        lines.append(f"next run: {utc(upcoming) if upcoming else 'not scheduled yet'}")
    return lines


def read_status(output: Path, limit: int, console: Console) -> list[str]:
    """From PREFECT_API_URL's server, the running `accord serve`'s server, or the local database read directly."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    if configured_api_url():
        return asyncio.run(status_lines(limit))
    folder = state_dir(output)
    running = running_server(folder)
    if running:
        with temporary_settings(updates={PREFECT_API_URL: f"{running['url']}/api"}):
            return asyncio.run(status_lines(limit))
    if not configured_database() and not (folder / "prefect.db").exists():
        raise ServerError(f"no scheduled runs recorded for {output} ({folder} holds no Prefect database): "
                          "start the schedule with accord serve")
    where = sqlite_url(folder) if not configured_database() else "the configured Prefect database"
    console.print(f"accord serve is not running: reading the run history from {where}", highlight=False)
    with local_server(folder, services=False) as server, \
            temporary_settings(updates={PREFECT_API_URL: server.api_url}):
        return asyncio.run(status_lines(limit))


def status_command(
    output: Annotated[Path, typer.Option("--output", help="Folder of releases the schedule publishes to.")]
    = Path("output"),
    runs: Annotated[int, typer.Option("--runs", help="How many of the last runs to show.", min=1)] = RUNS_SHOWN,
) -> None:
    """Show the scheduled runs: the last ones (state, release published, duration) and the next one."""
    console = Console(stderr=True, soft_wrap=True)
    prefect_defaults()
    try:
        with stop_signals():
            lines = read_status(output, runs, console)
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    except ServerError as error:
        console.print(f"[red]error:[/red] {error}", highlight=False)
        raise typer.Exit(1) from None
    print("\n".join(lines))
