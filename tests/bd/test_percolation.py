"""Periodic percolation: wrapping detection and the overlapping-sphere threshold."""

import numpy as np
import pytest

from mesolith.bd.percolation import (
    ETA_C_OVERLAPPING_SPHERES,
    aggregate_percolation_threshold,
    overlapping_sphere_threshold,
    wrapping_clusters,
)


def test_a_closed_chain_wraps_and_an_open_one_does_not():
    box = 19.0
    chain = np.column_stack([np.arange(10) * 1.9, np.full(10, 3.0), np.full(10, 5.0)])
    closed = wrapping_clusters(chain, np.ones(10), box)
    assert closed.sizes.tolist() == [10]
    assert closed.wraps.tolist() == [[True, False, False]]
    # drop one link: the same cluster crosses the periodic boundary but does not wrap
    open_chain = wrapping_clusters(chain[1:], np.ones(9), box)
    assert open_chain.sizes.tolist() == [9]
    assert not open_chain.percolates.any()
    # its unwrapped copy is contiguous: consecutive centres 1.9 apart
    u = open_chain.unwrapped[np.argsort(chain[1:, 0])]
    steps = np.linalg.norm(np.diff(u, axis=0), axis=1)
    assert np.allclose(np.sort(steps), 1.9)


def test_a_diagonal_chain_wraps_along_two_axes():
    box = 12.0
    t = np.arange(8) * 1.5
    chain = np.column_stack([t, t, np.zeros(8)])  # step (1.5, 1.5, 0): length 2.12 > 2
    assert not wrapping_clusters(chain, np.ones(8), box).percolates.any()
    touching = wrapping_clusters(chain, np.full(8, 1.1), box)  # now neighbours overlap
    assert touching.wraps[0].tolist() == [True, True, False]


def test_contact_gap_connects_nearly_touching_spheres():
    x = np.array([[0.0, 0, 0], [2.04, 0, 0]])
    assert wrapping_clusters(x, np.ones(2), 20.0).sizes.tolist() == [1, 1]
    assert wrapping_clusters(x, np.ones(2), 20.0, gap=0.05).sizes.tolist() == [2]


def test_overlapping_sphere_threshold():
    # Rintoul & Torquato (1997): eta_c = 0.3418. The first-wrapping density (any axis) of
    # 16 realisations in a periodic cube of 16 radii has SD ~0.03, so SE ~0.008; measured
    # finite-size shifts of the mean are +0.008 (L = 12) and ~0 (L = 20, 30), so a
    # tolerance of 0.03 is ~3 SE plus the shift.
    eta, se = overlapping_sphere_threshold(16.0, 16, seed=4, axis=None)
    assert se < 0.012
    assert eta == pytest.approx(ETA_C_OVERLAPPING_SPHERES, abs=0.03)


def test_aggregates_percolate_at_lower_loading_than_spheres():
    # DLCA aggregates of 8 primaries span the box at about a third of the sphere loading
    # (measured 0.119 +- 0.006 vs 0.316 +- 0.005 at L = 40); four realisations at L = 30
    # separate the two by many standard errors.
    spheres = aggregate_percolation_threshold(1, 24.0, 4, seed=2)
    chains = aggregate_percolation_threshold(8, 30.0, 4, seed=2)
    assert chains["eta"] + 5 * chains["eta_se"] < spheres["eta"] - 5 * spheres["eta_se"]
