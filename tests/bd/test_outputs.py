"""Outputs: DCD + PDB read back by MDAnalysis, VTK PolyData, MSD, clusters, Rg."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest

from mesolith import bd
from mesolith.bd.analysis import cluster_size_distribution, clusters, msd, radius_of_gyration


@pytest.fixture(scope="module")
def sim():
    cfg = {"species": [{"name": "NMC", "preset": "nmc", "count": 5},
                       {"name": "CB", "preset": "carbon_black", "count": 12}],
           "box": (4e-6, 4e-6, 4e-6), "dt": 1e-7, "save_every": 10, "hydrodynamics": "none"}
    return bd.Simulation(cfg, seed=4).run(50, progress=False)


# coarse-grained beads have no chemical element; MDAnalysis says so, which is expected
@pytest.mark.filterwarnings("ignore:Element information is missing:UserWarning")
@pytest.mark.filterwarnings("ignore:DCDReader currently makes independent:DeprecationWarning")
def test_dcd_and_pdb_are_read_by_mdanalysis(sim, tmp_path):
    mda = pytest.importorskip("MDAnalysis")
    dcd = sim.write_dcd(tmp_path / "traj.dcd")
    u = mda.Universe(str(tmp_path / "traj.pdb"), str(dcd))
    assert u.atoms.n_atoms == 17
    assert len(u.trajectory) == 6
    frames = sim.trajectory * 1e10  # Angstrom
    for ts, ref in zip(u.trajectory, frames, strict=True):
        np.testing.assert_allclose(ts.positions, ref, rtol=1e-6, atol=1e-3)
    assert set(u.atoms.names) == {"NMC", "CB"}
    # time between frames: 10 steps of 0.1 us = 1 us = 1e6 ps
    assert u.trajectory.dt == pytest.approx(1e6, rel=1e-5)


def test_vtp_is_valid_vtk_xml(sim, tmp_path):
    from mesolith.io.vtk import read_points

    path = sim.write_vtp(tmp_path / "p.vtp")
    piece = ET.parse(path).getroot().find("PolyData/Piece")
    assert piece.get("NumberOfPoints") == "17"
    positions, data = read_points(path)
    assert positions.tobytes() == sim.positions.tobytes()
    assert set(data) == {"radius", "species"}
    np.testing.assert_array_equal(data["radius"], sim.radii)


def test_msd_of_a_straight_walk():
    traj = np.zeros((5, 2, 3))
    traj[:, :, 0] = np.arange(5)[:, None] * 2.0
    np.testing.assert_allclose(msd(traj), [0, 4, 16, 36, 64])


def test_clusters_sizes_and_radius_of_gyration():
    x = np.array([[0, 0, 0], [2.0, 0, 0], [4.0, 0, 0], [20, 0, 0], [22, 0, 0], [50, 0, 0]])
    labels, sizes = clusters(x, np.ones(6), gap=0.05)
    assert sizes.tolist() == [3, 2, 1]
    assert labels[0] == labels[1] == labels[2] == 0
    s, n = cluster_size_distribution(sizes)
    assert s.tolist() == [1, 2, 3] and n.tolist() == [1, 1, 1]
    rg = radius_of_gyration(x, labels)
    assert rg[0] == pytest.approx(np.sqrt(8 / 3))  # points at -2, 0, 2
    assert rg[1] == pytest.approx(1.0) and rg[2] == 0.0


def test_fractal_dimension_of_known_objects():
    from mesolith import _core
    from mesolith.bd.analysis import fractal_dimension

    line = np.column_stack([np.arange(400.0), np.zeros(400), np.zeros(400)])
    assert fractal_dimension(line) == pytest.approx(1.0, abs=0.05)
    # uniform points in a ball: N(r) ~ r^3 (20000 points: counting noise < 1 %)
    u = _core.rng.uniform(1, 0, 3 * 60000).reshape(-1, 3) * 2 - 1
    ball = u[np.linalg.norm(u, axis=1) < 1][:20000]
    assert fractal_dimension(ball, r_min=0.1, r_max=0.9) == pytest.approx(3.0, abs=0.1)
    # a square sheet: 2
    g = np.stack(np.meshgrid(np.arange(100.0), np.arange(100.0)), -1).reshape(-1, 2)
    sheet = np.column_stack([g, np.zeros(len(g))])
    assert fractal_dimension(sheet, r_max=40.0) == pytest.approx(2.0, abs=0.1)


def test_percolation_of_a_contact_network():
    from mesolith.bd.analysis import percolates

    chain = np.column_stack([np.zeros(6), np.zeros(6), 2.0 * np.arange(6)])
    assert percolates(chain, np.ones(6), gap=0.05)
    broken = chain.copy()
    broken[3:, 2] += 0.5  # a 0.5-radius gap in the middle
    assert not percolates(broken, np.ones(6), gap=0.05)
    assert percolates(broken, np.ones(6), gap=0.05, bonds=[[2, 3]])  # a binder bridge
    assert not percolates(chain, np.ones(6), gap=0.05, bounds=(-1.0, 20.0))
