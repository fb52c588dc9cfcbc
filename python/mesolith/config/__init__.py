"""Configuration: pydantic models for every engine and the TOML recipe that chains them."""

from mesolith.config.base import ConfigError, Section, quantity
from mesolith.config.recipe import Recipe, RunSettings, load_recipe, parse_recipe

__all__ = [
    "ConfigError",
    "Recipe",
    "RunSettings",
    "Section",
    "load_recipe",
    "parse_recipe",
    "quantity",
]
