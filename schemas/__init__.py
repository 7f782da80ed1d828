"""The data contract (table declarations, expectation suites) and the reference data the extraction reads."""

from pathlib import Path

REFERENCE_DIR = Path(__file__).parent
