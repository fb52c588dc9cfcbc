"""The multigrid-CG solver itself: multi-phase solves against a direct solve, thread
independence of the multi-phase path, and the solver's own memory accounting."""

import numpy as np
import pytest
import scipy.sparse as sp
import scipy.sparse.linalg as spl

from mesolith import _core
from mesolith.micro import effective_conductivity, tortuosity


def _reference_conductivity(labels: np.ndarray, sigma: dict[int, float]) -> float:
    """Direct sparse solve of the same finite-volume system along axis 0 (harmonic-mean face
    conductances, Dirichlet 1/0 half a voxel outside the end layers, no-flux sides)."""
    s = np.vectorize(lambda k: sigma.get(int(k), 0.0))(labels).astype(float)
    n = labels.size
    idx = np.arange(n).reshape(labels.shape)
    rows, cols, vals = [], [], []
    diag = np.zeros(n)
    for ax in range(3):
        lo = [slice(None)] * 3
        hi = [slice(None)] * 3
        lo[ax], hi[ax] = slice(0, -1), slice(1, None)
        sa, sb = s[tuple(lo)].ravel(), s[tuple(hi)].ravel()
        with np.errstate(invalid="ignore", divide="ignore"):
            g = np.where(sa + sb > 0, 2 * sa * sb / (sa + sb), 0.0)
        a, b = idx[tuple(lo)].ravel(), idx[tuple(hi)].ravel()
        rows += [a, b]
        cols += [b, a]
        vals += [-g, -g]
        np.add.at(diag, a, g)
        np.add.at(diag, b, g)
    gb = 2 * s
    first, last = idx[0].ravel(), idx[-1].ravel()
    np.add.at(diag, first, gb[0].ravel())
    np.add.at(diag, last, gb[-1].ravel())
    rhs = np.zeros(n)
    rhs[first] = gb[0].ravel()
    # Insulating voxels and isolated clusters make singular blocks; a 1e-12 shift leaves them
    # at ~0 and moves the flux of the spanning cluster by ~1e-12 relative.
    a = sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                      shape=(n, n)) + sp.diags(diag + 1e-12)
    c = spl.spsolve(a.tocsc(), rhs)
    flux = np.sum(gb[0].ravel() * (1.0 - c[first]))
    return flux * labels.shape[0] / (labels.shape[1] * labels.shape[2])


@pytest.mark.parametrize("seed", [0, 1])
def test_three_phase_media_match_a_direct_solve(seed):
    # Random three-phase media with conductivity contrasts 1:7:40 and an insulating phase:
    # the multi-phase (phase-code) stencil with multigrid must reproduce a direct solve to
    # the CG tolerance (rtol 1e-11 on the residual gives ~1e-9 on the flux here).
    rng = np.random.default_rng(seed)
    labels = rng.choice(4, size=(20, 16, 14), p=[0.45, 0.2, 0.15, 0.2]).astype(np.uint8)
    sigma = {0: 1.0, 1: 7.0, 2: 40.0}  # label 3 insulates
    got = effective_conductivity(labels, sigma, axis=0, rtol=1e-11).conductivity
    assert got == pytest.approx(_reference_conductivity(labels, sigma), rel=1e-8)


def test_three_phase_solve_bit_identical_for_one_and_two_threads():
    rng = np.random.default_rng(3)
    # Above 2^15 voxels so the level-0 passes and the first coarse level run in parallel.
    labels = rng.choice(3, size=(40, 36, 44), p=[0.5, 0.3, 0.2]).astype(np.uint8)
    before = _core.max_threads()
    try:
        _core.set_num_threads(1)
        one = effective_conductivity(labels, {0: 1.0, 1: 5.0}, axis=1)
        _core.set_num_threads(2)
        two = effective_conductivity(labels, {0: 1.0, 1: 5.0}, axis=1)
    finally:
        _core.set_num_threads(before)
    assert one.conductivity == two.conductivity and one.iterations == two.iterations


def test_uniform_conductivity_is_scaled_not_approximated():
    # Two labels with the same conductivity take the integer-stencil path: the result is the
    # single-phase relative diffusivity times sigma, to rounding.
    rng = np.random.default_rng(5)
    labels = rng.choice(3, size=(24, 20, 18), p=[0.4, 0.3, 0.3]).astype(np.uint8)
    merged = np.where(labels == 2, 1, labels).astype(np.uint8)
    rel = tortuosity(merged, phase=1, axis=0, rtol=1e-10).relative_diffusivity
    got = effective_conductivity(labels, {1: 3.5, 2: 3.5}, axis=0, rtol=1e-10).conductivity
    assert got == pytest.approx(3.5 * rel, rel=1e-12)


def test_solver_memory_accounting_below_40_bytes_per_voxel():
    # The limit for the tortuosity solve. The accounting covers what the solve holds
    # during its iterations: three double vectors and a code byte on the grid with one ghost
    # layer per side, the coarse levels (36 bytes per coarse cell, at most 36/7 per voxel),
    # and the solution on the two Dirichlet layers (value + index, 32/n per voxel). The
    # nominal figure (no ghosts) must be < 40, and a solve's own figure within those parts.
    assert _core.micro.SOLVER_BYTES_PER_VOXEL < 40
    n = 48
    rng = np.random.default_rng(2)
    pore = rng.random((n, n, n)) < 0.6
    res = tortuosity(pore, axis=0)
    ghosts = ((n + 2) / n) ** 3
    parents = 3 * (n + 2) * 8 / n**3
    assert res.solver_bytes_per_voxel <= 25 * ghosts + 36 / 7 + 32 / n + parents
    assert res.solver_bytes_per_voxel >= 3 * 8 + 1
