"""Registry of validation cases and the table they produce."""

from __future__ import annotations

import importlib
import math
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["CASES", "Row", "ValidationCase", "load_all_cases", "run_cases", "validation_case"]


@dataclass(frozen=True)
class Row:
    """One line of the validation table.

    ``passed`` is ``|measured - expected| <= tolerance``; ``reference`` says
    where the expected number comes from.
    """

    engine: str
    quantity: str
    expected: float
    measured: float
    tolerance: float
    reference: str = ""

    @property
    def passed(self) -> bool:
        return math.isfinite(self.measured) and abs(self.measured - self.expected) <= self.tolerance


@dataclass(frozen=True)
class ValidationCase:
    engine: str
    name: str
    func: Callable[[int], list[Row]]  # called with a seed
    slow: bool


#: All registered cases, in registration order.
CASES: list[ValidationCase] = []


def validation_case(engine: str, name: str, slow: bool = False):
    """Decorator registering ``func(seed) -> list[Row]`` as a validation case."""

    def register(func: Callable[[int], list[Row]]):
        CASES.append(ValidationCase(engine, name, func, slow))
        return func

    return register


def load_all_cases() -> list[ValidationCase]:
    """Import every module of this package so that their cases register."""
    import mesolith.validation as pkg

    for module in pkgutil.iter_modules(pkg.__path__):
        if module.name != "registry":
            importlib.import_module(f"mesolith.validation.{module.name}")
    return CASES


def run_cases(
    engines: list[str] | None = None, include_slow: bool = True, seed: int = 2024
) -> list[Row]:
    """Run the selected cases and return all their rows."""
    rows: list[Row] = []
    for case in load_all_cases():
        if engines and case.engine not in engines:
            continue
        if case.slow and not include_slow:
            continue
        rows.extend(case.func(seed))
    return rows
