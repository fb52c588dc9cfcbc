"""Base class for configuration models and the error format users see.

Every engine's configuration is a :class:`Section`: unknown keys are errors,
NaN and infinity are rejected, and each physical field carries its SI unit so
that a bad value is reported as::

    recipe.toml: bd.temperature = -5.0: must be > 0 K
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

__all__ = ["ConfigError", "Section", "format_validation_error", "quantity"]


class ConfigError(ValueError):
    """A configuration could not be accepted.

    ``problems`` holds one line per error, each naming the source, the key path,
    the bad value and what is allowed.
    """

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class Section(BaseModel):
    """Base of every configuration model: strict keys, finite numbers, checked assignment."""

    model_config = ConfigDict(
        extra="forbid",
        allow_inf_nan=False,
        validate_assignment=True,
        validate_default=True,
    )

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "<config>", prefix: str = ""):
        """Validate ``data`` into this model, raising :class:`ConfigError` with readable lines."""
        try:
            return cls.model_validate(data)
        except ValidationError as err:
            raise ConfigError(format_validation_error(err, cls, source, prefix)) from None


def quantity(default: Any = ..., *, unit: str = "", description: str = "", **constraints) -> Any:
    """A pydantic ``Field`` for a physical quantity with its SI ``unit``.

    ``constraints`` are pydantic's (``gt``, ``ge``, ``lt``, ``le``, ...).
    """
    return Field(default, description=description, json_schema_extra={"unit": unit}, **constraints)


_COMPARISONS = {
    "greater_than": ("gt", ">"),
    "greater_than_equal": ("ge", ">="),
    "less_than": ("lt", "<"),
    "less_than_equal": ("le", "<="),
}


def _number(value: Any) -> str:
    """Bounds as a person writes them: 0 not 0.0, 1e-09 not 0.000000001."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def _field_unit(model: type[BaseModel], loc: tuple) -> str:
    """Walk ``loc`` through nested models to find the unit of the field it names."""
    current: Any = model
    unit = ""
    for part in loc:
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return unit
        field = current.model_fields.get(str(part))
        if field is None:
            return ""
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        unit = str(extra.get("unit", ""))
        current = field.annotation
    return unit


def _allowed_keys(model: type[BaseModel], loc: tuple) -> list[str]:
    current: Any = model
    for part in loc[:-1]:
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        field = current.model_fields.get(str(part))
        if field is None:
            return []
        current = field.annotation
        # Optional[Model] -> Model
        args = getattr(current, "__args__", None)
        if args:
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            current = models[0] if models else current
    if isinstance(current, type) and issubclass(current, BaseModel):
        return sorted(current.model_fields)
    return []


def _describe(error: dict, model: type[BaseModel]) -> str:
    kind = error["type"]
    ctx = error.get("ctx", {})
    loc = tuple(p for p in error["loc"] if not str(p).startswith("function-"))
    if kind in _COMPARISONS:
        key, symbol = _COMPARISONS[kind]
        unit = _field_unit(model, loc)
        return f"must be {symbol} {_number(ctx.get(key))}" + (f" {unit}" if unit else "")
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, loc)
        return "unknown key" + (f"; allowed keys: {', '.join(allowed)}" if allowed else "")
    if kind == "missing":
        return "is required but missing"
    if kind == "finite_number":
        return "must be a finite number (not NaN or infinity)"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    message = error["msg"]
    return message[0].lower() + message[1:] if message else kind


def format_validation_error(
    err: ValidationError, model: type[BaseModel], source: str, prefix: str = ""
) -> list[str]:
    """One line per pydantic error: ``source: key.path = value: what is allowed``."""
    lines = []
    for error in err.errors():
        loc = [str(p) for p in error["loc"] if not str(p).startswith("function-")]
        path = ".".join(([prefix] if prefix else []) + loc) or "(top level)"
        if error["type"] == "missing":
            lines.append(f"{source}: {path}: {_describe(error, model)}")
        else:
            lines.append(f"{source}: {path} = {error.get('input')!r}: {_describe(error, model)}")
    return lines
