"""The recipe stage ``[md]``: dry a slurry film and hand its structure to later stages."""

from __future__ import annotations

from pathlib import Path

from mesolith.pipeline.stages import StageResult

__all__ = ["run_stage"]

#: Voxel edge of the microstructure handed on to the property stages [m].
STAGE_VOXEL_SIZE = 0.25e-6


def _drying(recipe, context: dict, cfg, out: Path, slurry):
    """The drying simulation: new, or continued from ``checkpoints/md.h5`` on --resume.

    Checkpoints are written at chunk boundaries (a function of the step alone) once
    ``[run] checkpoint_interval`` wall-clock seconds have passed, on Ctrl-C, and at the end.
    """
    from mesolith.io.checkpoint import CheckpointError, config_hash
    from mesolith.md.drying import DryingInterrupted, DryingSimulation
    from mesolith.reliability.resume import checkpoint_path

    root = Path(recipe.run.output_dir or Path("results") / recipe.run.name)
    path = checkpoint_path(root, "md")
    notes = context.setdefault("notes", [])
    if context.get("resume") and path.exists():
        sim = DryingSimulation.from_checkpoint(path, output_dir=out)
        if config_hash(sim.config.model_dump(mode="json")) != config_hash(
                cfg.model_dump(mode="json")):
            raise CheckpointError(
                f"{path}: this md checkpoint was written for a different [md] configuration "
                "or seed than the recipe's; run without --resume to start over (the "
                "checkpoint is then replaced)")
        notes.append(f"resumed from {path}")
    else:
        sim = DryingSimulation(cfg, output_dir=out, slurry=slurry)
    sim.checkpoint_path = path
    interval = float(recipe.run.checkpoint_interval)
    sim.checkpoint_seconds = interval
    if not sim.finished:
        try:
            sim.run(progress=context.get("progress", True))
        except DryingInterrupted as exc:
            notes.append(f"stopped; checkpoint in {exc.checkpoint}")
            raise KeyboardInterrupt(f"stopped at a checkpoint ({exc.checkpoint}); continue "
                                    "with `mesolith run --resume`") from None
    if interval > 0:  # a resume after the end costs nothing
        sim.checkpoint()
    return sim


def run_stage(recipe, context: dict) -> StageResult:
    """Run the drying configured in ``recipe.md``.

    ``md.start`` picks the starting beads: the end state of the ``bd`` stage
    (``context["bd"]``, see :mod:`mesolith.md.handoff`), a random slurry, or (``auto``) the
    bd end state where the recipe has a bd stage whose beads the model resolves.

    With ``[run] checkpoint_interval`` > 0 the run writes ``checkpoints/md.h5`` under the
    output directory between chunks; ``mesolith run --resume`` continues from it,
    bit-identical to an uninterrupted run with ``md.threads = 1``.

    Writes ``md/`` under the run's output directory (DCD, PDB, VTP, ``drying.h5``,
    ``microstructure.h5``) and puts ``context["microstructure"]`` and
    ``context["md"]`` (the simulation) for later stages.
    """
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
    sim = _drying(recipe, context, cfg, out, slurry)
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
