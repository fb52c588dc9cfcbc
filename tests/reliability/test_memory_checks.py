"""Absurd sizes fail fast, before any large allocation, with an error that says how much
memory is needed and how much is free."""

import numpy as np
import pytest

from mesolith.memory import available_memory

# Every size below needs more than a terabyte; no test machine has that free.
TERABYTE = 1 << 40
pytestmark = pytest.mark.skipif((available_memory() or 0) > TERABYTE / 2,
                                reason="this machine has too much free memory for the test")

MESSAGE = r"needs about .* but only .* is free"


def test_micro_generators_refuse_huge_volumes():
    from mesolith.micro import generators

    with pytest.raises(MemoryError, match=r"4096 x 4096 x 4096 voxel volume .*" + MESSAGE):
        generators.pack_spheres(shape=(4096, 4096, 4096), voxel_size=1e-6, mean_radius=5e-6)
    with pytest.raises(MemoryError, match=MESSAGE):
        generators.gaussian_field_structure(shape=(4096, 4096, 2048), voxel_size=1e-6)
    with pytest.raises(MemoryError, match=MESSAGE):
        generators.boolean_spheres(shape=(4096, 4096, 4096), voxel_size=1e-6)


def test_transport_solve_checks_memory_against_the_limit(monkeypatch):
    from mesolith.micro.transport import tortuosity

    # a batch job granted 1 MiB: the 64^3 solve needs more than that
    monkeypatch.setenv("MESOLITH_MEMORY_LIMIT", "1M")
    with pytest.raises(MemoryError, match=r"transport solve on 64 x 64 x 64 voxels"):
        tortuosity(np.zeros((64, 64, 64), np.uint8), axis=0)
    monkeypatch.setenv("MESOLITH_MEMORY_LIMIT", "lots")
    with pytest.raises(ValueError, match="MESOLITH_MEMORY_LIMIT"):
        available_memory()


def test_bd_refuses_a_dense_mobility_that_cannot_fit():
    from mesolith.bd import Simulation

    cfg = {"species": [{"name": "CB", "preset": "carbon_black", "count": 10_000_000}],
           "noise": "cholesky"}
    with pytest.raises(MemoryError, match=r"10000000 particles \(dense 3N x 3N.*" + MESSAGE):
        Simulation(cfg, seed=1)


def test_kmc_lattices_refuse_absurd_sizes():
    from mesolith.kmc import LatticeGas, Simulation

    with pytest.raises(MemoryError, match=r"kMC lattice of .* sites .*" + MESSAGE):
        Simulation({"lattice": {"nx": 4096, "ny": 4096, "nz": 4096}})
    with pytest.raises(MemoryError, match=r"lattice gas of .* sites .*" + MESSAGE):
        LatticeGas((100_000, 100_000, 1000), hop_rate=1.0)



def test_dense_mobility_and_local_thickness_check_memory(monkeypatch):
    from mesolith.bd.mobility import mobility
    from mesolith.micro import Microstructure
    from mesolith.micro.statistics import local_thickness

    # 1 MiB granted: a 200-particle dense mobility (2.9 MB) and the local thickness of a
    # 64^3 volume (14 MB) do not fit; the error comes before the allocation.
    monkeypatch.setenv("MESOLITH_MEMORY_LIMIT", "1M")
    rng = np.random.default_rng(1)
    m = mobility(rng.uniform(0, 1e-4, (200, 3)), np.full(200, 1e-7), 1e-3)
    with pytest.raises(MemoryError, match=r"mobility matrix of 200 particles .*" + MESSAGE):
        m.matrix()
    with pytest.raises(MemoryError, match=r"Cholesky factor .*" + MESSAGE):
        m.sqrt_apply(np.zeros((200, 3)), method="cholesky")
    periodic = mobility(rng.uniform(0, 1e-4, (200, 3)), np.full(200, 1e-7), 1e-3, box=1e-4)
    with pytest.raises(MemoryError, match=r"periodic mobility matrix .*" + MESSAGE):
        periodic.matrix()
    structure = Microstructure(np.zeros((64, 64, 64), np.uint8), 1e-6)
    with pytest.raises(MemoryError, match=r"local thickness of a 64 x 64 x 64 .*" + MESSAGE):
        local_thickness(structure)


def test_pse_grid_checks_memory(monkeypatch):
    from mesolith.bd.pse import PseMobility

    # 100 KiB granted: even the smallest grid (16^3 points, ~400 KB) does not fit.
    x = np.random.default_rng(1).uniform(0, 20e-6, (50, 3))
    monkeypatch.setenv("MESOLITH_MEMORY_LIMIT", "100K")
    with pytest.raises(MemoryError, match=r"PSE wave-space grid of \d+\^3 points .*" + MESSAGE):
        PseMobility(x, np.full(50, 1e-6), 1e-3, box=20e-6, tolerance=1e-4)


def test_dla_and_deposition_check_memory_before_growing(monkeypatch):
    from mesolith.bd.deposition import deposition
    from mesolith.kmc.dla import dla_cluster, dla_fractal_dimension, lattice_bytes

    # the 3D lattice for 10^6 particles alone is tens of gigabytes
    assert lattice_bytes(3, 10**6) > 10 * 2**30
    monkeypatch.setenv("MESOLITH_MEMORY_LIMIT", "64M")
    with pytest.raises(MemoryError, match=r"DLA growth lattice for 1000000 particles in 3D"):
        dla_cluster(3, 10**6)
    with pytest.raises(MemoryError, match=r"clusters at once"):
        dla_fractal_dimension(3, 10**5, clusters=2)
    with pytest.raises(MemoryError, match=r"deposit of 1000000000 walkers"):
        deposition(1.0, walkers=10**9)


def test_two_point_correlation_checks_memory(monkeypatch):
    from mesolith.micro import Microstructure
    from mesolith.micro.statistics import two_point_correlation

    ms = Microstructure(np.zeros((64, 64, 64), np.uint8), 1e-6)
    monkeypatch.setenv("MESOLITH_MEMORY_LIMIT", "4M")
    with pytest.raises(MemoryError, match=r"two-point correlation of a 64 x 64 x 64 volume"):
        two_point_correlation(ms)
    with pytest.raises(MemoryError, match=r"zero-padded"):
        two_point_correlation(ms, periodic=False)
