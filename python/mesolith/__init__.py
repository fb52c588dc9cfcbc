"""mesolith: mesoscale simulation of battery-electrode manufacturing.

A C++17/OpenMP core (``mesolith._core``) runs the engines; this package sets
simulations up, validates their configuration, writes results with provenance
and drives everything from Python or the ``mesolith`` command line.
"""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _pkg_version

from mesolith import _core

try:
    __version__ = _pkg_version("mesolith")
except PackageNotFoundError:  # running from a source tree
    __version__ = _core.__version__

__all__ = ["__version__"]
