"""The type stubs of the compiled core must name exactly what the module exports.

Stubs live in python/mesolith/_core/*.pyi (one file per submodule, made by `make stubs`); a
binding added or removed without regenerating them makes this test fail.
"""

import ast
from pathlib import Path

import pytest

import mesolith._core as core

STUB_DIR = Path(__file__).resolve().parents[1] / "python" / "mesolith" / "_core"


def _stub_all(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        target = targets[0]
        if isinstance(target, ast.Name) and target.id == "__all__":
            return set(ast.literal_eval(node.value))
    raise AssertionError(f"{path} has no __all__")


def _public(module) -> set[str]:
    return {name for name in dir(module) if not name.startswith("_")}


SUBMODULES = sorted(p.stem for p in STUB_DIR.glob("*.pyi") if p.stem != "__init__")


def test_every_submodule_has_a_stub():
    compiled = {name for name in _public(core) if type(getattr(core, name)) is type(core)}
    assert compiled == set(SUBMODULES), "run `make stubs` to regenerate python/mesolith/_core"


def test_top_level_stub_matches_module():
    assert _stub_all(STUB_DIR / "__init__.pyi") == _public(core)


@pytest.mark.parametrize("name", SUBMODULES)
def test_submodule_stub_matches_module(name):
    assert _stub_all(STUB_DIR / f"{name}.pyi") == _public(getattr(core, name)), (
        f"stub of mesolith._core.{name} is stale: run `make stubs`"
    )
