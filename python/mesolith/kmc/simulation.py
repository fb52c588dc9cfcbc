"""The anode kMC model: Li+ insertion into graphite against Li plating."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from mesolith import _core
from mesolith.config.base import ConfigError
from mesolith.kmc.config import KmcConfig
from mesolith.kmc.deposit import deposit_metrics
from mesolith.progress import progress_bar

__all__ = ["STATE_NAMES", "Simulation"]

E_CHARGE = 1.602176634e-19  # C
_MODES = {"potentiostatic": 0, "galvanostatic": 1, "pulsed": 2}

#: Site states of :attr:`Simulation.lattice`.
STATE_NAMES = {0: "electrolyte", 1: "Li+", 2: "Li metal", 3: "empty gallery site",
               4: "intercalated Li", 5: "graphene"}


def _check_lattice_memory(sites: int) -> None:
    from mesolith.memory import check_memory

    # state, stamps and the rate tree: about 40 bytes per site
    check_memory(40.0 * sites, f"the kMC lattice of {sites} sites")


class Simulation:
    """Kinetic Monte Carlo of Li insertion into graphite and Li plating on its surface.

    Parameters
    ----------
    config : KmcConfig or dict
        Model, drive and initial state (SI units; energies in eV, potentials in V vs Li/Li+).
    seed : int
        Seed of the counter-based generator; a run is a function of (config, seed) alone.

    Examples
    --------
    >>> sim = Simulation({"drive": {"mode": "galvanostatic", "c_rate": 2.0}}, seed=1)
    >>> sim.run(time=0.05)  # doctest: +SKIP
    >>> sim.observables["soc"][-1], sim.plated_fraction  # doctest: +SKIP
    """

    def __init__(self, config: KmcConfig | dict | None = None, seed: int = 0):
        if config is None:
            config = KmcConfig()
        elif isinstance(config, dict):
            config = KmcConfig.from_dict(config, source="<kmc config>", prefix="kmc")
        elif not isinstance(config, KmcConfig):
            raise TypeError("config: must be a KmcConfig or a dict")
        if not 0 <= int(seed) < 2**64:
            raise ConfigError([f"seed = {seed!r}: must be in [0, 2**64)"])
        self.config = config
        self.seed = int(seed)
        _check_lattice_memory(config.lattice.nx * config.lattice.ny * config.lattice.nz)
        self._model = _core.kmc.AnodeModel(config.engine_parameters(), self.seed)
        self._model.initialize(config.initial_soc)
        d = config.drive
        self._model.set_drive(
            _MODES[d.mode], d.potential, config.applied_current(), d.pulse_on, d.pulse_off,
            d.reverse_ratio, d.min_potential, d.max_potential, d.double_layer_capacitance,
            d.control_interval,
        )
        self._initial_inserted_capacity = int(round(config.initial_soc * self._model.host_sites))

    # ---- running ---------------------------------------------------------------------
    def run(self, time: float | None = None, events: int | None = None,
            progress: bool = False) -> Simulation:
        """Advance by ``time`` seconds of simulated time and/or ``events`` events
        (whichever ends first). Observables are sampled every ``config.sample_interval``."""
        if time is None and events is None:
            raise ValueError("run: give time=, events= or both")
        if time is not None and not (math.isfinite(time) and time > 0):
            raise ValueError(f"time = {time!r}: must be > 0 s")
        if events is not None and int(events) < 0:
            raise ValueError(f"events = {events!r}: must be >= 0")
        t_end = math.inf if time is None else self.time + float(time)
        budget = 2**63 if events is None else int(events)
        interval = self.config.sample_interval
        chunks = 100 if time is not None else 1
        with progress_bar(chunks, "kMC", enabled=progress) as bar:
            for k in range(chunks):
                stop = t_end if time is None else self.time + (t_end - self.time) / (chunks - k)
                budget -= self._model.run(stop, budget, interval)
                bar.advance(1)
                if budget <= 0:
                    break
        return self

    # ---- results ---------------------------------------------------------------------
    @property
    def time(self) -> float:
        """Simulated time, s."""
        return self._model.time

    @property
    def events(self) -> int:
        return self._model.events

    @property
    def potential(self) -> float:
        """Electrode potential now, V vs Li/Li+."""
        return self._model.potential

    @property
    def lattice(self) -> np.ndarray:
        """Site states (uint8, see :data:`STATE_NAMES`) indexed [x, y, z]: a read-only view."""
        lat = self.config.lattice
        view = self._model.state_view().reshape(lat.nz, lat.ny, lat.nx).T
        view.flags.writeable = False
        return view

    @property
    def deposit(self) -> np.ndarray:
        """Li metal voxels above the anode surface (bool, [x, y, z - host_layers])."""
        return self.lattice[:, :, self.config.lattice.host_layers:] == 2

    @property
    def observables(self) -> dict[str, np.ndarray]:
        """Time series: time (s), potential (V), soc, inserted and plated Li (atoms, net since
        the start), target_current and expected_current (A), insertion_current and
        plating_current (A, from the counts between samples), ions in the electrolyte."""
        s = self._model.samples()
        t = s["time"]
        dt = np.diff(t)
        with np.errstate(invalid="ignore", divide="ignore"):
            i_ins = np.where(dt > 0, np.diff(s["inserted"]) * E_CHARGE / np.where(dt > 0, dt, 1),
                             np.nan)
            i_pl = np.where(dt > 0, np.diff(s["plated"]) * E_CHARGE / np.where(dt > 0, dt, 1),
                            np.nan)
        s["insertion_current"] = np.concatenate([[np.nan], i_ins])
        s["plating_current"] = np.concatenate([[np.nan], i_pl])
        return s

    @property
    def plated_fraction(self) -> float:
        """Net plated Li over net reduced Li (inserted + plated) since the start."""
        inserted, deinserted, deposited, stripped = self._model.counts()
        plated = deposited - stripped
        total = inserted - deinserted + plated
        return plated / total if total > 0 else 0.0

    def deposit_metrics(self) -> dict[str, float]:
        """Volume, height, roughness, porosity and fractal dimension of the deposit."""
        return deposit_metrics(self.deposit, self.config.lattice.spacing)

    def checkpoint(self, path: str | Path) -> Path:
        """Write everything needed to continue this run (lattice, clock, random-stream
        position, galvanostat state, samples) to HDF5, atomically.

        :meth:`restart` from the file continues the same trajectory an uninterrupted run
        would have followed.
        """
        from mesolith.io import write_results

        c = self._model.checkpoint()
        scalars = {k: np.asarray(v) for k, v in c.items() if k != "counts"}
        scalars["events"] = np.uint64(c["events"])
        scalars["rng_block"] = np.uint64(c["rng_block"])
        scalars["counts"] = np.asarray(c["counts"], dtype=np.uint64)
        data = {"checkpoint": scalars,
                "lattice": {"state": np.array(self._model.state_view())},
                "samples": self._model.samples()}
        write_results(path, data, config=self.config, seed=self.seed,
                      attrs={"kind": "mesolith.kmc checkpoint"})
        return Path(path)

    @classmethod
    def restart(cls, path: str | Path) -> Simulation:
        """Continue a run from a file written by :meth:`checkpoint`."""
        from mesolith.io import read_results

        res = read_results(path)
        if res.attrs.get("kind") != "mesolith.kmc checkpoint":
            raise ValueError(f"{path}: not a mesolith.kmc checkpoint")
        sim = cls(KmcConfig.model_validate(res.config), seed=int(res.attrs["seed"]))
        sim._model.set_state(np.ascontiguousarray(res["lattice/state"], dtype=np.uint8))
        c = {k.split("/", 1)[1]: res[k] for k in res.data if k.startswith("checkpoint/")}
        c = {k: (v.tolist() if k == "counts" else np.asarray(v).item()) for k, v in c.items()}
        samples = {k.split("/", 1)[1]: np.asarray(res[k]) for k in res.data
                   if k.startswith("samples/")}
        sim._model.restore(c, samples)
        return sim

    def save(self, path: str | Path) -> Path:
        """Write observables, lattice and deposit metrics to HDF5 (atomically)."""
        from mesolith.io import write_results

        obs = self.observables
        metrics = self.deposit_metrics()
        units = {"observables/time": "s", "observables/potential": "V",
                 "observables/target_current": "A", "observables/expected_current": "A",
                 "observables/insertion_current": "A", "observables/plating_current": "A",
                 "deposit/volume": "m^3", "deposit/mean_height": "m", "deposit/max_height": "m",
                 "deposit/roughness": "m"}
        data = {
            "observables": obs,
            "lattice": {"state": np.ascontiguousarray(self.lattice)},
            "deposit": {k: np.asarray(v) for k, v in metrics.items()},
        }
        write_results(path, data, config=self.config, seed=self.seed, units=units,
                      attrs={"plated_fraction": self.plated_fraction, "time": self.time,
                             "events": self.events})
        return Path(path)
