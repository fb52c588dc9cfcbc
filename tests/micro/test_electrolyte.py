"""Electrolyte transport through pores and nano-porous CBD: layered media and a blocked channel."""

import math

import numpy as np
import pytest

from mesolith.micro import add_cbd, electrolyte_tortuosity, pack_spheres, tortuosity

# Solver tolerance 1e-8 relative residual: layered media are exact in the finite-volume scheme
# (harmonic face means), so results match the analytic means to ~1e-7.
RTOL = 1e-8


def _layers():
    lab = np.zeros((8, 8, 12), np.uint8)
    lab[:, :, 1::3] = 2  # pore, CBD, AM, pore, CBD, AM, ...
    lab[:, :, 2::3] = 1
    return lab


def test_series_layers_give_the_harmonic_mean():
    lab = np.zeros((8, 8, 8), np.uint8)
    lab[:, :, 1::2] = 2
    r = electrolyte_tortuosity(lab, axis=2, nanoporosity=0.5, rtol=RTOL)
    d_cbd = 0.5**1.5
    assert r.cbd_relative_diffusivity == pytest.approx(d_cbd, rel=1e-15)
    assert r.relative_diffusivity == pytest.approx(2 / (1 + 1 / d_cbd), rel=1e-6)
    assert r.porosity_total == pytest.approx(0.5 + 0.5 * 0.5, rel=1e-15)
    assert r.tau_factor == pytest.approx(0.75 * (1 + 1 / d_cbd) / 2, rel=1e-6)


def test_parallel_layers_give_the_arithmetic_mean_and_am_blocks():
    lab = _layers()
    r = electrolyte_tortuosity(lab, axis=0, nanoporosity=0.3, nano_tortuosity=2.0, rtol=RTOL)
    assert r.cbd_relative_diffusivity == pytest.approx(0.15, rel=1e-15)
    assert r.relative_diffusivity == pytest.approx((1 + 0.15) / 3, rel=1e-6)
    # Across the layers the AM blocks every path: nothing flows.
    across = electrolyte_tortuosity(lab, axis=2, nanoporosity=0.3, rtol=RTOL)
    assert across.relative_diffusivity == 0.0 and math.isinf(across.tau_factor)


def test_cbd_plug_in_a_channel_conducts_through_its_nanopores():
    n, w, length, plug = 16, 4, 32, 4
    lab = np.ones((n, n, length), np.uint8)
    lab[:w, :w, :] = 0
    lab[:w, :w, 14:14 + plug] = 2
    # Pore-only transport sees no path; with the CBD a series resistance along the channel.
    assert tortuosity(lab, phase=0, axis=2).relative_diffusivity == 0.0
    for eps, tau in [(0.5, None), (0.2, 3.0)]:
        d_cbd = eps**1.5 if tau is None else eps / tau
        r = electrolyte_tortuosity(lab, axis=2, nanoporosity=eps, nano_tortuosity=tau,
                                   rtol=RTOL)
        expected = (w * w / n**2) * length / (length - plug + plug / d_cbd)
        assert r.relative_diffusivity == pytest.approx(expected, rel=1e-6)
        assert r.percolates
    dense = electrolyte_tortuosity(lab, axis=2, nanoporosity=0.0, rtol=RTOL)
    assert dense.relative_diffusivity == 0.0 and not dense.percolates


def test_nanoporosity_comes_from_the_cbd_metadata():
    ms = pack_spheres(shape=(24, 24, 24), voxel_size=1e-6, mean_radius=4e-6, am_fraction=0.45,
                      seed=2)
    ms = add_cbd(ms, fraction=0.1, nanoporosity=0.4, seed=1)
    r = electrolyte_tortuosity(ms, axis=2)
    assert r.nanoporosity == 0.4 and r.cbd_relative_diffusivity == pytest.approx(0.4**1.5)
    fr = ms.volume_fractions()
    assert r.porosity_total == pytest.approx(fr["pore"] + 0.4 * fr["CBD"], rel=1e-12)
    # CBD that conducts adds paths: D_eff exceeds the pore-only value, and tau uses eps_total.
    pore_only = tortuosity(ms, phase=0, axis=2)
    assert r.relative_diffusivity > pore_only.relative_diffusivity
    with pytest.raises(ValueError, match="nanoporosity"):
        electrolyte_tortuosity(ms.labels, axis=2)
