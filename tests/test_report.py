"""report.html: self-contained, complete, reproducible; its plots; the extraction quality measured at build time."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from flows.release.compare import compare_releases
from flows.release.measure import CORPUS_ENV, CorpusChoice, ExtractionQuality, locate_corpus, measure_extraction
from flows.release.plots import NO_DATE, all_plots, event_pairs, period_of
from flows.release.publish import ReleaseDraft
from flows.release.quality import ExpectationOutcome
from flows.release.report import SECTIONS, quarantine_section, render_report
from flows.tools.cli import app

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold"
PLOT_KEYS = ("events-by-month", "actor-pairs", "quotes-per-speaker", "places", "dates")
# What a page may load: anything but a plain link (<a href>) that points outside the page.
LOADS = re.compile(r"<(?:script|link|img|iframe|source|object|embed)\b[^>]*\b(?:src|href)=|@import|url\(\s*['\"]?"
                   r"(?!#)|@font-face", re.I)


def latest(output: Path) -> Path:
    return output / json.loads((output / "index.json").read_text())["latest"]


@pytest.fixture(scope="module")
def report(sample_release: Path) -> str:
    return (latest(sample_release) / "report.html").read_text(encoding="utf-8")


def test_report_is_in_every_release_and_checksummed(sample_release: Path) -> None:
    release = latest(sample_release)
    listed = (release / "SHA256SUMS").read_text().splitlines()
    assert any(line.endswith("  report.html") for line in listed)
    assert "report.html" in (release / "README.md").read_text()


def test_report_loads_nothing(report: str) -> None:
    assert not LOADS.search(report), LOADS.search(report)
    assert report.count("<script>") == 1  # the inline sorter, nothing else


def test_report_has_summary_sections_and_plots(report: str, sample_release: Path) -> None:
    release = latest(sample_release)
    assert f"<h1>Accord release {release.name}</h1>" in report
    for key, title in SECTIONS:
        assert f'<section id="{key}"' in report and f"<h2>{title}</h2>" in report
    for key in PLOT_KEYS:
        figure = re.search(rf'<figure id="plot-{key}".*?</figure>', report, re.S)
        assert figure is not None and "<svg" in figure.group(0), key
    ids = re.findall(r'\sid="([^"]+)"', report)
    assert len(ids) == len(set(ids)), "element ids repeat across the inline plots"
    events = pd.read_parquet(release / "events.parquet")
    assert f"<dd>{len(events)}</dd>" in report
    assert "CONSULT" in re.search(r'<figure id="plot-events-by-month".*?</figure>', report, re.S).group(0)


def test_report_lists_every_expectation(report: str) -> None:
    quality = re.search(r'<section id="quality".*?</section>', report, re.S).group(0)
    rows = quality.count("<tr>") - 1
    suites = sum(len(json.loads(p.read_text())["expectations"]) for p in (ROOT / "schemas" / "suites").glob("*.json"))
    assert rows == suites
    assert "a release without articles is a failed run" in quality
    assert "observed_value=5" in quality


def test_report_says_extraction_was_not_measured_without_a_corpus(report: str) -> None:
    extraction = re.search(r'<section id="extraction".*?</section>', report, re.S).group(0)
    assert "Not measured: no evaluation corpus was found" in extraction


def test_no_wall_clock_random_id_or_absolute_path_in_any_file(sample_release: Path, sample_raw_copy: Path) -> None:
    release = latest(sample_release)
    assert not (release / "quality" / "validations").exists() and not (release / "quality" / "static").exists()
    for path in release.rglob("*"):
        if path.is_file() and path.suffix != ".parquet":
            text = path.read_text(encoding="utf-8")
            for needle in (str(sample_release), str(sample_raw_copy), str(ROOT), "dataContextId", "__none__"):
                assert needle not in text, (path.name, needle)
            assert not re.search(r"\d{8}T\d{6}", text), path.name


def test_compare_checks_every_file_and_names_the_ones_that_differ(sample_release: Path, tmp_path: Path) -> None:
    release = latest(sample_release)
    copy = tmp_path / release.name
    shutil.copytree(release, copy)
    runner = CliRunner()
    result = runner.invoke(app, ["compare", str(release), str(copy)])
    assert result.exit_code == 0 and "identical files" in result.output
    report = copy / "report.html"
    report.write_text(report.read_text().replace("Accord release", "Accord  release", 1))
    (copy / "quality" / "extra.txt").write_text("x")
    differences = compare_releases(release, copy)
    assert differences[0] == f"quality/extra.txt: only in {copy}"
    assert re.fullmatch(r"report\.html: contents differ \(from line \d+\)", differences[1])
    assert len(differences) == 2
    result = runner.invoke(app, ["compare", str(release), str(copy)])
    assert result.exit_code == 1
    assert "report.html: contents differ" in result.output and "quality/extra.txt: only in" in result.output
    assert runner.invoke(app, ["compare", "--tables", str(release), str(copy)]).exit_code == 0


# ---------------------------------------------------------------- plots


def test_periods_of_event_dates() -> None:
    assert period_of("2023-06-28", False) == ((0, 2023, 6, 2023), "2023-06")
    assert period_of("2023-06-28", True)[1] == "2023"
    assert period_of("2020", False)[1] == "2020 (year only)"
    assert period_of("1990/1999", False)[1] == "1990s"
    assert period_of("2023-06-01/2023-06-07", False)[1] == "2023-06"
    assert period_of(None, False)[1] == period_of("", False)[1] == NO_DATE
    labels = [label for _key, label in sorted({period_of(v, False) for v in
                                               ["2023-06-01", None, "1994", "1990/1999", "1994-03-01"]})]
    assert labels == ["1990s", "1994 (year only)", "1994-03", "2023-06", NO_DATE]


def test_actor_pairs_are_directed_unless_symmetric() -> None:
    names = {"a": "Armenia", "b": "Azerbaijan", "c": "Blinken"}

    def row(kind: str, source: list[str], target: list[str]):
        return pd.Series({"event_type": kind, "source_actor_ids": source, "target_actor_ids": target}).pipe(
            lambda s: type("Row", (), s.to_dict()))

    assert event_pairs(row("ACCUSE", ["a"], ["b"]), names) == ["Armenia → Azerbaijan"]
    assert event_pairs(row("CONSULT", ["b"], ["a"]), names) == ["Armenia – Azerbaijan"]
    assert event_pairs(row("AGREE", ["b", "a"], []), names) == ["Armenia – Azerbaijan"]
    assert event_pairs(row("AGREE", ["c"], []), names) == []


def test_plots_of_an_empty_release_say_why_and_svg_is_deterministic(sample_release: Path) -> None:
    empty = {name: pd.DataFrame(columns=cols) for name, cols in {
        "articles": ["article_id", "published_basis", "language", "published_date"],
        "events": ["event_type", "event_date", "status", "source_actor_ids", "target_actor_ids"],
        "quotes": ["speaker_actor_id", "speaker_name", "attribution"], "actors": ["actor_id", "name"],
        "places": ["place_id", "name", "feature", "country_iso3", "latitude", "longitude"],
        "mentions": ["article_id", "kind", "value", "method"]}.items()}
    plots = all_plots(empty)
    assert [p.key for p in plots] == list(PLOT_KEYS)
    assert all(p.svg is None and p.empty for p in plots)
    from flows.release.verify import read_tables

    frames, _findings = read_tables(latest(sample_release))
    first, second = all_plots(frames), all_plots(frames)
    assert [p.svg for p in first] == [p.svg for p in second]
    assert all(p.svg and p.svg.startswith("<svg") and "<metadata>" not in p.svg for p in first)


# ---------------------------------------------------------------- sections


def draft() -> ReleaseDraft:
    return ReleaseDraft("2024.05.01", "2024.04.30", {"quarantine": {"added": 2, "removed": 0, "changed": 0}},
                        ["quarantine", "oldtable"])


def test_quarantine_rows_are_listed_with_reasons_and_escaped() -> None:
    quarantine = pd.DataFrame({
        "quarantine_id": ["quarantine:1", "quarantine:2"], "source_path": ["feed.jsonl", "b.txt"],
        "line": [3, None], "stage": ["ingest", "ingest"], "reason": ["broken-json", "empty"],
        "detail": ["<script>alert(1)</script>", None]})
    html = quarantine_section(quarantine)
    assert "feed.jsonl" in html and "broken-json" in html and "b.txt" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    page = render_report(draft(), {"quarantine": quarantine}, [], ExtractionQuality(False, "Not measured: none."))
    assert "oldtable" in page and "no longer published" in page and "Compared with release 2024.04.30" in page
    assert "No data-quality expectation was run" in page


def test_failed_expectations_are_marked() -> None:
    outcomes = [ExpectationOutcome("events", "expect_table_row_count_to_be_between", None, False, "warning",
                                   "row count in range", "observed_value=0", "min_value=1"),
                ExpectationOutcome("events", "expect_column_values_to_not_be_null", "cluster_id", True, "critical",
                                   "every event in a cluster", "unexpected_percent=0")]
    page = render_report(draft(), {}, outcomes, ExtractionQuality(False, "Not measured: none."))
    assert "1 of 2 expectations met; 1 warning expectation(s) failed" in page
    assert '<span class="warn">fail</span>' in page and "min_value=1" in page


# ---------------------------------------------------------------- extraction quality at build time


def tiny_corpus(folder: Path, doc: str = "003_29fb0ade0d62482c.txt") -> Path:
    """A corpus whose test split is one sample article with its gold lines."""
    (folder / "test" / "raw").mkdir(parents=True)
    (folder / "test" / "gold").mkdir(parents=True)
    shutil.copy(ROOT / "raw" / doc, folder / "test" / "raw" / doc)
    for path in GOLD.glob("*.jsonl"):
        lines = [line for line in path.read_text().splitlines()
                 if path.name == "actors.jsonl" or json.loads(line).get("doc") == doc]
        (folder / "test" / "gold" / path.name).write_text("\n".join(lines) + "\n")
    return folder


def test_extraction_is_measured_on_the_test_split(tmp_path: Path) -> None:
    corpus = tiny_corpus(tmp_path / "corpus")
    choice = CorpusChoice(corpus, "the corpus folder `corpus`")
    quality = measure_extraction(choice, cache_dir=tmp_path / "cache")
    assert quality.measured and quality.documents == 1
    assert set(quality.tables) == {"quotes", "events", "dates", "places"}
    assert all(0 <= (t["f1"] or 0) <= 1 for t in quality.tables.values())
    assert quality.tables["events"]["gold"] > 0 and quality.actor_linking["occurrences"] > 0
    again = measure_extraction(choice, cache_dir=tmp_path / "cache")
    assert again == quality  # from the cache: the same figures
    page = render_report(draft(), {}, [], quality)
    assert "precision" in page and "frozen test split" in page and str(tmp_path) not in page
    assert "Extraction quality on the frozen test split (F1): quotes" in page


def test_corpus_without_test_split_is_not_measured(tmp_path: Path) -> None:
    (tmp_path / "corpus" / "dev" / "gold").mkdir(parents=True)
    quality = measure_extraction(CorpusChoice(tmp_path / "corpus", "`tests/corpus`"))
    assert not quality.measured and "has no test split" in quality.note


def test_corpus_is_found_beside_the_raw_folder_or_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CORPUS_ENV, raising=False)
    repository = tmp_path / "repo"
    (repository / "raw").mkdir(parents=True)
    (repository / "pyproject.toml").write_text("")
    assert locate_corpus(repository / "raw").path is None
    (repository / "tests" / "corpus").mkdir(parents=True)
    found = locate_corpus(repository / "raw")
    assert found.path == (repository / "tests" / "corpus").resolve() and found.label == "`tests/corpus`"
    assert locate_corpus(repository / "raw", tmp_path / "elsewhere").path == tmp_path / "elsewhere"
    monkeypatch.setenv(CORPUS_ENV, "none")
    assert locate_corpus(repository / "raw").path is None
    monkeypatch.setenv(CORPUS_ENV, str(tmp_path / "named"))
    assert locate_corpus(repository / "raw").path == tmp_path / "named"
    assert locate_corpus(ROOT / "raw").label  # the repository itself: never a crash


def test_source_date_epoch_names_the_release(monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    from flows.pipeline import release_day

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert release_day() == dt.date(2023, 11, 14)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert release_day() == dt.date.today()
