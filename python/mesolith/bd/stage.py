"""The ``bd`` recipe stage: a slurry simulation whose final particles start the drying stage."""

from __future__ import annotations

from pathlib import Path

from mesolith.reliability.jobs import bd_job
from mesolith.reliability.resume import run_stage_job

__all__ = ["run_stage"]


def run_stage(recipe, context: dict):
    """Run ``recipe.bd`` for ``recipe.bd.steps`` steps; write HDF5, DCD + PDB and VTP files.

    Puts ``context["bd"] = {"positions", "radii", "species", "species_names"}`` (SI) for
    the stages that follow.
    """
    from mesolith.pipeline.stages import StageResult

    cfg = recipe.bd
    out = Path(recipe.run.output_dir or Path("results") / recipe.run.name) / "bd"
    # in resumable chunks, checkpointed every recipe.run.checkpoint_interval seconds
    sim = run_stage_job(bd_job(cfg, recipe.run.seed, cfg.steps), recipe, context, cfg)
    files = [sim.save(out / "bd.h5"), sim.write_dcd(out / "trajectory.dcd"),
             out / "trajectory.pdb", sim.write_vtp(out / "particles.vtp")]
    context["bd"] = {"positions": sim.positions, "radii": sim.radii, "species": sim.species,
                     "species_names": sim.species_names}
    _, sizes = sim.clusters()
    return StageResult(stage="bd", files=files, summary={
        "particles": str(sim.n),
        "simulated time [s]": f"{sim.time:.3g}",
        "largest cluster": str(int(sizes[0])),
        "binder bonds": str(len(sim.bonds)),
    })
