"""Check that a large allocation fits in free memory before starting the work."""

from __future__ import annotations

from pathlib import Path

__all__ = ["available_memory", "check_memory", "format_bytes"]


def available_memory() -> int | None:
    """Bytes of memory available to new allocations (MemAvailable), or None if unknown."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def format_bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(n) < 1024 or unit == "TiB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{int(n)} B"
        n /= 1024
    return f"{n:.1f} TiB"  # pragma: no cover


def check_memory(needed_bytes: float, what: str, fraction: float = 0.9) -> None:
    """Raise ``MemoryError`` naming ``what`` if ``needed_bytes`` exceeds free memory.

    ``fraction`` of the available memory may be used, leaving room for the rest
    of the process.
    """
    free = available_memory()
    if free is None:
        return
    if needed_bytes > fraction * free:
        raise MemoryError(
            f"{what} needs about {format_bytes(needed_bytes)} but only "
            f"{format_bytes(free)} is free; reduce the problem size"
        )
