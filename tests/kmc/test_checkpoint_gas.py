"""Checkpoint/restart of the lattice gases: a split run equals an uninterrupted one, bit for
bit, and a foreign or corrupted checkpoint is refused."""

import numpy as np
import pytest

from mesolith.io.checkpoint import CheckpointError
from mesolith.kmc import LatticeGas
from mesolith.kmc.gas_base import GasBase
from mesolith.kmc.sublattice import SublatticeGas

GAS = dict(shape=(12, 10, 4), hop_rate=1.0, adsorption_rate=0.4, desorption_rate=0.6,
           interaction=-0.02, temperature=300.0, seed=17)


def test_lattice_gas_split_run_is_bit_identical(tmp_path):
    whole = LatticeGas(**GAS).run(events=30000)
    first = LatticeGas(**GAS).run(events=11111)
    path = first.checkpoint(tmp_path / "gas.h5")
    second = LatticeGas.restart(path)
    assert second.time == first.time and second.events == first.events
    second.run(events=30000 - 11111)
    assert second.time == whole.time
    assert np.array_equal(second.occupancy, whole.occupancy)
    assert second.tracer_msd() == whole.tracer_msd()
    assert second.mean_coverage == whole.mean_coverage


def test_lattice_gas_split_at_a_time_keeps_the_event_sequence(tmp_path):
    # A stop at a time between events saves the unused part of the waiting time, so the
    # same events follow; only the clock is summed in one more piece (last-bit rounding).
    whole = LatticeGas(**GAS).run(time=20.0)
    first = LatticeGas(**GAS).run(time=7.77)
    second = LatticeGas.restart(first.checkpoint(tmp_path / "gas.h5")).run(time=20.0)
    assert second.events == whole.events
    assert second.time == whole.time == 20.0
    assert np.array_equal(second.occupancy, whole.occupancy)
    assert second.tracer_msd() == whole.tracer_msd()
    assert second.mean_coverage == pytest.approx(whole.mean_coverage, rel=1e-12)


def test_sublattice_gas_split_run_is_bit_identical(tmp_path):
    settings = dict(shape=(16, 16), hop_rate=1.0, adsorption_rate=0.4, desorption_rate=0.6,
                    interaction=-0.03, domain=8, tau=0.25, seed=3)
    whole = SublatticeGas(**settings).run(4.0)
    first = SublatticeGas(**settings).run(1.5)
    second = SublatticeGas.restart(first.checkpoint(tmp_path / "sub.h5")).run(4.0)
    assert second.time == whole.time and second.events == whole.events
    assert np.array_equal(second.occupancy, whole.occupancy)


def test_checkpoint_of_another_engine_is_refused(tmp_path):
    path = LatticeGas(**GAS).run(events=100).checkpoint(tmp_path / "gas.h5")
    with pytest.raises(CheckpointError, match="not a kmc.SublatticeGas checkpoint"):
        SublatticeGas.restart(path)


def test_corrupted_checkpoint_is_refused(tmp_path):
    import h5py

    path = LatticeGas(**GAS).run(events=500).checkpoint(tmp_path / "gas.h5")
    with h5py.File(path, "r+") as fh:
        fh["state/displacement"][0] ^= 1
    with pytest.raises(CheckpointError, match="checksum"):
        LatticeGas.restart(path)


def test_shared_base_class():
    lattice = LatticeGas((8, 8), hop_rate=1.0, seed=1)
    sub = SublatticeGas((8, 8), hop_rate=1.0, domain=4, seed=1)
    occ = np.zeros((8, 8), np.uint8)
    occ[1:4, 2:6] = 1
    for gas in (lattice, sub):
        assert isinstance(gas, GasBase)
        gas.set_occupancy(occ)
        assert gas.coverage == pytest.approx(12 / 64)
        assert np.array_equal(gas.occupancy, occ)
        assert not gas.occupancy.flags.writeable
        with pytest.raises(ValueError, match="0 or 1"):
            gas.set_occupancy(occ * 2)
        with pytest.raises(ValueError, match="temperature = -1.0"):
            type(gas)((8, 8), hop_rate=1.0, temperature=-1.0)
