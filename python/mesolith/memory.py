"""Check that a large allocation fits in free memory before starting the work."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["available_memory", "check_memory", "format_bytes"]


#: Environment variable capping the memory mesolith may plan for (bytes; "4G", "512M" work
#: too), e.g. the share of a node a batch job was given.
LIMIT_VARIABLE = "MESOLITH_MEMORY_LIMIT"


def _parse_bytes(text: str) -> int:
    text = text.strip().upper().removesuffix("B").removesuffix("I")
    scale = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}.get(text[-1:], 1)
    try:
        return int(float(text[:-1] if scale > 1 else text) * scale)
    except ValueError:
        raise ValueError(f"{LIMIT_VARIABLE} = {text!r}: must be bytes, e.g. 4G or 512M") from None


def _cgroup_free() -> int | None:
    """Room left under a cgroup v2 memory limit (containers, batch jobs), if there is one."""
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        if limit == "max":
            return None
        return int(limit) - int(Path("/sys/fs/cgroup/memory.current").read_text())
    except (OSError, ValueError):
        return None


def available_memory() -> int | None:
    """Bytes of memory available to new allocations, or None if unknown.

    The smallest of the kernel's MemAvailable, the room under a cgroup v2 limit and
    ``$MESOLITH_MEMORY_LIMIT``.
    """
    candidates = []
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                candidates.append(int(line.split()[1]) * 1024)
    except OSError:
        pass
    cgroup = _cgroup_free()
    if cgroup is not None:
        candidates.append(max(cgroup, 0))
    if os.environ.get(LIMIT_VARIABLE):
        candidates.append(_parse_bytes(os.environ[LIMIT_VARIABLE]))
    return min(candidates) if candidates else None


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
