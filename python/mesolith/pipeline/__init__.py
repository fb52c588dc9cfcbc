"""Recipe pipeline: runs the stages a recipe configures, in order."""

from mesolith.pipeline.stages import STAGE_RUNNERS, StageResult, available_stages, run_recipe

__all__ = ["STAGE_RUNNERS", "StageResult", "available_stages", "run_recipe"]
