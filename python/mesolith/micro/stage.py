"""The ``micro`` recipe stage: generate a structure, compute its properties, write files."""

from __future__ import annotations

from mesolith.config.recipe import Recipe
from mesolith.io import write_results
from mesolith.micro.resumable import micro_job
from mesolith.micro.spheroids import SpheroidStructure
from mesolith.micro.volume_io import write_vti
from mesolith.pipeline.stages import StageResult
from mesolith.reliability.resume import run_stage_job

__all__ = ["run"]


def run(recipe: Recipe, context: dict) -> StageResult:
    """Run the ``[micro]`` section of ``recipe``.

    Writes ``micro.h5`` (labels, particles, properties with units and provenance) and, if
    asked, ``micro.vti`` into ``recipe.run.output_dir``; puts the structure and its properties
    into ``context["microstructure"]`` and ``context["micro_properties"]`` for later stages.
    The work runs in chunks (packing sweeps, CBD, calendering, one transport solve each),
    checkpointed every ``recipe.run.checkpoint_interval`` seconds; ``mesolith run --resume``
    continues from the checkpoint (see :mod:`mesolith.micro.resumable`).
    """
    cfg = recipe.micro
    seed = recipe.run.seed
    done = run_stage_job(micro_job(cfg, seed), recipe, context, cfg)
    ms, props, electrolyte = done.structure, done.properties(), done.electrolyte()

    out = recipe.run.output_dir
    out.mkdir(parents=True, exist_ok=True)
    data = {
        "microstructure": {"labels": ms.labels, "voxel_size": ms.voxel_size,
                           "phase_labels": list(ms.phases),
                           "phase_names": list(ms.phases.values())},
        "properties": props.as_dict(),
    }
    if ms.particles is not None:
        data["microstructure"]["particles"] = ms.particles
    if isinstance(ms, SpheroidStructure) and ms.spheroids is not None:
        data["microstructure"]["spheroids"] = ms.spheroids  # x y z a c [m], ux uy uz [1]
    if "cbd_nanoporosity" in ms.metadata:
        data["electrolyte_with_cbd"] = electrolyte
    units = {"microstructure/voxel_size": "m", "microstructure/particles": "m"}
    units.update({f"properties/{k}": v for k, v in props.units_for_hdf5().items()})
    attrs = {f"micro.{k}": v for k, v in ms.metadata.items()}
    files = [write_results(out / "micro.h5", data, config=recipe.model_dump(mode="json"),
                           seed=seed, threads=recipe.run.threads, attrs=attrs, units=units)]
    if cfg.write_vti:
        files.append(write_vti(ms, out / "micro.vti"))
    context["microstructure"] = ms
    context["micro_properties"] = props
    summary = {"porosity": f"{props.porosity:.4f}",
               "AM fraction": f"{props.volume_fractions.get('AM', 0.0):.4f}"}
    for axis, t in props.tortuosity.items():
        summary[f"tau_{axis}"] = f"{t.tau_factor:.4f}"
    for axis, e in electrolyte.items():
        summary[f"tau_{axis} (pores + CBD)"] = f"{e['tau_factor']:.4f}"
    return StageResult("micro", files, summary)
