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
    path = sim.write_vtp(tmp_path / "p.vtp")
    root = ET.parse(path).getroot()
    piece = root.find("PolyData/Piece")
    assert piece.get("NumberOfPoints") == "17"
    pts = np.array(piece.find("Points/DataArray").text.split(), float).reshape(-1, 3)
    np.testing.assert_allclose(pts, sim.positions, rtol=1e-8)
    names = {a.get("Name") for a in piece.find("PointData")}
    assert names == {"radius", "species"}


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
