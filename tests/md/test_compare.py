"""The NMP-vs-water comparison table: paired statistics and what it says."""

import numpy as np
import pytest

from mesolith.md.compare import QUANTITIES, PresetComparison


def _comparison(diffs):
    rng = np.random.default_rng(0)
    values = {"nmp_pvdf": {}, "water_cmc_sbr": {}}
    for (name, _, _), diff in zip(QUANTITIES, diffs, strict=True):
        base = rng.normal(5.0, 1.0, size=5)  # slurry-to-slurry scatter, cancels when paired
        values["nmp_pvdf"][name] = base
        values["water_cmc_sbr"][name] = base + np.asarray(diff)
    return PresetComparison(list(range(5)), values)


def test_paired_difference_removes_common_scatter():
    cmp = _comparison([[-0.1, -0.12, -0.08, -0.1, -0.1], [0.0] * 5, [-1.0] * 5, [-1.0] * 5,
                       [0.1, -0.1, 0.1, -0.1, 0]])
    mean, se = cmp.paired(QUANTITIES[0][0])
    assert mean == pytest.approx(-0.1)
    assert se == pytest.approx(np.std([-0.1, -0.12, -0.08, -0.1, -0.1], ddof=1) / np.sqrt(5))
    assert cmp.verdict(QUANTITIES[0][0]) == -1  # resolved: lower, like the review
    assert cmp.verdict(QUANTITIES[4][0]) == 0  # within 2 standard errors


def test_table_says_where_and_why_it_differs_from_the_review():
    cmp = _comparison([[-0.1, -0.12, -0.08, -0.1, -0.1], [0.2, 0.21, 0.19, 0.2, 0.2],
                       [-1.0] * 5, [-1.0] * 5, [0.1, -0.1, 0.1, -0.1, 0]])
    text = cmp.markdown()
    lines = {line.split("|")[1].strip(): line for line in text.splitlines()
             if line.startswith("| ") and "quantity" not in line}
    assert lines[QUANTITIES[0][0]].rstrip(" |").endswith("yes")
    assert lines[QUANTITIES[1][0]].rstrip(" |").endswith("no")
    assert lines[QUANTITIES[4][0]].rstrip(" |").endswith("not resolved")
    assert "Where the table differs from the review" in text
    assert QUANTITIES[1][2] in text and QUANTITIES[4][2] in text
    assert QUANTITIES[0][2] not in text


@pytest.mark.slow
def test_nmp_vs_water_validation_case_runs():
    pytest.importorskip("openmm")
    from mesolith.validation.md import nmp_vs_water

    rows = nmp_vs_water(2024)
    assert len(rows) == len(QUANTITIES) and all(r.expected == -1.0 for r in rows)
    assert all(r.measured in (-1.0, 0.0, 1.0) for r in rows)


def test_bond_energies_of_two_touching_particles_on_the_collector():
    pytest.importorskip("openmm")
    from types import SimpleNamespace

    from mesolith.md import preset
    from mesolith.md.compare import bond_energies

    cfg = preset("nmp_pvdf")
    r = 2.5e-6
    sim = SimpleNamespace(config=cfg, slurry=SimpleNamespace(types=np.array([0, 0, 1])),
                          positions=np.array([[5e-6, 5e-6, r], [5e-6 + 2 * r, 5e-6, r],
                                              [20e-6, 20e-6, 10e-6]]),
                          diameters=np.array([2 * r, 2 * r, 1.5e-6]), box_xy=30e-6)
    e_am, e_cc = bond_energies(sim)
    # one AM-AM contact, R_eff = r/2, shared by 2 AM; both AM touch the collector (R = r)
    assert e_am == pytest.approx(cfg.chemistry.w_am_am * r / 2 / 2)
    assert e_cc == pytest.approx(cfg.chemistry.w_am_cc * r)
