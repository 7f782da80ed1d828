"""Every reference YAML file reads to the same values through the fast loader as through PyYAML's own."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from schemas import REFERENCE_DIR, read_yaml


@pytest.mark.parametrize("path", sorted(REFERENCE_DIR.glob("*.yaml")), ids=lambda p: p.name)
def test_fast_loader_reads_the_same_values(path: Path) -> None:
    assert read_yaml(path) == yaml.safe_load(path.read_text(encoding="utf-8"))
