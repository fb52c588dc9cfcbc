"""Validation of the counter-based generator: known answers and distribution moments."""

from __future__ import annotations

import numpy as np
from scipy import stats

from mesolith import _core
from mesolith.validation.registry import Row, validation_case

# Random123 tests/kat_vectors, "philox4x32 10" lines: counter, key, expected output.
PHILOX_KAT = [
    ((0, 0, 0, 0), (0, 0), (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)),
    (
        (0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF),
        (0xFFFFFFFF, 0xFFFFFFFF),
        (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD),
    ),
    (
        (0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344),
        (0xA4093822, 0x299F31D0),
        (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1),
    ),
]


@validation_case("rng", "Philox-4x32-10 known answers and moments")
def rng_rows(seed: int) -> list[Row]:
    matches = sum(
        tuple(_core.rng.philox4x32_10(list(c), list(k))) == e for c, k, e in PHILOX_KAT
    )
    n = 1_000_000
    u = _core.rng.uniform(seed, 0, n)
    z = _core.rng.normal(seed, 1, n)
    x = _core.rng.exponential(seed, 2, n)
    se = 1.0 / np.sqrt(n)
    ref = "Random123 kat_vectors"
    return [
        Row("rng", "Philox KAT vectors matching", 3, matches, 0, ref),
        Row("rng", "uniform mean", 0.5, float(u.mean()), 4 * se * np.sqrt(1 / 12), "1/2"),
        Row("rng", "uniform variance", 1 / 12, float(u.var()), 4 * se * np.sqrt(1 / 180), "1/12"),
        Row("rng", "normal mean", 0.0, float(z.mean()), 4 * se, "0"),
        Row("rng", "normal variance", 1.0, float(z.var()), 4 * se * np.sqrt(2), "1"),
        Row("rng", "exponential mean", 1.0, float(x.mean()), 4 * se, "1"),
        Row("rng", "normal KS p-value > 1e-3", 1.0,
            float(stats.kstest(z[:100_000], "norm").pvalue > 1e-3), 0, "Kolmogorov-Smirnov"),
    ]
