"""The gazetteer a run keeps in its cache loads back equal to the one built; a damaged or foreign file is
built again, never trusted."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from flows import workers
from flows.cache import prune_shared, shared_file
from flows.extract.places import gazetteer


def test_kept_gazetteer_loads_back_equal(tmp_path: Path) -> None:
    built = gazetteer.load_gazetteer()
    path = tmp_path / "cache" / "gazetteer.pickle"
    gazetteer._keep(path, built)
    assert gazetteer._read_kept(path) == built
    assert [p.name for p in path.parent.iterdir()] == ["gazetteer.pickle"]  # no temporary file left


def test_damaged_or_foreign_files_are_not_used(tmp_path: Path) -> None:
    damaged, foreign = tmp_path / "damaged.pickle", tmp_path / "foreign.pickle"
    damaged.write_bytes(b"\x80\x05not a pickle")
    foreign.write_bytes(pickle.dumps({"places": {}}))
    assert gazetteer._read_kept(damaged) is None
    assert gazetteer._read_kept(foreign) is None
    assert gazetteer._read_kept(tmp_path / "missing.pickle") is None
    assert gazetteer._read_kept(None) is None


def test_kept_file_names_the_data_it_was_built_from(tmp_path: Path) -> None:
    gazetteer.keep_built_in(tmp_path)
    try:
        path = gazetteer._kept_path()
    finally:
        gazetteer.keep_built_in(None)
    assert path is not None and path.parent == tmp_path and path.name.startswith("gazetteer-")
    assert gazetteer._kept_path() is None


def test_an_interrupted_builder_ends_quietly(tmp_path: Path, monkeypatch) -> None:
    """Ctrl+C reaches the builder process too: it exits with status 130 instead of printing a traceback."""
    def interrupted() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(gazetteer, "load_gazetteer", interrupted)
    with pytest.raises(SystemExit) as stop:
        workers._build_gazetteer_into(tmp_path)
    assert stop.value.code == 130
    gazetteer.keep_built_in(None)


def test_a_new_output_folder_takes_the_gazetteer_kept_for_another(tmp_path: Path, monkeypatch) -> None:
    """The gazetteer built for one output folder is kept in the user's cache and linked into the next
    folder's cache, with no builder process and no build."""
    monkeypatch.setenv("ACCORD_CACHE_DIR", str(tmp_path / "user"))
    built = gazetteer.load_gazetteer()
    shared = shared_file(gazetteer.kept_path_in(tmp_path))
    gazetteer._keep(shared, built)
    assert shared.parent == tmp_path / "user" / "reference"

    def no_build() -> None:
        raise AssertionError("built again")

    monkeypatch.setattr(gazetteer, "_build_gazetteer", no_build)
    monkeypatch.setattr(workers.multiprocessing, "get_context", no_build)
    workers.keep_gazetteer(tmp_path / "other-output")
    kept = gazetteer.kept_path_in(tmp_path / "other-output")
    assert kept.exists() and gazetteer._read_kept(kept) == built


def test_the_user_cache_keeps_a_few_code_versions(tmp_path: Path) -> None:
    folder = tmp_path / "reference"
    folder.mkdir()
    for age in range(6):
        old = folder / f"{age}-gazetteer-a.pickle"
        old.write_bytes(b"")
        os.utime(old, (1000 - age, 1000 - age))
    (folder / "9-other.pickle").write_bytes(b"")
    current = folder / "current-gazetteer-a.pickle"
    current.write_bytes(b"")
    prune_shared(current)
    left = sorted(p.name for p in folder.iterdir())
    assert left == ["0-gazetteer-a.pickle", "1-gazetteer-a.pickle", "2-gazetteer-a.pickle", "9-other.pickle",
                    "current-gazetteer-a.pickle"]
