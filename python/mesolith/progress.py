"""Progress bars for long runs: rich on a terminal, silent otherwise or when asked."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

__all__ = ["ProgressBar", "progress_bar", "progress_enabled"]

_GLOBAL_QUIET = False


def set_quiet(quiet: bool) -> None:
    """Turn every progress bar off (the CLI's ``--quiet``)."""
    global _GLOBAL_QUIET
    _GLOBAL_QUIET = bool(quiet)


def progress_enabled(requested: bool | None = True) -> bool:
    """Bars show only when requested, not quieted, and stderr is a terminal."""
    if requested is False or _GLOBAL_QUIET:
        return False
    return sys.stderr.isatty()


class ProgressBar:
    """Minimal interface the engines use: ``advance(n)`` and ``total``."""

    def __init__(self, progress, task, total: float):
        self._progress = progress
        self._task = task
        self.total = total

    def advance(self, amount: float = 1) -> None:
        if self._progress is not None:
            self._progress.advance(self._task, amount)


@contextlib.contextmanager
def progress_bar(
    total: float, description: str, enabled: bool | None = True
) -> Iterator[ProgressBar]:
    """Context manager yielding a :class:`ProgressBar` (a no-op when disabled).

    Examples
    --------
    >>> with progress_bar(100, "steps", enabled=False) as bar:
    ...     for _ in range(100):
    ...         bar.advance()
    """
    if not progress_enabled(enabled):
        yield ProgressBar(None, None, total)
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, transient=False) as prog:
        task = prog.add_task(description, total=total)
        yield ProgressBar(prog, task, total)
