"""Synchronous-sublattice parallel kMC of the lattice gas (one large lattice, OpenMP)."""

from __future__ import annotations

import math

import numpy as np

from mesolith import _core
from mesolith._arrays import as_array

__all__ = ["SublatticeGas"]


class SublatticeGas:
    """The :class:`~mesolith.kmc.LatticeGas` model run by the synchronous-sublattice scheme
    (Shim & Amar, Phys. Rev. B 71, 125432, 2005).

    Domains of ``domain`` sites per axis are split into 2^d blocks; each cycle runs every
    block of one sublattice for ``tau`` seconds in parallel, then the next sublattice. Exact
    as ``tau`` -> 0; the bias at finite ``tau`` is measured in ``mesolith validate``.

    Examples
    --------
    >>> gas = SublatticeGas((64, 64), hop_rate=1.0, adsorption_rate=0.5, desorption_rate=0.5,
    ...                     domain=8, tau=0.1, seed=1)
    >>> gas.run(time=1.0).coverage  # doctest: +SKIP
    """

    def __init__(self, shape, hop_rate: float, adsorption_rate: float = 0.0,
                 desorption_rate: float = 0.0, interaction: float = 0.0,
                 temperature: float = 300.0, domain: int = 8, tau: float = 0.1, seed: int = 0):
        shape = tuple(int(s) for s in shape)
        if len(shape) not in (2, 3):
            raise ValueError(f"shape = {shape!r}: must have 2 or 3 lengths")
        if domain < 4 or domain % 2 or any(s % domain for s in shape):
            raise ValueError(f"domain = {domain!r}: must be even, >= 4 and divide every "
                             f"lattice length {shape}")
        if not (math.isfinite(tau) and tau > 0):
            raise ValueError(f"tau = {tau!r}: must be > 0 s")
        for name, value in (("hop_rate", hop_rate), ("adsorption_rate", adsorption_rate),
                            ("desorption_rate", desorption_rate)):
            if not (math.isfinite(value) and value >= 0):
                raise ValueError(f"{name} = {value!r}: must be a finite rate >= 0 1/s")
        if not temperature > 0:
            raise ValueError(f"temperature = {temperature!r}: must be > 0 K")
        self.shape = shape
        self._gas = _core.kmc.SublatticeGas(
            list(shape), float(hop_rate), float(adsorption_rate), float(desorption_rate),
            float(interaction), float(temperature), int(domain), float(tau), int(seed))

    def set_occupancy(self, occupancy) -> SublatticeGas:
        occ = as_array(occupancy, "occupancy", np.uint8, shape=self.shape)
        self._gas.set_occupancy(np.ascontiguousarray(occ.T).ravel())
        return self

    def run(self, time: float) -> SublatticeGas:
        """Run whole cycles until the clock reaches ``time`` (s)."""
        self._gas.run(float(time))
        return self

    @property
    def time(self) -> float:
        return self._gas.time

    @property
    def events(self) -> int:
        return self._gas.events

    @property
    def coverage(self) -> float:
        return self._gas.occupied / math.prod(self.shape)

    @property
    def occupancy(self) -> np.ndarray:
        """Occupancy indexed [x, y(, z)] (a copy)."""
        return self._gas.occupancy().reshape(tuple(reversed(self.shape))).T
