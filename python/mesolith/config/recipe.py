"""The TOML recipe: a ``[run]`` table plus one table per engine stage.

Engine stages validate against their own models (each engine package defines
its configuration); stages whose engine is not part of this version are
recognised by name and reported as unavailable instead of being silently run.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator

from mesolith.bd.config import BDConfig
from mesolith.config.base import ConfigError, Section
from mesolith.kmc.config import KmcConfig
from mesolith.md.config import DryingConfig
from mesolith.micro.config import MicroConfig

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["PLANNED_STAGES", "Recipe", "RunSettings", "load_recipe", "parse_recipe"]

#: Every stage a recipe may name, in the order the pipeline runs them.
PLANNED_STAGES = ("bd", "md", "micro", "properties", "kmc", "cell", "export")

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class RunSettings(Section):
    """Settings shared by every stage of a recipe (the ``[run]`` table)."""

    name: str = Field("mesolith-run", description="Run name; used for the output folder.")
    seed: int = Field(
        0, ge=0, lt=2**64, description="Master seed of the counter-based generator (64 bit)."
    )
    output_dir: Path | None = Field(
        None, description="Where results go; default results/<name> beside the recipe."
    )
    threads: int = Field(0, ge=0, le=4096, description="OpenMP threads; 0 uses all available.")
    checkpoint_interval: float = Field(
        0.0, ge=0, description="Wall-clock seconds between checkpoints of the micro, bd, kmc "
        "and md stages (in <output_dir>/checkpoints/); 0 writes none. `mesolith run --resume` "
        "continues from them.", json_schema_extra={"unit": "s"})

    @field_validator("name")
    @classmethod
    def _safe_name(cls, value: str) -> str:
        if not _NAME.match(value):
            raise ValueError(
                "must start with a letter or digit and contain only letters, digits, '_', '.', '-'"
            )
        return value


class Recipe(Section):
    """A validated recipe. Engine stages are added here as their engines land."""

    run: RunSettings = Field(default_factory=RunSettings)
    bd: BDConfig | None = None
    kmc: KmcConfig | None = None
    micro: MicroConfig | None = None
    md: DryingConfig | None = None

    @property
    def stages(self) -> list[str]:
        """Names of the engine stages this recipe configures, in pipeline order."""
        return [s for s in PLANNED_STAGES if getattr(self, s, None) is not None]


def _available_stage_names() -> set[str]:
    return {s for s in PLANNED_STAGES if s in Recipe.model_fields}


def parse_recipe(data: dict[str, Any], source: str = "<recipe>") -> tuple[Recipe, list[str]]:
    """Validate a recipe already read into a dict.

    Returns the recipe and the names of requested stages that this version
    cannot run. Raises :class:`ConfigError` for anything invalid.
    """
    if not isinstance(data, dict):
        raise ConfigError([f"{source}: the recipe must be a table of tables"])
    available = _available_stage_names()
    unavailable = [s for s in PLANNED_STAGES if s in data and s not in available]
    kept = {k: v for k, v in data.items() if k not in unavailable}
    recipe = Recipe.from_dict(kept, source=source)
    return recipe, unavailable


def load_recipe(path: str | Path) -> tuple[Recipe, list[str]]:
    """Read and validate a TOML recipe file.

    Errors name the file, the key path, the bad value and what is allowed, e.g.
    ``recipe.toml: bd.temperature = -5.0: must be > 0 K``.
    """
    path = Path(path)
    source = path.name
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise ConfigError([f"{path}: no such recipe file"]) from None
    except UnicodeDecodeError as exc:
        raise ConfigError([f"{source}: not UTF-8 text ({exc.reason})"]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{source}: TOML syntax error: {exc}"]) from None
    recipe, unavailable = parse_recipe(data, source=source)
    if recipe.run.output_dir is None:
        recipe.run.output_dir = path.resolve().parent / "results" / recipe.run.name
    return recipe, unavailable
