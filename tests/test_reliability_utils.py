"""Graceful Ctrl-C, memory checks and progress bars."""

from __future__ import annotations

import os
import signal

import pytest

from mesolith.interrupt import graceful_interrupt
from mesolith.memory import available_memory, check_memory, format_bytes
from mesolith.progress import progress_bar, progress_enabled, set_quiet


def test_first_ctrl_c_sets_the_flag_second_interrupts():
    # The handler in force before (Python's default, or SIG_IGN when the tests run as a
    # background job) comes back afterwards.
    before = signal.getsignal(signal.SIGINT)
    with graceful_interrupt() as stop:
        assert not stop.requested
        os.kill(os.getpid(), signal.SIGINT)
        assert stop.requested
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
    assert signal.getsignal(signal.SIGINT) is before


def test_memory_check_names_the_need():
    free = available_memory()
    assert free is None or free > 0
    check_memory(1024, "a tiny array")
    if free is not None:
        with pytest.raises(MemoryError, match=r"a 10\^15-voxel volume needs about .* free"):
            check_memory(10 * free, "a 10^15-voxel volume")
    assert format_bytes(3 * 1024**3) == "3.0 GiB" and format_bytes(12) == "12 B"


def test_progress_is_off_when_not_a_terminal_or_quiet():
    # pytest captures stderr, so it is not a terminal here.
    assert progress_enabled(True) is False
    set_quiet(True)
    try:
        assert progress_enabled(True) is False
    finally:
        set_quiet(False)
    with progress_bar(10, "work", enabled=True) as bar:
        for _ in range(10):
            bar.advance()
    assert bar.total == 10
