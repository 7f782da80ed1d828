"""report.html: one self-contained page a person reads offline to see what a release holds.

The page carries its styles inline, its plots as inline SVG and a few lines of inline JavaScript that
sort tables (the page reads the same without them); it loads nothing from the network. It is a pure
function of the release: the same tables, quality results and scores give the same bytes (no clock,
no random id, no absolute path).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from flows.release.measure import ExtractionQuality
from flows.release.plots import Plot, all_plots
from flows.release.publish import LICENCE, ReleaseDraft
from flows.release.quality import ExpectationOutcome
from schemas.tables import SCHEMA_VERSION, TABLES

REPORT_FILE = "report.html"
QUARANTINE_ROWS_SHOWN = 500
SECTIONS = (("tables", "Tables"), ("plots", "Plots"), ("quality", "Data quality"), ("quarantine", "Quarantine"),
            ("extraction", "Extraction quality"), ("about", "About"))
STYLE = """
:root { --ink: #1d2430; --muted: #5d6777; --line: #d9dee6; --soft: #f4f6f9; --accent: #1f5f9e;
        --good: #1e7b43; --bad: #b3261e; --warn: #9a6400; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.45;
       font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", "Liberation Sans", sans-serif; }
header, nav, main, footer { max-width: 1180px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 28px; }
h1 { font-size: 28px; margin: 0 0 6px; }
h2 { font-size: 21px; margin: 36px 0 10px; padding-top: 10px; border-top: 2px solid var(--line); }
h3 { font-size: 16px; margin: 24px 0 6px; }
p { margin: 6px 0 10px; max-width: 80ch; }
a { color: var(--accent); }
code { font: 13px/1.3 "DejaVu Sans Mono", "Liberation Mono", monospace; background: var(--soft); padding: 0 3px; }
.lead { font-size: 16px; color: var(--muted); }
.figures { display: flex; flex-wrap: wrap; gap: 10px; margin: 16px 0 6px; padding: 0; }
.figures div { border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; min-width: 112px; }
.figures dt { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
.figures dd { margin: 0; font-size: 24px; font-weight: 600; }
nav { position: sticky; top: 0; background: rgba(255,255,255,.96); border-bottom: 1px solid var(--line);
      padding-top: 8px; padding-bottom: 8px; z-index: 2; }
nav a { margin-right: 16px; text-decoration: none; font-weight: 600; }
table { border-collapse: collapse; margin: 8px 0 14px; font-size: 13.5px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 10px; text-align: left; vertical-align: top; }
th { background: var(--soft); position: relative; }
table.sortable th { cursor: pointer; }
table.sortable th[aria-sort="ascending"]::after { content: " ▲"; font-size: 10px; }
table.sortable th[aria-sort="descending"]::after { content: " ▼"; font-size: 10px; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.wide { width: 100%; }
.scroll { overflow-x: auto; }
td code { overflow-wrap: anywhere; }
td.why { min-width: 26ch; }
.pass { color: var(--good); font-weight: 600; }
.fail { color: var(--bad); font-weight: 700; }
.warn { color: var(--warn); font-weight: 700; }
.status { padding: 10px 14px; border-radius: 6px; background: var(--soft); border-left: 4px solid var(--good); }
.status.bad { border-left-color: var(--bad); }
.status.warning { border-left-color: var(--warn); }
figure { margin: 18px 0 26px; }
figure svg { display: block; width: 100%; max-width: 1000px; height: auto; }
figcaption { color: var(--muted); font-size: 13.5px; max-width: 90ch; margin-top: 4px; }
.empty { color: var(--muted); font-style: italic; }
footer { color: var(--muted); font-size: 13px; margin-top: 40px; padding-bottom: 40px;
         border-top: 1px solid var(--line); }
@media print { nav { position: static; } h2 { break-before: auto; } figure { break-inside: avoid; } }
"""
SORT_SCRIPT = """
document.querySelectorAll("table.sortable").forEach(function (table) {
  table.querySelectorAll("th").forEach(function (th, column) {
    th.addEventListener("click", function () {
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      var descending = th.getAttribute("aria-sort") === "ascending";
      table.querySelectorAll("th").forEach(function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      var key = function (row) {
        var text = row.cells[column].textContent.trim(), number = parseFloat(text.replace(/,/g, ""));
        return isNaN(number) || !/^[-\\d.,]+%?$/.test(text) ? text.toLowerCase() : number;
      };
      rows.sort(function (a, b) {
        var x = key(a), y = key(b), order = x < y ? -1 : x > y ? 1 : 0;
        return descending ? -order : order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
"""


# ---------------------------------------------------------------- small helpers


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def number(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) else esc(value)


def score(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def inline_markdown(text: str) -> str:
    """`code`, **bold** and [links](target) of the dataset-card notes, on escaped text."""
    text = esc(text)
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    text = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", text)
    return re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", r'<a href="\2">\1</a>', text)


def markdown_blocks(text: str) -> str:
    """Paragraphs and '- ' lists: the little markdown the dataset-card notes use."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.splitlines()
        if lines and all(line.startswith(("- ", "  ")) for line in lines):
            items, current = [], ""
            for line in lines:
                if line.startswith("- "):
                    if current:
                        items.append(current)
                    current = line[2:]
                else:
                    current += " " + line.strip()
            items.append(current)
            out.append("<ul>" + "".join(f"<li>{inline_markdown(item)}</li>" for item in items) + "</ul>")
        else:
            out.append(f"<p>{inline_markdown(' '.join(line.strip() for line in lines))}</p>")
    return "\n".join(out)


def html_table(header: Iterable[tuple[str, bool | str]], rows: Iterable[Iterable[str]], sortable: bool = True,
               css: str = "") -> str:
    """A table from (title, kind) columns, kind True for numbers or a CSS class, and rows of escaped cells."""
    header = [(title, "n" if kind is True else kind or "") for title, kind in header]
    classes = " ".join(c for c in ("sortable" if sortable else "", css) if c)
    head = "".join(f'<th{f" class={kind}" if kind else ""} scope="col">{esc(title)}</th>' for title, kind in header)
    body = "".join("<tr>" + "".join(f'<td{f" class={kind}" if kind else ""}>{cell}</td>'
                                    for cell, (_title, kind) in zip(row, header, strict=True)) + "</tr>"
                   for row in rows)
    return (f'<div class="scroll"><table class="{classes}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody>'
            "</table></div>")


def page(title: str, body: str, nav: str = "") -> str:
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="initial-scale=1, width=device-width">\n'
            f"<title>{esc(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{nav}{body}\n"
            f"<script>{SORT_SCRIPT}</script>\n</body>\n</html>\n")


# ---------------------------------------------------------------- sections


def summary_section(draft: ReleaseDraft, frames: dict[str, pd.DataFrame], outcomes: list[ExpectationOutcome],
                    extraction: ExtractionQuality) -> str:
    articles = frames.get("articles", pd.DataFrame())
    n_articles = len(articles)
    english = int((articles["language"] == "en").sum()) if n_articles else 0
    dates = articles["published_date"].dropna().astype(str).sort_values() if n_articles else pd.Series(dtype=str)
    span = (f"published between {dates.iloc[0]} and {dates.iloc[-1]}" if len(dates) > 1
            else f"published on {dates.iloc[0]}" if len(dates) else "none with a known publication date")
    undated = n_articles - len(dates)
    lead = (f"Events (who did what to whom, when and where, typed with PLOVER 2.0), quotes, and the actors, places "
            f"and dated mentions they rest on, extracted from {number(n_articles)} news texts "
            f"({number(english)} in English; {esc(span)}"
            f"{f', {number(undated)} without a known date' if undated and len(dates) else ''}). "
            "Every value points back to its evidence: an article id and character offsets.")
    previous = (f"Compared with release {esc(draft.previous)}." if draft.previous else "The first release.")
    figures = "".join(f"<div><dt>{esc(name)}</dt><dd>{number(len(frame))}</dd></div>"
                      for name, frame in frames.items())
    return (f'<header id="summary" data-check="summary">\n<h1>Accord release {esc(draft.version)}</h1>\n'
            f'<p class="lead">{lead}</p>\n<p>Schema version {esc(SCHEMA_VERSION)}. {previous} Licence '
            f'<a href="{esc(LICENCE["path"])}">{esc(LICENCE["title"])}</a>. Dataset card: '
            f'<a href="README.md">README.md</a>; checksums: <a href="SHA256SUMS">SHA256SUMS</a>.</p>\n'
            f'<dl class="figures">{figures}</dl>\n'
            f"{quality_status(outcomes)}\n<p>{esc(extraction_headline(extraction))}</p>\n</header>\n")


def quality_status(outcomes: list[ExpectationOutcome]) -> str:
    failed = [o for o in outcomes if not o.success]
    critical = [o for o in failed if o.severity == "critical"]
    if not outcomes:
        return '<p class="status warning">No data-quality expectation was run.</p>'
    if critical:
        css, text = "bad", f"{len(critical)} critical and {len(failed) - len(critical)} warning expectation(s) failed"
    elif failed:
        css, text = "warning", f"{len(failed)} warning expectation(s) failed"
    else:
        css, text = "", "none failed"
    return (f'<p class="status {css}">Data quality: {len(outcomes) - len(failed)} of {len(outcomes)} '
            f'expectations met; {esc(text)}. <a href="#quality">Details</a>.</p>')


def extraction_headline(extraction: ExtractionQuality) -> str:
    if not extraction.measured:
        return "Extraction quality on the frozen test split: not measured for this release (see below)."
    parts = [f"{name} {score(result.get('f1'))}" for name, result in extraction.tables.items()]
    return f"Extraction quality on the frozen test split (F1): {', '.join(parts)}."


def tables_section(draft: ReleaseDraft, frames: dict[str, pd.DataFrame]) -> str:
    rows = []
    for name, frame in frames.items():
        change = draft.changes.get(name, {})
        rows.append([f"<strong>{esc(name)}</strong>", number(len(frame)), number(change.get("added", 0)),
                     number(change.get("removed", 0)), number(change.get("changed", 0)),
                     esc(TABLES[name].description),
                     f'<a href="{esc(name)}.csv">CSV</a> · <a href="{esc(name)}.parquet">Parquet</a>'])
    for name in draft.previous_tables:
        if name not in frames:
            rows.append([esc(name), "0", "0", "all", "0", "no longer published", ""])
    against = f"against release {esc(draft.previous)}" if draft.previous else "(first release: every row is new)"
    table = html_table([("table", False), ("rows", True), ("added", True), ("removed", True), ("changed", True),
                        ("what a row is", False), ("files", False)], rows, css="wide")
    return (f"<p>Row counts, and rows added, removed and changed {against}, matched by each table's id "
            f"(as in <a href=\"CHANGES.md\">CHANGES.md</a>). Columns are described in the dataset card.</p>\n{table}")


def plots_section(plots: list[Plot]) -> str:
    out = []
    for plot in plots:
        body = plot.svg if plot.svg else f'<p class="empty">{esc(plot.empty)}</p>'
        out.append(f'<figure id="plot-{esc(plot.key)}" data-check="plot">\n<h3>{esc(plot.title)}</h3>\n'
                   f"{body}\n<figcaption>{esc(plot.caption)}</figcaption>\n</figure>")
    return "\n".join(out)


def quality_table(outcomes: list[ExpectationOutcome]) -> str:
    rows = []
    for o in outcomes:
        result = ('<span class="pass">pass</span>' if o.success else
                  '<span class="fail">FAIL</span>' if o.severity == "critical" else '<span class="warn">fail</span>')
        readable = o.expectation.removeprefix("expect_").replace("_", " ")
        rows.append([esc(o.suite), f'<span title="{esc(o.expectation)}">{esc(readable)}</span>', esc(o.column or ""),
                     esc(o.expected), esc(o.severity), result, esc(o.observed), esc(o.why)])
    return html_table([("suite", False), ("expectation", False), ("column", False), ("expects", False),
                       ("severity", False), ("result", False), ("observed", False), ("why it exists", "why")], rows,
                      css="wide")


def quality_section(outcomes: list[ExpectationOutcome]) -> str:
    return (f"{quality_status(outcomes)}\n<p>Great Expectations suites (<code>schemas/suites/</code>) run on every "
            "release: <em>critical</em> failures stop a publish, <em>warning</em> ones are reported here. Observed "
            "values are counts, means or the percentage of unexpected rows. The raw results are in "
            '<a href="quality/results.json">quality/results.json</a>.</p>\n' + quality_table(outcomes))


def quarantine_section(quarantine: pd.DataFrame) -> str:
    if quarantine.empty:
        return "<p>Nothing was quarantined: every input was read and every row passed its checks.</p>"
    ordered = quarantine.sort_values(["source_path", "reason", "quarantine_id"], kind="stable")
    by_reason = ordered.groupby(["stage", "reason"]).size().sort_values(ascending=False, kind="stable")
    summary = html_table([("stage", False), ("reason", False), ("rows", True)],
                         [[esc(stage), esc(reason), number(int(n))] for (stage, reason), n in by_reason.items()])
    shown = ordered.head(QUARANTINE_ROWS_SHOWN)
    rows = [[esc(r.source_path), "" if pd.isna(r.line) else number(int(r.line)), esc(r.stage), esc(r.reason),
             esc(r.detail if isinstance(r.detail, str) else "")] for r in shown.itertuples(index=False)]
    more = (f"<p>The first {QUARANTINE_ROWS_SHOWN} of {number(len(ordered))} rows; all of them are in "
            '<a href="quarantine.csv">quarantine.csv</a>.</p>' if len(ordered) > len(shown) else "")
    return (f"<p>{number(len(ordered))} inputs or rows were set aside with the reason; the rest of the batch was "
            f"published.</p>\n{summary}\n{more}"
            + html_table([("file", False), ("line", True), ("stage", False), ("reason", False), ("detail", False)],
                         rows, css="wide"))


def extraction_section(extraction: ExtractionQuality) -> str:
    if not extraction.measured:
        return f'<p class="empty">{inline_markdown(extraction.note)}</p>'
    rows = []
    for name, result in extraction.tables.items():
        accuracy = ", ".join(f"{label} {score(value)}" for label, value in result["accuracy"].items())
        rows.append([esc(name), *(number(result.get(key)) for key in ("gold", "predicted", "matched")),
                     *(score(result.get(key)) for key in ("precision", "recall", "f1")), esc(accuracy)])
    table = html_table([("table", False), ("gold", True), ("predicted", True), ("matched", True),
                        ("precision", True), ("recall", True), ("F1", True), ("accuracy on matches", False)], rows)
    linking, published = extraction.actor_linking, extraction.publication_dates
    linked = (f"<p>Actor linking: {number(linking['linked'])} of {number(linking['occurrences'])} gold name "
              f"occurrences linked to the right actor ({score(linking['rate'])}).</p>" if linking else "")
    if published:
        linked += (f"<p>Publication dates of the {number(published['documents'])} texts: date right "
                   f"{score(published['date_accuracy'])}, how it is known right {score(published['basis_accuracy'])}."
                   "</p>")
    return (f"<p>{inline_markdown(extraction.note)}</p>\n{table}\n{linked}\n<p>How items are matched is described in "
            "<code>flows/tools/evaluate.py</code>; precision is the share of extracted items that are right, "
            "recall the share of annotated items found.</p>")


def about_section(notes: dict[str, str]) -> str:
    return "\n".join(f"<h3>{esc(title)}</h3>\n{markdown_blocks(text)}" for title, text in notes.items())


# ---------------------------------------------------------------- pages


def render_report(draft: ReleaseDraft, frames: dict[str, pd.DataFrame], outcomes: list[ExpectationOutcome],
                  extraction: ExtractionQuality, notes: dict[str, str] | None = None) -> str:
    """The whole report page of one release."""
    bodies = {
        "tables": tables_section(draft, frames),
        "plots": plots_section(all_plots(frames)),
        "quality": quality_section(outcomes),
        "quarantine": quarantine_section(frames.get("quarantine", pd.DataFrame())),
        "extraction": extraction_section(extraction),
        "about": about_section(notes or {}),
    }
    nav = ('<nav aria-label="sections"><a href="#summary">Summary</a>'
           + "".join(f'<a href="#{key}">{esc(title)}</a>' for key, title in SECTIONS if bodies[key]) + "</nav>\n")
    main = "\n".join(f'<section id="{key}" data-check="section">\n<h2>{esc(title)}</h2>\n{bodies[key]}\n</section>'
                     for key, title in SECTIONS if bodies[key])
    footer = (f"<footer><p>Accord release {esc(draft.version)}, schema {esc(SCHEMA_VERSION)}. Cite as: Accord events "
              f"and quotes dataset, release {esc(draft.version)}. This page needs no network: its styles and "
              "plots are inside it.</p></footer>")
    body = summary_section(draft, frames, outcomes, extraction) + f"<main>\n{main}\n</main>\n{footer}"
    return page(f"Accord release {draft.version}", body, nav)


def quality_page(outcomes: list[ExpectationOutcome]) -> str:
    """quality/index.html: the data-quality results alone, for links to the quality folder."""
    body = (f'<header id="summary" data-check="summary"><h1>Data quality</h1><p>The expectation suites of this '
            f'release. The whole release is shown in <a href="../{REPORT_FILE}">{REPORT_FILE}</a>.</p></header>\n'
            f'<main><section id="quality" data-check="section">{quality_section(outcomes)}</section></main>')
    return page("Accord data quality", body.replace('href="quality/', 'href="'))


def write_report(folder: Path, frames: dict[str, pd.DataFrame], draft: ReleaseDraft,
                 outcomes: list[ExpectationOutcome], extraction: ExtractionQuality,
                 notes: dict[str, str] | None = None) -> Path:
    path = folder / REPORT_FILE
    path.write_text(render_report(draft, frames, outcomes, extraction, notes), encoding="utf-8")
    return path
