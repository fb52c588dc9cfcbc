"""Physical validation of the dynamics: Stokes-Einstein, fluctuation-dissipation at the
integrator level, and the barometric profile."""

from __future__ import annotations

import numpy as np

from mesolith.validation import bd as v


def test_single_sphere_msd_gives_stokes_einstein():
    d, d0, se = v.measure_single_sphere_diffusion(seed=3, steps=20_000)
    assert d0 == np.float64(1.380649e-23 * 298.15 / (6 * np.pi * 0.890e-3 * 1e-6))
    # 20000 steps x 3 components: relative standard error sqrt(2/60000) = 0.58 %;
    # 4 standard errors fail by chance with probability 6e-5.
    assert abs(d / d0 - 1) < 4 * se


def test_barometric_profile_above_a_wall():
    mean, expected, l_g, l_fit, se = v.measure_sedimentation_length(seed=5)
    # se counts one independent sample per particle per relaxation time l_g^2 / D0
    assert abs(mean - expected) < 4 * se
    # the wall shifts the mean by less than the repulsion range; the slope is l_g itself
    assert abs(expected - l_g) < 0.1 * l_g
    # ~1000 particles x 3 relaxation times, 25 bins: the slope is good to a few percent
    assert abs(l_fit / l_g - 1) < 0.1


def test_lanczos_error_shrinks_with_tolerance():
    errors = [v.lanczos_error(seed=2, tolerance=t)[0] for t in (1e-2, 1e-4, 1e-6)]
    assert errors[0] > errors[1] > errors[2]
    assert errors[2] < 1e-5
