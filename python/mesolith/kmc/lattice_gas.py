"""Lattice gases on the kMC core: the models that check the engine against theory."""

from __future__ import annotations

import math

import numpy as np

from mesolith import _core
from mesolith._arrays import as_array
from mesolith.kmc.gas_base import GasBase, check_seed, lattice_gas_params

__all__ = ["LatticeGas"]


class LatticeGas(GasBase):
    """Periodic square (2D) or simple-cubic (3D) lattice gas, simulated by rejection-free kMC.

    Events (``n`` = occupied nearest neighbours of the particle's site, ``eps`` = the
    ``interaction``, ``w(n) = exp(eps n / kT)``): a hop to each empty neighbour at
    ``hop_rate * w(n)``, desorption at ``desorption_rate * w(n)``, adsorption on an empty site
    at ``adsorption_rate``. They obey detailed balance with the lattice-gas Hamiltonian and the
    chemical potential ``mu = kT ln(adsorption_rate / desorption_rate)``.

    Parameters
    ----------
    shape : tuple of int
        ``(nx, ny)`` for the square lattice or ``(nx, ny, nz)`` for simple cubic; each >= 3.
    hop_rate : float
        Rate of a hop to one empty neighbour at zero interaction, 1/s.
    adsorption_rate, desorption_rate : float
        Adsorption rate per empty site and desorption rate per particle (zero interaction), 1/s.
    interaction : float
        Nearest-neighbour pair energy in eV (negative = attractive).
    temperature : float
        Temperature in K.
    seed : int
        Seed of the counter-based generator; the trajectory is a function of it alone.
    tracers : bool
        Keep every particle's unwrapped displacement for :meth:`tracer_msd` (8 bytes per site
        on the square lattice, 12 on the cubic one: most of the memory of a large lattice).
        ``False`` keeps none: the same trajectory of occupancies and times, in about a tenth
        of the memory (2 bytes per site), and a little faster on lattices beyond the caches.

    Examples
    --------
    >>> gas = LatticeGas((32, 32), hop_rate=0, adsorption_rate=1.0, desorption_rate=1.0)
    >>> gas.run(time=20.0).coverage  # doctest: +SKIP
    0.49...
    """

    def __init__(
        self,
        shape,
        hop_rate: float,
        adsorption_rate: float = 0.0,
        desorption_rate: float = 0.0,
        interaction: float = 0.0,
        temperature: float = 300.0,
        seed: int = 0,
        tracers: bool = True,
    ):
        if not isinstance(tracers, (bool, np.bool_)):
            raise TypeError(f"tracers = {tracers!r}: must be True or False")
        self.tracers = bool(tracers)
        self.params = lattice_gas_params(shape, hop_rate, adsorption_rate, desorption_rate,
                                         interaction, temperature, tracers=self.tracers)
        self.shape = tuple(self.params["shape"])
        self.seed = check_seed(seed)
        self._gas = _core.kmc.LatticeGas(**self.params, seed=self.seed, tracers=self.tracers)

    # ---- driving -------------------------------------------------------------------
    def run(self, events: int | None = None, time: float | None = None) -> LatticeGas:
        """Fire ``events`` more events, or run until the clock reaches ``time`` (s), or both
        (whichever comes first). Returns ``self``."""
        if events is None and time is None:
            raise ValueError("run: give events=, time= or both")
        n = np.iinfo(np.uint64).max if events is None else int(events)
        if n < 0:
            raise ValueError(f"events = {events!r}: must be >= 0")
        t_end = math.inf if time is None else float(time)
        if math.isnan(t_end) or t_end < self.time:
            raise ValueError(f"time = {time!r}: must be >= the current time {self.time} s")
        self._gas.run(n, t_end)
        return self

    def residence_times(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Fire ``n`` events; return each waiting time (s) and the total rate (1/s) it was
        drawn with."""
        return self._gas.run_recorded(int(n))

    def replica_coverages(
        self, replicas: int, equilibrate: float, interval: float, samples: int
    ) -> np.ndarray:
        """Coverage time series of independent replicas started from the current configuration.

        Replica ``r`` uses random stream ``r + 1`` (this object's own trajectory uses stream
        0), and replicas run in parallel with OpenMP; the result is identical for any thread
        count. Returns an array (replicas, samples): the coverage every ``interval`` seconds
        after ``equilibrate`` seconds.
        """
        if replicas < 1 or samples < 1 or interval <= 0 or equilibrate < 0:
            raise ValueError("replicas, samples >= 1; interval > 0 s; equilibrate >= 0 s")
        occ = np.ascontiguousarray(self._gas.occupancy_view())
        return _core.kmc.replica_coverage_samples(
            **self.params, initial=occ, seed=self.seed, first_stream=1, n_replicas=int(replicas),
            t_equilibrate=float(equilibrate), interval=float(interval), n_samples=int(samples),
        )

    def replica_tracer_msd(self, replicas: int, times) -> np.ndarray:
        """Tracer MSD (lattice units^2) of independent replicas at the given increasing times
        (s), started from the current configuration; shape (replicas, len(times)). Parallel
        over replicas, identical for any thread count."""
        times = as_array(times, "times", np.float64, ndim=1)
        if np.any(np.diff(times) < 0) or times[0] < 0:
            raise ValueError("times: must be increasing and >= 0 s")
        occ = np.ascontiguousarray(self._gas.occupancy_view())
        return _core.kmc.replica_tracer_msd(
            **self.params, initial=occ, seed=self.seed, first_stream=1,
            n_replicas=int(replicas), times=times,
        )

    def reset_average(self) -> None:
        """Start a new window for :attr:`mean_coverage`."""
        self._gas.reset_average()

    # ---- state (time, events, coverage, occupancy, checkpoints: GasBase) -------------
    def _settings(self) -> dict:
        # tracers only when off: checkpoints written before the option restart as they were
        extra = {} if self.tracers else {"tracers": False}
        return {**self.params, "seed": self.seed, **extra}

    def _flat_occupancy(self) -> np.ndarray:
        return self._gas.occupancy_view()  # a view of the engine's memory

    @property
    def mean_coverage(self) -> float:
        """Time-averaged coverage since the last :meth:`reset_average` (exact time weights)."""
        t = self._gas.averaging_time
        if t <= 0:
            raise RuntimeError("mean_coverage: no simulated time since reset_average()")
        return self._gas.occupancy_integral / t / math.prod(self.shape)

    @property
    def total_rate(self) -> float:
        """Sum of all event rates now, 1/s."""
        return self._gas.total_rate

    def tracer_msd(self) -> float:
        """Mean squared unwrapped displacement of the particles present, in lattice units^2."""
        if not self.tracers:
            raise ValueError("tracer_msd: this LatticeGas was made with tracers=False and keeps "
                             "no displacements; make it with tracers=True")
        return self._gas.tracer_msd()
