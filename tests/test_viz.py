"""Pictures: label volumes and particles rendered off-screen to PNG."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("pyvista")

from mesolith.cli import main  # noqa: E402
from mesolith.micro import Microstructure  # noqa: E402
from mesolith.micro.volume_io import write_vti  # noqa: E402
from mesolith.viz import render  # noqa: E402


def _png_pixels(path):
    import vtk
    from vtk.util.numpy_support import vtk_to_numpy

    reader = vtk.vtkPNGReader()
    reader.SetFileName(str(path))
    reader.Update()
    image = reader.GetOutput()
    width, height, _ = image.GetDimensions()
    pixels = vtk_to_numpy(image.GetPointData().GetScalars())
    return width, height, pixels


def test_volume_picture_shows_the_solid(tmp_path):
    labels = np.zeros((12, 12, 12), np.uint8)
    labels[2:8, 2:8, 2:8] = 1
    labels[8:10, 3:6, 3:6] = 2
    vti = write_vti(Microstructure(labels, 1e-6), tmp_path / "cube.vti")
    png = render(vti, size=(320, 240))
    width, height, pixels = _png_pixels(png)
    assert (width, height) == (320, 240)
    grey = np.all(np.abs(pixels[:, :3].astype(int) - 0xC0) < 0x30, axis=1)
    assert grey.mean() > 0.02  # the AM cube is visible, not an empty white picture


def test_particles_picture_and_cli(tmp_path):
    from mesolith.io.vtk import write_points

    positions = np.array([[0.0, 0.0, 0.0], [3e-6, 0.0, 0.0], [0.0, 3e-6, 1e-6]])
    vtp = write_points(tmp_path / "p.vtp", positions, {"radius": np.array([1e-6, 5e-7, 8e-7])})
    assert main(["render", "--size", "200x160", str(vtp)]) == 0
    width, height, pixels = _png_pixels(tmp_path / "p.png")
    assert (width, height) == (200, 160)
    assert (pixels[:, :3] < 200).any(axis=1).mean() > 0.01


def test_bad_inputs(tmp_path):
    with pytest.raises(ValueError, match="can render .vti volumes and .vtp particles"):
        render(tmp_path / "x.h5")
    with pytest.raises(FileNotFoundError):
        render(tmp_path / "missing.vti")
    assert main(["render", "--size", "big", str(tmp_path / "a.vti")]) == 2
