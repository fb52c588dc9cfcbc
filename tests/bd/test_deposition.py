"""Reactive deposition: dendritic (porous, rough) at high Damkohler number, compact at low."""

from __future__ import annotations

import numpy as np
import pytest

from mesolith.bd.deposition import deposition, reaction_probability


def test_reaction_probability_follows_erban_chapman():
    # p = k sqrt(pi dt / D) with Da = k a / D and step = sqrt(2 D dt) / a
    assert reaction_probability(1.0, 0.2) == pytest.approx(np.sqrt(np.pi / 2) * 0.2)


def test_high_damkohler_is_dendritic_low_is_compact():
    fast = deposition(3.9, walkers=300, cell_radii=12.0, seed=3)
    slow = deposition(0.04, walkers=300, cell_radii=12.0, seed=3)
    # Over seeds 0-3 the porosity spreads by about +-0.01 at Da = 3.9 and +-0.02 at
    # Da = 0.04, while the two regimes differ by about 0.14: a gap of 0.08 is > 3 spreads.
    assert fast.porosity > slow.porosity + 0.08
    assert fast.height > 2 * slow.height
    assert fast.roughness > 2 * slow.roughness
    # every sphere sits on the electrode or touches the deposit within one step
    assert slow.positions[:, 2].min() >= slow.radius * (1 - 1e-12)


def test_deposit_depends_only_on_the_seed_and_checks_input():
    a = deposition(1.0, walkers=40, seed=8).positions
    b = deposition(1.0, walkers=40, seed=8).positions
    np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="damkohler = 5.0: must be <="):
        deposition(5.0, walkers=10)
    with pytest.raises(ValueError, match="damkohler = -1.0: must be > 0"):
        deposition(-1.0, walkers=10)
