"""What LatticeGas and SublatticeGas share: parameter checks, state, occupancy, checkpoints."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from mesolith._arrays import as_array

__all__ = ["GasBase", "check_seed", "lattice_gas_params"]


def _check_rate(value: float, name: str) -> float:
    value = float(value)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} = {value!r}: must be a finite rate >= 0 1/s")
    if 0 < value < 1e-290:  # found by fuzzing: the waiting time 1/rate overflows to inf
        raise ValueError(f"{name} = {value!r}: below 1e-290 1/s the waiting times overflow; "
                         "use 0 to switch the process off")
    return value


def _check_rate_sum(params: dict, sites: int) -> None:
    """Refuse rates whose lattice total overflows a double (found by fuzzing: an infinite
    total broke the event selection). Bound: every site at its largest Boltzmann factor
    exp(|J| z / kT), z = 2 ndim neighbours."""
    k_b = 8.617333262e-5  # eV/K
    z = 2 * len(params["shape"])
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


def lattice_gas_params(shape, hop_rate, adsorption_rate, desorption_rate, interaction,
                       temperature, tracers: bool = True) -> dict[str, Any]:
    """Checked model parameters (SI: rates in 1/s, interaction in eV, temperature in K);
    ``tracers`` only sizes the memory check (displacements kept or not)."""
    shape = tuple(int(s) for s in shape)
    if len(shape) not in (2, 3) or any(s < 3 for s in shape):
        raise ValueError(f"shape = {shape!r}: must be 2 or 3 lengths, each >= 3")
    if not math.isfinite(float(interaction)):
        raise ValueError(f"interaction = {interaction!r}: must be finite (eV)")
    temperature = float(temperature)
    if not (math.isfinite(temperature) and temperature > 0):
        raise ValueError(f"temperature = {temperature!r}: must be > 0 K")
    from mesolith.memory import check_memory

    sites = math.prod(shape)
    # per site: 1-byte cell, 1-byte occupancy, up to 12-byte displacement (tracers), class
    # counts (< 1 byte), plus the padding cells of tiles at the lattice edges; 40 (8 without
    # tracers) bytes is a generous upper bound
    check_memory((40.0 if tracers else 8.0) * sites, f"the lattice gas of {sites} sites")
    params = dict(
        shape=list(shape),
        hop_rate=_check_rate(hop_rate, "hop_rate"),
        adsorption_rate=_check_rate(adsorption_rate, "adsorption_rate"),
        desorption_rate=_check_rate(desorption_rate, "desorption_rate"),
        interaction=float(interaction),
        temperature=temperature,
    )
    _check_rate_sum(params, sites)
    return params


def check_seed(seed) -> int:
    """The seed as an int in [0, 2**64), or a ValueError naming it."""
    if not 0 <= int(seed) < 2**64:
        raise ValueError(f"seed = {seed!r}: must be in [0, 2**64)")
    return int(seed)


class GasBase:
    """Base of the lattice-gas front ends. Subclasses set ``shape``, ``seed``, ``_gas`` (the
    C++ object, with ``time``, ``events``, ``occupied``, ``set_occupancy``, ``state`` and
    ``restore``) and implement :meth:`_settings` (the constructor keywords) and
    :meth:`_flat_occupancy`."""

    shape: tuple[int, ...]
    seed: int
    _gas: Any

    # ---- subclass hooks --------------------------------------------------------------
    def _settings(self) -> dict[str, Any]:
        raise NotImplementedError

    def _flat_occupancy(self) -> np.ndarray:
        raise NotImplementedError

    # ---- shared state ----------------------------------------------------------------
    @property
    def time(self) -> float:
        """Simulated time in s."""
        return self._gas.time

    @property
    def events(self) -> int:
        """Events fired so far."""
        return self._gas.events

    @property
    def coverage(self) -> float:
        """Fraction of occupied sites now."""
        return self._gas.occupied / math.prod(self.shape)

    @property
    def occupancy(self) -> np.ndarray:
        """Occupancy (uint8, 0/1) indexed [x, y(, z)], read-only."""
        view = self._flat_occupancy().reshape(tuple(reversed(self.shape))).T
        view.flags.writeable = False
        return view

    def set_occupancy(self, occupancy):
        """Replace the configuration (0/1 array of ``shape``, indexed [x, y(, z)])."""
        occ = as_array(occupancy, "occupancy", np.uint8, shape=self.shape)
        if occ.size and occ.max() > 1:
            raise ValueError("occupancy: values must be 0 or 1")
        self._gas.set_occupancy(np.ascontiguousarray(occ.T).ravel())
        return self

    # ---- checkpoints -----------------------------------------------------------------
    def checkpoint(self, path: str | Path) -> Path:
        """Write the whole state (lattice, clock, random-stream position, event lists) to
        HDF5, atomically. :meth:`restart` from the file continues exactly the trajectory an
        uninterrupted run would have followed.

        Examples
        --------
        >>> gas.checkpoint("gas.h5")  # doctest: +SKIP
        >>> same = type(gas).restart("gas.h5").run(time=2.0)  # doctest: +SKIP
        """
        from mesolith.io.checkpoint import save_checkpoint

        state = {k: np.asarray(v) for k, v in self._gas.state().items()}
        return save_checkpoint(path, self._engine_name(), state, step=int(self.events),
                               config=self._settings(), seed=self.seed)

    @classmethod
    def restart(cls, path: str | Path):
        """A new object continuing the run saved by :meth:`checkpoint` in ``path``."""
        from mesolith.io import read_results
        from mesolith.io.checkpoint import CheckpointError, load_checkpoint

        stored = read_results(path, verify=False)  # settings only; load_checkpoint verifies
        engine = stored.attrs.get("engine")
        if stored.attrs.get("kind") != "checkpoint" or engine != cls._engine_name():
            raise CheckpointError(f"{path}: not a {cls._engine_name()} checkpoint "
                                  f"(kind = {stored.attrs.get('kind')!r}, engine = {engine!r})")
        gas = cls(**stored.config)
        saved = load_checkpoint(path, gas._engine_name(), gas._settings())
        state = {k: (v.item() if np.ndim(v) == 0 else np.ascontiguousarray(v))
                 for k, v in saved.state.items()}
        gas._gas.restore(state)
        return gas

    @classmethod
    def _engine_name(cls) -> str:
        return f"kmc.{cls.__name__}"
