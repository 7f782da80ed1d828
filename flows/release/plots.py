"""Plots of a release as inline SVG (matplotlib), for the report a person reads offline.

Each plot is a pure function of the release tables and returns a `Plot` holding the SVG markup, or a
`Plot` with no SVG and a sentence saying why there is nothing to draw. The SVG is deterministic: no
date in its metadata, element ids hashed from a fixed salt (one per plot, so ids of several plots on
one page do not collide), text kept as text (searchable, and small) in the fonts matplotlib ships.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from schemas.vocabularies import ATTRIBUTIONS, EVENT_STATUSES, PLOVER_EVENT_TYPES

STATUS_COLOURS = {"occurred": "#1f5f9e", "planned": "#e08a1e", "hypothetical": "#8e7cc3", "negated": "#c23b3b"}
ATTRIBUTION_COLOURS = {"explicit": "#1f5f9e", "pronoun": "#5b9bd5", "descriptor": "#8fbc5a",
                       "previous_sentence": "#e0b03a", "unattributed": "#b0b0b0"}
FEATURE_COLOURS = {"country": "#1f5f9e", "admin1": "#5b9bd5", "city": "#c23b3b", "region": "#8fbc5a",
                   "landmark": "#e08a1e"}
RESOLVED_COLOURS = {"resolved": "#1f5f9e", "unresolved": "#c9c9c9"}
NO_DATE = "no date"
MAX_PERIODS = 36
PAIRS_PER_TYPE = 5
MAX_PAIR_TYPES = 8
MAX_SPEAKERS = 15
MAX_PLACE_LABELS = 25
STYLE = {
    "svg.fonttype": "none",
    "svg.hashsalt": "accord",
    "font.family": ["DejaVu Sans"],
    "font.size": 9,
    "text.parse_math": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 9,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "legend.frameon": False,
    "legend.fontsize": 8,
}


@dataclass(frozen=True)
class Plot:
    key: str
    title: str
    caption: str
    svg: str | None
    empty: str = ""


# ---------------------------------------------------------------- rendering


def figure(width: float, height: float):
    """A matplotlib Figure without pyplot: no global figure registry, no display backend."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=72, layout="constrained")
    FigureCanvasAgg(fig)  # text extents for placing labels; the SVG is written by the SVG backend
    return fig


def to_svg(fig, key: str) -> str:
    """The figure as inline SVG markup: no XML prolog, no metadata, ids unique to this plot."""
    import matplotlib

    with matplotlib.rc_context({"svg.hashsalt": f"accord-{key}", "svg.id": f"svg-{key}"}):
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    # Ids are per document in HTML: prefix every id of this plot, and the references to them, with its key.
    svg = re.sub(r'\bid="(?!svg-)([^"]+)"', rf'id="{key}-\1"', svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{key}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{key}-\1)", svg)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{key}" ', 1).strip()


def render(key: str, title: str, caption: str, draw, *data) -> Plot:
    """Draw with the report's style; `draw` returns a figure, or a string saying why there is none."""
    import matplotlib

    with matplotlib.rc_context(STYLE):
        result = draw(*data)
        if isinstance(result, str):
            return Plot(key, title, caption, None, result)
        return Plot(key, title, caption, to_svg(result, key))


def all_plots(frames: dict[str, pd.DataFrame]) -> list[Plot]:
    """Every plot of the report, in reading order."""
    empty = pd.DataFrame()
    events, actors = frames.get("events", empty), frames.get("actors", empty)
    mentions, articles = frames.get("mentions", empty), frames.get("articles", empty)
    return [
        render("events-by-month", "Events per PLOVER type and month",
               "Event mentions per type by the month of the event date, and per type by status; events whose "
               f"text gives only a year, or no date at all, are counted apart. Years replace months when there "
               f"are more than {MAX_PERIODS} months, and the earliest periods share one column when there are "
               f"still more.", draw_events_by_month, events),
        render("actor-pairs", "Most frequent actor pairs per event type",
               f"The {PAIRS_PER_TYPE} most frequent source → target pairs of each event type (the "
               f"{MAX_PAIR_TYPES} most frequent types); for meetings and cooperation, and events with no target, "
               "the pair is unordered (A – B).", draw_actor_pairs, events, actors),
        render("quotes-per-speaker", "Quotes per speaker",
               f"The {MAX_SPEAKERS} speakers quoted most often, by how the speaker was attributed.",
               draw_quotes_per_speaker, frames.get("quotes", empty), actors),
        render("places", "Places by longitude and latitude",
               "Every place with coordinates; the size of a point grows with the number of mentions, the colour "
               "gives the kind of place, and grey labels name the countries.",
               draw_places, frames.get("places", empty), mentions),
        render("dates", "Dates resolved and unresolved",
               "Date mentions with an ISO value (resolved) or without one, by the anchor that resolves relative "
               "dates and by the rule that read the expression.", draw_dates, mentions, articles),
    ]


# ---------------------------------------------------------------- helpers


def as_list(value: object) -> list[str]:
    """List cells come as lists (pipeline) or arrays (Parquet); null as an empty list."""
    if value is None or (isinstance(value, float) and value != value):
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value if v is not None]


def actor_names(actors: pd.DataFrame) -> dict[str, str]:
    if actors.empty:
        return {}
    return dict(zip(actors["actor_id"], actors["name"], strict=True))


def shorten(text: str, limit: int = 42) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def period_of(value: object, by_year: bool) -> tuple[tuple, str]:
    """Sort key and label of an event date: '2023-06' (or '2023' by year), '2023 (year only)' when the text
    gives only the year, '1990s' for a decade, 'no date' when there is none."""
    if not isinstance(value, str) or not re.match(r"\d{4}", value):
        return (1,), NO_DATE
    start, _, end = value.partition("/")
    year, month = int(start[:4]), start[5:7] if re.match(r"\d{4}-\d{2}", start) else ""
    last = int(end[:4]) if re.match(r"\d{4}", end) else year
    if last > year:
        label = f"{year}s" if year % 10 == 0 and last == year + 9 else f"{year}–{last}"
        return (0, year, -1, last), label
    if by_year:
        return (0, year, 0, year), str(year)
    if not month:
        return (0, year, 0, year), f"{year} (year only)"
    return (0, year, int(month), year), f"{year}-{month}"


def types_in_order(values: Iterable[str]) -> list[str]:
    present = set(values)
    return [t for t in PLOVER_EVENT_TYPES if t in present]


def stacked_barh(ax, labels: list[str], stacks: dict[str, list[int]], colours: dict[str, str]) -> None:
    """Horizontal bars, top label first, one stacked segment per key that has any count."""
    positions = list(range(len(labels)))[::-1]
    left = [0] * len(labels)
    for key, counts in stacks.items():
        if not any(counts):
            continue
        ax.barh(positions, counts, left=left, color=colours.get(key, "#888888"), label=key.replace("_", " "),
                height=0.7)
        left = [a + b for a, b in zip(left, counts, strict=True)]
    ax.set_yticks(positions, labels)
    ax.xaxis.get_major_locator().set_params(integer=True)
    for position, total in zip(positions, left, strict=True):
        ax.text(total, position, f" {total}", va="center", fontsize=8)
    ax.margins(x=0.08)


# ---------------------------------------------------------------- the plots


def draw_events_by_month(events: pd.DataFrame):
    if events.empty:
        return "This release has no events."
    dated = [period_of(v, False) for v in events["event_date"]]
    by_year = len({label for _key, label in dated if label != NO_DATE}) > MAX_PERIODS
    if by_year:
        dated = [period_of(v, True) for v in events["event_date"]]
    periods = sorted({item for item in dated if item[1] != NO_DATE})
    if len(periods) > MAX_PERIODS:  # the latest periods, and the rest as one column before them
        first_kept = periods[-(MAX_PERIODS - 1)]
        earlier = ((0, 0), f"before {first_kept[1]}")
        dated = [earlier if item[1] != NO_DATE and item < first_kept else item for item in dated]
    table = pd.DataFrame({"type": events["event_type"].to_numpy(), "period": [label for _key, label in dated],
                          "status": events["status"].to_numpy()})
    order = [label for _key, label in sorted(set(dated))]
    types = types_in_order(table["type"])
    counts = table.groupby(["type", "period"]).size()
    grid = [[int(counts.get((t, p), 0)) for p in order] for t in types]
    fig = figure(min(11.0, 4.6 + 0.42 * len(order)), 1.6 + 0.3 * len(types))
    heat, side = fig.subplots(1, 2, sharey=True, width_ratios=[max(len(order), 3), 4])
    heat.imshow(grid, cmap="Blues", aspect="auto", vmin=0, vmax=max(max(row) for row in grid) * 1.25)
    for y, row in enumerate(grid):
        for x, value in enumerate(row):
            if value:
                heat.text(x, y, str(value), ha="center", va="center", fontsize=8,
                          color="white" if value > max(max(r) for r in grid) * 0.6 else "black")
    heat.set_xticks(range(len(order)), order, rotation=60, ha="right", rotation_mode="anchor")
    heat.set_yticks(range(len(types)), types)
    heat.set_xlabel("year of the event date" if by_year else "month of the event date")
    heat.set_title("events per type and date")
    heat.tick_params(length=0)
    for spine in heat.spines.values():
        spine.set_visible(False)
    by_status = table.groupby(["type", "status"]).size()
    left = [0] * len(types)
    for status in EVENT_STATUSES:
        values = [int(by_status.get((t, status), 0)) for t in types]
        if any(values):
            side.barh(range(len(types)), values, left=left, color=STATUS_COLOURS[status], height=0.7, label=status)
            left = [a + b for a, b in zip(left, values, strict=True)]
    for y, total in enumerate(left):
        side.text(total, y, f" {total}", va="center", fontsize=8)
    side.margins(x=0.15)
    side.set_title("status")
    side.set_xlabel("events")
    side.tick_params(axis="y", length=0)
    fig.legend(*side.get_legend_handles_labels(), loc="outside right upper", title="status")
    return fig


def event_pairs(row, names: dict[str, str]) -> list[str]:
    """'A → B' for every source and target; unordered 'A – B' among the participants of symmetric events."""
    sources = [names.get(a, a) for a in as_list(row.source_actor_ids)]
    targets = [names.get(a, a) for a in as_list(row.target_actor_ids)]
    if targets and row.event_type not in ("CONSULT", "COOPERATE"):
        return [f"{s} → {t}" for s in sources for t in targets if s != t]
    people = sorted(set(sources + targets))
    return [f"{a} – {b}" for i, a in enumerate(people) for b in people[i + 1:]]


def draw_actor_pairs(events: pd.DataFrame, actors: pd.DataFrame):
    if events.empty:
        return "This release has no events."
    names = actor_names(actors)
    pairs: dict[str, Counter] = {}
    for row in events.itertuples(index=False):
        found = event_pairs(row, names)
        if found:
            pairs.setdefault(row.event_type, Counter()).update(found)
    if not pairs:
        return "No event names two actors."
    types = sorted(pairs, key=lambda t: (-sum(pairs[t].values()), t))[:MAX_PAIR_TYPES]
    top = {t: sorted(pairs[t].items(), key=lambda item: (-item[1], item[0]))[:PAIRS_PER_TYPE] for t in types}
    columns = 2 if len(types) > 1 else 1
    rows = (len(types) + columns - 1) // columns
    heights = [max(len(top[t]) for t in types[r * columns:(r + 1) * columns]) for r in range(rows)]
    fig = figure(9.5, 0.6 + 0.28 * sum(heights) + 0.45 * rows)
    axes = fig.subplots(rows, columns, squeeze=False, gridspec_kw={"height_ratios": heights})
    maximum = max(count for items in top.values() for _pair, count in items)
    for index, ax in enumerate(axes.flat):
        if index >= len(types):
            ax.set_axis_off()
            continue
        event_type = types[index]
        labels = [shorten(pair) for pair, _count in top[event_type]]
        counts = [count for _pair, count in top[event_type]]
        stacked_barh(ax, labels, {"events": counts}, {"events": "#1f5f9e"})
        ax.set_xlim(0, maximum * 1.15)
        ax.set_title(f"{event_type} ({sum(pairs[event_type].values())} pairs)")
        ax.tick_params(axis="y", labelsize=8)
    return fig


def draw_quotes_per_speaker(quotes: pd.DataFrame, actors: pd.DataFrame):
    if quotes.empty:
        return "This release has no quotes."
    names = actor_names(actors)

    def speaker(row) -> str:
        if isinstance(row.speaker_actor_id, str) and row.speaker_actor_id:
            return names.get(row.speaker_actor_id, row.speaker_actor_id)
        if isinstance(row.speaker_name, str) and row.speaker_name:
            return row.speaker_name
        return "(no speaker)"

    table = pd.DataFrame({"speaker": [speaker(r) for r in quotes.itertuples(index=False)],
                          "attribution": quotes["attribution"].to_numpy()})
    totals = table["speaker"].value_counts()
    ranked = sorted(totals.index, key=lambda s: (-int(totals[s]), s))
    shown = ranked[:MAX_SPEAKERS]
    counts = table.groupby(["speaker", "attribution"]).size()
    stacks = {a: [int(counts.get((s, a), 0)) for s in shown] for a in ATTRIBUTIONS}
    fig = figure(9.0, 0.9 + 0.28 * len(shown))
    ax = fig.subplots()
    stacked_barh(ax, [shorten(s, 60) for s in shown], stacks, ATTRIBUTION_COLOURS)
    ax.set_xlabel("quotes")
    if len(ranked) > len(shown):
        others = int(sum(totals[s] for s in ranked[len(shown):]))
        ax.set_title(f"{len(ranked)} speakers; {len(ranked) - len(shown)} others hold {others} quotes")
    ax.legend(loc="lower right", title="attribution")
    return fig


def draw_places(places: pd.DataFrame, mentions: pd.DataFrame):
    located = places.dropna(subset=["latitude", "longitude"]) if not places.empty else places
    if located.empty:
        return "No place in this release has coordinates."
    mentioned = Counter()
    if not mentions.empty:
        mentioned.update(mentions.loc[mentions["kind"] == "place", "value"].dropna())
    located = located.assign(n=[mentioned.get(p, 0) for p in located["place_id"]])
    fig = figure(9.0, 5.2)
    ax = fig.subplots()
    for feature, colour in FEATURE_COLOURS.items():
        rows = located[located["feature"] == feature]
        if not rows.empty:
            ax.scatter(rows["longitude"], rows["latitude"], s=[20 + 12 * n for n in rows["n"]], color=colour,
                       alpha=0.75, edgecolors="white", linewidths=0.6, label=feature, zorder=3)
    ax.set_xlabel("longitude (°)")
    ax.set_ylabel("latitude (°)")
    ax.set_aspect("equal", adjustable="datalim")
    ax.margins(0.12)
    ax.grid(color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.legend(loc="lower left", title="kind of place", markerscale=0.6)
    labels = []
    countries = located.dropna(subset=["country_iso3"]).groupby("country_iso3")[["longitude", "latitude"]].median()
    for iso3, row in countries.iterrows():
        labels.append((country_label(str(iso3)), row["longitude"], row["latitude"],
                       {"fontsize": 9, "color": "#7a7a7a", "fontweight": "bold", "zorder": 2}))
    ranked = located.sort_values(["n", "place_id"], ascending=[False, True]).head(MAX_PLACE_LABELS)
    for row in ranked.itertuples(index=False):
        labels.append((shorten(row.name, 28), row.longitude, row.latitude, {"fontsize": 7, "zorder": 4}))
    place_labels(fig, ax, labels)
    return fig


def place_labels(fig, ax, labels: list[tuple[str, float, float, dict]]) -> None:
    """Label points in the order given, each beside its point where it overlaps no earlier label; else left out."""
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    taken = [ax.get_legend().get_window_extent(renderer)]
    offsets = [((4, 3), "left", "bottom"), ((-4, 3), "right", "bottom"), ((4, -3), "left", "top"),
               ((-4, -3), "right", "top"), ((0, -12), "center", "top"), ((0, 8), "center", "bottom")]
    for text, x, y, style in labels:
        for offset, ha, va in offsets:
            label = ax.annotate(text, (x, y), xytext=offset, textcoords="offset points", ha=ha, va=va, **style)
            label.set_in_layout(False)
            box = label.get_window_extent(renderer)
            if not any(box.overlaps(other) for other in taken) and ax.bbox.contains(box.x0, box.y0) \
                    and ax.bbox.contains(box.x1, box.y1):
                taken.append(box)
                break
            label.remove()


def country_label(iso3: str) -> str:
    import pycountry

    country = pycountry.countries.get(alpha_3=iso3)
    return getattr(country, "common_name", None) or getattr(country, "name", iso3) if country else iso3


def draw_dates(mentions: pd.DataFrame, articles: pd.DataFrame):
    dates = mentions[mentions["kind"] == "date"] if not mentions.empty else mentions
    if dates.empty:
        return "This release has no date mentions."
    if "basis" in dates.columns:
        basis = dates["basis"].fillna("none")
        basis_label = "basis of the value"
    else:
        published = dict(zip(articles["article_id"], articles["published_basis"], strict=True))
        basis = dates["article_id"].map(lambda a: f"article date: {published.get(a) or 'unknown'}")
        basis_label = "anchor: how the article's publication date is known"
    resolved = dates["value"].map(lambda v: "resolved" if isinstance(v, str) and v else "unresolved")
    table = pd.DataFrame({"basis": basis.to_numpy(), "method": dates["method"].fillna("-").to_numpy(),
                          "state": resolved.to_numpy()})
    groups = [("basis", basis_label), ("method", "rule that read the expression")]
    sizes = [table[column].nunique() for column, _label in groups]
    fig = figure(9.0, 1.1 + 0.26 * sum(sizes))
    axes = fig.subplots(2, 1, gridspec_kw={"height_ratios": sizes})
    for ax, (column, label) in zip(axes, groups, strict=True):
        counts = table.groupby([column, "state"]).size()
        totals = table[column].value_counts()
        keys = sorted(totals.index, key=lambda k: (-int(totals[k]), k))
        stacked_barh(ax, keys, {s: [int(counts.get((k, s), 0)) for k in keys] for s in RESOLVED_COLOURS},
                     RESOLVED_COLOURS)
        ax.set_title(label)
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside right upper")
    axes[-1].set_xlabel("date mentions")
    return fig
