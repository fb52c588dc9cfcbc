"""Lattice-gas models on the kMC core against closed-form results.

The validation functions compute their own statistical tolerances (multiples of standard
errors, see python/mesolith/validation/kmc.py); the tests require every row to pass.
"""

import math

import numpy as np
import pytest

from mesolith import _core
from mesolith.kmc import LatticeGas
from mesolith.validation import kmc as cases


def _assert_rows(rows):
    failed = [r for r in rows if not r.passed]
    assert not failed, "\n".join(
        f"{r.quantity}: expected {r.expected} +- {r.tolerance}, measured {r.measured}"
        for r in failed
    )


def test_langmuir_isotherm():
    _assert_rows(cases.langmuir_rows(seed=11))


def test_tracer_diffusion_single_walker():
    _assert_rows(cases.tracer_rows(seed=12))


def test_residence_times_exponential():
    _assert_rows(cases.residence_rows(seed=13))


def test_quasi_chemical_isotherm_high_temperature():
    _assert_rows(cases.quasi_chemical_rows(seed=14))


@pytest.mark.slow
def test_onsager_transition():
    _assert_rows(cases.onsager_rows(seed=15))


def test_replicas_identical_for_one_and_two_threads():
    gas = LatticeGas((12, 12), hop_rate=1.0, adsorption_rate=0.5, desorption_rate=0.5,
                     interaction=-0.02, seed=5)
    before = _core.max_threads()
    try:
        _core.set_num_threads(1)
        one = gas.replica_coverages(6, equilibrate=1.0, interval=0.5, samples=20)
        _core.set_num_threads(2)
        two = gas.replica_coverages(6, equilibrate=1.0, interval=0.5, samples=20)
    finally:
        _core.set_num_threads(before)
    assert np.array_equal(one, two)
    assert not np.array_equal(one[0], one[1])  # replicas are independent streams


def test_same_seed_same_trajectory():
    a = LatticeGas((10, 10, 10), hop_rate=1.0, adsorption_rate=0.2, desorption_rate=0.3, seed=9)
    b = LatticeGas((10, 10, 10), hop_rate=1.0, adsorption_rate=0.2, desorption_rate=0.3, seed=9)
    a.run(events=20000)
    b.run(events=5000).run(events=15000)
    assert a.time == b.time
    assert np.array_equal(a.occupancy, b.occupancy)


def test_hops_conserve_particles_and_occupancy_is_a_view():
    gas = LatticeGas((8, 6), hop_rate=3.0, interaction=-0.05, seed=1)
    occ = np.zeros((8, 6), np.uint8)
    occ[2:5, 1:3] = 1
    gas.set_occupancy(occ)
    view = gas.occupancy
    assert view.shape == (8, 6)
    assert np.array_equal(view, occ)
    gas.run(events=1000)
    assert view.sum() == 6  # the view follows the engine
    assert gas.coverage == pytest.approx(6 / 48)
    assert gas.events == 1000
    assert gas.tracer_msd() > 0


def test_run_to_time_stops_clock_exactly():
    gas = LatticeGas((5, 5), hop_rate=0.0, adsorption_rate=1.0, desorption_rate=1.0, seed=2)
    gas.run(time=2.5)
    assert gas.time == 2.5
    assert 0.0 <= gas.mean_coverage <= 1.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"shape": (2, 5)}, "shape"),
        ({"hop_rate": -1.0}, "hop_rate = -1.0"),
        ({"desorption_rate": math.nan}, "desorption_rate"),
        ({"temperature": 0.0}, "temperature = 0.0: must be > 0 K"),
    ],
)
def test_bad_input_names_the_field(kwargs, message):
    args = {"shape": (5, 5), "hop_rate": 1.0} | kwargs
    with pytest.raises(ValueError, match=message):
        LatticeGas(**args)


def test_run_requires_a_limit():
    gas = LatticeGas((5, 5), hop_rate=1.0)
    with pytest.raises(ValueError, match="events=, time="):
        gas.run()


def test_coexistence_plateau_below_tc():
    # In-plane attraction gives a two-phase plateau below Onsager's T_c whose width is
    # Yang's spontaneous magnetization, and none above it.
    _assert_rows(cases.coexistence_rows(seed=16))
