"""Raw inputs from the hostile-input review, each a function that writes one case into a raw folder.

`expected_inputs` lists, independently of the ingest code, every input a raw folder holds, so tests can
check that each one ends up in `articles` or in `quarantine`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

GOOD = "Delegations from the two neighbours met in Doha on Monday and agreed to continue talks next month."
RUSSIAN = ("Министры иностранных дел двух стран встретились в понедельник в Дохе и договорились продолжить "
           "переговоры в следующем месяце, сообщили официальные лица.")


def text(stem: str) -> str:
    """A good English text, different for every stem (so cases are not all duplicates of each other)."""
    return f"{GOOD} The {stem.replace('_', ' ')} round ended late."


def _good(raw: Path, stem: str) -> None:
    (raw / f"{stem}.txt").write_text(text(stem))


def _latin1(raw: Path, stem: str) -> None:
    (raw / f"{stem}.txt").write_bytes(f"Café Müller, São Paulo, José Núñez: {text(stem)}".encode("latin-1"))


def _utf16(raw: Path, stem: str) -> None:
    (raw / f"{stem}.txt").write_bytes(text(stem).encode("utf-16"))


def _utf32(raw: Path, stem: str) -> None:
    (raw / f"{stem}.txt").write_bytes(text(stem).encode("utf-32"))


def _damaged_utf8(raw: Path, stem: str) -> None:
    (raw / f"{stem}.txt").write_bytes(("“Yes,” she said. " + text(stem)).encode().replace(b"Doha", b"Do\xffha"))


def _cyrillic(raw: Path, stem: str) -> None:
    (raw / f"{stem}.txt").write_bytes((RUSSIAN + " " + stem).encode("cp1251"))


def _empty(raw: Path, stem: str) -> None:
    (raw / f"{stem}.txt").write_bytes(b"")


def _binary(raw: Path, stem: str) -> None:
    (raw / f"{stem}.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)))


def _deep_feed(raw: Path, stem: str) -> None:
    lines = [json.dumps({"text": text(stem)}), "[" * 100_000 + "]" * 100_000, '{"text": ' + "{" * 5000]
    (raw / f"{stem}.jsonl").write_text("\n".join(lines))


def _feed_bad_metadata(raw: Path, stem: str) -> None:
    line = {"text": text(stem), "published_date": "31/02/2024", "title": ["x"], "url": "not a url",
            "language": "?" * 100, "outlet": "O" * 10_000}
    (raw / f"{stem}.jsonl").write_text(json.dumps(line) + "\n" + json.dumps({"title": "no text"}) + "\n")


def _deep_sidecar(raw: Path, stem: str) -> None:
    _good(raw, stem)
    (raw / f"{stem}.meta.json").write_text('{"title": ' + "[" * 20_000 + "]" * 20_000 + "}")


def _bad_sidecar_keys(raw: Path, stem: str) -> None:
    _good(raw, stem)
    (raw / f"{stem}.meta.json").write_text(json.dumps({
        "title": 1, "outlet": None, "url": "ftp:/x", "published_date": "soon", "language": "", "licence": [1]}))


def _pipe_sidecar(raw: Path, stem: str) -> None:
    _good(raw, stem)
    os.mkfifo(raw / f"{stem}.meta.json")


def _pipe_text(raw: Path, stem: str) -> None:
    os.mkfifo(raw / f"{stem}.txt")


def _symlink_outside(raw: Path, stem: str) -> None:
    outside = raw.parent / f"outside-{stem}.txt"
    outside.write_text(text(stem))
    (raw / f"{stem}.txt").symlink_to(outside)


def _symlink_inside(raw: Path, stem: str) -> None:
    _good(raw, stem + "_target")
    (raw / f"{stem}.txt").symlink_to(raw / f"{stem}_target.txt")


def _symlink_loop(raw: Path, stem: str) -> None:
    (raw / f"{stem}.txt").symlink_to(raw / f"{stem}.txt")


def _name_not_utf8(raw: Path, stem: str) -> None:
    with open(os.path.join(os.fsencode(raw), os.fsencode(stem) + b"-\xff\xfe.txt"), "w", encoding="utf-8") as handle:
        handle.write(text(stem))


def _huge_title_sidecar(raw: Path, stem: str) -> None:
    _good(raw, stem)
    (raw / f"{stem}.meta.json").write_text(json.dumps({"title": "T" * 1_000_000}))


def _orphan_sidecar(raw: Path, stem: str) -> None:
    (raw / f"{stem}.meta.json").write_text("{}")


def _unsupported(raw: Path, stem: str) -> None:
    (raw / f"{stem}.docx").write_bytes(b"PK\x03\x04")


def _nested(raw: Path, stem: str) -> None:
    (raw / stem / "deeper").mkdir(parents=True)
    _good(raw / stem / "deeper", stem)


def _html(raw: Path, stem: str) -> None:
    body = " ".join([text(stem)] * 3)
    (raw / f"{stem}.html").write_text(f"<html><head><title>{stem}</title><script>x()</script></head>"
                                      f"<body><article><p>{body}</p></article></body></html>")


def _long_line(raw: Path, stem: str) -> None:
    (raw / f"{stem}.txt").write_text("word " * 60_000)


def _surrogate_escapes(raw: Path, stem: str) -> None:
    line = '{"text": "' + text(stem) + ' \\udcff end", "title": "bad \\ud800 title"}'
    (raw / f"{stem}.jsonl").write_text(line + "\n")
    _good(raw, stem + "_side")
    (raw / f"{stem}_side.meta.json").write_text('{"outlet": "\\udfff"}')


def _duplicate(raw: Path, stem: str) -> None:
    (raw / f"{stem}.txt").write_text(GOOD + " Always the same text.")


CASES: dict[str, Callable[[Path, str], None]] = {
    name.lstrip("_"): function for name, function in dict(globals()).items()
    if name.startswith("_") and not name.startswith("__") and callable(function)
}


def expected_inputs(raw: Path) -> set[str]:
    """Every input under raw, as its published (escaped) path: files of any kind and links, not followed;
    hidden names and README.md skipped; a sidecar only when no text file sits beside it."""
    found = set()
    for folder, dirs, files in os.walk(os.fsencode(raw)):
        names = set(dirs) | set(files)
        for name in sorted(names):
            path = os.path.join(folder, name)
            if name.startswith(b".") or name == b"README.md":
                continue
            if name in dirs and not os.path.islink(path):
                continue
            if name.endswith(b".meta.json") and any(name[:-10] + ext in names for ext in (b".txt", b".html", b".htm")):
                continue
            found.add(os.path.relpath(path, os.fsencode(raw)).decode("utf-8", "backslashreplace"))
        dirs[:] = [d for d in dirs if not d.startswith(b".") and not os.path.islink(os.path.join(folder, d))]
    return found


def published_inputs(articles_paths: list[str], quarantine_paths: list[str]) -> set[str]:
    """The raw inputs a release accounts for: feed lines count for their feed."""
    return {path.split("#", 1)[0] for path in articles_paths} | set(quarantine_paths)
