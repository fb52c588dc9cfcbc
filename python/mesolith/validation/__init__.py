"""Validation against analytical and literature results (``mesolith validate``).

Each engine registers its cases in ``mesolith/validation/<engine>.py`` with
:func:`validation_case`; the CLI runs them and prints expected vs measured.
"""

from mesolith.validation.registry import (
    CASES,
    Row,
    ValidationCase,
    load_all_cases,
    run_cases,
    validation_case,
)

__all__ = ["CASES", "Row", "ValidationCase", "load_all_cases", "run_cases", "validation_case"]
