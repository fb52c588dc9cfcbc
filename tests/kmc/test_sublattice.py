"""Synchronous-sublattice scheme: thread independence and an unbiased independent-site case."""

import math

import numpy as np
import pytest

from mesolith import _core
from mesolith.kmc.sublattice import SublatticeGas
from mesolith.kmc.theory import langmuir_coverage


def test_identical_for_one_and_two_threads():
    results = []
    before = _core.max_threads()
    try:
        for threads in (1, 2):
            _core.set_num_threads(threads)
            gas = SublatticeGas((32, 32), hop_rate=1.0, adsorption_rate=0.4, desorption_rate=0.6,
                                interaction=-0.03, domain=8, tau=0.2, seed=4)
            results.append(gas.run(3.0).occupancy)
    finally:
        _core.set_num_threads(before)
    assert np.array_equal(results[0], results[1])


def test_langmuir_is_exact_for_any_tau():
    # Without hops or interactions every site is independent, so freezing neighbours costs
    # nothing even with tau longer than the relaxation time: the coverage must be Langmuir.
    gas = SublatticeGas((64, 64), hop_rate=0.0, adsorption_rate=3.0, desorption_rate=1.0,
                        domain=8, tau=1.0, seed=2).run(20.0)
    theta = langmuir_coverage(3.0)
    # One snapshot of 4096 independent sites: SE = sqrt(theta (1 - theta) / N); 4 SE.
    assert abs(gas.coverage - theta) < 4 * math.sqrt(theta * (1 - theta) / 4096)


def test_bad_domain_rejected():
    with pytest.raises(ValueError, match="domain = 6"):
        SublatticeGas((32, 32), hop_rate=1.0, domain=6)
