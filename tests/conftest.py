"""Shared test fixtures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture
def reference_data():
    """Load a reference JSON file from tests/data by name."""

    def load(name: str):
        return json.loads((DATA / name).read_text())

    return load


@pytest.fixture
def restore_threads():
    """Restore the OpenMP thread count after a test changes it."""
    from mesolith import _core

    before = _core.max_threads()
    yield
    _core.set_num_threads(before)
