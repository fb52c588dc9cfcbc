"""Reactive deposition of Brownian walkers on an electrode, vs the Damkohler number.

Walkers (e.g. Li+ reduced on contact) diffuse from above and react with the electrode
or the deposit on contact with probability ``p = Da sqrt(pi/2) s`` per attempt, where
``Da = k a / D`` and ``s = sqrt(2 D dt) / a`` is the rms step (Erban & Chapman,
Phys. Biol. 4, 16, 2007). High Da gives sparse, dendritic deposits (diffusion-limited
aggregation); low Da lets walkers explore and fill in, giving dense, compact ones
(Jacobson & Miller, arXiv 2204.01173).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from mesolith import _core

__all__ = ["DepositionResult", "deposition", "reaction_probability"]


def reaction_probability(damkohler: float, step: float) -> float:
    """Reaction probability per contact attempt for ``Da = k a / D`` and rms step
    ``step = sqrt(2 D dt) / a``."""
    return damkohler * math.sqrt(math.pi / 2.0) * step


@dataclass
class DepositionResult:
    """A deposit: centres [m] and its morphology."""

    positions: np.ndarray
    radius: float
    cell: float
    damkohler: float
    info: dict = field(default_factory=dict)

    @property
    def height(self) -> float:
        """Top of the deposit [m] (highest centre + radius)."""
        return float(self.positions[:, 2].max() + self.radius)

    def column_heights(self) -> np.ndarray:
        """Top surface height [m] in lateral bins of one diameter."""
        bins = max(1, int(self.cell / (2 * self.radius)))
        ij = np.floor(self.positions[:, :2] / self.cell * bins).astype(int) % bins
        tops = np.zeros((bins, bins))
        np.maximum.at(tops, (ij[:, 0], ij[:, 1]), self.positions[:, 2] + self.radius)
        return tops

    @property
    def roughness(self) -> float:
        """Standard deviation of the column heights [m]."""
        return float(self.column_heights().std())

    @property
    def solid_fraction(self) -> float:
        """Volume of the spheres over the volume under the mean column height."""
        volume = self.positions.shape[0] * 4.0 / 3.0 * math.pi * self.radius**3
        return float(volume / (self.cell**2 * self.column_heights().mean()))

    @property
    def porosity(self) -> float:
        return 1.0 - self.solid_fraction

    def summary(self) -> dict:
        return {"damkohler": self.damkohler, "particles": int(self.positions.shape[0]),
                "height_m": self.height, "roughness_m": self.roughness,
                "porosity": self.porosity}


def deposition(damkohler: float, walkers: int = 500, radius: float = 1e-9,
               cell_radii: float = 16.0, step: float = 0.2, seed: int = 0) -> DepositionResult:
    """Grow a deposit of ``walkers`` spheres of ``radius`` [m] in a periodic cell of edge
    ``cell_radii`` radii.

    Parameters
    ----------
    damkohler : float
        Da = k a / D (> 0); Da <= 1 / (sqrt(pi/2) step) so that p <= 1.
    step : float
        rms step per component in radii, sqrt(2 D dt) / a (the time resolution).

    Examples
    --------
    >>> deposit = deposition(damkohler=3.0, walkers=50, seed=1)
    >>> deposit.positions.shape
    (50, 3)
    """
    if not damkohler > 0:
        raise ValueError(f"damkohler = {damkohler}: must be > 0")
    if not 0 < step <= 0.5:
        raise ValueError(f"step = {step}: must be in (0, 0.5] radii")
    p = reaction_probability(damkohler, step)
    if p > 1.0:
        limit = 1 / (math.sqrt(math.pi / 2) * step)
        raise ValueError(f"damkohler = {damkohler}: must be <= {limit:.4g} at step = {step} "
                         f"(reaction probability {p:.3g} > 1)")
    if walkers < 1:
        raise ValueError(f"walkers = {walkers}: must be >= 1")
    from mesolith.memory import check_memory

    # per deposited sphere: its position, its slot in the contact-cell hash and the
    # returned array (~100 B)
    check_memory(100.0 * walkers, f"deposit of {walkers} walkers")
    x, info = _core.bd.deposition(float(cell_radii), float(step), p, 5.0, 25.0, int(walkers),
                                  2**62, int(seed))
    if not info["complete"]:
        raise RuntimeError("deposition stopped before all walkers deposited")
    return DepositionResult(positions=x * radius, radius=radius, cell=cell_radii * radius,
                            damkohler=damkohler, info=dict(info, probability=p))
