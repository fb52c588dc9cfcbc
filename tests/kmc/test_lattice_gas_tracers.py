"""LatticeGas(tracers=False): no displacements kept, the same dynamics.

The displacements only follow the particles; they never enter a rate. Without them a run
must give the same occupancies, times and events as with them, on lattices small enough to
stay in cache and on one large enough for the engine to predict the next events."""

import numpy as np
import pytest

from mesolith.kmc import LatticeGas

CASES = [
    dict(shape=(13, 9), hop_rate=1.0, adsorption_rate=0.4, desorption_rate=0.6, seed=3),
    dict(shape=(10, 7, 9), hop_rate=1.0, adsorption_rate=0.2, desorption_rate=0.2,
         interaction=-0.03, seed=4),
    # > 2^21 cells: the next events are predicted and their cache lines requested
    dict(shape=(1500, 1500), hop_rate=1.0, adsorption_rate=0.3, desorption_rate=0.2,
         interaction=-0.02, seed=5),
]


@pytest.mark.parametrize("params", CASES, ids=["square", "cubic", "large"])
def test_same_trajectory_without_tracers(params):
    with_tracers = LatticeGas(**params)
    without = LatticeGas(**params, tracers=False)
    rng = np.random.default_rng(1)
    start = (rng.random(params["shape"]) < 0.3).astype(np.uint8)
    for gas in (with_tracers, without):
        gas.set_occupancy(start)
    for events in (1, 999, 200_000):
        with_tracers.run(events=events)
        without.run(events=events)
        assert without.time == with_tracers.time
        assert without.events == with_tracers.events
        assert np.array_equal(without.occupancy, with_tracers.occupancy)
    assert with_tracers.tracer_msd() > 0


def test_tracer_msd_without_tracers_names_the_option():
    gas = LatticeGas((6, 6), hop_rate=1.0, tracers=False).run(events=10)
    with pytest.raises(ValueError, match="tracers=False"):
        gas.tracer_msd()


def test_tracers_must_be_a_bool():
    with pytest.raises(TypeError, match="tracers = 'no'"):
        LatticeGas((6, 6), hop_rate=1.0, tracers="no")


def test_checkpoint_without_tracers_restarts_bit_identically(tmp_path):
    params = dict(shape=(12, 10, 4), hop_rate=1.0, adsorption_rate=0.4, desorption_rate=0.6,
                  seed=17, tracers=False)
    whole = LatticeGas(**params).run(events=20000)
    first = LatticeGas(**params).run(events=7777)
    assert first._gas.state()["displacement"].size == 0  # nothing stored per site
    second = LatticeGas.restart(first.checkpoint(tmp_path / "gas.h5"))
    assert second.tracers is False
    second.run(events=20000 - 7777)
    assert second.time == whole.time
    assert np.array_equal(second.occupancy, whole.occupancy)
