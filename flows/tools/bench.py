"""Benchmark: the pipeline on a realistic mix of texts, measured against bare spaCy on the same texts.

The texts are the sample articles and the dev split of the evaluation corpus, each repeated as distinct
articles, alternating with synthetic ones (flows/tools/bench_texts.py). Every measured step is a process
of its own, as a user would run it: bare spaCy `nlp.pipe` on one process and on all cores (model loading
left out), then `accord run` in full, again with nothing new, and again after one article is added. Memory
is the peak of the whole process tree (workers and Prefect's server included), sampled with psutil, as the
sum of each process's proportional set size (PSS: a page shared by n processes counts 1/n in each), so the
model and gazetteer the extraction workers share with their fork server count once. The sum of resident
sizes (RSS), which counts a shared page in every process holding it, is reported beside it.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Annotated

import typer

from flows.tools.bench_texts import benchmark_texts, generate_articles, real_texts
from flows.workers import available_cores

__all__ = ["LABELS", "bench_command", "generate_articles", "run_benchmark"]
RUN_COUNTS = re.compile(r"articles read: (\d+) \(processed (\d+), from cache (\d+)\)")


class PeakMemory:
    """Peak memory of the processes this one started (and theirs), sampled with psutil: `peak` sums their
    PSS (RSS where the system reports none), `peak_rss` their RSS. Reading PSS walks each process's page
    map, hence a longer interval than RSS alone would need."""

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.peak = 0
        self.peak_rss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _current(self) -> tuple[int, int]:
        import psutil

        proportional = resident = 0
        for child in psutil.Process().children(recursive=True):
            try:
                info = child.memory_full_info()
            except psutil.Error:
                continue
            proportional += getattr(info, "pss", info.rss)
            resident += info.rss
        return proportional, resident

    def _sample(self) -> None:
        while not self._stop.is_set():
            proportional, resident = self._current()
            self.peak = max(self.peak, proportional)
            self.peak_rss = max(self.peak_rss, resident)
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()


def children_cpu_seconds() -> float:
    """CPU time (user + system) of the finished processes this one started, and theirs.

    Wall-clock figures move with the load of a shared machine; CPU time says what the work itself costs.
    """
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def write_articles(raw: Path, texts: list[str], start: int = 0) -> None:
    raw.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(texts, start=start):
        (raw / f"bench_{i:06d}.txt").write_text(text, encoding="utf-8")


def time_bare_spacy(raw: Path, processes: int) -> dict[str, float]:
    """spaCy's `nlp.pipe` over the texts of `raw` with `processes` processes, the model loaded beforehand."""
    from flows.extract.annotate import load_nlp

    texts = [path.read_text(encoding="utf-8") for path in sorted(raw.glob("*.txt"))]
    nlp = load_nlp()
    start = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=16, n_process=processes))
    return {"seconds": time.perf_counter() - start, "tokens": float(tokens)}


def bare_spacy(raw: Path, processes: int) -> dict[str, float]:
    """`time_bare_spacy` in a fresh process, as a run would start."""
    code = ("import json, sys; from pathlib import Path; from flows.tools.bench import time_bare_spacy; "
            "print(json.dumps(time_bare_spacy(Path(sys.argv[1]), int(sys.argv[2]))))")
    done = subprocess.run([sys.executable, "-c", code, str(raw), str(processes)], capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def accord_run(raw: Path, output: Path, *extra: str) -> dict[str, float]:
    """`accord run` as a command: its wall-clock seconds and the articles it processed and took from cache."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "flows.tools.cli", "run", "--raw", str(raw), "--output",
                           str(output), *extra], capture_output=True, text=True, env=dict(os.environ, COLUMNS="200"))
    seconds = time.perf_counter() - start
    counts = RUN_COUNTS.search(" ".join(done.stderr.split()))
    if done.returncode != 0 or counts is None:
        raise RuntimeError(f"accord run failed ({done.returncode}): {done.stderr[-2000:]}")
    return {"seconds": seconds, "processed": float(counts.group(2)), "from_cache": float(counts.group(3))}


def run_benchmark(n: int, workdir: Path, seed: int = 0) -> dict[str, float]:
    """Bare spaCy on one and on all cores, then a full run, a run with nothing new, and a run with one more
    article, on n texts of the realistic mix."""
    if n < 1:
        raise ValueError("the benchmark needs at least one article")
    texts = benchmark_texts(n + 1, seed)
    raw, output = workdir / "raw", workdir / "output"
    for old in raw.glob("bench_*.txt"):
        old.unlink()
    write_articles(raw, texts[:n])
    with PeakMemory() as spacy_memory:
        one = bare_spacy(raw, 1)
        cpu = children_cpu_seconds()
        every = bare_spacy(raw, available_cores())
        every_cpu = children_cpu_seconds() - cpu
    with PeakMemory() as memory:
        cpu = children_cpu_seconds()
        full = accord_run(raw, output, "--full")
        full_cpu = children_cpu_seconds() - cpu
        unchanged = accord_run(raw, output)
        write_articles(raw, texts[n:], start=n)
        cpu = children_cpu_seconds()
        incremental = accord_run(raw, output)
        incremental_cpu = children_cpu_seconds() - cpu
    tokens = one["tokens"]
    return {
        "articles": float(n),
        "real_articles": float((n + 1) // 2 if real_texts() else 0),
        "tokens": tokens,
        "cores": float(available_cores()),
        "bare_spacy_one_seconds": one["seconds"],
        "bare_spacy_one_tokens_per_second": tokens / one["seconds"],
        "bare_spacy_all_seconds": every["seconds"],
        "bare_spacy_all_tokens_per_second": tokens / every["seconds"],
        "full_run_seconds": full["seconds"],
        "full_run_articles_processed": full["processed"],
        "articles_per_second": n / full["seconds"],
        "tokens_per_second": tokens / full["seconds"],
        "throughput_ratio_all": every["seconds"] / full["seconds"],
        "throughput_ratio_one": one["seconds"] / full["seconds"],
        "full_run_cpu_seconds": full_cpu,
        "bare_spacy_all_cpu_seconds": every_cpu,
        "cpu_ratio_all": every_cpu / full_cpu,
        "nothing_new_seconds": unchanged["seconds"],
        "nothing_new_articles_processed": unchanged["processed"],
        "incremental_run_seconds": incremental["seconds"],
        "incremental_articles_processed": incremental["processed"],
        "incremental_articles_from_cache": incremental["from_cache"],
        "incremental_share": incremental["seconds"] / full["seconds"],
        "incremental_run_cpu_seconds": incremental_cpu,
        "incremental_cpu_share": incremental_cpu / full_cpu,
        "peak_memory_mb": memory.peak / 2**20,
        "peak_memory_rss_mb": memory.peak_rss / 2**20,
        "bare_spacy_peak_memory_mb": spacy_memory.peak / 2**20,
    }


LABELS = {
    "articles": ("articles", "{:.0f}"),
    "real_articles": ("  of them sample and dev-corpus texts (repeated as distinct articles)", "{:.0f}"),
    "tokens": ("tokens (spaCy)", "{:.0f}"),
    "cores": ("cores", "{:.0f}"),
    "bare_spacy_one_seconds": ("bare spaCy nlp.pipe, one process", "{:.2f} s"),
    "bare_spacy_one_tokens_per_second": ("  throughput", "{:.0f} tokens/s"),
    "bare_spacy_all_seconds": ("bare spaCy nlp.pipe, all cores (n_process)", "{:.2f} s"),
    "bare_spacy_all_tokens_per_second": ("  throughput", "{:.0f} tokens/s"),
    "full_run_seconds": ("full run (accord run --full)", "{:.2f} s"),
    "full_run_articles_processed": ("  articles processed", "{:.0f}"),
    "articles_per_second": ("  throughput", "{:.2f} articles/s"),
    "tokens_per_second": ("  throughput", "{:.0f} tokens/s"),
    "throughput_ratio_all": ("full run throughput / bare spaCy all cores", "{:.2f}"),
    "throughput_ratio_one": ("full run throughput / bare spaCy one process", "{:.2f}"),
    "full_run_cpu_seconds": ("full run CPU time (all its processes)", "{:.2f} s"),
    "bare_spacy_all_cpu_seconds": ("bare spaCy all cores CPU time (model load included)", "{:.2f} s"),
    "cpu_ratio_all": ("same ratio by CPU time", "{:.2f}"),
    "nothing_new_seconds": ("run with nothing new", "{:.2f} s"),
    "nothing_new_articles_processed": ("  articles processed", "{:.0f}"),
    "incremental_run_seconds": ("incremental run (+1 article)", "{:.2f} s"),
    "incremental_articles_processed": ("  articles processed", "{:.0f}"),
    "incremental_articles_from_cache": ("  articles from cache", "{:.0f}"),
    "incremental_share": ("incremental run / full run time", "{:.1%}"),
    "incremental_run_cpu_seconds": ("incremental run CPU time (all its processes)", "{:.2f} s"),
    "incremental_cpu_share": ("incremental run / full run CPU time", "{:.1%}"),
    "peak_memory_mb": ("peak memory of the runs (process tree, PSS sum: shared pages once)", "{:.0f} MB"),
    "peak_memory_rss_mb": ("  the same as an RSS sum (shared pages once per process)", "{:.0f} MB"),
    "bare_spacy_peak_memory_mb": ("peak memory of bare spaCy (process tree, PSS sum)", "{:.0f} MB"),
}


def bench_command(
    articles: Annotated[int, typer.Option("--articles", min=1, help="Number of articles.")] = 200,
    workdir: Annotated[Path | None, typer.Option(
        "--workdir", help="Folder for raw/ and output/ (default: a temporary folder, removed afterwards).")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the synthetic article generator.")] = 0,
) -> None:
    """Measure the pipeline against bare spaCy (one and all cores) on the sample and dev-corpus texts made
    distinct and synthetic articles: full, nothing-new and incremental runs, peak memory of the process tree."""
    from rich.console import Console
    from rich.table import Table

    if workdir is None:
        with tempfile.TemporaryDirectory(prefix="accord-bench-") as tmp:
            figures = run_benchmark(articles, Path(tmp), seed)
    else:
        figures = run_benchmark(articles, workdir, seed)
    table = Table(title=f"Accord benchmark ({articles} articles, seed {seed}); wall-clock times move with the "
                        "machine's load: compare the ratios")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key, value in figures.items():
        label, form = LABELS.get(key, (key, "{}"))
        table.add_row(label, form.format(value))
    Console().print(table)
