"""A seeded recipe mutator: valid engine sections from the demo recipe, broken on purpose.

Each case takes one engine's section of ``examples/demo.toml`` (built in here, so the
package does not need the examples folder) and applies one mutation at a random place:
NaN or infinity, a negative, zero or huge number, a value of the wrong type, an
unknown key, an empty list, a deleted key, or an engine-specific inconsistency (volume
fractions above 1, a zero voxel size). Parsing must either succeed or raise a
``ConfigError`` whose every line names the file. Mutations that can never be valid
(NaN/inf, unknown keys, the inconsistencies) must be refused: accepting one is a
silent wrong answer.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass
from typing import Any

from mesolith.config.base import ConfigError
from mesolith.config.recipe import parse_recipe

__all__ = ["BASE_SECTIONS", "RecipeOutcome", "mutate", "try_recipes"]

BASE_SECTIONS: dict[str, dict] = {
    "bd": {"solvent": "nmp", "steps": 400, "dt": 1e-4, "temperature": 298.15,
           "species": [{"name": "NMC", "preset": "nmc", "count": 12},
                       {"name": "CB", "preset": "carbon_black", "count": 60}]},
    "md": {"preset": "nmp_pvdf", "n_am": 30, "box_xy": 20e-6, "steps": 6000},
    "micro": {"generator": "packing",
              "packing": {"shape": [64, 64, 96], "voxel_size": 0.5e-6, "mean_radius": 2.5e-6,
                          "am_fraction": 0.55},
              "cbd": {"fraction": 0.06, "mode": "bridge"},
              "calender": {"porosity": 0.33}, "properties": {"axes": [0, 2], "rtol": 1e-6}},
    "kmc": {"temperature": 268.15, "initial_soc": 0.6, "duration": 0.2,
            "drive": {"mode": "galvanostatic", "c_rate": 4.0}},
}

_NEVER_VALID = ("nan", "inf", "-inf", "unknown key")
_NUMBERS = {"negative": -1.0, "zero": 0, "huge": 2**70, "tiny": 1e-300, "big float": 1e300}
_WRONG = {"text": "abc", "list": [1, 2], "table": {"a": 1}, "bool": True}


@dataclass
class RecipeOutcome:
    engine: str
    mutation: str
    where: str
    outcome: str  # "refused", "accepted", "crash" or "silent"
    message: str


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, prefix + (i,))
    return out


def _set(root: Any, path: tuple, value: Any) -> None:
    node = root
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


def _get(root: Any, path: tuple) -> Any:
    for key in path:
        root = root[key]
    return root


def mutate(engine: str, rng: random.Random) -> tuple[dict, str, str]:
    """One broken copy of ``engine``'s base section: (section, mutation name, where)."""
    section = copy.deepcopy(BASE_SECTIONS[engine])
    paths = _paths(section)
    path = rng.choice(paths)
    where = ".".join(str(p) for p in (engine, *path))
    kind = rng.choice(["nan", "inf", "-inf", "unknown key", "number", "number", "wrong type",
                       "empty list", "delete", "inconsistent"])
    if kind in ("nan", "inf", "-inf"):
        _set(section, path, float(kind))
    elif kind == "unknown key":
        parent = [p for p in paths if isinstance(_get(section, p), dict)]
        target = rng.choice(parent) if parent and rng.random() < 0.5 else ()
        node = _get(section, target) if target else section
        node["colour"] = 1
        where = ".".join(str(p) for p in (engine, *target, "colour"))
    elif kind == "number":
        name, value = rng.choice(sorted(_NUMBERS.items()))
        kind = f"number: {name}"
        _set(section, path, value)
    elif kind == "wrong type":
        name, value = rng.choice(sorted(_WRONG.items(), key=lambda kv: kv[0]))
        kind = f"wrong type: {name}"
        _set(section, path, copy.deepcopy(value))
    elif kind == "empty list":
        lists = [p for p in paths if isinstance(_get(section, p), list)]
        if lists:
            path = rng.choice(lists)
            where = ".".join(str(p) for p in (engine, *path))
        _set(section, path, [])
    elif kind == "delete":
        node = _get(section, path[:-1]) if len(path) > 1 else section
        if isinstance(node, dict):
            del node[path[-1]]
        else:
            node.pop(path[-1])
    else:
        kind, where = _inconsistent(engine, section, rng)
    return section, kind, where


def _inconsistent(engine: str, section: dict, rng: random.Random) -> tuple[str, str]:
    """A physically impossible combination that every field alone would allow."""
    if engine == "micro":
        if rng.random() < 0.5:
            section["packing"]["am_fraction"] = 0.65
            section["cbd"]["fraction"] = 0.5
            return "inconsistent: AM + CBD fractions 1.15", "micro.packing/cbd fractions"
        section["packing"]["voxel_size"] = 0.0
        return "inconsistent: voxel size 0", "micro.packing.voxel_size"
    if engine == "kmc":
        section["temperature"] = -5.0
        return "inconsistent: negative temperature", "kmc.temperature"
    if engine == "bd":
        section["species"][0]["count"] = 0
        section["species"][1]["count"] = 0
        return "inconsistent: no particles at all", "bd.species.count"
    section["box_xy"] = 0.0
    return "inconsistent: zero box", "md.box_xy"


def try_recipes(n: int, seed: int = 0, engines: list[str] | None = None) -> list[RecipeOutcome]:
    """Parse ``n`` mutated recipes (engines in turn); classify each outcome."""
    rng = random.Random(seed)
    engines = engines or sorted(BASE_SECTIONS)
    out = []
    for i in range(n):
        engine = engines[i % len(engines)]
        section, kind, where = mutate(engine, rng)
        data = {"run": {"name": "fuzz", "seed": rng.randrange(2**32)}, engine: section}
        try:
            parse_recipe(data, source="r.toml")
        except ConfigError as err:
            bad = [line for line in err.problems if not line.startswith("r.toml: ")]
            outcome = "crash" if bad or not err.problems else "refused"
            out.append(RecipeOutcome(engine, kind, where, outcome, "; ".join(err.problems)[:300]))
            continue
        except Exception as exc:  # noqa: BLE001 - any other exception is a finding
            out.append(RecipeOutcome(engine, kind, where, "crash", f"{type(exc).__name__}: {exc}"))
            continue
        never_valid = kind in _NEVER_VALID or kind.startswith("inconsistent")
        out.append(RecipeOutcome(engine, kind, where, "silent" if never_valid else "accepted",
                                 "accepted"))
    return out


