"""Download a published release and prove it is the one the catalog describes.

A source is either an http(s) URL or a local folder laid out like `output/`: `index.json` plus one
folder per version. Every file is checked twice (against the catalog's sha256 and against the release's
own SHA256SUMS), written through a temporary file and renamed into place only when correct, so a
download that fails or is interrupted never leaves a wrong file under its real name. Files already
present and correct are skipped; partial files are resumed with an HTTP Range request when the server
allows it, else fetched again.

Nothing a source sends can fill the disk or hang the client: a file stops at the size the catalog
records (catalogs without sizes: at `--max-bytes`), the catalog and checksum list at a few MiB, and each
file must arrive within `--file-deadline` seconds. While a release folder is being filled it holds a
`DOWNLOAD-INCOMPLETE` file, removed only when every file is verified, so a partial folder is never
taken for a release.
"""

from __future__ import annotations

import json
import os
import re
import stat
import time
import urllib.error
import urllib.parse
import urllib.request
import urllib.response
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Annotated, BinaryIO, Protocol

import typer

from flows.ids import sha256_file

INDEX_FILE = "index.json"
SUMS_FILE = "SHA256SUMS"
PART_SUFFIX = ".part"
CHUNK = 1 << 16
TIMEOUT_SECONDS = 60
FILE_DEADLINE_SECONDS = 900.0
MAX_FILE_BYTES = 2 << 30  # files of a catalog that records no sizes
MAX_LIST_BYTES = 16 << 20  # index.json and SHA256SUMS
INCOMPLETE_MARKER = "DOWNLOAD-INCOMPLETE"
HEX64 = re.compile(r"^[0-9a-f]{64}$")

Progress = Callable[[str, str], None]


class DownloadError(RuntimeError):
    """The catalog or a file does not match what was published, or cannot be fetched."""


@dataclass(frozen=True)
class Limits:
    """How much and how long one file may take."""

    max_bytes: int = MAX_FILE_BYTES
    deadline: float = FILE_DEADLINE_SECONDS
    timeout: float = TIMEOUT_SECONDS


@dataclass
class DownloadReport:
    version: str
    folder: Path
    downloaded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    resumed: list[str] = field(default_factory=list)
    bytes_fetched: int = 0

    @property
    def files(self) -> int:
        return len(self.downloaded) + len(self.skipped)


def is_http(source: str) -> bool:
    return urllib.parse.urlsplit(source).scheme in ("http", "https")


def local_root(source: str) -> Path:
    """A folder source, given as a path or a file:// URL."""
    parts = urllib.parse.urlsplit(source)
    if parts.scheme == "file":
        return Path(urllib.request.url2pathname(parts.path))
    return Path(source)


def source_url(source: str, relative: str) -> str:
    return source.rstrip("/") + "/" + urllib.parse.quote(relative)


def read_bytes(source: str, relative: str, limits: Limits = Limits()) -> bytes:
    """The whole of a small file (the catalog, a checksum list) from the source, at most MAX_LIST_BYTES."""
    target = source_url(source, relative) if is_http(source) else str(local_root(source) / relative)
    reader, _resumed = open_source(source, relative, 0, limits.timeout)
    with reader:
        data = bytearray()
        _copy(reader, data.extend, MAX_LIST_BYTES, time.monotonic() + limits.deadline, target)
    return bytes(data)


def open_local(path: Path) -> BinaryIO:
    """A regular file of a folder source, opened without blocking on a named pipe or a device."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise DownloadError(f"cannot read {path}: {error.strerror or error}") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise DownloadError(f"cannot read {path}: not a regular file")
    return os.fdopen(fd, "rb")


def open_source(source: str, relative: str, offset: int, timeout: float):
    """A reader of `relative` from `offset` on, and whether it really starts there (else from zero)."""
    if not is_http(source):
        reader = open_local(local_root(source) / relative)
        reader.seek(offset)
        return reader, offset > 0
    url = source_url(source, relative)
    request = urllib.request.Request(url, headers={"Range": f"bytes={offset}-"} if offset else {})
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as error:
        raise HttpStatusError(error.code, f"cannot fetch {url}: HTTP {error.code} {error.reason}") from None
    except (urllib.error.URLError, OSError) as error:
        raise DownloadError(f"cannot fetch {url}: {error}") from None
    resumed = offset > 0 and response.status == 206
    if resumed and not _range_starts_at(response, offset):
        response.close()
        raise WrongRangeError(url)
    return response, resumed


class HttpStatusError(DownloadError):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


class WrongRangeError(DownloadError):
    """A 206 answer that does not start where the partial file ends."""


def fetch_into(source: str, relative: str, part: Path, size: int | None = None,
               limits: Limits = Limits()) -> tuple[int, bool]:
    """Append the rest of `relative` to the partial file `part`; returns (bytes fetched, resumed?).

    An HTTP server that ignores the Range header answers 200 with the whole file: the partial file is then
    started again from zero. The file may not exceed `size` (when the catalog records it, else
    `limits.max_bytes`) nor take longer than `limits.deadline` seconds.
    """
    deadline = time.monotonic() + limits.deadline
    limit = size if size is not None else limits.max_bytes
    target = source_url(source, relative) if is_http(source) else str(local_root(source) / relative)
    for _attempt in range(2):
        offset = part.stat().st_size if part.exists() else 0
        if offset > limit:
            part.unlink()
            offset = 0
        timeout = max(0.1, min(limits.timeout, deadline - time.monotonic()))
        try:
            reader, resumed = open_source(source, relative, offset, timeout)
        except WrongRangeError:
            part.unlink()
            continue
        except HttpStatusError as error:
            if error.code == 416 and offset:
                part.unlink()
                continue
            raise
        with reader, part.open("ab" if resumed else "wb") as writer:
            try:
                return _copy(reader, writer.write, limit - (offset if resumed else 0), deadline, target), resumed
            except OversizeError:
                writer.close()
                part.unlink(missing_ok=True)
                raise
    raise DownloadError(f"cannot fetch {target}: the server's partial answers do not fit the partial file")


class OversizeError(DownloadError):
    """More bytes than the catalog records (or than the cap allows)."""


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def _range_starts_at(response: urllib.response.addinfourl, offset: int) -> bool:
    """A 206 answer is only appended when it starts where the partial file ends."""
    return response.headers.get("Content-Range", "").startswith(f"bytes {offset}-")


def _copy(reader: Readable, write: Callable[[bytes], object], limit: int, deadline: float, what: str) -> int:
    """Copy at most `limit` bytes before `deadline`; more bytes, or a later end, is an error."""
    read = getattr(reader, "read1", reader.read)
    total = 0
    while True:
        if time.monotonic() > deadline:
            raise DownloadError(f"{what}: not complete by the per-file deadline; abandoned after {total:,} bytes")
        try:
            block = read(min(CHUNK, limit - total + 1))
        except TimeoutError:
            raise DownloadError(f"{what}: no data within the time allowed; abandoned after {total:,} bytes") from None
        except OSError as error:
            raise DownloadError(f"{what}: {error}") from None
        if not block:
            return total
        total += len(block)
        if total > limit:
            raise OversizeError(f"{what}: more than the {limit:,} bytes expected; refused")
        write(block)


def safe_relative(relative: str) -> PurePosixPath:
    """A catalog path that stays inside the release folder: no absolute paths, no '..', no backslashes."""
    path = PurePosixPath(relative)
    if (not relative or "\\" in relative or path.is_absolute() or re.match(r"^[A-Za-z]:", relative)
            or any(part in ("..", ".", "") for part in relative.split("/"))):
        raise DownloadError(f"refusing catalog path {relative!r}: it would escape the destination folder")
    return path


def load_catalog(source: str, limits: Limits = Limits()) -> dict:
    raw = read_bytes(source, INDEX_FILE, limits)
    try:
        catalog = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DownloadError(f"catalog {INDEX_FILE} at {source} is not valid JSON: {error}") from None
    except RecursionError:
        raise DownloadError(f"catalog {INDEX_FILE} at {source} is nested too deeply to be a catalog") from None
    if not isinstance(catalog, dict) or not isinstance(catalog.get("versions"), list):
        raise DownloadError(f"catalog {INDEX_FILE} at {source} has no 'versions' list")
    return catalog


def pick_version(catalog: dict, version: str) -> dict:
    """The catalog entry of `version`, or of the catalog's `latest` pointer."""
    wanted = catalog.get("latest") if version == "latest" else version
    if not wanted:
        raise DownloadError("the catalog has no 'latest' release yet")
    for entry in catalog["versions"]:
        if isinstance(entry, dict) and entry.get("version") == wanted:
            break
    else:
        known = ", ".join(str(e.get("version")) for e in catalog["versions"] if isinstance(e, dict)) or "none"
        raise DownloadError(f"unknown version {wanted!r}; the catalog lists: {known}")
    if not isinstance(wanted, str) or "/" in wanted or "\\" in wanted or wanted in (".", ".."):
        raise DownloadError(f"refusing version name {wanted!r}: it would escape the destination folder")
    files = entry.get("files")
    if not isinstance(files, dict) or not files:
        raise DownloadError(f"the catalog lists no files for version {wanted}")
    for relative, digest in files.items():
        safe_relative(relative)
        if relative == INCOMPLETE_MARKER:
            raise DownloadError(f"refusing catalog path {relative!r}: the name marks an incomplete download")
        if not isinstance(digest, str) or not HEX64.match(digest):
            raise DownloadError(f"the catalog's sha256 for {wanted}/{relative} is not a sha256: {digest!r}")
    sizes = entry.get("sizes")
    if sizes is not None and not (isinstance(sizes, dict) and all(
            isinstance(sizes.get(name), int) and not isinstance(sizes.get(name), bool) and sizes[name] >= 0
            for name in files)):
        raise DownloadError(f"the catalog's sizes for {wanted} are not a size in bytes for every file")
    return entry


def parse_sums(text: str, version: str) -> dict[str, str]:
    """SHA256SUMS lines ('<hex>  <path>') as {path: hex}."""
    sums = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        digest, sep, relative = line.partition("  ")
        if not sep or not HEX64.match(digest):
            raise DownloadError(f"{version}/{SUMS_FILE} line {number} is not '<sha256>  <path>': {line!r}")
        safe_relative(relative.removeprefix("*"))
        sums[relative.removeprefix("*")] = digest
    return sums


def check_sums_agree(version: str, catalog_files: dict[str, str], sums: dict[str, str]) -> None:
    """The catalog and the release's own checksum list must describe the same files with the same hashes."""
    listed = {k: v for k, v in catalog_files.items() if k != SUMS_FILE}
    for relative in sorted(listed.keys() | sums.keys()):
        expected, actual = listed.get(relative), sums.get(relative)
        if expected != actual:
            raise DownloadError(
                f"catalog and {version}/{SUMS_FILE} disagree on {relative}: "
                f"catalog {expected or 'does not list it'}, {SUMS_FILE} {actual or 'does not list it'}")


def fetch_verified(source: str, version: str, relative: str, expected: str, folder: Path,
                   report: DownloadReport, size: int | None = None, limits: Limits = Limits()) -> str:
    """Make `folder/relative` hold exactly the file with sha256 `expected` (and `size` bytes, when the
    catalog records it); returns what was done."""
    target = folder / safe_relative(relative)
    if target.is_file() and (size is None or target.stat().st_size == size) and sha256_file(target) == expected:
        report.skipped.append(relative)
        return "skipped"
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + PART_SUFFIX)
    if target.exists() and not part.exists():
        target.replace(part)  # a wrong or short file is treated as a partial download
    else:
        target.unlink(missing_ok=True)
    fetched, resumed = fetch_into(source, f"{version}/{relative}", part, size, limits)
    actual = sha256_file(part)
    if actual != expected and resumed:
        part.unlink()  # the partial prefix was not a prefix of this file: start again from zero
        more, resumed = fetch_into(source, f"{version}/{relative}", part, size, limits)
        fetched += more
        actual = sha256_file(part)
    report.bytes_fetched += fetched
    if actual != expected:
        part.unlink(missing_ok=True)
        raise DownloadError(f"checksum mismatch for {version}/{relative}: expected sha256 {expected}, got {actual}")
    part.replace(target)
    report.downloaded.append(relative)
    if resumed:
        report.resumed.append(relative)
        return "resumed"
    return "downloaded"


def download_release(source: str, version: str, dest: Path, progress: Progress | None = None,
                     limits: Limits = Limits()) -> DownloadReport:
    """Fetch and verify release `version` (or `latest`) from `source` into `dest/<version>/`.

    `progress(relative_path, outcome)` is called after each file. Until every file is verified the folder
    holds a `DOWNLOAD-INCOMPLETE` file saying so.
    """
    catalog = load_catalog(source, limits)
    entry = pick_version(catalog, version)
    name = entry["version"]
    files: dict[str, str] = entry["files"]
    sizes: dict[str, int] = entry.get("sizes") or {}
    folder = dest / name
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / INCOMPLETE_MARKER
    marker.write_text(f"Release {name} is not completely downloaded: run `accord download` again to finish it.\n",
                      encoding="utf-8")
    report = DownloadReport(version=name, folder=folder)
    if SUMS_FILE in files:
        outcome = fetch_verified(source, name, SUMS_FILE, files[SUMS_FILE], folder, report, sizes.get(SUMS_FILE),
                                 limits)
        if progress:
            progress(SUMS_FILE, outcome)
        sums = parse_sums((folder / SUMS_FILE).read_text(encoding="utf-8"), name)
    else:
        sums = parse_sums(read_bytes(source, f"{name}/{SUMS_FILE}", limits).decode("utf-8", "replace"), name)
    check_sums_agree(name, files, sums)
    for relative in sorted(files):
        if relative == SUMS_FILE:
            continue
        outcome = fetch_verified(source, name, relative, files[relative], folder, report, sizes.get(relative),
                                 limits)
        if progress:
            progress(relative, outcome)
    marker.unlink()
    return report


def download_command(
    source: Annotated[str, typer.Option("--source", help="URL or folder holding index.json and the releases.")],
    version: Annotated[str, typer.Option("--version", help="Release version, or 'latest'.")] = "latest",
    dest: Annotated[Path, typer.Option("--dest", help="Folder to download into (creates <version>/).")] = Path(
        "downloads"),
    file_deadline: Annotated[float, typer.Option(help="Seconds one file may take before it is abandoned.")]
    = FILE_DEADLINE_SECONDS,
    max_bytes: Annotated[int, typer.Option(help="Largest file accepted when the catalog records no sizes.")]
    = MAX_FILE_BYTES,
) -> None:
    """Download a release, verifying every file against the catalog and the release's SHA256SUMS."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(stderr=True, soft_wrap=True)
    try:
        limits = Limits(max_bytes=max_bytes, deadline=file_deadline)
        catalog = load_catalog(source, limits)
        total = len(pick_version(catalog, version)["files"])
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      console=console, transient=True) as bar:
            task = bar.add_task("downloading", total=total)

            def advance(relative: str, outcome: str) -> None:
                bar.update(task, advance=1, description=f"{outcome} {relative}")

            report = download_release(source, version, dest, progress=advance, limits=limits)
    except DownloadError as error:
        console.print(f"[red]error:[/red] {error}")
        console.print("[red]refused:[/red] nothing wrong was written under its real name; a partly downloaded "
                      f"release folder holds {INCOMPLETE_MARKER}")
        raise typer.Exit(1) from None
    console.print(f"release {report.version}: {report.files} files verified in {report.folder}")
    console.print(f"downloaded {len(report.downloaded)} ({len(report.resumed)} resumed), "
                  f"skipped {len(report.skipped)} already correct, {report.bytes_fetched} bytes fetched")
