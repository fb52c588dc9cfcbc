"""The ``micro`` stage in checkpointed chunks: a sphere or spheroid packing advanced in chunks
with a checkpoint round trip between them equals ``pack_spheres`` / ``pack_spheroids`` bit for
bit, a stage restarted from its checkpoint after every chunk equals an uninterrupted one, and
foreign or corrupted checkpoints are refused."""

import numpy as np
import pytest
import tomllib

from mesolith import _core
from mesolith.config.recipe import parse_recipe
from mesolith.io.checkpoint import CheckpointError
from mesolith.micro import pack_spheres, pack_spheroids
from mesolith.micro.config import MicroConfig
from mesolith.micro.generators import packed_structure, sphere_packer
from mesolith.micro.resumable import PACKING_SWEEPS, SPHEROID_STAGES, MicroRun
from mesolith.micro.spheroids import packed_spheroid_structure, spheroid_packer
from mesolith.pipeline import run_recipe

PACKING = {"shape": [40, 40, 36], "voxel_size": 1e-6, "mean_radius": 4e-6,
           "radius_log_sigma": 0.25, "am_fraction": 0.55}
# flakes lying in the xy plane, about 60 of them, 17 compression stages
SPHEROIDS = {"shape": [32, 32, 32], "voxel_size": 1e-6, "mean_radius": 4e-6,
             "radius_log_sigma": 0.2, "aspect_ratio": 0.4, "orientation_kappa": 10.0,
             "am_fraction": 0.5}


def _same_structure(a, b) -> None:
    assert np.array_equal(a.labels, b.labels)
    assert (a.particles is None) == (b.particles is None)
    if a.particles is not None:
        assert np.array_equal(a.particles, b.particles)
    assert np.array_equal(getattr(a, "spheroids", None), getattr(b, "spheroids", None))
    assert a.metadata == b.metadata


@pytest.mark.parametrize("chunk", [1, 37, 500])
def test_packer_in_chunks_with_state_hand_over_equals_pack_spheres(chunk):
    cfg, packer = sphere_packer(PACKING, seed=5)
    while not packer.advance(chunk):
        state = packer.state()
        _, packer = sphere_packer(cfg, seed=5)  # a fresh packer continues from the state
        packer.set_state(**state)
    _same_structure(packed_structure(cfg, 5, packer.result()), pack_spheres(cfg, seed=5))


def test_packing_checkpointed_after_every_chunk_equals_pack_spheres(tmp_path):
    config = MicroConfig.from_dict({"packing": PACKING, "cbd": None,
                                    "properties": {"axes": [2]}})
    run, path, packing_chunks = MicroRun(config, 9), tmp_path / "micro.h5", 0
    while run.structure is None:  # the packing chunks, each through an HDF5 checkpoint
        run.advance()
        run.checkpoint(path)
        run = MicroRun.restart(path)
        packing_chunks += 1
    sweeps = run.structure.metadata["sweeps"]
    assert packing_chunks == -(-sweeps // PACKING_SWEEPS) > 5
    _same_structure(run.structure, pack_spheres(config.packing, seed=9))


@pytest.mark.parametrize("chunk", [1, 3, 100])
def test_spheroid_packer_in_chunks_with_state_hand_over_equals_pack_spheroids(chunk):
    cfg, packer = spheroid_packer(SPHEROIDS, seed=5)
    chunks = 1
    while not packer.advance(chunk):
        state = packer.state()
        _, packer = spheroid_packer(cfg, seed=5)  # a fresh packer continues from the state
        packer.set_state(**state)
        chunks += 1
    ms = packed_spheroid_structure(cfg, 5, packer.result())
    assert chunks == -(-ms.metadata["stages"] // chunk)
    _same_structure(ms, pack_spheroids(cfg, seed=5))


def test_spheroid_packer_hand_over_after_undone_stages_equals_pack_spheroids():
    # dense, with a large growth step: stages jam, are undone and retried with half the growth,
    # so the hand-over carries the relaxed configuration and the reduced step
    cfg, packer = spheroid_packer(SPHEROIDS, seed=5, aspect_ratio=0.25, orientation_kappa=0.0,
                                  am_fraction=0.6, growth=0.1)
    steps = set()
    while not packer.advance(1):
        state = packer.state()
        steps.add(state["step"])
        _, packer = spheroid_packer(cfg, seed=5)
        packer.set_state(**state)
    assert min(steps) < cfg.growth
    _same_structure(packed_spheroid_structure(cfg, 5, packer.result()),
                    pack_spheroids(cfg, seed=5))


def test_spheroid_packing_checkpointed_after_every_chunk_equals_pack_spheroids(tmp_path):
    config = MicroConfig.from_dict({"generator": "spheroids", "spheroids": SPHEROIDS,
                                    "cbd": None, "properties": {"axes": [2]}})
    run, path, packing_chunks = MicroRun(config, 9), tmp_path / "micro.h5", 0
    while run.structure is None:  # the packing chunks, each through an HDF5 checkpoint
        run.advance()
        run.checkpoint(path)
        run = MicroRun.restart(path)
        packing_chunks += 1
    stages = run.structure.metadata["stages"]
    assert packing_chunks == -(-stages // SPHEROID_STAGES) >= 4
    _same_structure(run.structure, pack_spheroids(config.spheroids, seed=9))


def test_spheroid_stage_restarted_after_every_chunk_equals_an_uninterrupted_one(tmp_path):
    # spheroid packing chunks, film CBD around the flakes, calendering and the solves
    config = MicroConfig.from_dict({
        "generator": "spheroids", "spheroids": {**SPHEROIDS, "shape": [24, 24, 28],
                                                 "mean_radius": 3e-6, "am_fraction": 0.4},
        "cbd": {"fraction": 0.1, "mode": "film"}, "calender": {"thickness": 24e-6, "steps": 4},
        "properties": {"axes": [2]}})
    straight = MicroRun(config, 4)
    while not straight.advance():
        pass
    run, path, packing_chunks = MicroRun(config, 4), tmp_path / "micro.h5", 0
    while True:
        packing_chunks += run.structure is None
        if run.advance():
            break
        run.checkpoint(path)
        run = MicroRun.restart(path)
    assert packing_chunks == -(-run.structure.metadata["stages"] // SPHEROID_STAGES) >= 4
    # then CBD, calendering, basic properties and the tortuosity solve, one chunk each
    assert run.chunks_done == straight.chunks_done >= packing_chunks + 4
    assert "tortuosity:z" in run.pieces
    _same_structure(run.structure, straight.structure)
    assert run.structure.metadata["calendered_thickness_m"] == pytest.approx(24e-6)
    assert run.properties().as_dict() == straight.properties().as_dict()


def test_stage_restarted_after_every_chunk_equals_an_uninterrupted_one(tmp_path):
    # every kind of chunk: packing, CBD, calendering, basic properties, tau_e, tortuosity,
    # conductivity and electrolyte solves along two axes
    config = MicroConfig.from_dict({
        "packing": {**PACKING, "shape": [24, 24, 28], "mean_radius": 3e-6, "am_fraction": 0.45},
        "cbd": {"fraction": 0.1}, "calender": {"thickness": 24e-6, "steps": 5},
        "properties": {"axes": [0, 2], "conductivities": {1: 10.0, 2: 100.0}}})
    straight = MicroRun(config, 4)
    while not straight.advance():
        pass
    run, path, restarts = MicroRun(config, 4), tmp_path / "micro.h5", 0
    while not run.advance():
        run.checkpoint(path)
        run = MicroRun.restart(path)
        restarts += 1
    assert restarts >= len(run.tasks) - 1
    _same_structure(run.structure, straight.structure)
    assert run.structure.metadata["calendered_thickness_m"] == pytest.approx(24e-6)
    assert set(run.pieces) == set(straight.pieces) >= {
        "basic", "tau_e", "tortuosity:x", "tortuosity:z", "conductivity:x", "electrolyte:z"}
    assert run.properties().as_dict() == straight.properties().as_dict()
    assert run.electrolyte() == straight.electrolyte()


def test_packer_refuses_a_state_of_another_packing():
    cfg, packer = sphere_packer(PACKING, seed=5)
    packer.advance(10)
    state = packer.state()
    state["spheres"] = state["spheres"][:-1]
    _, other = sphere_packer(cfg, seed=5)
    with pytest.raises(ValueError, match="spheres, but these options give"):
        other.set_state(**state)
    with pytest.raises(ValueError, match="sweeps: must be >= 1"):
        other.advance(0)
    with pytest.raises(RuntimeError, match="not finished"):
        other.result()


def test_spheroid_packer_refuses_a_state_of_another_packing():
    cfg, packer = spheroid_packer(SPHEROIDS, seed=5)
    packer.advance(2)
    state = packer.state()
    _, other = spheroid_packer(cfg, seed=5)
    with pytest.raises(ValueError, match="relaxed particles, but these options give"):
        other.set_state(**{**state, "relaxed": state["relaxed"][:-1]})
    with pytest.raises(ValueError, match="step must be in"):
        other.set_state(**{**state, "step": 0.0})
    with pytest.raises(ValueError, match="stages: must be >= 1"):
        other.advance(0)
    with pytest.raises(RuntimeError, match="not finished"):
        other.result()


def test_spheroid_checkpoint_with_a_sphere_packer_state_is_refused(tmp_path):
    config = MicroConfig.from_dict({"generator": "spheroids", "spheroids": SPHEROIDS,
                                    "cbd": None, "properties": {"axes": [2]}})
    run = MicroRun(config, 9)
    run.advance()
    _, run.packer = sphere_packer(PACKING, seed=9)  # a state of the wrong kind
    run.checkpoint(tmp_path / "micro.h5")
    with pytest.raises(CheckpointError, match="state is incomplete or inconsistent"):
        MicroRun.restart(tmp_path / "micro.h5")


RECIPE = """[run]
name = "micro-ckpt"
seed = 2
threads = 1
[micro]
write_vti = false
cbd = { fraction = 0.1 }
properties = { axes = [2] }
[micro.packing]
shape = [32, 32, 32]
voxel_size = 1e-6
mean_radius = 4e-6
am_fraction = 0.5
"""


def _recipe(tmp_path, **micro_changes):
    data = tomllib.loads(RECIPE)
    data["run"].update(output_dir=str(tmp_path), checkpoint_interval=1e-4)
    data["micro"]["packing"].update(micro_changes)
    return parse_recipe(data)[0]


def test_resume_refuses_a_checkpoint_of_another_configuration_or_seed(tmp_path):
    run_recipe(_recipe(tmp_path), progress=False)
    assert (tmp_path / "checkpoints" / "micro.h5").exists()
    with pytest.raises(CheckpointError, match="different \\[micro\\] configuration or seed"):
        run_recipe(_recipe(tmp_path, am_fraction=0.45), progress=False, resume=True)
    other_seed = _recipe(tmp_path)
    other_seed.run.seed = 3
    with pytest.raises(CheckpointError, match="different \\[micro\\] configuration or seed"):
        run_recipe(other_seed, progress=False, resume=True)
    run_recipe(_recipe(tmp_path), progress=False, resume=True)  # its own run resumes


def test_corrupted_or_foreign_checkpoint_is_refused(tmp_path):
    run_recipe(_recipe(tmp_path), progress=False)
    path = tmp_path / "checkpoints" / "micro.h5"
    good = path.read_bytes()
    # one voxel changed in the stored volume: the checksums no longer match
    import h5py

    with h5py.File(path, "r+") as f:
        labels = f["state/structure/labels"]
        labels[3, 4, 5] = 1 - labels[3, 4, 5] if labels[3, 4, 5] < 2 else 0
    with pytest.raises(CheckpointError, match="checkpoint refused"):
        run_recipe(_recipe(tmp_path), progress=False, resume=True)
    path.write_bytes(good[: len(good) // 2])  # truncated
    with pytest.raises(CheckpointError):
        MicroRun.restart(path)
    # a kMC anode checkpoint where the micro one should be
    from mesolith.kmc.simulation import Simulation
    from mesolith.reliability.killresume import KMC_RECIPE

    kmc = parse_recipe(tomllib.loads(KMC_RECIPE))[0].kmc
    Simulation(kmc, seed=1).run(time=1e-4).checkpoint(path)
    with pytest.raises(CheckpointError, match="not a micro checkpoint"):
        run_recipe(_recipe(tmp_path), progress=False, resume=True)


def test_core_packer_matches_the_compiled_pack_spheres():
    args = (40, 40, 40, 0.5, 5.0, 0.0, 0.0, 1e300, 0.3, 5e-3, 2e-3, 200000, 2, False, 0)
    whole = _core.micro.pack_spheres(*args)
    packer = _core.micro.SpherePacker(*args)
    while not packer.advance(64):
        pass
    part = packer.result()
    assert np.array_equal(part["spheres"], whole["spheres"])
    assert (part["sweeps"], part["fraction"], part["max_overlap"]) == (
        whole["sweeps"], whole["fraction"], whole["max_overlap"])


def test_core_spheroid_packer_carries_the_halved_growth_step_across_a_hand_over():
    # Short stages (100 FIRE steps) jam well below full size, so the growth step is halved
    # several times and later stages grow by the halved step: a hand-over after every stage
    # must carry it (with the step reset to `growth` this packing ends elsewhere).
    args = (32, 32, 32, 0.6, 4.0, 0.2, 0.0, 1e300, 0.3, 0.0, 0.2, 0.05, 5e-3, 3000, 14, False)
    whole = _core.micro.pack_spheroids(*args, stage_steps=100)
    packer, steps = _core.micro.SpheroidPacker(*args, stage_steps=100), set()
    while not packer.advance(1):
        state = packer.state()
        steps.add(state["step"])
        packer = _core.micro.SpheroidPacker(*args, stage_steps=100)
        packer.set_state(**state)
    assert min(steps) < 0.05 / 8
    part = packer.result()
    assert part.keys() == whole.keys()
    for key, value in whole.items():
        assert np.array_equal(part[key], value), key
