"""Choosing the OpenMM platform: the fastest one present, overridable, CPU threads capped."""

from __future__ import annotations

import os

__all__ = ["PLATFORM_PREFERENCE", "select_platform"]

#: Fastest first. Reference is the slow double-precision fallback.
PLATFORM_PREFERENCE = ("CUDA", "HIP", "OpenCL", "CPU", "Reference")


def _available() -> list[str]:
    import openmm as mm

    return [mm.Platform.getPlatform(i).getName() for i in range(mm.Platform.getNumPlatforms())]


def select_platform(name: str | None = None, threads: int | None = None,
                    deterministic: bool = False):
    """Return ``(platform, properties)`` for an OpenMM ``Context``.

    Parameters
    ----------
    name : str, optional
        Platform name (``"CUDA"``, ``"OpenCL"``, ``"CPU"``, ``"Reference"``). Default: the
        environment variable ``MESOLITH_MD_PLATFORM`` if set, else the fastest available.
    threads : int, optional
        CPU-platform threads; default ``min(2, cpu_count)`` so that runs stay modest on
        shared machines (0 also means the default).
    deterministic : bool
        Ask for bit-reproducible runs: one thread on the CPU platform (which otherwise splits
        force sums and Langevin noise by thread), ``DeterministicForces`` on CUDA/OpenCL
        (fixed-point force accumulation). Reference is deterministic anyway.

    Examples
    --------
    >>> platform, props = select_platform("Reference")  # doctest: +SKIP
    """
    import openmm as mm

    available = _available()
    name = name or os.environ.get("MESOLITH_MD_PLATFORM") or None
    if name is None:
        name = next(p for p in PLATFORM_PREFERENCE if p in available)
    elif name not in available:
        raise ValueError(f"platform = {name!r}: not available here; choose one of {available}")
    platform = mm.Platform.getPlatformByName(name)
    props: dict[str, str] = {}
    if name == "CPU":
        n = 1 if deterministic else (threads if threads else min(2, os.cpu_count() or 1))
        props["Threads"] = str(int(n))
        # fixed-point accumulation where OpenMM supports it (the nonbonded kernels);
        # custom forces and per-thread Langevin noise still depend on the thread count
        props["DeterministicForces"] = "true"
    elif name in ("CUDA", "HIP", "OpenCL"):
        props["Precision"] = "mixed"
        if deterministic:
            props["DeterministicForces"] = "true"
    return platform, props
