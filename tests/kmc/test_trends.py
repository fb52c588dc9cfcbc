"""Plating trends from the physical rate model (Zhang et al.: more plating at fast charge)."""

import math

import pytest

from mesolith.kmc.trends import plated_fraction_trend


def test_plated_fraction_rises_with_c_rate():
    low, high = plated_fraction_trend("c_rate", [1.0, 6.0], seeds=(0, 1, 2, 3))
    # Four independent seeds per point; the rise must exceed three combined standard errors
    # (a one-sided chance of ~1e-3 if the model had no C-rate effect and normal errors).
    se = math.hypot(low.standard_error, high.standard_error)
    assert high.plated_fraction - low.plated_fraction > 3 * se
    assert high.mean_potential < low.mean_potential  # larger overpotential at 6C


@pytest.mark.slow
def test_plated_fraction_falls_with_temperature():
    cold, warm = plated_fraction_trend("temperature", [253.15, 298.15], seeds=(0, 1, 2, 3))
    se = math.hypot(cold.standard_error, warm.standard_error)
    assert cold.plated_fraction - warm.plated_fraction > 2 * se
    assert cold.mean_potential < warm.mean_potential


def test_compare_drives_charges_the_same_amount():
    from mesolith.kmc.trends import compare_drives

    out = compare_drives({"dc": {"mode": "galvanostatic", "c_rate": 2.0},
                          "pulsed": {"mode": "pulsed", "c_rate": 8.0, "pulse_on": 1e-3,
                                     "pulse_off": 3e-3}},
                         mean_c_rate=2.0, seeds=(0, 1), delta_soc=0.05)
    assert [o.label for o in out] == ["dc", "pulsed"]
    assert all(0.0 <= o.plated_fraction <= 1.0 and o.max_height >= 0.0 for o in out)
