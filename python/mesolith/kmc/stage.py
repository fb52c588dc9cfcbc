"""Pipeline stage ``kmc``: run the anode model of a recipe and write its results."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from mesolith.io.vtk import write_image
from mesolith.reliability.jobs import kmc_job
from mesolith.reliability.resume import run_stage_job

__all__ = ["run"]


def run(recipe, context):
    """Run ``recipe.kmc`` for its ``duration``; write kmc.h5 and the deposit as kmc_deposit.vti."""
    from mesolith.pipeline.stages import StageResult

    cfg = recipe.kmc
    out_dir = Path(recipe.run.output_dir or Path("results") / recipe.run.name)
    out_dir.mkdir(parents=True, exist_ok=True)
    # in resumable chunks, checkpointed every recipe.run.checkpoint_interval seconds
    sim = run_stage_job(kmc_job(cfg, recipe.run.seed), recipe, context, cfg)
    h5 = sim.save(out_dir / "kmc.h5")
    z0 = cfg.lattice.host_layers * cfg.lattice.spacing
    vti = write_image(out_dir / "kmc_deposit.vti", {"deposit": sim.deposit.astype(np.uint8)},
                      cfg.lattice.spacing, origin=(0.0, 0.0, z0),
                      comment="mesolith kmc Li deposit: 1 Li metal, 0 empty; spacing in m")
    obs = sim.observables
    context["kmc"] = sim
    return StageResult(
        "kmc", files=[h5, vti],
        summary={"final SOC": f"{obs['soc'][-1]:.3f}",
                 "plated fraction": f"{sim.plated_fraction:.3f}",
                 "final potential (V)": f"{obs['potential'][-1]:.3f}"})
