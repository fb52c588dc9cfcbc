"""What this installation is: build flags, threads, optional extras, OpenMM platforms."""

from __future__ import annotations

import importlib
import importlib.util
from importlib.metadata import PackageNotFoundError, version

__all__ = ["EXTRAS", "environment_info", "extras_status", "openmm_platforms"]

#: extra name -> the import names it provides
EXTRAS = {
    "md": ["openmm", "MDAnalysis"],
    "viz": ["pyvista"],
    "cell": ["pybamm", "bpx"],
    "fem": ["meshio"],
    "dist": ["dask.distributed"],
    "test": ["pytest", "hypothesis", "pytest_benchmark"],
}

_DISTRIBUTIONS = {"dask.distributed": "distributed", "pytest_benchmark": "pytest-benchmark"}


def _module_version(module: str) -> str | None:
    """Installed version of ``module`` without importing it, or None if absent."""
    try:
        if importlib.util.find_spec(module) is None:
            return None
    except (ImportError, ValueError):
        return None
    dist = _DISTRIBUTIONS.get(module, module.split(".")[0])
    try:
        return version(dist)
    except PackageNotFoundError:
        return "installed"


def extras_status() -> dict[str, dict[str, str | None]]:
    """For each extra, the version of each module it provides (None when missing)."""
    return {extra: {m: _module_version(m) for m in mods} for extra, mods in EXTRAS.items()}


def openmm_platforms() -> list[str] | None:
    """Names of the OpenMM platforms available here (GPU ones included), or None."""
    if _module_version("openmm") is None:
        return None
    try:
        openmm = importlib.import_module("openmm")
    except ImportError:
        return None
    platforms = openmm.Platform
    return [platforms.getPlatform(i).getName() for i in range(platforms.getNumPlatforms())]


def environment_info() -> dict:
    """Everything ``mesolith info`` prints, as a dict."""
    from mesolith import __version__, _core

    build = _core.build_info()
    return {
        "version": __version__,
        "git_hash": build["git_hash"],
        "build_type": build["build_type"],
        "compiler": build["compiler"],
        "openmp": build["openmp"],
        "openmp_version": build["openmp_version"],
        "openmp_threads": _core.max_threads(),
        "march_native": build["native"],
        "sanitizers": build["sanitizers"],
        "extras": extras_status(),
        "openmm_platforms": openmm_platforms(),
    }
