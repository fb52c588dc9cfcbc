"""Plating trend study: how the plated fraction responds to C-rate, temperature, SOC and Li+.

Each point charges the host galvanostatically by the same amount of charge (``delta_soc`` of
the host capacity) from ``initial_soc`` and records the plated fraction (net plated Li over
net reduced Li) over independent seeds; replicas run in parallel threads (the engine
releases the GIL), and each is a function of its seed alone.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from mesolith.kmc.config import KmcConfig
from mesolith.kmc.simulation import E_CHARGE, Simulation

__all__ = [
    "PULSE_BASE",
    "TREND_BASE",
    "ChargeOutcome",
    "TrendPoint",
    "compare_drives",
    "plated_fraction_trend",
    "pulse_period_sweep",
]

#: Base point of the trend study (a near-surface slab at -5 C, SOC 0.6 -> 0.9).
TREND_BASE = {
    "lattice": {"nx": 8, "ny": 8, "nz": 12, "host_layers": 8},
    "drive": {"mode": "galvanostatic", "c_rate": 2.0},
    "temperature": 268.15,
    "initial_soc": 0.6,
    "sample_interval": 0.01,
}

#: Base of the pulse study: the trend slab. (A wider slab costs more than its area: every
#: potential update of the galvanostat rebuilds the rate tree, and the number of updates
#: grows with the current, so cost grows as the area squared; more seeds are cheaper.)
PULSE_BASE = TREND_BASE

_PATHS = {
    "c_rate": ("drive", "c_rate"),
    "temperature": (None, "temperature"),
    "initial_soc": (None, "initial_soc"),
    "concentration": ("electrolyte", "concentration"),
}


@dataclass(frozen=True)
class TrendPoint:
    parameter: str
    value: float
    plated_fraction: float  # mean over seeds
    standard_error: float
    mean_potential: float  # V vs Li/Li+, time average over the charge


def _one(config: KmcConfig, seed: int, delta_soc: float) -> tuple[float, float]:
    sim = Simulation(config, seed=seed)
    charge = delta_soc * sim._model.host_sites * E_CHARGE
    sim.run(time=charge / config.applied_current())
    return sim.plated_fraction, float(np.mean(sim.observables["potential"]))


def plated_fraction_trend(parameter: str, values, seeds=(0, 1, 2, 3), delta_soc: float = 0.3,
                          base: dict | None = None, threads: int = 2) -> list[TrendPoint]:
    """Plated fraction against one of ``c_rate`` (1/h), ``temperature`` (K), ``initial_soc``
    or ``concentration`` (mol/m^3), the rest fixed at ``base`` (default :data:`TREND_BASE`).

    Examples
    --------
    >>> points = plated_fraction_trend("c_rate", [1.0, 6.0])  # doctest: +SKIP
    """
    if parameter not in _PATHS:
        raise ValueError(f"parameter = {parameter!r}: must be one of {sorted(_PATHS)}")
    section, key = _PATHS[parameter]
    points = []
    for value in values:
        data = {k: dict(v) if isinstance(v, dict) else v for k, v in (base or TREND_BASE).items()}
        target = data if section is None else data.setdefault(section, {})
        target[key] = float(value)
        config = KmcConfig.from_dict(data, source="trend", prefix="kmc")
        with ThreadPoolExecutor(max_workers=threads) as pool:
            results = list(pool.map(lambda s, c=config: _one(c, s, delta_soc), seeds))
        fractions = np.array([r[0] for r in results])
        se = fractions.std(ddof=1) / math.sqrt(len(fractions)) if len(fractions) > 1 else math.nan
        points.append(TrendPoint(parameter, float(value), float(fractions.mean()), float(se),
                                 float(np.mean([r[1] for r in results]))))
    return points


@dataclass(frozen=True)
class ChargeOutcome:
    label: str
    plated_fraction: float
    standard_error: float
    max_height: float  # m, mean over seeds
    roughness: float  # m, mean over seeds
    max_height_se: float = math.nan  # m, standard error over seeds
    roughness_se: float = math.nan  # m, standard error over seeds


def compare_drives(drives: dict[str, dict], mean_c_rate: float, seeds=(0, 1, 2, 3),
                   delta_soc: float = 0.3, base: dict | None = None,
                   threads: int = 2) -> list[ChargeOutcome]:
    """Charge the same amount (``delta_soc`` of the host at the mean current of
    ``mean_c_rate``) with each drive (``{label: drive section}``), e.g. DC against pulses of
    the same mean current, and compare plated fraction and deposit height and roughness."""
    outcomes = []
    for label, drive in drives.items():
        data = {k: dict(v) if isinstance(v, dict) else v for k, v in (base or TREND_BASE).items()}
        data["drive"] = dict(drive)
        config = KmcConfig.from_dict(data, source="compare_drives", prefix="kmc")
        lat = config.lattice
        mean_current = (mean_c_rate * config.drive.areal_capacity / 3600.0
                        * lat.nx * lat.ny * lat.spacing**2)

        def one(seed, config=config, mean_current=mean_current):
            sim = Simulation(config, seed=seed)
            sim.run(time=delta_soc * sim._model.host_sites * E_CHARGE / mean_current)
            m = sim.deposit_metrics()
            return sim.plated_fraction, m["max_height"], m["roughness"]

        with ThreadPoolExecutor(max_workers=threads) as pool:
            res = np.array(list(pool.map(one, seeds)))
        se = res.std(axis=0, ddof=1) / math.sqrt(len(seeds))
        outcomes.append(ChargeOutcome(label, float(res[:, 0].mean()), float(se[0]),
                                      float(res[:, 1].mean()), float(res[:, 2].mean()),
                                      float(se[1]), float(se[2])))
    return outcomes


def pulse_period_sweep(on_times, duty: float = 0.25, mean_c_rate: float = 2.0,
                       seeds=tuple(range(16)), delta_soc: float = 0.3,
                       base: dict | None = None, threads: int = 2) -> list[ChargeOutcome]:
    """DC against on/rest pulses of the same mean current and charge, for each pulse length
    in ``on_times`` (s); the rest lasts ``on (1 - duty) / duty`` and the pulse current is
    ``mean_c_rate / duty``. Returns the DC outcome first, then one per pulse length, labelled
    by the on time in ms.

    Examples
    --------
    >>> out = pulse_period_sweep([1e-3, 2e-2], seeds=range(4))  # doctest: +SKIP
    """
    if not 0 < duty < 1:
        raise ValueError(f"duty = {duty!r}: must be in (0, 1)")
    drives = {"DC": {"mode": "galvanostatic", "c_rate": mean_c_rate}}
    for on in on_times:
        drives[f"{on * 1e3:g} ms"] = {"mode": "pulsed", "c_rate": mean_c_rate / duty,
                                      "pulse_on": float(on),
                                      "pulse_off": float(on) * (1 - duty) / duty}
    return compare_drives(drives, mean_c_rate, seeds=tuple(seeds), delta_soc=delta_soc,
                          base=base or PULSE_BASE, threads=threads)
