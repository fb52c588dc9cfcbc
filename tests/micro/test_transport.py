"""Transport solves against exact answers: channels, layers, Maxwell-Garnett, convergence."""

import math

import numpy as np
import pytest

from mesolith import _core
from mesolith.micro import (
    Microstructure,
    NotConvergedError,
    effective_conductivity,
    tortuosity,
)


def channels(n=24):
    v = np.ones((n, n, n), np.uint8)
    v[:, ::4, :] = 0  # straight pore channels along x and z, one voxel in four along y
    return v


@pytest.mark.parametrize("axis", [0, 2])
def test_straight_channels_have_tau_one(axis):
    # Exact: every channel is a 1-D resistor chain with D_eff = eps; only the solver
    # tolerance (1e-10 relative residual) remains.
    r = tortuosity(channels(), phase=0, axis=axis, rtol=1e-10)
    assert r.tau_factor == pytest.approx(1.0, abs=1e-8)
    assert r.relative_diffusivity == pytest.approx(r.porosity, rel=1e-8)
    assert r.macmullin_number == pytest.approx(1 / r.porosity, rel=1e-8)
    assert r.bruggeman_exponent == pytest.approx(1.0, abs=1e-7)
    assert r.residual <= 1e-10


def test_no_percolation_across_channels():
    r = tortuosity(channels(), phase=0, axis=1)
    assert not r.percolates and r.relative_diffusivity == 0 and math.isinf(r.tau_factor)


def test_layers_series_and_parallel_exact():
    v = np.zeros((12, 10, 16), np.uint8)
    v[:, :, 1::2] = 1
    v[:, :, 2::4] = 2
    sig = {0: 1.0, 1: 3.0, 2: 10.0}
    frac = np.array([np.mean(v == k) for k in sig])
    vals = np.array(list(sig.values()))
    series = effective_conductivity(v, sig, axis=2, rtol=1e-11).conductivity
    parallel = effective_conductivity(v, sig, axis=0, rtol=1e-11).conductivity
    assert series == pytest.approx(1 / np.sum(frac / vals), rel=1e-9)
    assert parallel == pytest.approx(np.sum(frac * vals), rel=1e-9)


def test_isolated_pores_count_only_in_total_porosity():
    v = channels()
    v[5, 2, 5] = 0  # an isolated pore voxel inside the solid (channels at y = 0, 4)
    r = tortuosity(v, phase=0, axis=0, rtol=1e-10)
    assert r.porosity - r.percolating_porosity == pytest.approx(1 / v.size)
    assert r.tau_factor_percolating == pytest.approx(1.0, abs=1e-8)
    assert r.tau_factor > r.tau_factor_percolating


def test_maxwell_garnett_dilute_insulating_spheres():
    # One insulating sphere of radius 10 voxels in a cubic cell: by the mirror symmetry of a
    # simple cubic array, no-flux sides and Dirichlet ends reproduce the infinite array.
    # Maxwell-Garnett sigma/sigma0 = 2 eps / (3 - eps) holds for the simple cubic array up
    # to O(f^(10/3)) (Rayleigh) = 5e-5 at f = 0.05; using the digitised porosity removes the
    # volume error of the digital sphere, leaving the staircase error, well under 1 %.
    n, r = 44, 10.0
    g = np.indices((n, n, n)) + 0.5 - n / 2
    v = ((g**2).sum(axis=0) <= r * r).astype(np.uint8)
    eps = float(np.mean(v == 0))
    assert 1 - eps <= 0.05
    res = effective_conductivity(v, {0: 1.0}, axis=0, rtol=1e-8)
    assert res.conductivity == pytest.approx(2 * eps / (3 - eps), rel=0.01)


def test_non_convergence_raises_with_residual():
    rng = np.random.default_rng(0)
    v = (rng.random((30, 30, 30)) < 0.3).astype(np.uint8)
    with pytest.raises(NotConvergedError, match="did not converge") as err:
        tortuosity(v, axis=0, rtol=1e-8, max_iterations=3)
    assert err.value.residual > 1e-8 and err.value.iterations == 3


def test_tau_bit_identical_for_one_and_two_threads():
    rng = np.random.default_rng(1)
    # Above 2^15 voxels, so that the level-0 loops (matvec, smoothing, restriction) run in
    # parallel.
    v = (rng.random((36, 40, 44)) < 0.35).astype(np.uint8)
    before = _core.max_threads()
    try:
        _core.set_num_threads(1)
        one = tortuosity(v, axis=2)
        _core.set_num_threads(2)
        two = tortuosity(v, axis=2)
    finally:
        _core.set_num_threads(before)
    assert one.tau_factor == two.tau_factor and one.iterations == two.iterations


def test_accepts_boolean_and_microstructure_inputs():
    rng = np.random.default_rng(5)
    v = (rng.random((14, 12, 10)) < 0.45).astype(np.uint8)  # pore (0) fraction 0.55
    as_bool = tortuosity(v == 0, phase=0, axis=0)  # boolean: True is the phase, always
    as_ms = tortuosity(Microstructure(v, 1e-6), phase=0, axis=0)
    assert as_bool.porosity == pytest.approx(np.mean(v == 0))
    assert as_bool.tau_factor == pytest.approx(as_ms.tau_factor, rel=1e-12)


def _reference_tau(pore, periodic=False):
    """Independent finite-volume reference: scipy sparse direct solve along axis 0
    (side axes 1 and 2 wrapping around when periodic)."""
    import scipy.sparse as sp
    import scipy.sparse.linalg as spl

    index = -np.ones(pore.shape, int)
    cells = np.argwhere(pore)
    index[tuple(cells.T)] = np.arange(len(cells))
    rows, cols, diag = [], [], np.zeros(len(cells))
    for ax in range(3):
        lo = [slice(None)] * 3
        hi = [slice(None)] * 3
        lo[ax], hi[ax] = slice(0, -1), slice(1, None)
        pairs = [(tuple(lo), tuple(hi))]
        if periodic and ax > 0:  # the wrap faces between the last and the first layer
            last, first = [slice(None)] * 3, [slice(None)] * 3
            last[ax], first[ax] = slice(-1, None), slice(0, 1)
            pairs.append((tuple(last), tuple(first)))
        for a, b in pairs:
            both = pore[a] & pore[b]
            i, j = index[a][both], index[b][both]
            rows += [i, j]
            cols += [j, i]
            np.add.at(diag, i, 1.0)
            np.add.at(diag, j, 1.0)
    inlet, outlet = index[0][pore[0]], index[-1][pore[-1]]
    np.add.at(diag, inlet, 2.0)
    np.add.at(diag, outlet, 2.0)
    b = np.zeros(len(cells))
    b[inlet] = 2.0
    off = sp.csr_matrix((-np.ones(sum(len(r) for r in rows)),
                         (np.concatenate(rows), np.concatenate(cols))), shape=(len(cells),) * 2)
    # Isolated clusters make singular blocks; a 1e-12 shift leaves them at ~0 and changes
    # the flux of the spanning cluster by ~1e-12 relative.
    c = spl.spsolve((off + sp.diags(diag + 1e-12)).tocsc(), b)
    flux = np.sum(2.0 * (1.0 - c[inlet]))
    return pore.mean() / (flux * pore.shape[0] / (pore.shape[1] * pore.shape[2]))


@pytest.mark.parametrize("preconditioner", ["multigrid", "jacobi"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_random_media_match_an_independent_sparse_solve(seed, preconditioner):
    # Random site percolation above threshold (dead ends, isolated clusters, many phases of
    # connectivity): CG at rtol 1e-11 must reproduce a direct solve to ~1e-8.
    rng = np.random.default_rng(seed)
    pore = rng.random((18, 14, 12)) < 0.55
    axis = seed % 3
    expected = _reference_tau(np.moveaxis(pore, axis, 0))
    tau = tortuosity(pore, axis=axis, rtol=1e-11, preconditioner=preconditioner).tau_factor
    assert tau == pytest.approx(expected, rel=1e-8)


def test_multigrid_needs_far_fewer_iterations_than_jacobi():
    rng = np.random.default_rng(4)
    pore = rng.random((40, 40, 40)) < 0.6
    mg = tortuosity(pore, axis=2, rtol=1e-8)
    jac = tortuosity(pore, axis=2, rtol=1e-8, preconditioner="jacobi")
    assert mg.tau_factor == pytest.approx(jac.tau_factor, rel=1e-6)
    assert 3 * mg.iterations < jac.iterations


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"axis": 3}, "axis = 3"),
    ({"rtol": 0.0}, "rtol = 0.0"),
    ({"preconditioner": "ilu"}, "preconditioner = 'ilu'"),
])
def test_bad_arguments_name_the_field(kwargs, message):
    with pytest.raises(ValueError, match=message):
        tortuosity(channels(8), **kwargs)


def test_bad_conductivity_rejected():
    with pytest.raises(ValueError, match=r"conductivities\[1\] = -1.0"):
        effective_conductivity(channels(8), {0: 1.0, 1: -1.0})


@pytest.mark.parametrize("value", [5e-324, 1e-31, 1e31, math.inf, math.nan])
def test_conductivity_outside_the_solver_range_rejected(value):
    # The multigrid coarse levels are single precision: outside [1e-30, 1e30] S/m they
    # turned NaN (fuzzing); the Python check and the core both refuse such values.
    with pytest.raises(ValueError, match=r"conductivities\[0\] = .*\[1e-30, 1e30\]"):
        effective_conductivity(channels(8), {0: value, 1: 0.002})
    table = np.zeros(256)
    table[0], table[1] = value, 0.002
    with pytest.raises(ValueError, match=r"phase conductivities must be 0 or in \[1e-30, 1e30\]"):
        _core.micro.solve_conduction(channels(8), table, 0, 1e-6, 0, "multigrid", False)
    assert effective_conductivity(channels(8), {0: 1e-30, 1: 0.0}).conductivity > 0


def test_electrode_tortuosity_exact_for_straight_pores():
    # Pore sheets along z, each voxel with two AM faces: a uniform transmission line. On the
    # discrete line (n cells, Dirichlet half-cell at the separator) the dissipation of a
    # uniform unit source is n/3 + 1/(6n), so tau_e = 1 + 1/(2 n^2) exactly.
    from mesolith.micro import electrode_tortuosity

    v = np.ones((6, 13, 20), np.uint8)
    v[:, 1::4, :] = 0  # sheets at y = 1, 5, 9 with three AM layers between
    r = electrode_tortuosity(v, axis=2, rtol=1e-12)
    assert r.tau_e == pytest.approx(1 + 1 / (2 * 20**2), rel=1e-10)
    assert r.surface_fraction_connected == 1.0
    # An isolated pore carries surface but no ionic path: it is left out, and reported.
    v[3, 3, 10] = 0
    r2 = electrode_tortuosity(v, axis=2, rtol=1e-12)
    assert r2.surface_fraction_connected < 1.0


def test_electrode_tortuosity_thread_independent_and_checked():
    from mesolith.micro import electrode_tortuosity

    rng = np.random.default_rng(2)
    v = (rng.random((36, 36, 40)) < 0.5).astype(np.uint8)
    before = _core.max_threads()
    try:
        _core.set_num_threads(1)
        one = electrode_tortuosity(v)
        _core.set_num_threads(2)
        two = electrode_tortuosity(v)
    finally:
        _core.set_num_threads(before)
    assert one.tau_e == two.tau_e and math.isfinite(one.tau_e) and one.tau_e > 0
    with pytest.raises(ValueError, match="touches none"):
        electrode_tortuosity(np.zeros((8, 8, 8), np.uint8))
    with pytest.raises(NotConvergedError):
        electrode_tortuosity(v, rtol=1e-10, max_iterations=2)


@pytest.mark.parametrize(("shape", "axis"),
                         [((16, 18, 14), 0), ((15, 16, 13), 1), ((40, 40, 24), 2)])
def test_periodic_sides_match_an_independent_sparse_solve(shape, axis):
    # Even side extents use multigrid, odd ones fall back to Jacobi; both must reproduce the
    # direct solve with wrapped side faces, and differ from the no-flux sides.
    rng = np.random.default_rng(7)
    pore = rng.random(shape) < 0.55
    expected = _reference_tau(np.moveaxis(pore, axis, 0), periodic=True)
    tau = tortuosity(pore, axis=axis, rtol=1e-11, periodic_sides=True).tau_factor
    assert tau == pytest.approx(expected, rel=1e-8)
    closed = tortuosity(pore, axis=axis, rtol=1e-11).tau_factor
    assert abs(closed - tau) > 1e-6


def test_periodic_sides_thread_independent_with_coarse_levels():
    rng = np.random.default_rng(8)
    pore = rng.random((40, 40, 24)) < 0.5  # even sides: multigrid with coarse levels
    before = _core.max_threads()
    try:
        _core.set_num_threads(1)
        one = tortuosity(pore, axis=2, periodic_sides=True)
        _core.set_num_threads(2)
        two = tortuosity(pore, axis=2, periodic_sides=True)
    finally:
        _core.set_num_threads(before)
    assert one.tau_factor == two.tau_factor and one.iterations == two.iterations
    jac = tortuosity(pore, axis=2, periodic_sides=True, preconditioner="jacobi")
    assert one.iterations < jac.iterations
