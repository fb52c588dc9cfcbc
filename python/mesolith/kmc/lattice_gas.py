"""Lattice gases on the kMC core: the models that check the engine against theory."""

from __future__ import annotations

import math

import numpy as np

from mesolith import _core
from mesolith._arrays import as_array

__all__ = ["LatticeGas"]


def _check_rate(value: float, name: str) -> float:
    value = float(value)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} = {value!r}: must be a finite rate >= 0 1/s")
    if 0 < value < 1e-290:  # found by fuzzing: the waiting time 1/rate overflows to inf
        raise ValueError(f"{name} = {value!r}: below 1e-290 1/s the waiting times overflow; "
                         "use 0 to switch the process off")
    return value


def _check_rate_sum(params: dict, ndim: int, sites: int) -> None:
    """Refuse rates whose lattice total overflows a double (found by fuzzing: an infinite
    total crashes the event selection). Bound: every site at its largest Boltzmann factor
    exp(|J| z / kT), z = 2 ndim neighbours."""
    k_b = 8.617333262e-5  # eV/K
    z = 2 * ndim
    base = z * params["hop_rate"] + params["adsorption_rate"] + params["desorption_rate"]
    if base <= 0:
        return
    kt = k_b * params["temperature"]  # 0 for a denormal temperature
    coupling = abs(params["interaction"]) * z
    log_total = math.log(base) + math.log(sites) + (
        coupling / kt if kt > 0 else (math.inf if coupling else 0.0))
    if log_total > 690.0:  # e^690 ~ 1e300: leaves room for sums of rates
        raise ValueError(
            f"hop_rate = {params['hop_rate']!r} 1/s, interaction = {params['interaction']!r} eV "
            f"at temperature = {params['temperature']!r} K: rates up to e^{log_total:.0f} 1/s "
            "overflow the event selection; use smaller rates or |interaction| / kT")


class LatticeGas:
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
    ):
        shape = tuple(int(s) for s in shape)
        if len(shape) not in (2, 3) or any(s < 3 for s in shape):
            raise ValueError(f"shape = {shape!r}: must be 2 or 3 lengths, each >= 3")
        if not (math.isfinite(float(interaction))):
            raise ValueError(f"interaction = {interaction!r}: must be finite (eV)")
        temperature = float(temperature)
        if not (math.isfinite(temperature) and temperature > 0):
            raise ValueError(f"temperature = {temperature!r}: must be > 0 K")
        if not 0 <= int(seed) < 2**64:
            raise ValueError(f"seed = {seed!r}: must be in [0, 2**64)")
        from mesolith.memory import check_memory

        check_memory(40.0 * math.prod(shape), f"the lattice gas of {math.prod(shape)} sites")
        self.shape = shape
        self.params = dict(
            shape=list(shape),
            hop_rate=_check_rate(hop_rate, "hop_rate"),
            adsorption_rate=_check_rate(adsorption_rate, "adsorption_rate"),
            desorption_rate=_check_rate(desorption_rate, "desorption_rate"),
            interaction=float(interaction),
            temperature=temperature,
        )
        self.seed = int(seed)
        _check_rate_sum(self.params, len(shape), math.prod(shape))
        self._gas = _core.kmc.LatticeGas(**self.params, seed=self.seed)

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

    def set_occupancy(self, occupancy) -> LatticeGas:
        """Replace the configuration (0/1 array of ``shape``, indexed [x, y(, z)])."""
        occ = as_array(occupancy, "occupancy", np.uint8, shape=self.shape)
        if occ.max() > 1:
            raise ValueError("occupancy: values must be 0 or 1")
        self._gas.set_occupancy(np.ascontiguousarray(occ.T).ravel())
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

    # ---- state ---------------------------------------------------------------------
    @property
    def occupancy(self) -> np.ndarray:
        """Occupancy (uint8, 0/1) indexed [x, y(, z)]: a view of the engine's memory."""
        flat = self._gas.occupancy_view()
        view = flat.reshape(tuple(reversed(self.shape))).T
        view.flags.writeable = False
        return view

    @property
    def time(self) -> float:
        """Simulated time in s."""
        return self._gas.time

    @property
    def events(self) -> int:
        return self._gas.events

    @property
    def coverage(self) -> float:
        """Fraction of occupied sites now."""
        return self._gas.occupied / math.prod(self.shape)

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
        return self._gas.tracer_msd()
