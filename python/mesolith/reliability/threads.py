"""Same seed, 1 and 2 OpenMP threads: bit-identical results (solvers: to their tolerance).

Each check runs a small real problem twice, with 1 and with 2 threads, and compares.
The OpenMM-based MD engine is not included: OpenMM's CPU platform draws the Langevin
noise from one random stream per thread, so runs with 1 and 2 threads differ by design
and only ``md.threads = 1`` is reproducible; ``validate --reliability`` checks 1-thread
reruns instead (:func:`mesolith.md.faults.rerun_identical`, docs/guide/reliability.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from mesolith import _core

__all__ = ["THREAD_CHECKS", "ThreadCheck", "run_thread_checks", "run_thread_checks_for"]


@dataclass(frozen=True)
class ThreadCheck:
    engine: str
    name: str
    run: Callable[[], dict[str, np.ndarray]]
    rtol: float = 0.0  # 0: bit-identical required


def _boolean():
    from mesolith.micro.generators import boolean_spheres

    ms = boolean_spheres(shape=(40, 40, 40), voxel_size=1e-6, mean_radius=4e-6, porosity=0.5,
                         seed=3)
    return {"labels": ms.labels}


def _field():
    from mesolith.micro.generators import gaussian_field_structure

    ms = gaussian_field_structure(shape=(32, 32, 32), voxel_size=1e-6, correlation_length=3e-6,
                                  am_fraction=0.5, cbd_fraction=0.1, cbd_correlation_length=2e-6,
                                  seed=4)
    return {"labels": ms.labels}


def _packing():
    from mesolith.micro.generators import pack_spheres

    ms = pack_spheres(shape=(32, 32, 32), voxel_size=1e-6, mean_radius=4e-6, am_fraction=0.5,
                      seed=5)
    return {"labels": ms.labels, "particles": ms.particles}


def _tortuosity():
    from mesolith.micro.generators import boolean_spheres
    from mesolith.micro.transport import tortuosity

    ms = boolean_spheres(shape=(40, 40, 40), voxel_size=1e-6, mean_radius=4e-6, porosity=0.6,
                         seed=6)
    return {"tau": np.array(tortuosity(ms, axis=2, rtol=1e-8).tau_factor)}


def _kmc_anode():
    from mesolith.kmc import Simulation

    sim = Simulation({"lattice": {"nx": 6, "ny": 5, "nz": 14, "host_layers": 6},
                      "drive": {"mode": "galvanostatic", "c_rate": 4.0}, "initial_soc": 0.6},
                     seed=7).run(time=0.05)
    return {"lattice": np.array(sim.lattice), **sim.observables}


def _kmc_replicas():
    from mesolith.kmc import LatticeGas

    gas = LatticeGas((12, 12), hop_rate=1.0, adsorption_rate=1.0, desorption_rate=1.0,
                     interaction=0.05, seed=8).run(events=20000)
    return {"occupancy": np.array(gas.occupancy), "time": np.array(gas.time)}


def _bd():
    from mesolith.bd import Simulation

    cfg = {"species": [{"name": "NMC", "preset": "nmc", "count": 4, "radius": 0.2e-6},
                       {"name": "CB", "preset": "carbon_black", "count": 40}],
           "box": (1.5e-6, 1.5e-6, 1.5e-6), "dt": 2e-8, "noise": "lanczos"}
    sim = Simulation(cfg, seed=9).run(30, progress=False)
    return {"positions": sim.positions, "bonds": sim.bonds}


THREAD_CHECKS = [
    ThreadCheck("micro", "Boolean spheres", _boolean),
    ThreadCheck("micro", "Gaussian-field structure", _field),
    ThreadCheck("micro", "sphere packing", _packing),
    # CG sums in a thread-dependent order: equal to the solve tolerance, not to the bit
    ThreadCheck("micro", "tortuosity (rtol 1e-8)", _tortuosity, rtol=1e-6),
    ThreadCheck("kmc", "anode model", _kmc_anode),
    ThreadCheck("kmc", "lattice gas", _kmc_replicas),
    ThreadCheck("bd", "RPY + Lanczos dynamics", _bd),
]


def _same(a: dict, b: dict, rtol: float) -> list[str]:
    diffs = sorted(set(a) ^ set(b))
    for key in sorted(set(a) & set(b)):
        x, y = np.asarray(a[key]), np.asarray(b[key])
        if x.shape != y.shape:
            diffs.append(key)
        elif rtol == 0:
            if not np.array_equal(x, y, equal_nan=x.dtype.kind == "f"):
                diffs.append(key)
        elif not np.allclose(x, y, rtol=rtol, atol=0, equal_nan=True):
            diffs.append(key)
    return diffs


def run_thread_checks(engines: list[str] | None = None) -> list[tuple[ThreadCheck, list[str]]]:
    """Run each check with 1 and 2 threads; returns (check, differing keys)."""
    return run_thread_checks_for([c for c in THREAD_CHECKS if not engines or c.engine in engines])


def run_thread_checks_for(checks: list[ThreadCheck]) -> list[tuple[ThreadCheck, list[str]]]:
    before = _core.max_threads()
    out = []
    try:
        for check in checks:
            _core.set_num_threads(1)
            one = check.run()
            _core.set_num_threads(2)
            two = check.run()
            out.append((check, _same(one, two, check.rtol)))
    finally:
        _core.set_num_threads(before)
    return out
