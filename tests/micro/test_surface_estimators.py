"""The two specific-surface-area estimators against exact areas (fast cases).

The full rows (r = 8 and 24 voxels on larger boxes) are in ``mesolith validate -e micro``.
"""

import math

import numpy as np
import pytest

from mesolith import _core
from mesolith.config.base import ConfigError
from mesolith.config.recipe import parse_recipe
from mesolith.io import read_results
from mesolith.micro import Microstructure, boolean_spheres, properties, specific_surface_area
from mesolith.pipeline.stages import run_recipe
from mesolith.validation.micro_surface import (
    crofton_orientation_factor,
    plane_stack,
    union_sphere_area,
)

ESTIMATORS = ("crofton", "extrapolated")


def _sv(labels, estimator):
    return specific_surface_area(labels, estimator=estimator, periodic=True)["0-1"]


@pytest.mark.parametrize("normal", [(0, 0, 1), (1, 2, 3), (1, 1, 1)])
@pytest.mark.parametrize("estimator", ESTIMATORS)
def test_plane_stack_gives_the_crofton_orientation_factor(normal, estimator):
    # Layers 16/|n| >= 4.6 voxels thick: no two crossings within a step-2 segment, and the
    # periodic test lines close on themselves, so the count is exact: S_V f(n), no noise.
    labels, exact = plane_stack(64, normal, period=32)
    assert _sv(labels, estimator) / exact == pytest.approx(crofton_orientation_factor(normal),
                                                           rel=1e-12)


def test_orientation_factor_of_an_axis():
    # 2 (w_axis + 4 w_face / sqrt 2 + 4 w_body / sqrt 3): the 13-direction weighting is
    # exact for isotropic structures only.
    assert crofton_orientation_factor((0, 0, 1)) == pytest.approx(0.926623, abs=1e-6)


@pytest.mark.parametrize(("thickness", "extrapolated_factor"), [(1, 1.5), (2, 1.0), (3, 1.0)])
def test_thin_films(thickness, extrapolated_factor):
    # Films normal to z every 8 voxels. Every test line with dz != 0 steps one voxel in z, so
    # the step-1 count sees each film; at step 2 half the lines jump a 1-voxel film, the
    # count halves and 2 P(h) - P(2h) = 1.5 P(h).
    labels, exact = plane_stack(64, (0, 0, 1), period=8, thickness=thickness)
    f = crofton_orientation_factor((0, 0, 1))
    assert _sv(labels, "crofton") / exact == pytest.approx(f, rel=1e-12)
    assert _sv(labels, "extrapolated") / exact == pytest.approx(extrapolated_factor * f,
                                                                rel=1e-12)


def test_single_sphere():
    # Ball of radius 12.3 off the lattice. Over 12 random centres the ratio to 4 pi r^2 / V
    # was 0.9989 +- 0.0025 (crofton) and 1.0021 +- 0.0028 (extrapolated): 1 % is 4 sd.
    n, r = 40, 12.3
    ball = _core.micro.voxelise_spheres(np.zeros((n, n, n), np.uint8),
                                        np.array([[20.2, 19.9, 20.35, r]]), (True,) * 3, 1)
    exact = 4 * math.pi * r * r / n**3
    for estimator in ESTIMATORS:
        assert _sv(ball, estimator) / exact == pytest.approx(1.0, abs=0.01)


def test_union_area_of_two_spheres_is_sphere_minus_caps():
    # Two spheres d apart: each loses a cap of height h_i = (r_j^2 - (d - r_i)^2) / (2 d),
    # area 2 pi r_i h_i. Tolerance 4 standard errors of the Monte Carlo estimate.
    r1, r2, d = 5.0, 4.0, 6.0
    box = (40.0, 40.0, 40.0)
    area, se = union_sphere_area([[10, 10, 10, r1], [10 + d, 10, 10, r2]], box, 40000, seed=1)
    h1 = (r2**2 - (d - r1) ** 2) / (2 * d)
    h2 = (r1**2 - (d - r2) ** 2) / (2 * d)
    exact = 4 * math.pi * (r1**2 + r2**2) - 2 * math.pi * (r1 * h1 + r2 * h2)
    assert 0 < se < 0.01 * exact
    assert area == pytest.approx(exact, abs=4 * se)
    # Across the periodic boundary the nearest image overlaps the same way.
    wrapped, se_w = union_sphere_area([[1, 10, 10, r1], [1 + d - 40, 10, 10, r2]], box, 40000,
                                      seed=2)
    assert wrapped == pytest.approx(exact, abs=4 * se_w)


def test_boolean_spheres_against_the_realised_area():
    # r = 8 voxels, 64^3, about 85 spheres: reference is the exact area of this realisation
    # (Monte Carlo standard error about 0.07 %). Over 4 seeds the extrapolated ratio was
    # 0.9985 +- 0.0015 and crofton 0.950 +- 0.003 (its crease bias): bounds of 1 % and of
    # 0.93..0.97 are over 5 sd away from those means.
    n, r = 64, 8.0
    ms = boolean_spheres(shape=(n, n, n), voxel_size=1.0, mean_radius=r, porosity=0.5, seed=7)
    area, se = union_sphere_area(ms.particles, (n, n, n), 20000, seed=7)
    exact = area / n**3
    assert se / area < 1e-3
    crofton = _sv(ms.labels, "crofton") / exact
    extrapolated = _sv(ms.labels, "extrapolated") / exact
    assert extrapolated == pytest.approx(1.0, abs=0.01)
    assert 0.93 < crofton < 0.97


def test_periodic_lines_match_the_window_estimate_on_periodic_structures():
    ms = boolean_spheres(shape=(48, 48, 48), voxel_size=1.0, mean_radius=6.0, porosity=0.5,
                         seed=3)
    for estimator in ESTIMATORS:
        wrap = specific_surface_area(ms, estimator=estimator, periodic=True)["AM-pore"]
        window = specific_surface_area(ms, estimator=estimator)["AM-pore"]
        assert window == pytest.approx(wrap, rel=0.02)  # 1 of 48 voxel layers differs


def test_extrapolated_is_thread_independent():
    rng = np.random.default_rng(3)
    v = rng.integers(0, 3, (16, 18, 20)).astype(np.uint8)
    before = _core.max_threads()
    results = []
    try:
        for threads in (1, 2):
            _core.set_num_threads(threads)
            results.append([_core.micro.interface_density(v, 3, extrapolate=True, periodic=p)
                            for p in (False, True)])
    finally:
        _core.set_num_threads(before)
    for one, two in zip(*results, strict=True):
        assert np.array_equal(one, two)


def test_three_phases_are_symmetric():
    rng = np.random.default_rng(4)
    v = rng.integers(0, 3, (12, 12, 12)).astype(np.uint8)
    d = _core.micro.interface_density(v, 3, extrapolate=True)
    assert np.array_equal(d, d.T) and np.all(np.diag(d) == 0)


def test_bad_estimator_and_shape_are_refused():
    v = np.zeros((8, 8, 8), np.uint8)
    with pytest.raises(ValueError, match="estimator = 'faces'"):
        specific_surface_area(v, estimator="faces")
    with pytest.raises(ValueError, match="surface_estimator = 'faces'"):
        properties(v, voxel_size=1e-6, axes=(), surface_estimator="faces")
    with pytest.raises(ValueError, match=r"shape = \(8, 2, 8\)"):
        specific_surface_area(np.zeros((8, 2, 8), np.uint8), estimator="extrapolated")
    with pytest.raises(ValueError, match="axis 1 has 2 voxels"):
        _core.micro.interface_density(np.zeros((8, 2, 8), np.uint8), 1, extrapolate=True)


def test_properties_record_the_estimator():
    ms = boolean_spheres(shape=(24, 24, 24), voxel_size=1e-6, mean_radius=4e-6,
                         porosity=0.5, seed=2)
    p = properties(Microstructure(ms.labels, 1e-6), axes=(), surface_estimator="extrapolated")
    assert p.surface_estimator == "extrapolated"
    assert p.as_dict()["surface_estimator"] == "extrapolated"
    expected = specific_surface_area(ms, estimator="extrapolated")["AM-pore"]
    assert p.specific_surface_area["AM-pore"] == expected
    assert properties(ms, axes=()).surface_estimator == "crofton"


def test_recipe_selects_the_estimator_and_the_results_record_it(tmp_path):
    micro = {"generator": "boolean", "write_vti": False, "cbd": None,
             "boolean": {"shape": [24, 24, 24], "voxel_size": 1e-6, "mean_radius": 4e-6,
                         "porosity": 0.5},
             "properties": {"axes": [2], "surface_estimator": "extrapolated"}}
    recipe, _ = parse_recipe({"run": {"name": "s", "seed": 1, "output_dir": str(tmp_path)},
                              "micro": micro})
    run_recipe(recipe, progress=False)
    res = read_results(tmp_path / "micro.h5")
    assert str(res["properties/surface_estimator"]) == "extrapolated"
    labels = res["microstructure/labels"]
    expected = specific_surface_area(labels, 1e-6, estimator="extrapolated")["0-1"]
    assert res["properties/specific_surface_area/AM-pore"] == pytest.approx(expected, rel=1e-12)
    micro["properties"]["surface_estimator"] = "faces"
    with pytest.raises(ConfigError, match="micro.properties.surface_estimator"):
        parse_recipe({"micro": micro}, source="recipe.toml")


def test_profiles_with_the_extrapolated_estimator():
    from mesolith.micro import profiles

    # Layers normal to x, the same in every slab along z: each slab reads what the whole
    # volume reads (the counts per test-line start do not depend on z).
    v = np.zeros((24, 12, 16), np.uint8)
    v[2:5] = v[10:12] = v[17:21] = 1
    ms = Microstructure(v, 1e-6)
    whole = specific_surface_area(ms, estimator="extrapolated")["AM-pore"]
    p = profiles(ms, slab=4, estimator="extrapolated")
    assert p.specific_surface_area["AM-pore"] == pytest.approx(np.full(4, whole), rel=1e-12)
    with pytest.raises(ValueError, match="slab = 2: must be an integer >= 3 voxels"):
        profiles(ms, slab=2, estimator="extrapolated")
    with pytest.raises(ValueError, match="estimator = 'faces'"):
        profiles(ms, estimator="faces")
