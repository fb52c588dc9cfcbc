"""The ``micro`` recipe stage: generate a structure, compute its properties, write files."""

from __future__ import annotations

from mesolith.config.recipe import Recipe
from mesolith.io import write_results
from mesolith.micro.electrolyte import electrolyte_tortuosity
from mesolith.micro.generators import (
    add_cbd,
    boolean_spheres,
    calender,
    gaussian_field_structure,
    pack_spheres,
)
from mesolith.micro.properties import properties
from mesolith.micro.spheroids import SpheroidStructure, pack_spheroids
from mesolith.micro.volume_io import write_vti
from mesolith.pipeline.stages import StageResult

__all__ = ["run"]


def run(recipe: Recipe, context: dict) -> StageResult:
    """Run the ``[micro]`` section of ``recipe``.

    Writes ``micro.h5`` (labels, particles, properties with units and provenance) and, if
    asked, ``micro.vti`` into ``recipe.run.output_dir``; puts the structure and its properties
    into ``context["microstructure"]`` and ``context["micro_properties"]`` for later stages.
    """
    cfg = recipe.micro
    seed = recipe.run.seed
    if cfg.generator == "packing":
        ms = pack_spheres(cfg.packing, seed=seed)
    elif cfg.generator == "boolean":
        ms = boolean_spheres(cfg.boolean, seed=seed)
    elif cfg.generator == "spheroids":
        ms = pack_spheroids(cfg.spheroids, seed=seed)
    else:
        ms = gaussian_field_structure(cfg.field, seed=seed)
    if cfg.cbd is not None and cfg.cbd.fraction > 0 and (
            ms.particles is not None or cfg.cbd.mode == "agglomerate"):
        ms = add_cbd(ms, cfg.cbd, seed=seed)
    if cfg.calender is not None:
        ms = calender(ms, cfg.calender)
    props = properties(ms, axes=tuple(cfg.properties.axes), tol=cfg.properties.rtol,
                       conductivities=cfg.properties.conductivities,
                       surface_estimator=cfg.properties.surface_estimator)

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
    electrolyte = {}
    if "cbd_nanoporosity" in ms.metadata:
        for axis in cfg.properties.axes:
            e = electrolyte_tortuosity(ms, axis=axis, rtol=cfg.properties.rtol)
            electrolyte["xyz"[axis]] = {k: v for k, v in e.as_dict().items()}
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
