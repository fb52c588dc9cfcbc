"""Ctrl-C that lets a run finish its current chunk and write a checkpoint first.

Engines run in chunks; inside :func:`graceful_interrupt` the first SIGINT only
sets a flag, which the engine's loop checks between chunks to checkpoint and
stop cleanly. A second Ctrl-C interrupts immediately.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

__all__ = ["StopRequest", "graceful_interrupt"]


class StopRequest:
    """Set when the user asked the run to stop."""

    def __init__(self) -> None:
        self.requested = False


@contextlib.contextmanager
def graceful_interrupt() -> Iterator[StopRequest]:
    """Yield a :class:`StopRequest` whose ``requested`` turns True on the first Ctrl-C.

    Outside the main thread (where signal handlers cannot be installed) the
    request is never set and Ctrl-C behaves as usual.

    Examples
    --------
    >>> with graceful_interrupt() as stop:
    ...     for chunk in range(3):
    ...         if stop.requested:
    ...             break
    """
    stop = StopRequest()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def handler(signum, frame):
        if stop.requested:
            raise KeyboardInterrupt
        stop.requested = True

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)
