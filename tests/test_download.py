"""Downloading a release over real HTTP and from a folder: verification, skipping, resuming, refusing."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from flows.release.download import INCOMPLETE_MARKER, DownloadError, Limits, download_command, download_release
from flows.release.publish import publish_release

DAY = dt.date(2024, 5, 1)


def flat(text: str) -> str:
    """Command output with line wrapping undone."""
    return " ".join(text.split())


def quarantine_frame(reasons: list[str]) -> pd.DataFrame:
    return pd.DataFrame({
        "quarantine_id": [f"quarantine:{i:016x}" for i in range(len(reasons))],
        "source_path": ["x.txt"] * len(reasons),
        "line": [None] * len(reasons),
        "stage": ["ingest"] * len(reasons),
        "reason": reasons,
        "detail": ["d" * 5000] * len(reasons),
        "severity": ["error"] * len(reasons),
    })


class QuietHandler(SimpleHTTPRequestHandler):
    """The standard library's static server: ignores Range headers."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class RangeHandler(QuietHandler):
    """A static server that honours 'Range: bytes=N-' with 206 Partial Content."""

    def do_GET(self) -> None:  # noqa: N802
        match = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range", ""))
        path = Path(self.translate_path(self.path))
        if not match or not path.is_file():
            super().do_GET()
            return
        data = path.read_bytes()
        start = int(match.group(1))
        if start >= len(data):
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{len(data)}")
            self.end_headers()
            return
        self.send_response(206)
        self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        self.send_header("Content-Length", str(len(data) - start))
        self.end_headers()
        self.wfile.write(data[start:])


class WrongRangeHandler(QuietHandler):
    """A broken server: answers any Range request with 206 and the whole file."""

    def do_GET(self) -> None:  # noqa: N802
        path = Path(self.translate_path(self.path))
        if not self.headers.get("Range") or not path.is_file():
            super().do_GET()
            return
        data = path.read_bytes()
        self.send_response(206)
        self.send_header("Content-Range", f"bytes 0-{len(data) - 1}/{len(data)}")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture(scope="module")
def release_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two published versions built with the real publisher."""
    root = tmp_path_factory.mktemp("served")
    publish_release({"quarantine": quarantine_frame(["empty"])}, root, [], today=DAY)
    publish_release({"quarantine": quarantine_frame(["empty", "binary", "oversized"])}, root, [], today=DAY)
    return root


@pytest.fixture
def served(release_root: Path, tmp_path: Path) -> Path:
    """A fresh copy of the releases per test, so tests may tamper with it."""
    copy = tmp_path / "served"
    for path in release_root.rglob("*"):
        if path.is_file() and not path.name.startswith("."):
            target = copy / path.relative_to(release_root)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    return copy


def serve(folder: Path, handler: type[SimpleHTTPRequestHandler]) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def url(served: Path) -> Iterator[str]:
    yield from serve(served, QuietHandler)


@pytest.fixture
def range_url(served: Path) -> Iterator[str]:
    yield from serve(served, RangeHandler)


def catalog(folder: Path) -> dict:
    return json.loads((folder / "index.json").read_text())


def cli() -> typer.Typer:
    app = typer.Typer()
    app.command()(download_command)
    return app


def test_full_download_over_http_verifies_every_file(url: str, served: Path, tmp_path: Path) -> None:
    dest = tmp_path / "dest"
    report = download_release(url, "latest", dest)
    latest = catalog(served)["latest"]
    files = next(v for v in catalog(served)["versions"] if v["version"] == latest)["files"]
    assert report.version == latest == "2024.05.01.1"
    assert sorted(report.downloaded) == sorted(files)
    assert report.skipped == []
    for relative in files:
        assert (dest / latest / relative).read_bytes() == (served / latest / relative).read_bytes()
    assert not list((dest / latest).rglob("*.part"))


def test_named_version_and_unknown_version(url: str, tmp_path: Path) -> None:
    assert download_release(url, "2024.05.01", tmp_path).version == "2024.05.01"
    with pytest.raises(DownloadError, match=r"unknown version '1999.01.01'.*2024.05.01, 2024.05.01.1"):
        download_release(url, "1999.01.01", tmp_path)


def test_second_download_skips_everything(url: str, tmp_path: Path) -> None:
    first = download_release(url, "latest", tmp_path)
    second = download_release(url, "latest", tmp_path)
    assert second.downloaded == [] and second.bytes_fetched == 0
    assert sorted(second.skipped) == sorted(first.downloaded)


def test_tampered_file_on_server_is_refused(url: str, served: Path, tmp_path: Path) -> None:
    latest = catalog(served)["latest"]
    (served / latest / "quarantine.csv").write_bytes(b"quarantine_id\r\nforged\r\n")
    result = CliRunner().invoke(cli(), ["--source", url, "--dest", str(tmp_path)])
    assert result.exit_code == 1
    expected = catalog(served)["versions"][-1]["files"]["quarantine.csv"]
    assert "quarantine.csv" in flat(result.output) and expected in flat(result.output)
    assert not (tmp_path / latest / "quarantine.csv").exists()


def test_catalog_disagreeing_with_checksums_is_refused(url: str, served: Path, tmp_path: Path) -> None:
    index = catalog(served)
    index["versions"][-1]["files"]["quarantine.parquet"] = "0" * 64
    (served / "index.json").write_text(json.dumps(index))
    with pytest.raises(DownloadError, match=r"disagree on quarantine.parquet: catalog 0{64}, SHA256SUMS [0-9a-f]{64}"):
        download_release(url, "latest", tmp_path)


def test_tampered_checksum_list_is_refused(url: str, served: Path, tmp_path: Path) -> None:
    latest = catalog(served)["latest"]
    sums = served / latest / "SHA256SUMS"
    sums.write_text(sums.read_text().replace("quarantine.csv", "quarantine.csv\n" + "1" * 64 + "  extra.csv"))
    with pytest.raises(DownloadError, match=r"/SHA256SUMS: more than the \d+ bytes expected; refused"):
        download_release(url, "latest", tmp_path)
    index = catalog(served)
    del index["versions"][-1]["sizes"]  # a catalog from before sizes were recorded: the checksum decides
    (served / "index.json").write_text(json.dumps(index))
    with pytest.raises(DownloadError, match=r"checksum mismatch for .*/SHA256SUMS: expected sha256 [0-9a-f]{64}"):
        download_release(url, "latest", tmp_path)


def test_broken_catalog_is_refused(url: str, served: Path, tmp_path: Path) -> None:
    (served / "index.json").write_text("{not json")
    result = CliRunner().invoke(cli(), ["--source", url, "--dest", str(tmp_path)])
    assert result.exit_code == 1 and "not valid JSON" in flat(result.output)


@pytest.mark.parametrize("bad", ["../escape.csv", "/etc/passwd", "a/../../b.csv", "C:\\x.csv"])
def test_paths_escaping_destination_are_refused(served: Path, tmp_path: Path, bad: str) -> None:
    index = catalog(served)
    index["versions"][-1]["files"][bad] = "a" * 64
    (served / "index.json").write_text(json.dumps(index))
    with pytest.raises(DownloadError, match="escape the destination"):
        download_release(str(served), "latest", tmp_path / "dest")
    assert not (tmp_path / "escape.csv").exists()


def test_truncated_file_is_refetched_without_range_support(url: str, tmp_path: Path) -> None:
    report = download_release(url, "latest", tmp_path)
    target = report.folder / "quarantine.csv"
    full = target.read_bytes()
    target.write_bytes(full[: len(full) // 2])
    again = download_release(url, "latest", tmp_path)
    assert again.downloaded == ["quarantine.csv"] and again.resumed == []
    assert again.bytes_fetched == len(full) and target.read_bytes() == full


def test_partial_download_is_resumed_with_range(range_url: str, tmp_path: Path) -> None:
    report = download_release(range_url, "latest", tmp_path)
    target = report.folder / "quarantine.csv"
    full = target.read_bytes()
    target.unlink()
    (report.folder / "quarantine.csv.part").write_bytes(full[:1000])
    again = download_release(range_url, "latest", tmp_path)
    assert again.resumed == ["quarantine.csv"]
    assert again.bytes_fetched == len(full) - 1000 and target.read_bytes() == full
    assert not (report.folder / "quarantine.csv.part").exists()


def test_corrupt_partial_file_is_fetched_again_from_zero(range_url: str, tmp_path: Path) -> None:
    report = download_release(range_url, "latest", tmp_path)
    target = report.folder / "quarantine.csv"
    full = target.read_bytes()
    target.write_bytes(b"garbage that is not a prefix")
    again = download_release(range_url, "latest", tmp_path)
    assert again.downloaded == ["quarantine.csv"] and target.read_bytes() == full


def test_partial_answer_from_the_wrong_offset_is_not_appended(served: Path, tmp_path: Path) -> None:
    for url in serve(served, WrongRangeHandler):
        report = download_release(url, "latest", tmp_path)
        target = report.folder / "quarantine.csv"
        full = target.read_bytes()
        target.write_bytes(full[:10])
        again = download_release(url, "latest", tmp_path)
        assert again.downloaded == ["quarantine.csv"] and again.resumed == [] and target.read_bytes() == full


def test_local_folder_source(served: Path, tmp_path: Path) -> None:
    report = download_release(str(served), "latest", tmp_path)
    assert report.files == len(catalog(served)["versions"][-1]["files"])
    target = report.folder / "quarantine.parquet"
    full = target.read_bytes()
    target.write_bytes(full[:100])
    again = download_release(served.as_uri(), "latest", tmp_path)
    assert again.resumed == ["quarantine.parquet"] and target.read_bytes() == full


def test_command_prints_summary(url: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli(), ["--source", url, "--dest", str(tmp_path), "--version", "2024.05.01"])
    assert result.exit_code == 0, result.output
    assert "release 2024.05.01" in flat(result.output) and "verified" in flat(result.output)


class EndlessHandler(QuietHandler):
    """A hostile server: the catalog and checksum list as they are, every other file an endless stream."""

    def do_GET(self) -> None:  # noqa: N802
        if self.path.endswith(("index.json", "SHA256SUMS")):
            super().do_GET()
            return
        self.send_response(200)
        self.end_headers()
        try:
            for _ in range(4000):  # bounded: 256 MB at most, the client stops long before
                self.wfile.write(b"x" * 65536)
        except (BrokenPipeError, ConnectionResetError):
            pass


class DripHandler(QuietHandler):
    """A hostile server: the catalog as it is, every other file one byte a second."""

    def do_GET(self) -> None:  # noqa: N802
        if self.path.endswith("index.json"):
            super().do_GET()
            return
        self.send_response(200)
        self.send_header("Content-Length", "100000")
        self.end_headers()
        try:
            for _ in range(30):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(1)
        except (BrokenPipeError, ConnectionResetError):
            pass


def test_endless_stream_stops_at_the_recorded_size(served: Path, tmp_path: Path) -> None:
    files = catalog(served)["versions"][-1]
    for url in serve(served, EndlessHandler):
        with pytest.raises(DownloadError, match=r"more than the \d+ bytes expected; refused"):
            download_release(url, "latest", tmp_path)
    folder = tmp_path / files["version"]
    assert sum(p.stat().st_size for p in folder.rglob("*")) < 2 * sum(files["sizes"].values())
    assert not list(folder.glob("*.part"))
    assert (folder / INCOMPLETE_MARKER).exists()


def test_endless_stream_without_recorded_sizes_stops_at_the_cap(served: Path, tmp_path: Path) -> None:
    index = catalog(served)
    del index["versions"][-1]["sizes"]
    (served / "index.json").write_text(json.dumps(index))
    for url in serve(served, EndlessHandler):
        result = CliRunner().invoke(cli(), ["--source", url, "--dest", str(tmp_path), "--max-bytes", "200000"])
    assert result.exit_code == 1 and "more than the 200,000 bytes" in flat(result.output)
    assert sum(p.stat().st_size for p in tmp_path.rglob("*") if p.is_file()) < 400_000


def test_dripping_server_meets_the_deadline(served: Path, tmp_path: Path) -> None:
    begun = time.monotonic()
    for url in serve(served, DripHandler):
        with pytest.raises(DownloadError, match="abandoned"):
            download_release(url, "latest", tmp_path, limits=Limits(deadline=2.5, timeout=2))
    assert time.monotonic() - begun < 10


def test_partial_release_is_marked_until_complete(url: str, served: Path, tmp_path: Path) -> None:
    latest = catalog(served)["latest"]
    good = (served / latest / "quarantine.csv").read_bytes()
    (served / latest / "quarantine.csv").write_bytes(b"quarantine_id\r\nforged\r\n")
    with pytest.raises(DownloadError):
        download_release(url, "latest", tmp_path)
    folder = tmp_path / latest
    assert (folder / INCOMPLETE_MARKER).exists()
    from flows.release.verify import validate_release

    assert any(f.check == "download" and not f.ok for f in validate_release(folder))
    (served / latest / "quarantine.csv").write_bytes(good)
    download_release(url, "latest", tmp_path)
    assert not (folder / INCOMPLETE_MARKER).exists()


def test_named_pipe_in_a_folder_source_does_not_block(served: Path, tmp_path: Path) -> None:
    import os

    latest = catalog(served)["latest"]
    (served / latest / "quarantine.csv").unlink()
    os.mkfifo(served / latest / "quarantine.csv")
    with pytest.raises(DownloadError, match="not a regular file"):
        download_release(str(served), "latest", tmp_path)
