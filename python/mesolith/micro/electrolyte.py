"""Electrolyte transport through pores and the nano-porous carbon-binder domain (CBD).

The CBD is itself porous and electrolyte-filled, so ions cross it, slowly. Its relative
diffusivity is ``D_CBD / D_0 = eps_nano / tau_nano`` with ``tau_nano = eps_nano^-0.5`` by
default (Bruggeman, so ``D_CBD / D_0 = eps_nano^1.5``). The multi-phase conduction solve of
:func:`mesolith.micro.effective_conductivity` with conductivities {pore: 1, CBD: D_CBD / D_0,
AM: 0} gives the effective relative diffusivity of the electrode, and the tortuosity factor
follows from the total electrolyte porosity ``eps_total = eps_pore + eps_nano phi_CBD``.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from mesolith.micro._volume import as_labels
from mesolith.micro.structure import Microstructure
from mesolith.micro.transport import effective_conductivity

__all__ = ["ElectrolyteTransportResult", "cbd_relative_diffusivity", "electrolyte_tortuosity"]


def cbd_relative_diffusivity(nanoporosity: float, nano_tortuosity: float | None = None) -> float:
    """``D_CBD / D_0 = eps_nano / tau_nano``; ``tau_nano`` defaults to ``eps_nano^-0.5``.

    Examples
    --------
    >>> round(cbd_relative_diffusivity(0.5), 6)  # 0.5^1.5
    0.353553
    >>> cbd_relative_diffusivity(0.5, nano_tortuosity=2.5)
    0.2
    """
    if not (0.0 <= nanoporosity < 1.0) or not math.isfinite(nanoporosity):
        raise ValueError(f"nanoporosity = {nanoporosity!r}: must be in [0, 1)")
    if nano_tortuosity is None:
        return nanoporosity**1.5
    if not (nano_tortuosity >= 1.0 and math.isfinite(nano_tortuosity)):
        raise ValueError(f"nano_tortuosity = {nano_tortuosity!r}: must be >= 1 and finite")
    return nanoporosity / nano_tortuosity


@dataclass(frozen=True)
class ElectrolyteTransportResult:
    """Electrolyte transport through pores and CBD along one axis.

    Attributes
    ----------
    relative_diffusivity : float
        ``D_eff / D_0`` of the electrode (MacMullin number is its inverse).
    tau_factor : float
        ``eps_total / (D_eff / D_0)``; ``inf`` when no electrolyte path spans the axis.
    porosity_total : float
        ``eps_pore + eps_nano phi_CBD``: all electrolyte volume per electrode volume.
    porosity_pore : float
        Fraction of free pore voxels.
    cbd_fraction : float
        Fraction of CBD voxels.
    cbd_relative_diffusivity : float
        ``D_CBD / D_0`` used for the CBD voxels.
    """

    axis: int
    relative_diffusivity: float
    tau_factor: float
    porosity_total: float
    porosity_pore: float
    cbd_fraction: float
    nanoporosity: float
    cbd_relative_diffusivity: float
    percolates: bool
    iterations: int
    residual: float

    units = {"relative_diffusivity": "1", "tau_factor": "1", "porosity_total": "1",
             "porosity_pore": "1", "cbd_fraction": "1", "nanoporosity": "1",
             "cbd_relative_diffusivity": "1"}

    @property
    def macmullin(self) -> float:
        """MacMullin number ``D_0 / D_eff``."""
        return math.inf if self.relative_diffusivity == 0 else 1.0 / self.relative_diffusivity

    def as_dict(self) -> dict:
        return asdict(self)


def electrolyte_tortuosity(volume, axis: int = 2, nanoporosity: float | None = None,
                           nano_tortuosity: float | None = None, pore: int = 0, cbd: int = 2,
                           rtol: float = 1e-6,
                           periodic_sides: bool = False) -> ElectrolyteTransportResult:
    """Tortuosity factor of the electrolyte phase, counting the nano-porous CBD.

    Runs the multi-phase conduction solve with conductivities {``pore``: 1, ``cbd``:
    ``eps_nano / tau_nano``, others: 0} along ``axis`` (Dirichlet on the two faces, no flux on
    the sides unless ``periodic_sides``) and reports ``D_eff / D_0`` and
    ``tau = (eps_pore + eps_nano phi_CBD) / (D_eff / D_0)``.

    Parameters
    ----------
    volume : Microstructure or ndarray (nx, ny, nz) of labels
    axis : int
        Transport direction (2: through the electrode thickness).
    nanoporosity : float, optional
        Electrolyte fraction inside the CBD; default: ``metadata["cbd_nanoporosity"]`` of a
        :class:`Microstructure` made by :func:`mesolith.micro.add_cbd`, else required.
    nano_tortuosity : float, optional
        Tortuosity factor of the CBD nano-pores; default ``metadata["cbd_nano_tortuosity"]``
        if present, else Bruggeman ``eps_nano^-0.5``.
    pore, cbd : int
        Labels of the free pores and of the CBD.
    rtol : float
        Relative residual tolerance of the solve.

    Examples
    --------
    >>> import numpy as np
    >>> layers = np.zeros((8, 8, 8), np.uint8); layers[:, :, 1::2] = 2  # pore / CBD layers
    >>> r = electrolyte_tortuosity(layers, axis=2, nanoporosity=0.5)
    >>> round(r.relative_diffusivity, 4)  # series: harmonic mean of 1 and 0.5^1.5
    0.5224
    """
    labels, _, _ = as_labels(volume)
    meta = volume.metadata if isinstance(volume, Microstructure) else {}
    if nanoporosity is None:
        if "cbd_nanoporosity" not in meta:
            raise ValueError("nanoporosity: not given and the volume carries no "
                             "'cbd_nanoporosity' metadata; pass nanoporosity (0 to 1)")
        nanoporosity = float(meta["cbd_nanoporosity"])
    if nano_tortuosity is None and "cbd_nano_tortuosity" in meta:
        nano_tortuosity = float(meta["cbd_nano_tortuosity"])
    d_cbd = cbd_relative_diffusivity(nanoporosity, nano_tortuosity)
    if pore == cbd:
        raise ValueError(f"pore = cbd = {pore}: the two labels must differ")
    counts = np.bincount(labels.ravel(), minlength=256)
    eps_pore = counts[pore] / labels.size
    phi_cbd = counts[cbd] / labels.size
    eps_total = eps_pore + nanoporosity * phi_cbd
    res = effective_conductivity(labels, {pore: 1.0, cbd: d_cbd}, axis=axis, rtol=rtol,
                                 periodic_sides=periodic_sides)
    rel = res.conductivity
    tau = eps_total / rel if rel > 0 else math.inf
    return ElectrolyteTransportResult(
        axis=axis, relative_diffusivity=rel, tau_factor=tau, porosity_total=float(eps_total),
        porosity_pore=float(eps_pore), cbd_fraction=float(phi_cbd),
        nanoporosity=float(nanoporosity), cbd_relative_diffusivity=d_cbd,
        percolates=res.percolates, iterations=res.iterations, residual=res.residual)
