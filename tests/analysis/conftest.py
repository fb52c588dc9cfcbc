"""Small synthetic trajectories with known answers, built in memory."""

import numpy as np
import pytest


def make_universe(names, radii, frames, box):
    """A Universe of beads named ``names`` with ``radii`` over ``frames`` (n_frames, n, 3)."""
    mda = pytest.importorskip("MDAnalysis")
    from MDAnalysis.coordinates.memory import MemoryReader

    n = len(names)
    u = mda.Universe.empty(n, n_residues=n, atom_resindex=np.arange(n), trajectory=False)
    u.add_TopologyAttr("names", np.array(names))
    u.add_TopologyAttr("radii", np.asarray(radii, float))
    frames = np.asarray(frames, np.float32)
    dims = np.tile(np.array([*box, 90, 90, 90], np.float32), (len(frames), 1))
    u.load_new(frames, format=MemoryReader, dimensions=dims)
    return u


@pytest.fixture
def universe_factory():
    return make_universe
