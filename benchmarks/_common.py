"""Helpers shared by the benchmarks: best-of-N timing and atomic result files."""

from __future__ import annotations

import json
import platform
import time
from collections.abc import Callable
from pathlib import Path

from mesolith.io import atomic_output

HERE = Path(__file__).parent


def best_time(func: Callable[[], object], repeat: int = 5) -> float:
    """Best wall time of ``repeat`` calls (the least disturbed by a shared, noisy machine)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def machine() -> str:
    from mesolith import _core

    return f"{platform.processor() or platform.machine()}, {_core.max_threads()} threads"


def write_json(name: str, payload: dict) -> Path:
    path = HERE / "results" / f"{name}.json"
    with atomic_output(path) as tmp:
        tmp.write_text(json.dumps(payload, indent=2))
    return path


def write_markdown(name: str, text: str) -> Path:
    path = HERE / f"RESULTS_{name}.md"
    with atomic_output(path) as tmp:
        tmp.write_text(text)
    return path
