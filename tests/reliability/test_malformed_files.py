"""Every malformed file gives a clear error naming the file; the CLI exits non-zero
without a traceback (a traceback only with --debug)."""

import pytest

from mesolith.cli import main
from mesolith.reliability.malformed import CASES, classify


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_malformed_file_is_refused_naming_the_file(tmp_path, case):
    path, call = case.make(tmp_path)
    outcome, message = classify(path, call)
    assert outcome == "clear", message


def test_cli_reports_a_cut_recipe_in_one_line(tmp_path, capsys):
    recipe = tmp_path / "cut.toml"
    recipe.write_text('[run]\nname = "x"\n[bd]\nsteps = 10\nspecies = [ { name = "NMC", pre')
    assert main(["run", str(recipe)]) == 2
    err = capsys.readouterr().err
    assert "cut.toml" in err and "Traceback" not in err
    assert main(["--debug", "run", str(recipe)]) == 2
    assert "Traceback" in capsys.readouterr().err


def test_cli_render_of_a_truncated_volume_has_no_traceback(tmp_path, capsys):
    pytest.importorskip("pyvista")
    case = next(c for c in CASES if c.name == "VTK image truncated")
    path, _ = case.make(tmp_path)
    assert main(["render", str(path)]) == 2
    err = capsys.readouterr().err
    assert path.name in err and "Traceback" not in err


def test_denormal_radius_is_refused_not_turned_into_inf():
    # found by fuzz/targets.py (bd_mobility): 1 / (6 pi eta a) overflows for a = 5e-324 m
    import numpy as np

    from mesolith.bd.mobility import Mobility

    with pytest.raises(ValueError, match="Stokes mobility .* overflows"):
        Mobility(np.zeros((2, 3)) + [[0, 0, 0], [1e-6, 0, 0]], [5e-324, 1e-7], 1e-3)


def test_lattice_gas_refuses_rates_whose_sum_overflows():
    # found by fuzz/targets.py (kmc_lattice): an infinite rate total crashed the C++ event
    # selection with a segmentation fault; the Python layer now refuses such input
    from mesolith.kmc import LatticeGas

    with pytest.raises(ValueError, match="overflow the event selection"):
        LatticeGas((6, 6), hop_rate=1e308, adsorption_rate=1.0, desorption_rate=1.0)
    with pytest.raises(ValueError, match="interaction = 10.0 eV at temperature = 1.0 K"):
        LatticeGas((6, 6), hop_rate=1.0, adsorption_rate=1.0, desorption_rate=1.0,
                   interaction=10.0, temperature=1.0)
    LatticeGas((6, 6), hop_rate=1e150, adsorption_rate=1.0, desorption_rate=1.0).run(events=50)
    with pytest.raises(ValueError, match="hop_rate = 5e-324: below 1e-290"):
        LatticeGas((3, 3, 3), hop_rate=5e-324)
    with pytest.raises(ValueError, match="overflow the event selection"):  # kT underflows to 0
        LatticeGas((3, 3), hop_rate=1.0, interaction=0.1, temperature=5e-324)
