"""The counter-based Philox-4x32-10 generator: known answers, statistics, determinism."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from mesolith import _core

N = 200_000
# With N draws, a sample mean has standard error sigma/sqrt(N); 5 standard errors
# leaves a false-failure probability below 1e-6 per check for a correct generator
# (the seeds are fixed, so a pass is reproducible, not luck on each run).
Z = 5.0


def _hex(words):
    return [int(w, 16) for w in words]


def test_known_answer_vectors(reference_data):
    data = reference_data("philox4x32_10_kat.json")
    for vec in data["vectors"]:
        got = _core.rng.philox4x32_10(_hex(vec["counter"]), _hex(vec["key"]))
        assert list(got) == _hex(vec["expected"])


def test_raw_words_are_the_philox_block():
    # u32 element 4b + k is word k of block b: key = seed, counter = [b, 0, stream, 0]
    seed, stream = 0x1234_5678_9ABC_DEF0, 7
    words = _core.rng.u32(seed, stream, 8)
    key = [seed & 0xFFFFFFFF, seed >> 32]
    assert list(words[:4]) == list(_core.rng.philox4x32_10([0, 0, stream, 0], key))
    assert list(words[4:]) == list(_core.rng.philox4x32_10([1, 0, stream, 0], key))


@pytest.mark.parametrize(
    ("kind", "mean", "var", "dist"),
    [
        ("uniform", 0.5, 1 / 12, "uniform"),
        ("normal", 0.0, 1.0, "norm"),
        ("exponential", 1.0, 1.0, "expon"),
    ],
)
def test_moments_and_kolmogorov_smirnov(kind, mean, var, dist):
    x = getattr(_core.rng, kind)(42, 3, N)
    assert abs(x.mean() - mean) < Z * np.sqrt(var / N)
    # Var of the sample variance ~ (mu4 - sigma^4)/N; mu4/sigma^4 = 9/5, 3, 9 for these laws.
    kurtosis = {"uniform": 9 / 5, "normal": 3.0, "exponential": 9.0}[kind]
    assert abs(x.var() - var) < Z * var * np.sqrt((kurtosis - 1) / N)
    assert stats.kstest(x, dist).pvalue > 1e-4


def test_uniform_open_interval_and_bits():
    u = _core.rng.uniform(1, 1, N)
    assert u.min() > 0.0 and u.max() < 1.0
    words = _core.rng.u32(1, 2, N)
    # Each of the 32 bits is set half of the time: binomial(N, 1/2), 5 sigma = 5 * sqrt(N)/2.
    bits = np.unpackbits(words.view(np.uint8)).reshape(-1, 32).sum(axis=0)
    assert np.all(np.abs(bits - N / 2) < Z * np.sqrt(N) / 2)


def test_streams_and_seeds_are_independent():
    a = _core.rng.normal(5, 0, N)
    b = _core.rng.normal(5, 1, N)
    c = _core.rng.normal(6, 0, N)
    # Correlation of independent samples ~ N(0, 1/N).
    for x, y in [(a, b), (a, c), (b, c)]:
        assert abs(np.corrcoef(x, y)[0, 1]) < Z / np.sqrt(N)
    # Neighbouring draws within a stream are uncorrelated too.
    assert abs(np.corrcoef(a[:-1], a[1:])[0, 1]) < Z / np.sqrt(N)


def test_block_offset_continues_the_sequence():
    whole = _core.rng.uniform(9, 4, 100)
    tail = _core.rng.uniform(9, 4, 60, block=20)
    np.testing.assert_array_equal(whole[40:], tail)


@pytest.mark.parametrize("kind", ["uniform", "normal", "exponential"])
def test_sequential_stream_matches_parallel_fill(kind):
    # rng::Stream (what the engines use) and the parallel fill agree draw for draw.
    sequential = _core.rng.stream_draws(11, 2, 5, kind, 1001)
    parallel = getattr(_core.rng, kind)(11, 2, 1001, block=5)
    np.testing.assert_array_equal(sequential, parallel)


@pytest.mark.parametrize("kind", ["uniform", "normal", "exponential", "u32"])
def test_bit_identical_for_one_and_two_threads(kind, restore_threads):
    fill = getattr(_core.rng, kind)
    _core.set_num_threads(1)
    one = fill(2024, 8, 1_000_003)
    _core.set_num_threads(2)
    assert _core.max_threads() == 2
    two = fill(2024, 8, 1_000_003)
    assert one.tobytes() == two.tobytes()


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="n = -1"):
        _core.rng.uniform(1, 1, -1)
    with pytest.raises(ValueError, match="kind = 'gamma'"):
        _core.rng.stream_draws(1, 1, 0, "gamma", 3)
    with pytest.raises(ValueError, match="threads = 0"):
        _core.set_num_threads(0)
    with pytest.raises(TypeError):
        _core.rng.uniform(-1, 1, 3)  # seeds are unsigned 64-bit
