"""Data-quality suites (Great Expectations, kept as JSON in `schemas/suites/`) and their results.

Suites check the data rather than the types: row counts, fill rates, duplicates, per-article yields.
Each expectation carries `meta.severity`: `critical` failures stop a publish, `warning` ones are reported.

A release's `quality/` folder holds GX's validation results as JSON, a summary table and `index.html`,
a page rendered here from the results. GX's own Data Docs are not published: they load their styles and
scripts from CDNs (an empty page offline) and carry run times and a random context id, so two builds
of the same data would differ.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from schemas import REFERENCE_DIR
from schemas.tables import TABLES

SUITES_DIR = REFERENCE_DIR / "suites"


def quiet_great_expectations() -> None:
    """GX's loggers to WARNING: at INFO they note registrations on import and a temporary docs folder on every
    run, which a scheduled run (`accord serve`) would print. Some GX modules set a level of their own, so
    every GX logger made so far is set, besides the parent that later ones inherit from."""
    names = [name for name in logging.root.manager.loggerDict if name.startswith("great_expectations.")]
    for name in ["great_expectations", *names]:
        logging.getLogger(name).setLevel(logging.WARNING)


quiet_great_expectations()  # before GX is imported, wherever that happens


@dataclass(frozen=True)
class ExpectationOutcome:
    suite: str
    expectation: str
    column: str | None
    success: bool
    severity: str
    why: str
    observed: str
    expected: str = ""


def load_suites() -> dict[str, dict]:
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(SUITES_DIR.glob("*.json"))}


def coverage_frame(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per English article with how many events, quotes and mentions it yielded (tables present)."""
    articles = frames["articles"]
    ids = articles.loc[articles["language"] == "en", "article_id"]

    coverage = {"article_id": ids.to_numpy()}
    for name in ("events", "quotes", "mentions"):
        if name in frames:
            coverage[f"n_{name}"] = frames[name]["article_id"].value_counts().reindex(ids, fill_value=0).to_numpy()
    return pd.DataFrame(coverage)


def suite_batches(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The frame each suite runs on; list columns are left out (the suites do not look at them)."""
    batches = {name: frame[[f.name for f in TABLES[name].fields if f.dtype != "list" and f.name in frame.columns]]
               for name, frame in frames.items()}
    if "articles" in frames:
        batches["coverage"] = coverage_frame(frames)
    return batches


def run_suites(frames: dict[str, pd.DataFrame], docs_dir: Path | None = None) -> list[ExpectationOutcome]:
    """Run every suite whose table is present; write the results (JSON, summary, page) into docs_dir."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    quiet_great_expectations()
    suites = load_suites()
    batches = suite_batches(frames)
    outcomes: list[ExpectationOutcome] = []
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("accord")
    results_json = {}
    for name, spec in suites.items():
        if name not in batches:
            continue
        expectations = [item for item in spec["expectations"]
                        if item["kwargs"].get("column", "article_id") in batches[name].columns]
        if not expectations:
            continue
        asset = source.add_dataframe_asset(name=name)
        batch_definition = asset.add_batch_definition_whole_dataframe("release")
        suite = gx.ExpectationSuite(name=name, meta={"description": spec.get("description", "")})
        for item in expectations:
            suite.add_expectation_configuration(
                ExpectationConfiguration(type=item["type"], kwargs=item["kwargs"], meta=item.get("meta", {})))
        suite = context.suites.add(suite)
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=name, data=batch_definition, suite=suite))
        validation = definition.run(batch_parameters={"dataframe": batches[name]}, result_format="SUMMARY")
        results_json[name] = validation.describe_dict()
        for item, outcome in zip(expectations, validation.results, strict=True):
            meta = item.get("meta", {})
            outcomes.append(ExpectationOutcome(
                suite=name, expectation=item["type"], column=item["kwargs"].get("column"),
                success=bool(outcome.success), severity=meta.get("severity", "critical"),
                why=meta.get("why", ""), observed=observed_value(outcome.result),
                expected=expected_value(item["kwargs"])))
    if docs_dir is not None:
        write_quality_folder(docs_dir, results_json, outcomes)
    return outcomes


def expected_value(kwargs: dict) -> str:
    """The bounds an expectation sets, as 'min_value=1, max_value=100' (the column is shown apart)."""
    parts = []
    for key, value in kwargs.items():
        if key in ("column", "batch_id"):
            continue
        if key == "row_condition" and isinstance(value, dict) and isinstance(value.get("column"), dict):
            parts.append(f"where {value['column'].get('name')} {value.get('operator')} {value.get('parameter')}")
        else:
            parts.append(f"{key}={value}")
    return ", ".join(parts)


def observed_value(result: dict) -> str:
    for key in ("observed_value", "unexpected_percent", "unexpected_count"):
        if key in result and result[key] is not None:
            value = result[key]
            return f"{key}={value:.3g}" if isinstance(value, float) else f"{key}={value}"
    return ""


def write_quality_folder(docs_dir: Path, results: dict, outcomes: list[ExpectationOutcome]) -> None:
    """quality/: validation results (JSON), a summary table, and a self-contained page of the results."""
    from flows.release.report import quality_page

    docs_dir.mkdir(parents=True, exist_ok=True)
    (docs_dir / "results.json").write_text(json.dumps(results, indent=2, sort_keys=True, default=str) + "\n",
                                           encoding="utf-8")
    (docs_dir / "summary.md").write_text(outcomes_markdown(outcomes), encoding="utf-8")
    (docs_dir / "index.html").write_text(quality_page(outcomes), encoding="utf-8")


def outcomes_markdown(outcomes: list[ExpectationOutcome]) -> str:
    lines = ["| suite | expectation | column | severity | result | observed | why |", "|---|---|---|---|---|---|---|"]
    for o in outcomes:
        lines.append(f"| {o.suite} | {o.expectation} | {o.column or ''} | {o.severity} | "
                     f"{'pass' if o.success else 'FAIL'} | {o.observed} | {o.why} |")
    return "\n".join(lines) + "\n"


def critical_failures(outcomes: list[ExpectationOutcome]) -> list[ExpectationOutcome]:
    return [o for o in outcomes if not o.success and o.severity == "critical"]
