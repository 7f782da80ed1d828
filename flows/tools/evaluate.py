"""Score a release against gold annotations (the `tests/gold/` format).

The gold folder holds `quotes.jsonl`, `events.jsonl`, `dates.jsonl`, `places.jsonl` and `actors.jsonl`
(see `tests/gold/README.md`); a missing file means that table is not scored. The documents scored are
every `doc` named in any gold file; a release article belongs to a gold document when its `source_path`
(or the file name of it) equals the `doc`. Predictions about other articles are ignored; a gold document
absent from the release makes all its gold items misses. A table absent from the release counts as empty.

Texts and names are compared after `normalise` (Unicode NFKC, lower case, hyphens and dashes as spaces,
other punctuation dropped, whitespace collapsed), so 'U.S.' equals 'US' and 'Washington, D.C.' equals
'Washington DC'. Matching is one-to-one and greedy, best candidate pairs first:

- quotes: same document, and the gold `quote_head` is a word-prefix of the predicted text, or the
  predicted text is a word-prefix of the head (short quotes). Speaker accuracy on matched quotes: the
  predicted `speaker_name`, or the name or an alias of `speaker_actor_id`, equals the gold speaker or one
  of its gold surface forms, or `speaker_actor_id` is an actor the gold speaker stands for (as for
  events); any of them when the gold gives a list; both null also counts as correct.
- dates, places: date (place) mentions of the document, one per distinct normalised text (metonymic place
  mentions excluded), match a gold line when the texts are equal or one contains the other as whole words;
  an unmatched prediction that overlaps an already matched gold line this way ('Earlier Monday' beside
  'Monday') is a duplicate, counted apart and not as a false positive. Value accuracy: dates, the ISO
  value is equal (null == null); places, the place of the mention (`value` -> `places.place_id`) has the
  gold name, or lists it among its `aliases` when the table has such a column, or its name is the part of
  the gold name before the first comma ('Arlington' for 'Arlington, Virginia') with the same country.
  Country accuracy: `country_iso3` equals the gold country.
- events: same document and type, and the predicted source and target actors together share at least one
  actor with the gold source and target together (a gold event with neither matches on type alone, last).
  A gold name stands for the predicted actors whose name or aliases equal it, or, when there is none,
  equal one of its gold surface forms. A gold state (the gold treats a state and its government as one
  actor) also stands for every predicted `state` or `government` actor of its country whose name or
  aliases include one of its gold names, or that is named 'Government of <state>'; a ministry with a name
  of its own does not. An unmatched prediction sharing a `cluster_id` with a matched one in the same
  article is a duplicate report of a found event: it is counted apart and not as a false positive. Date
  accuracy: `event_date` equals the gold date (null == null); status accuracy likewise.
- actor linking: every occurrence of a gold surface form in the article text (longest forms first, whole
  words, case-sensitive) should lie under an actor mention whose actor the gold canonical name stands for
  (as for events). Occurrences the release marks as a (non-metonymic) place, where the same text is a gold
  place of that document, are skipped: the gold cannot tell which occurrence is which.

Precision is undefined (None) with no predictions, recall with no gold items; F1 is 0 when either is 0.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from flows.tools.gold import (
    RELEASE_TABLES,
    Context,
    Row,
    as_list,
    contains_words,
    greedy,
    load_gold,
    load_release,
    normalise,
    prf,
    resolve_release_dir,
    share,
    word_prefix,
)

MISS_LIMIT = 200


def _table_result(n_gold: int, n_pred: int, n_matched: int, false_negatives: list[Row],
                  false_positives: list[Row], **extra: Any) -> Row:
    return {"gold": n_gold, "predicted": n_pred, "matched": n_matched, **prf(n_gold, n_pred, n_matched),
            **extra, "false_negatives": false_negatives[:MISS_LIMIT],
            "false_positives": false_positives[:MISS_LIMIT]}


# ---------------------------------------------------------------- tables


def score_quotes(gold: list[Row], ctx: Context, quotes: list[Row]) -> Row:
    """Quotes matched by document and opening words; speaker accuracy on the matches."""
    preds = ctx.predicted(quotes)
    heads = [normalise(row["quote_head"]) for row in gold]
    texts = [normalise(row.get("text")) for _doc, row in preds]
    pairs = []
    for g, row in enumerate(gold):
        for p, (doc, _pred) in enumerate(preds):
            if doc == row["doc"] and (word_prefix(heads[g], texts[p]) or word_prefix(texts[p], heads[g])):
                pairs.append((float(min(len(heads[g]), len(texts[p]))), g, p))
    matches = greedy(pairs)
    right, wrong = 0, []
    by_kind: dict[str, list[int]] = {}
    for g, p in matches.items():
        expected = gold[g]["speaker"]
        pred = preds[p][1]
        ok = _speaker_ok(expected, pred, ctx)
        if gold[g].get("speaker_kind"):
            tally = by_kind.setdefault(gold[g]["speaker_kind"], [0, 0])
            tally[0] += ok
            tally[1] += 1
        if ok:
            right += 1
        else:
            wrong.append({"doc": gold[g]["doc"], "text": gold[g]["quote_head"], "expected": expected,
                          "got": pred.get("speaker_name") or pred.get("speaker_actor_id")})
    matched_preds = set(matches.values())
    return _table_result(
        len(gold), len(preds), len(matches),
        [{"doc": row["doc"], "text": row["quote_head"], "speaker": row["speaker"]}
         for g, row in enumerate(gold) if g not in matches],
        [{"doc": doc, "text": (row.get("text") or "")[:100], "speaker": row.get("speaker_name")}
         for p, (doc, row) in enumerate(preds) if p not in matched_preds],
        speaker_accuracy=share(right, len(matches)), wrong_values=wrong,
        speaker_by_kind={kind: {"right": r, "matched": n, "accuracy": share(r, n)}
                         for kind, (r, n) in sorted(by_kind.items())})


def without_article(name: str) -> str:
    """A normalised name without a leading article: 'a Jordanian diplomat' is the 'Jordanian diplomat'."""
    return re.sub(r"^(?:a|an|the) ", "", name)


def _speaker_ok(expected: str | list[str] | None, pred: Row, ctx: Context) -> bool:
    got = {normalise(pred.get("speaker_name"))} | ctx.actor_names(pred.get("speaker_actor_id"))
    got = {without_article(name) for name in got} - {""}
    names = [name for name in as_list(expected) if name]
    if not names:
        return not got
    return any({without_article(n) for n in ctx.accepted_names(name)} & got
               or pred.get("speaker_actor_id") in ctx.ids_for(name) for name in names)


def _dedupe_mentions(rows: list[tuple[str, Row]]) -> list[tuple[str, Row]]:
    seen: set[tuple[str, str]] = set()
    kept = []
    for doc, row in rows:
        key = (doc, normalise(row.get("text")))
        if key[1] and key not in seen:
            seen.add(key)
            kept.append((doc, row))
    return kept


def _match_surface(gold: list[Row], preds: list[tuple[str, Row]]) -> tuple[dict[int, int], set[int]]:
    """Greedy matches, and the predictions that had some candidate (the unmatched ones are duplicates)."""
    golds = [normalise(row["text"]) for row in gold]
    texts = [normalise(row.get("text")) for _doc, row in preds]
    pairs = []
    for g, row in enumerate(gold):
        for p, (doc, _pred) in enumerate(preds):
            if doc != row["doc"]:
                continue
            if golds[g] == texts[p]:
                pairs.append((2.0, g, p))
            elif contains_words(golds[g], texts[p]) or contains_words(texts[p], golds[g]):
                pairs.append((1.0, g, p))
    return greedy(pairs), {p for _score, _g, p in pairs}


def _surface_result(gold: list[Row], preds: list[tuple[str, Row]], value_ok: Callable[[Row, Row], bool],
                    describe: Callable[[Row], Any], **extra: Callable[[Row, Row], bool]) -> Row:
    matches, candidates = _match_surface(gold, preds)
    matched_preds = set(matches.values())
    duplicates = candidates - matched_preds
    right, wrong = 0, []
    for g, p in matches.items():
        if value_ok(gold[g], preds[p][1]):
            right += 1
        else:
            wrong.append({"doc": gold[g]["doc"], "text": gold[g]["text"], "expected": describe(gold[g]),
                          "got": preds[p][1].get("value")})
    figures = {key: share(sum(check(gold[g], preds[p][1]) for g, p in matches.items()), len(matches))
               for key, check in extra.items()}
    return _table_result(
        len(gold), len(preds) - len(duplicates), len(matches),
        [{"doc": row["doc"], "text": row["text"], "expected": describe(row)}
         for g, row in enumerate(gold) if g not in matches],
        [{"doc": doc, "text": row.get("text"), "got": row.get("value")}
         for p, (doc, row) in enumerate(preds) if p not in matched_preds and p not in duplicates],
        duplicates=len(duplicates), value_accuracy=share(right, len(matches)), **figures, wrong_values=wrong)


def gold_kind(row: Row) -> str:
    """The kind of a gold date line: `date` (the default), `duration` or `time`."""
    return row.get("kind") or "date"


def predicted_kind(row: Row) -> str:
    """The kind of a predicted temporal mention: a date of minute precision is a clock time."""
    if row.get("kind") == "date" and row.get("precision") == "minute":
        return "time"
    return str(row.get("kind"))


def _same_value(gold: Row, pred: Row) -> bool:
    """Equal ISO values; a clock time compares its time of day ('T14:15Z' against '2023-06-28T14:15Z')."""
    expected, got = gold.get("value") or None, pred.get("value") or None
    if gold_kind(gold) == "time" and expected and got and "T" in got:
        return got[got.index("T"):] == expected[expected.index("T"):] if "T" in expected else False
    return expected == got


def score_dates(gold: list[Row], ctx: Context, mentions: list[Row], kind: str = "date") -> Row:
    """Date (duration, time) mentions matched by surface text; value accuracy on the matches."""
    rows = [row for row in mentions if row.get("kind") in ("date", "duration") and predicted_kind(row) == kind]
    preds = _dedupe_mentions(ctx.predicted(rows))
    return _surface_result([row for row in gold if gold_kind(row) == kind], preds, _same_value,
                           lambda g: g.get("value"))


def _place_name_ok(gold: Row, place: Row | None) -> bool:
    if place is None:
        return False
    expected = normalise(gold.get("name"))
    names = {normalise(place.get("name")), *(normalise(a) for a in as_list(place.get("aliases")))}
    if expected in names:
        return True
    head = normalise((gold.get("name") or "").split(",")[0])
    return "," in (gold.get("name") or "") and head == normalise(place.get("name")) and (
        (gold.get("country") or None) == (place.get("country_iso3") or None))


def score_places(gold: list[Row], ctx: Context, mentions: list[Row]) -> Row:
    """Place mentions (metonyms excluded) matched by surface text; name and country accuracy."""
    rows = [row for row in mentions if row.get("kind") == "place" and not row.get("is_metonym")]
    preds = _dedupe_mentions(ctx.predicted(rows))

    def country_ok(g: Row, p: Row) -> bool:
        place = ctx.places.get(p.get("value") or "")
        return place is not None and (g.get("country") or None) == (place.get("country_iso3") or None)

    return _surface_result(
        gold, preds, lambda g, p: _place_name_ok(g, ctx.places.get(p.get("value") or "")),
        lambda g: f"{g.get('name')} ({g.get('country')})", country_accuracy=country_ok)


def _event_text(kind: str, source: Iterable[str], target: Iterable[str], date: Any, status: Any) -> str:
    return f"{kind} {', '.join(source) or '-'} -> {', '.join(target) or '-'} ({date or 'no date'}, {status})"


def _event_pairs(gold: list[Row], ctx: Context, preds: list[tuple[str, Row]], same_type: bool
                 ) -> list[tuple[float, int, int]]:
    """Candidate (score, gold, prediction) pairs: same document, overlapping participants (and type)."""
    pred_ids = [set(as_list(row.get("source_actor_ids"))) | set(as_list(row.get("target_actor_ids")))
                for _doc, row in preds]
    pairs = []
    for g, row in enumerate(gold):
        wanted: set[str] = set()
        for name in as_list(row.get("source")) + as_list(row.get("target")):
            wanted |= ctx.ids_for(name)
        for p, (doc, pred) in enumerate(preds):
            if doc != row["doc"] or (same_type and pred.get("event_type") != row["type"]):
                continue
            shared = wanted & pred_ids[p]
            if not shared and (wanted or row.get("source") or row.get("target")):
                continue
            score = len(shared) / len(wanted | pred_ids[p]) if shared else 0.0
            score += 0.01 * (pred.get("status") == row.get("status"))
            score += 0.01 * ((pred.get("event_date") or None) == (row.get("date") or None))
            score += 0.1 * (pred.get("event_type") == row["type"])
            pairs.append((score, g, p))
    return pairs


def score_events(gold: list[Row], ctx: Context, events: list[Row]) -> Row:
    """Events matched by document, type and overlapping participants; date and status accuracy.

    Type accuracy is measured apart: gold and predicted events paired by document and participants
    alone, the share of pairs with the same type.
    """
    preds = ctx.predicted(events)
    matches = greedy(_event_pairs(gold, ctx, preds, same_type=True))
    typed = greedy(_event_pairs(gold, ctx, preds, same_type=False))
    type_right = sum(preds[p][1].get("event_type") == gold[g]["type"] for g, p in typed.items())
    confusions = [{"doc": gold[g]["doc"], "text": _gold_event_text(gold[g]), "expected": gold[g]["type"],
                   "got": preds[p][1].get("event_type"), "evidence": (preds[p][1].get("evidence") or "")[:120]}
                  for g, p in sorted(typed.items()) if preds[p][1].get("event_type") != gold[g]["type"]]
    matched_preds = set(matches.values())
    clusters = {(preds[p][0], preds[p][1].get("cluster_id")) for p in matched_preds
                if preds[p][1].get("cluster_id")}
    duplicates = {p for p, (doc, row) in enumerate(preds)
                  if p not in matched_preds and row.get("cluster_id") and (doc, row["cluster_id"]) in clusters}
    dates_right, status_right, wrong = 0, 0, []
    by_basis: dict[str, list[int]] = {}
    for g, p in matches.items():
        pred = preds[p][1]
        date_ok = (pred.get("event_date") or None) == (gold[g].get("date") or None)
        status_ok = pred.get("status") == gold[g].get("status")
        tally = by_basis.setdefault(gold[g].get("date_basis") or ("none" if not gold[g].get("date") else "text"),
                                    [0, 0])
        tally[0] += date_ok
        tally[1] += 1
        dates_right += date_ok
        status_right += status_ok
        if not (date_ok and status_ok):
            wrong.append({"doc": gold[g]["doc"], "text": _gold_event_text(gold[g]),
                          "expected": f"{gold[g].get('date')}, {gold[g].get('status')}",
                          "got": f"{pred.get('event_date')} ({pred.get('date_basis') or '-'}), {pred.get('status')}",
                          "evidence": (pred.get("evidence") or "")[:120]})
    false_positives = [
        {"doc": doc, "text": _event_text(row.get("event_type") or "?",
                                         [ctx.label(a) for a in as_list(row.get("source_actor_ids"))],
                                         [ctx.label(a) for a in as_list(row.get("target_actor_ids"))],
                                         row.get("event_date"), row.get("status")),
         "evidence": (row.get("evidence") or "")[:120]}
        for p, (doc, row) in enumerate(preds) if p not in matched_preds and p not in duplicates]
    return _table_result(
        len(gold), len(preds) - len(duplicates), len(matches),
        [{"doc": row["doc"], "text": _gold_event_text(row)} for g, row in enumerate(gold) if g not in matches],
        false_positives, duplicates=len(duplicates), date_accuracy=share(dates_right, len(matches)),
        status_accuracy=share(status_right, len(matches)), type_accuracy=share(type_right, len(typed)),
        date_by_basis={basis: {"right": r, "matched": n, "accuracy": share(r, n)}
                       for basis, (r, n) in sorted(by_basis.items())}, wrong_values=wrong,
        type_confusions=confusions)


def _gold_event_text(row: Row) -> str:
    return _event_text(row["type"], as_list(row.get("source")), as_list(row.get("target")),
                       row.get("date"), row.get("status"))


def score_actor_linking(gold: dict[str, list[Row] | None], ctx: Context, mentions: list[Row]) -> Row | None:
    """Share of gold surface-form occurrences under an actor mention linked to the right actor."""
    if not ctx.gold_actors or not ctx.text_of:
        return None
    forms = sorted(((form, name) for name, row in ctx.gold_actors.items()
                    for form in row.get("surface_forms") or [] if form),
                   key=lambda item: (-len(item[0]), item[0]))
    gold_places: dict[str, set[str]] = defaultdict(set)
    for row in gold.get("places") or []:
        gold_places[row["doc"]].add(normalise(row["text"]))
    by_doc: dict[str, list[Row]] = defaultdict(list)
    for doc, row in ctx.predicted([row for row in mentions if row.get("kind") in ("actor", "place")]):
        by_doc[doc].append(row)
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    skipped, misses = 0, []
    for doc, text in sorted(ctx.text_of.items()):
        taken: list[tuple[int, int]] = []
        for form, name in forms:
            for hit in re.finditer(r"(?<!\w)" + re.escape(form) + r"(?!\w)", text):
                start, end = hit.span()
                if any(start < e and s < end for s, e in taken):
                    continue
                taken.append((start, end))
                over = [m for m in by_doc[doc] if (m.get("char_start") or 0) < end and start < (m.get("char_end") or 0)]
                if normalise(form) in gold_places[doc] and any(
                        m.get("kind") == "place" and not m.get("is_metonym") for m in over):
                    skipped += 1
                    continue
                kind = ctx.gold_actors[name].get("kind") or "unknown"
                linked = any(m.get("kind") == "actor" and m.get("value") in ctx.ids_for(name) for m in over)
                totals[kind][0] += 1
                totals[kind][1] += linked
                if not linked:
                    got = [ctx.label(m["value"]) for m in over if m.get("kind") == "actor" and m.get("value")]
                    misses.append({"doc": doc, "text": form, "char_start": start, "expected": name,
                                   "got": ", ".join(got) or None})
    occurrences = sum(total for total, _ in totals.values())
    linked_all = sum(hits for _, hits in totals.values())
    return {"occurrences": occurrences, "linked": linked_all, "rate": share(linked_all, occurrences),
            "skipped_as_place": skipped,
            "by_kind": {kind: {"occurrences": total, "linked": hits, "rate": share(hits, total)}
                        for kind, (total, hits) in sorted(totals.items())},
            "misses": misses[:MISS_LIMIT]}


# ---------------------------------------------------------------- entry points


def evaluate_release(release_dir: Path, gold_dir: Path) -> dict:
    """Score the release in `release_dir` against the gold folder `gold_dir`."""
    release = load_release(Path(release_dir))
    return evaluate_tables(release, gold_dir, str(resolve_release_dir(Path(release_dir))))


def evaluate_tables(release: dict[str, list[Row]], gold_dir: Path, label: str) -> dict:
    """Score tables (rows per table, as a release holds them) against the gold folder `gold_dir`."""
    gold = load_gold(Path(gold_dir))
    release = {name: release.get(name, []) for name in RELEASE_TABLES}
    ctx = Context(gold, release)
    tables: dict[str, Row] = {}
    if gold["quotes"] is not None:
        tables["quotes"] = score_quotes(gold["quotes"], ctx, release["quotes"])
    if gold["events"] is not None:
        tables["events"] = score_events(gold["events"], ctx, release["events"])
    if gold["dates"] is not None:
        tables["dates"] = score_dates(gold["dates"], ctx, release["mentions"])
        for kind in ("duration", "time"):
            if any(gold_kind(row) == kind for row in gold["dates"]):
                tables[f"{kind}s"] = score_dates(gold["dates"], ctx, release["mentions"], kind)
    if gold["places"] is not None:
        tables["places"] = score_places(gold["places"], ctx, release["mentions"])
    return {
        "gold_dir": str(gold_dir),
        "release_dir": label,
        "documents": {"gold": len(ctx.docs), "found": len(ctx.docs) - len(ctx.missing_docs),
                      "missing": ctx.missing_docs},
        "tables": tables,
        "publication_dates": score_publication_dates(gold.get("articles"), ctx, release["articles"]),
        "actor_linking": score_actor_linking(gold, ctx, release["mentions"]),
    }


def score_publication_dates(gold: list[Row] | None, ctx: Context, articles: list[Row]) -> Row | None:
    """Share of gold documents whose publication date (and its basis) the release got right."""
    if not gold:
        return None
    predicted = {ctx.doc_of[row["article_id"]]: row for row in articles if row.get("article_id") in ctx.doc_of}
    date_right = basis_right = 0
    wrong = []
    for row in gold:
        pred = predicted.get(row["doc"], {})
        date_ok = (pred.get("published_date") or None) == (row.get("published_date") or None)
        basis_ok = pred.get("published_basis") == row.get("published_basis")
        date_right += date_ok
        basis_right += basis_ok
        if not (date_ok and basis_ok):
            wrong.append({"doc": row["doc"], "text": "publication date",
                          "expected": f"{row.get('published_date')} ({row.get('published_basis')})",
                          "got": f"{pred.get('published_date')} ({pred.get('published_basis')})"})
    return {"documents": len(gold), "date_accuracy": share(date_right, len(gold)),
            "basis_accuracy": share(basis_right, len(gold)), "wrong_values": wrong}


ACCURACY_KEYS = {"quotes": (("speaker", "speaker_accuracy"),), "dates": (("value", "value_accuracy"),),
                 "durations": (("value", "value_accuracy"),), "times": (("value", "value_accuracy"),),
                 "places": (("name", "value_accuracy"), ("country", "country_accuracy")),
                 "events": (("type", "type_accuracy"), ("date", "date_accuracy"), ("status", "status_accuracy"))}
BREAKDOWNS = {"quotes": ("speaker_by_kind", "speaker right by gold speaker kind"),
              "events": ("date_by_basis", "event date right by gold date basis")}


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def format_report(report: dict, verbose: bool = False) -> str:
    """Human-readable report; `verbose` lists misses and wrong values per table."""
    docs = report["documents"]
    lines = [f"Release {report['release_dir']} against gold {report['gold_dir']}",
             f"documents: {docs['gold']} in gold, {docs['found']} in release"
             + (f"; missing: {', '.join(docs['missing'])}" if docs["missing"] else ""), "",
             f"{'table':<9} {'gold':>5} {'pred':>5} {'match':>5} {'P':>6} {'R':>6} {'F1':>6}  accuracy"]
    for name, result in report["tables"].items():
        accuracy = ", ".join(f"{label} {_num(result.get(key))}" for label, key in ACCURACY_KEYS.get(name, ()))
        if result.get("duplicates"):
            count = result["duplicates"]
            accuracy += f" ({count} duplicate{'' if count == 1 else 's'} not counted)"
        lines.append(f"{name:<9} {result['gold']:>5} {result['predicted']:>5} {result['matched']:>5} "
                     f"{_num(result['precision']):>6} {_num(result['recall']):>6} {_num(result['f1']):>6}  "
                     f"{accuracy}")
    for name, (key, title) in BREAKDOWNS.items():
        parts = report["tables"].get(name, {}).get(key) or {}
        if parts:
            lines.append(f"{title}: " + ", ".join(f"{kind} {_num(item['accuracy'])} ({item['right']}/{item['matched']})"
                                                  for kind, item in parts.items()))
    published = report.get("publication_dates")
    if published:
        lines.append(f"publication dates: {published['documents']} documents, date right "
                     f"{_num(published['date_accuracy'])}, basis right {_num(published['basis_accuracy'])}")
    linking = report.get("actor_linking")
    if linking:
        kinds = ", ".join(f"{kind} {_num(item['rate'])} ({item['linked']}/{item['occurrences']})"
                          for kind, item in linking["by_kind"].items())
        lines += ["", f"actor linking: {linking['linked']}/{linking['occurrences']} gold surface-form "
                  f"occurrences linked ({_num(linking['rate'])}); {kinds}"]
    if verbose:
        for name, result in report["tables"].items():
            for key, title in (("false_negatives", "missed (in gold, not in release)"),
                               ("false_positives", "spurious (in release, not in gold)"),
                               ("wrong_values", "matched, wrong value"),
                               ("type_confusions", "paired by participants, wrong type")):
                items = result.get(key) or []
                if items:
                    lines += ["", f"{name}: {title}: {len(items)}"]
                    lines += [f"  {_describe(item)}" for item in items]
        if published and published["wrong_values"]:
            lines += ["", f"publication dates: wrong: {len(published['wrong_values'])}"]
            lines += [f"  {_describe(item)}" for item in published["wrong_values"]]
        if linking and linking["misses"]:
            lines += ["", f"actor linking: not linked: {len(linking['misses'])}"]
            lines += [f"  {_describe(item)}" for item in linking["misses"]]
    return "\n".join(lines)


def _describe(item: Row) -> str:
    text = f"{item.get('doc')}: {item.get('text')!r}"
    for key in ("speaker", "expected", "got", "evidence"):
        if key in item:
            text += f"  {key}={item[key]!r}"
    return text


def run_evaluate(gold_dir: Path, release_dir: Path, as_json: bool = False, verbose: bool = False) -> str:
    """Evaluate and render: the report dict as JSON, or the text report."""
    report = evaluate_release(Path(release_dir), Path(gold_dir))
    if as_json:
        return json.dumps(report, indent=2, ensure_ascii=False)
    return format_report(report, verbose)
