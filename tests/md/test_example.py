"""The drying example runs (small version)."""

import importlib.util
from pathlib import Path

import pytest

pytest.importorskip("openmm")
pytest.importorskip("MDAnalysis")


def test_small_drying_example_runs(tmp_path):
    path = Path(__file__).parents[2] / "examples" / "md_drying.py"
    spec = importlib.util.spec_from_file_location("md_drying_example", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    summary = module.main(["--small", "--out", str(tmp_path)])
    for name in ("nmp_pvdf", "water_cmc_sbr"):
        assert 0.2 < summary[name]["porosity"] < 0.7
        assert (tmp_path / name / "microstructure.h5").exists()
