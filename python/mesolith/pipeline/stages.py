"""Which engine runs each recipe stage, and the loop that runs them.

A stage runner is ``run(recipe, context) -> StageResult``; it is named here by
import path so that importing the pipeline does not import every engine.
``context`` is a dict that earlier stages fill for later ones (e.g. the
microstructure for the properties stage).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mesolith.config.recipe import PLANNED_STAGES, Recipe

__all__ = ["STAGE_RUNNERS", "StageResult", "available_stages", "run_recipe"]


@dataclass
class StageResult:
    """What a stage produced: files written and a few headline numbers for the summary."""

    stage: str
    files: list[Path] = field(default_factory=list)
    summary: dict[str, str] = field(default_factory=dict)


#: stage name -> "module:function" of its runner. Engines add themselves here.
STAGE_RUNNERS: dict[str, str] = {}
STAGE_RUNNERS["bd"] = "mesolith.bd.stage:run_stage"
STAGE_RUNNERS["kmc"] = "mesolith.kmc.stage:run"
STAGE_RUNNERS["micro"] = "mesolith.micro.stage:run"
STAGE_RUNNERS["md"] = "mesolith.md.stage:run_stage"


def available_stages() -> list[str]:
    return [s for s in PLANNED_STAGES if s in STAGE_RUNNERS]


def _runner(stage: str) -> Callable[[Recipe, dict], StageResult]:
    module, func = STAGE_RUNNERS[stage].split(":")
    return getattr(importlib.import_module(module), func)


def run_recipe(recipe: Recipe, progress: bool = True, resume: bool = False) -> list[StageResult]:
    """Run every configured stage of ``recipe`` in pipeline order.

    With ``resume``, stages that checkpoint (``[run] checkpoint_interval``) continue from
    their checkpoints in ``<output_dir>/checkpoints/``.
    """
    from mesolith import _core

    if recipe.run.threads:
        _core.set_num_threads(recipe.run.threads)
    context: dict = {"progress": progress, "resume": resume}
    results = []
    for stage in recipe.stages:
        results.append(_runner(stage)(recipe, context))
    return results
