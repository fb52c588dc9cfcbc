"""All effective properties of a microstructure in one call, each number with its unit."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from mesolith.micro.geometry import (
    SURFACE_ESTIMATORS,
    connected_fraction,
    percolation,
    specific_surface_area,
)
from mesolith.micro.structure import Microstructure
from mesolith.micro.transport import (
    ElectrodeTortuosityResult,
    TortuosityResult,
    effective_conductivity,
    electrode_tortuosity,
    tortuosity,
)

__all__ = ["Properties", "basic_properties", "electrode_tortuosity_of", "properties",
           "wants_electrode_tortuosity"]

AXES = "xyz"


@dataclass
class Properties:
    """Effective properties of a labelled volume (see :func:`properties`).

    Every number is in SI units; :attr:`units` names them. ``tortuosity[axis]`` uses the
    total pore fraction (``porosity``); ``tau_factor_percolating`` in each entry uses the
    percolating fraction only.
    """

    voxel_size: float
    volume_fractions: dict[str, float]
    porosity: float
    connected_porosity: float
    percolation: dict[str, dict[str, bool]]
    specific_surface_area: dict[str, float]
    surface_estimator: str = "crofton"
    tortuosity: dict[str, TortuosityResult] = field(default_factory=dict)
    conductivity: dict[str, float] = field(default_factory=dict)
    electrode_tortuosity: ElectrodeTortuosityResult | None = None

    @property
    def units(self) -> dict[str, str]:
        return {
            "voxel_size": "m",
            "volume_fractions": "1",
            "porosity": "1 (total pore fraction)",
            "connected_porosity": "1 (pore connected to the separator face z = nz - 1)",
            "specific_surface_area": "m^-1 (interface area per total volume)",
            "surface_estimator": "name of the specific-surface-area estimator",
            "tortuosity.tau_factor": "1 (eps D0 / D_eff, total porosity)",
            "tortuosity.relative_diffusivity": "1 (D_eff / D0)",
            "tortuosity.macmullin_number": "1",
            "tortuosity.bruggeman_exponent": "1",
            "conductivity": "S/m",
            "electrode_tortuosity.tau_e": "1 (through the thickness, z; total porosity)",
        }

    def as_dict(self) -> dict:
        """Nested dict of numbers (numpy scalars), ready for :func:`mesolith.io.write_results`."""
        out: dict = {
            "voxel_size": self.voxel_size,
            "porosity": self.porosity,
            "connected_porosity": self.connected_porosity,
            "volume_fractions": dict(self.volume_fractions),
            "specific_surface_area": dict(self.specific_surface_area),
            "surface_estimator": self.surface_estimator,
            "percolation": {p: {a: np.bool_(v) for a, v in d.items()}
                            for p, d in self.percolation.items()},
            "tortuosity": {a: {k: v for k, v in t.as_dict().items()}
                           for a, t in self.tortuosity.items()},
        }
        if self.conductivity:
            out["conductivity"] = dict(self.conductivity)
        if self.electrode_tortuosity is not None:
            out["electrode_tortuosity"] = self.electrode_tortuosity.as_dict()
        return out

    def units_for_hdf5(self) -> dict[str, str]:
        units = {"voxel_size": "m"}
        for pair in self.specific_surface_area:
            units[f"specific_surface_area/{pair}"] = "1/m"
        for axis in self.conductivity:
            units[f"conductivity/{axis}"] = "S/m"
        return units


def properties(volume, voxel_size: float | None = None, axes=(0, 1, 2), tol: float = 1e-6,
               pore: int = 0, conductivities: dict[int, float] | None = None,
               surface_estimator: str = "crofton") -> Properties:
    """Phase fractions, connectivity, surface areas and transport of a microstructure.

    Parameters
    ----------
    volume : Microstructure or ndarray of labels (nx, ny, nz)
        Labels 0 pore, 1 AM, 2 CBD (the Microstructure's phase names otherwise).
    voxel_size : float, optional
        Voxel edge in m; required for a plain array, ignored for a Microstructure.
    axes : sequence of int
        Axes for the tortuosity (and conductivity) solves; z (2) is through the thickness.
    tol : float
        Relative residual tolerance of every solve.
    pore : int
        Label of the pore phase.
    conductivities : dict of label to S/m, optional
        If given, the multi-phase effective conductivity is solved along ``axes`` too.
    surface_estimator : {"crofton", "extrapolated"}
        Estimator of the specific surface area (see :func:`specific_surface_area`); the
        choice is kept in :attr:`Properties.surface_estimator`.

    Examples
    --------
    >>> import numpy as np
    >>> from mesolith.micro import Microstructure
    >>> labels = np.ones((16, 16, 16), np.uint8); labels[:, ::2, :] = 0
    >>> p = properties(Microstructure(labels, 1e-6), axes=(2,))
    >>> round(p.tortuosity["z"].tau_factor, 6), p.porosity
    (1.0, 0.5)
    """
    if not isinstance(volume, Microstructure):
        if voxel_size is None:
            raise ValueError("voxel_size: required (in m) when volume is a plain array")
        volume = Microstructure(volume, voxel_size)
    for a in axes:
        if a not in (0, 1, 2):
            raise ValueError(f"axes: {a!r} must be 0, 1 or 2")
    if surface_estimator not in SURFACE_ESTIMATORS:
        raise ValueError(f"surface_estimator = {surface_estimator!r}: must be one of "
                         f"{SURFACE_ESTIMATORS}")
    result = basic_properties(volume, pore=pore, surface_estimator=surface_estimator)
    if wants_electrode_tortuosity(volume, axes):
        result.electrode_tortuosity = electrode_tortuosity_of(volume, pore=pore, tol=tol)
    for a in axes:
        result.tortuosity[AXES[a]] = tortuosity(volume.labels, phase=pore, axis=a, rtol=tol)
        if conductivities:
            result.conductivity[AXES[a]] = effective_conductivity(
                volume.labels, conductivities, axis=a, rtol=tol).conductivity
    return result


def basic_properties(volume: Microstructure, pore: int = 0,
                     surface_estimator: str = "crofton") -> Properties:
    """The cheap part of :func:`properties`: fractions, connectivity and surface areas.

    The transport entries (``tortuosity``, ``conductivity``, ``electrode_tortuosity``) are
    left empty; the ``micro`` stage fills them one solve at a time between checkpoints.
    """
    labels = volume.labels
    present = [int(v) for v in np.unique(labels)]
    return Properties(
        voxel_size=volume.voxel_size,
        volume_fractions=volume.volume_fractions(),
        porosity=float(np.count_nonzero(labels == pore)) / labels.size,
        connected_porosity=connected_fraction(labels, pore, axis=2, side=1),
        percolation={volume.phases[p]: percolation(labels, p) for p in present},
        specific_surface_area=specific_surface_area(volume, estimator=surface_estimator),
        surface_estimator=surface_estimator,
    )


def wants_electrode_tortuosity(volume: Microstructure, axes) -> bool:
    """Whether :func:`properties` computes tau_e: z among ``axes`` and some AM present."""
    am = [label for label, name in volume.phases.items() if name == "AM"]
    return 2 in axes and bool(am) and bool(np.any(volume.labels == am[0]))


def electrode_tortuosity_of(volume: Microstructure, pore: int = 0, tol: float = 1e-6
                            ) -> ElectrodeTortuosityResult:
    """Electrode tortuosity through the thickness, charged from the separator face at z = nz."""
    am = [label for label, name in volume.phases.items() if name == "AM"]
    return electrode_tortuosity(volume.labels, pore=pore, surface=(am[0],), axis=2, rtol=tol)
