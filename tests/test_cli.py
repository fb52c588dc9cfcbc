"""The mesolith command line: info, run, validate, errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mesolith.cli import main


def _cli(*args: str) -> subprocess.CompletedProcess:
    # The console script installed beside this interpreter: what a user of this venv runs.
    script = Path(sys.executable).parent / "mesolith"
    cmd = [str(script), *args] if script.exists() else [sys.executable, "-m", "mesolith.cli", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def test_info_reports_build_and_threads(capsys):
    from mesolith import _core

    assert main(["info", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["openmp"] is True
    assert data["openmp_threads"] == _core.max_threads()
    assert set(data["extras"]) == {"md", "viz", "cell", "fem", "dist", "test"}
    assert data["build_type"] in {"Release", "Debug", "RelWithDebInfo"}


def test_info_table_as_a_user_sees_it():
    out = _cli("info")
    assert out.returncode == 0, out.stderr
    assert "OpenMP threads" in out.stdout and "extra: md" in out.stdout


@pytest.mark.parametrize("args", [["--help"], ["info", "--help"], ["run", "--help"],
                                  ["validate", "--help"]])
def test_help_everywhere(args, capsys):
    assert main(args) == 0
    assert "Usage" in capsys.readouterr().out


def test_bad_recipe_is_one_clear_line_without_traceback(tmp_path):
    recipe = tmp_path / "recipe.toml"
    recipe.write_text("[run]\nseed = -5\n")
    out = _cli("run", str(recipe))
    assert out.returncode == 2
    assert "recipe.toml: run.seed = -5: must be >= 0" in out.stderr
    assert "Traceback" not in out.stderr
    debug = _cli("--debug", "run", str(recipe))
    assert debug.returncode == 2 and "Traceback" in debug.stderr


def test_missing_recipe_and_unknown_command():
    assert _cli("run", "/nonexistent/recipe.toml").returncode == 2
    out = _cli("frobnicate")
    assert out.returncode == 2 and "No such command" in out.stderr


def test_unavailable_stage_is_named(tmp_path, capsys):
    from mesolith.config.recipe import PLANNED_STAGES, Recipe

    missing = [s for s in PLANNED_STAGES if s not in Recipe.model_fields]
    if not missing:
        pytest.skip("every planned stage is available")
    recipe = tmp_path / "recipe.toml"
    recipe.write_text(f"[{missing[0]}]\n")
    assert main(["--quiet", "run", "--check", str(recipe)]) == 3
    assert "not available in mesolith" in capsys.readouterr().err


def test_check_only_validates(tmp_path, capsys):
    recipe = tmp_path / "recipe.toml"
    recipe.write_text('[run]\nname = "ok"\n')
    assert main(["run", "--check", str(recipe)]) == 0
    assert "valid" in capsys.readouterr().out


def test_validate_rng_table_and_json(tmp_path, capsys):
    out_json = tmp_path / "validation.json"
    assert main(["validate", "--engine", "rng", "--fast", "--json", str(out_json)]) == 0
    rows = json.loads(out_json.read_text())
    assert rows and all(r["passed"] for r in rows)
    assert any(r["quantity"] == "Philox KAT vectors matching" for r in rows)
    assert main(["validate", "--engine", "nonsense"]) == 2
