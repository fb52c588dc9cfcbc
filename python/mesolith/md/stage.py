"""The recipe stage ``[md]``: dry a slurry film and hand its structure to later stages."""

from __future__ import annotations

from pathlib import Path

from mesolith.pipeline.stages import StageResult

__all__ = ["run_stage"]

#: Voxel edge of the microstructure handed on to the property stages [m].
STAGE_VOXEL_SIZE = 0.25e-6


def run_stage(recipe, context: dict) -> StageResult:
    """Run the drying configured in ``recipe.md``.

    ``md.start`` picks the starting beads: the end state of the ``bd`` stage
    (``context["bd"]``, see :mod:`mesolith.md.handoff`), a random slurry, or (``auto``) the
    bd end state where the recipe has a bd stage whose beads the model resolves.

    Writes ``md/`` under the run's output directory (DCD, PDB, VTP, ``drying.h5``,
    ``microstructure.h5``) and puts ``context["microstructure"]`` and
    ``context["md"]`` (the simulation) for later stages.
    """
    from mesolith.md.drying import DryingSimulation

    cfg = recipe.md
    if recipe.run.threads and not cfg.threads and not cfg.deterministic:
        cfg = cfg.model_copy(update={"threads": recipe.run.threads})
    if cfg.seed == 0 and recipe.run.seed:
        cfg = cfg.model_copy(update={"seed": recipe.run.seed})
    out = Path(recipe.run.output_dir or Path("results") / recipe.run.name) / "md"
    slurry, start = None, "random slurry"
    has_bd = context.get("bd") is not None and getattr(recipe, "bd", None) is not None
    if cfg.start == "bd" and not has_bd:
        raise ValueError("md.start = 'bd': the recipe has no bd stage to start from")
    if cfg.start != "random" and has_bd:
        from mesolith.md.handoff import BeadsTooSmall, drying_from_bd

        try:
            cfg, slurry = drying_from_bd(cfg, context["bd"], recipe.bd)
            start = "bd end state"
        except BeadsTooSmall as exc:
            if cfg.start == "bd":
                raise
            start = f"random slurry ({exc})"
    sim = DryingSimulation(cfg, output_dir=out, slurry=slurry).run(
        progress=context.get("progress", True))
    h5 = sim.save(out / "drying.h5")
    ms = sim.to_microstructure(STAGE_VOXEL_SIZE)
    ms_path = ms.save(out / "microstructure.h5", seed=cfg.seed)
    context["microstructure"] = ms
    context["md"] = sim
    return StageResult(
        "md",
        files=[h5, ms_path, out / "drying.dcd", out / "drying.pdb", out / "particles.vtp"],
        summary={"final thickness [um]": f"{sim.final_thickness * 1e6:.2f}",
                 "final porosity": f"{sim.final_porosity:.3f}",
                 "beads": str(sim.slurry.n),
                 "start": start})
