"""VTK XML writers and readers: exact round trips, clear errors."""

from __future__ import annotations

import numpy as np
import pytest

from mesolith.io.vtk import read_image, read_points, write_image, write_points


def test_image_round_trip_several_arrays(tmp_path):
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 3, (5, 6, 7)).astype(np.uint8)
    conc = rng.random((5, 6, 7))
    path = write_image(tmp_path / "v.vti", {"labels": labels, "c": conc}, 2e-7,
                       origin=(0, 0, 1e-6), comment="phases 0=pore -- 1=AM")
    data, spacing, origin = read_image(path)
    assert spacing == 2e-7 and origin == (0.0, 0.0, 1e-6)
    assert data["labels"].tobytes() == labels.tobytes() and data["c"].tobytes() == conc.tobytes()


def test_points_round_trip(tmp_path):
    x = np.random.default_rng(1).random((9, 3))
    path = write_points(tmp_path / "p.vtp", x, {"radius": np.full(9, 1e-6), "type": np.arange(9),
                                                "velocity": x * 2, "flag": x[:, 0] > 0.5})
    positions, data = read_points(path)
    assert positions.tobytes() == x.tobytes()
    np.testing.assert_array_equal(data["type"], np.arange(9))
    assert data["velocity"].shape == (9, 3)
    assert data["flag"].dtype == np.uint8


def test_bad_inputs(tmp_path):
    with pytest.raises(ValueError, match="spacing = 0"):
        write_image(tmp_path / "a.vti", {"x": np.zeros((2, 2, 2))}, 0.0)
    with pytest.raises(ValueError, match="one shape"):
        write_image(tmp_path / "a.vti", {"x": np.zeros((2, 2, 2)), "y": np.zeros((2, 2, 3))}, 1.0)
    with pytest.raises(ValueError, match="must have 3 rows"):
        write_points(tmp_path / "p.vtp", np.zeros((3, 3)), {"r": np.zeros(2)})
    with pytest.raises(ValueError, match="positions: must be finite"):
        write_points(tmp_path / "p.vtp", [[0, 0, np.nan]])
    (tmp_path / "junk.vti").write_text("<not xml")
    with pytest.raises(ValueError, match="not a VTK XML file"):
        read_image(tmp_path / "junk.vti")
    assert not any(p.name.endswith(".tmp") for p in tmp_path.iterdir())
