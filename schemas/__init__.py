"""The data contract (table declarations, expectation suites) and the reference data the extraction reads."""

from pathlib import Path
from typing import Any

REFERENCE_DIR = Path(__file__).parent


def read_yaml(path: Path) -> Any:
    """A reference YAML file, parsed by libyaml when PyYAML has it (the same values, several times faster:
    every extraction process reads these files)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader
