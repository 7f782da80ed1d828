"""The `accord` command line."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from flows.prefect_server import configured_api_url, prefect_defaults
from flows.release.download import download_command
from flows.tools.bench import bench_command
from flows.tools.deploy import serve_command, status_command

app = typer.Typer(help="Accord: news texts in, versioned event and quote datasets out.", no_args_is_help=True,
                  add_completion=False)
console = Console(stderr=True, soft_wrap=True)
QUARANTINE_LINES_SHOWN = 20


@app.callback()
def main() -> None:
    """Accord: news texts in, versioned event and quote datasets out."""


@app.command()
def run(
    raw: Annotated[Path, typer.Option(help="Folder of raw texts (.txt, .html, .jsonl).")] = Path("raw"),
    output: Annotated[Path, typer.Option(help="Folder of releases.")] = Path("output"),
    full: Annotated[bool, typer.Option("--full", help="Ignore cached per-article results.")] = False,
    runner: Annotated[str, typer.Option(help="Task runner: 'local' (a process per core; recorded by Prefect when "
                                               "PREFECT_API_URL names a server) or 'dask'.")] = "local",
    address: Annotated[str | None, typer.Option(help="Dask scheduler, tcp://HOST:PORT (default: a local cluster).")]
    = None,
    corpus: Annotated[Path | None, typer.Option(
        help="Evaluation corpus whose test split the report scores (default: $ACCORD_CORPUS, else tests/corpus "
             "of the repository holding RAW).")] = None,
    lock_timeout: Annotated[float, typer.Option(help="Seconds to wait for another run publishing into OUTPUT.")]
    = 600.0,
    workers: Annotated[int | None, typer.Option(min=1, help="Extraction processes with the local runner "
                                                             "(default: one per core).")] = None,
) -> None:
    """Run the pipeline on RAW and publish a new release under OUTPUT if anything changed."""
    if not raw.is_dir():
        console.print(f"[red]error:[/red] raw folder {raw} does not exist")
        raise typer.Exit(2)
    if not full and report_unchanged(raw, output):
        return
    prefect_defaults()
    from flows.release.publish import PublishLockedError
    from flows.steps import QualityGateError, run_pipeline

    try:
        if runner == "local" and configured_api_url() is None:
            pipeline = run_pipeline  # the steps as plain functions: Prefect is not even imported
        else:
            from flows.pipeline import pipeline_with_runner

            pipeline = pipeline_with_runner(runner, address)
        summary = pipeline(raw_dir=raw, output_dir=output, full=full, corpus_dir=corpus, lock_timeout=lock_timeout,
                           workers=workers)
    except (PublishLockedError, QualityGateError, ValueError) as error:
        console.print(f"[red]error:[/red] {error}")
        raise typer.Exit(3) from None
    console.print(f"articles read: {summary.articles_read} "
                  f"(processed {summary.processed}, from cache {summary.from_cache})")
    for note in summary.notes:
        console.print(f"note: {note}")
    counts = ", ".join(f"{name} {n}" for name, n in summary.row_counts.items())
    console.print(f"rows: {counts}")
    if summary.quarantined:
        console.print(f"[yellow]quarantined: {len(summary.quarantined)}[/yellow] "
                      f"({len(summary.quarantined) - summary.warnings} not published, {summary.warnings} published "
                      "with a warning; listed in the quarantine table)")
        for line in summary.quarantined[:QUARANTINE_LINES_SHOWN]:
            console.print(f"  {line}", highlight=False, markup=False)
        if len(summary.quarantined) > QUARANTINE_LINES_SHOWN:
            console.print(f"  ... and {len(summary.quarantined) - QUARANTINE_LINES_SHOWN} more")
    if summary.release.locked:
        console.print(f"[red]error:[/red] {summary.release.reason}; extraction results are cached for the next run")
        raise typer.Exit(3)
    if summary.release.version:
        console.print(f"[green]published[/green] {summary.release.path}")
    else:
        console.print(f"nothing new: {summary.release.reason}")


def report_unchanged(raw: Path, output: Path) -> bool:
    """Say so and return True when the inputs are as the last run into OUTPUT left them (nothing to do)."""
    from flows.run_state import unchanged_message, unchanged_release

    record = unchanged_release(raw, output)
    if record is None:
        return False
    console.print(f"articles read: {record.articles_read} (processed 0, from cache {record.extracted})")
    console.print(f"nothing new: {unchanged_message(record)}; nothing parsed or published")
    return True


@app.command()
def validate(
    release: Annotated[Path | None, typer.Argument(help="Release folder, or an output folder (its latest).")] = None,
) -> None:
    """Check a release: checksums, catalog entry, schemas, keys, offsets, CSV and data-quality suites."""
    from flows.release.verify import resolve_release, validate_release

    try:
        folder = resolve_release(release)
    except FileNotFoundError as error:
        console.print(f"[red]error:[/red] {error}", highlight=False)
        raise typer.Exit(2) from None
    except ValueError as error:
        console.print(f"[red]FAIL[/red] catalog: {error}", highlight=False)
        raise typer.Exit(1) from None
    findings = validate_release(folder)
    for finding in findings:
        mark = "[green]ok[/green]  " if finding.ok else "[red]FAIL[/red]"
        console.print(f"{mark} ", end="")
        console.print(f"{finding.check}: {finding.detail}", markup=False, highlight=False, soft_wrap=True)
    failed = sum(not f.ok for f in findings)
    if failed:
        console.print(f"[red]{folder}: {failed} check(s) failed[/red]")
        raise typer.Exit(1)
    console.print(f"[green]{folder}: all checks passed[/green]")


@app.command()
def compare(
    first: Annotated[Path, typer.Argument(help="A release folder or an output folder (its latest).")],
    second: Annotated[Path, typer.Argument(help="Another release folder or output folder.")],
    tables: Annotated[bool, typer.Option("--tables", help="Compare only the tables (Parquet and CSV files), "
                                                          "e.g. against a release built on another day.")] = False,
) -> None:
    """Check that two releases are byte-identical, every file (reproducibility); list the files that differ."""
    from flows.release.compare import compare_releases, release_files
    from flows.release.verify import resolve_release

    try:
        a, b = resolve_release(first), resolve_release(second)
    except (FileNotFoundError, ValueError) as error:
        console.print(f"[red]error:[/red] {error}", highlight=False)
        raise typer.Exit(2) from None
    differences = compare_releases(a, b, tables_only=tables)
    for line in differences:
        console.print(f"[red]differs[/red] {line}", highlight=False, soft_wrap=True)
    if differences:
        console.print(f"[red]{len(differences)} file(s) differ[/red] between {a} and {b}", highlight=False,
                      soft_wrap=True)
        raise typer.Exit(1)
    what = "tables" if tables else "files"
    console.print(f"[green]identical {what}[/green] ({len(release_files(a, tables))}): {a} and {b}", highlight=False,
                  soft_wrap=True)


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Option(help="Gold folder (quotes/events/dates/places/actors .jsonl), or a corpus "
                                            "folder with dev/ and test/ splits (e.g. tests/corpus).")],
    release: Annotated[Path | None, typer.Option(help="Release folder, or an output folder (its latest). "
                                                      "Default: output, or for a corpus its raw texts.")] = None,
    raw: Annotated[Path | None, typer.Option(help="Extract this raw folder now instead of reading a release.")]
    = None,
    split: Annotated[str | None, typer.Option(help="Corpus split to score: dev or test (default: both).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", help="List the misses per table.")] = False,
) -> None:
    """Score extraction against gold annotations: precision, recall and F1 per table (per split for a corpus)."""
    import json

    from flows.tools.corpus import evaluate_corpus, extract_raw_folder, is_corpus
    from flows.tools.evaluate import evaluate_tables, format_report, run_evaluate

    try:
        if is_corpus(gold):
            reports, text = evaluate_corpus(gold, split, release, verbose)
            print(json.dumps(reports, indent=2, ensure_ascii=False, default=str) if as_json else text)
        elif raw is not None:
            report = evaluate_tables(extract_raw_folder(raw), gold, f"{raw} (extracted now)")
            print(json.dumps(report, indent=2, ensure_ascii=False) if as_json else format_report(report, verbose))
        else:
            print(run_evaluate(gold, release or Path("output"), as_json=as_json, verbose=verbose))
    except (FileNotFoundError, ValueError) as error:
        console.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from None


app.command("download")(download_command)
app.command("bench")(bench_command)
app.command("serve")(serve_command)
app.command("status")(status_command)


def entry() -> None:
    """The `accord` command: `accord run` goes through a supervisor so a killed run leaves no process behind."""

    from flows.tools import supervise

    if os.environ.get(supervise.WORKER_ENV):
        supervise.install_worker_handlers()
    elif len(sys.argv) > 1 and sys.argv[1] == "run" and supervise.supported():
        sys.exit(supervise.supervise(sys.argv[1:]))
    app()


if __name__ == "__main__":
    entry()
