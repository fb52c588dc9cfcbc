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


def test_row_of_particle_files_shares_one_scale(tmp_path):
    from mesolith.io.vtk import write_points
    from mesolith.viz import render_row

    # a tall and a short column of equal spheres: in a common scale the short one fills
    # about a third of the height the tall one fills
    paths = []
    for name, count in (("tall", 30), ("short", 10)):
        z = np.arange(count) * 2e-6
        pos = np.column_stack([np.zeros(count), np.zeros(count), z])
        paths.append(write_points(tmp_path / f"{name}.vtp", pos,
                                  {"radius": np.full(count, 1e-6), "order": np.arange(count)}))
    png = render_row(paths, tmp_path / "row.png", titles=["tall", "short"], size=(400, 300))
    width, height, pixels = _png_pixels(png)
    assert (width, height) == (400, 300)
    image = pixels[:, :3].reshape(height, width, 3).astype(int)
    dark = (image < 200).any(axis=2)
    dark[:, width // 2 - 3: width // 2 + 3] = False  # the border between the panels
    dark = dark[30:-30]  # leave out the captions' band
    rows = [np.nonzero(dark[:, k * width // 2:(k + 1) * width // 2].any(axis=1))[0]
            for k in range(2)]
    extent = [r.max() - r.min() for r in rows]
    # 20 um against 60 um of spheres; +-0.05 for a few pixels of sphere shading at the ends
    assert extent[1] / extent[0] == pytest.approx(20 / 60, abs=0.05)


def test_row_bad_arguments(tmp_path):
    from mesolith.viz import render_row

    with pytest.raises(ValueError, match="paths"):
        render_row([], tmp_path / "x.png")
    with pytest.raises(ValueError, match="view"):
        render_row([tmp_path / "a.vtp"], tmp_path / "x.png", view="top")
