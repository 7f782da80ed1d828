"""The benchmark: a deterministic article generator and a run that reports every figure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from flows.tools import bench
from flows.tools.bench import LABELS, bench_command, generate_articles, run_benchmark
from flows.tools.bench_texts import benchmark_texts, real_texts

QUOTE = re.compile(r"\u201c[^\u201d]{10,}\u201d")
DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b"
                  r"|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2}, \d{4}\b"
                  r"|\b\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November"
                  r"|December) \d{4}\b")
CUE = re.compile(r"\b(?:said|told reporters|stressed|warned|added|insisted|declared|noted)\b")


def flat(text: str) -> str:
    """Command output with line wrapping undone."""
    return " ".join(text.split())


def test_generator_is_deterministic_and_distinct() -> None:
    articles = generate_articles(60, seed=3)
    assert articles == generate_articles(60, seed=3)
    assert articles != generate_articles(60, seed=4)
    assert len(set(articles)) == 60
    assert generate_articles(61, seed=3)[:60] == articles


def test_every_article_has_a_dateline_date_and_an_attributed_quote() -> None:
    for text in generate_articles(100, seed=1):
        assert DATE.search(text.split("\n", 1)[0]), text
        assert QUOTE.search(text) and CUE.search(text), text


def test_articles_vary() -> None:
    articles = generate_articles(100)
    datelines = {text.split(",", 1)[0] for text in articles}
    first_words = {text.split("):", 1)[1].split()[0] for text in articles}
    assert len(datelines) > 30 and len(first_words) > 10
    assert any("accused" in text for text in articles) and any("signed an agreement" in text for text in articles)


def test_mix_holds_real_texts_made_distinct_and_synthetic_ones() -> None:
    real = real_texts()
    assert len(real) >= 20  # the sample articles and the dev split of the corpus
    texts = benchmark_texts(3 * len(real))
    assert len(set(texts)) == len(texts)
    assert texts[0] == real[0] and texts[2] == real[1] and texts[1] == generate_articles(1)[0]
    copy = texts[2 * len(real)]
    assert copy.startswith(real[0].rstrip()) and copy != real[0]
    assert benchmark_texts(len(texts) + 1)[:-1] == texts


def test_an_installed_package_finds_the_real_texts_of_the_checkout_it_runs_in(tmp_path: Path, monkeypatch) -> None:
    import flows

    repository = Path(flows.__file__).resolve().parents[1]
    expected = real_texts()
    monkeypatch.setattr(flows, "__file__", str(tmp_path / "site-packages" / "flows" / "__init__.py"))
    try:
        monkeypatch.chdir(tmp_path)
        real_texts.cache_clear()
        assert real_texts() == ()
        monkeypatch.chdir(repository)
        real_texts.cache_clear()
        assert real_texts() == expected
    finally:
        real_texts.cache_clear()


def test_benchmark_reports_every_figure(tmp_path: Path) -> None:
    figures = run_benchmark(5, tmp_path)
    assert set(figures) == set(LABELS)
    assert all(value > 0 for key, value in figures.items() if key != "nothing_new_articles_processed"), figures
    assert figures["articles"] == 5 and figures["real_articles"] == 3 and figures["full_run_articles_processed"] == 5
    assert figures["nothing_new_articles_processed"] == 0
    assert figures["incremental_articles_processed"] == 1 and figures["incremental_articles_from_cache"] == 5
    assert len(list((tmp_path / "raw").glob("*.txt"))) == 6


def test_bench_command_prints_a_table(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    calls: list[tuple[int, Path, int]] = []

    def fake_run(n: int, workdir: Path, seed: int) -> dict[str, float]:
        calls.append((n, workdir, seed))
        return dict.fromkeys(LABELS, 1.5)

    monkeypatch.setattr(bench, "run_benchmark", fake_run)
    app = typer.Typer()
    app.command()(bench_command)
    result = CliRunner().invoke(app, ["--articles", "2", "--workdir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert calls == [(2, tmp_path, 0)]
    assert "full run throughput / bare spaCy all cores" in flat(result.output)
    assert "run with nothing new" in flat(result.output) and "peak memory" in flat(result.output)
