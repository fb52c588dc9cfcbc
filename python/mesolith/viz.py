"""Pictures of results: label volumes (.vti) and particles (.vtp) rendered to PNG.

Rendering is off-screen with PyVista/VTK (the ``viz`` extra), so it works on a
machine without a display. Each non-zero label of a volume is drawn as its own
surface (pores are left out so that the solid is visible); particles are drawn
as spheres of their ``radius`` point data.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

from mesolith.io import atomic_output

__all__ = ["PHASE_COLOURS", "render", "render_row"]

#: Colours by label: active material, carbon-binder domain, then extra phases.
PHASE_COLOURS = ["#c0c0c0", "#2f6db5", "#d9822b", "#6aa84f", "#9c27b0"]


def _pyvista():
    os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")
    try:
        import pyvista
    except ImportError:
        raise ImportError(
            "rendering needs PyVista: pip install 'mesolith[viz]'"
        ) from None
    pyvista.OFF_SCREEN = True
    return pyvista


def _add_volume(plotter, mesh) -> None:
    name = mesh.active_scalars_name or next(iter(mesh.cell_data.keys()), None)
    if name is None:
        raise ValueError("volume has no cell data to render")
    labels = mesh.cell_data[name]
    for i, label in enumerate(sorted(set(int(v) for v in labels) - {0})):
        part = mesh.threshold([label - 0.5, label + 0.5], scalars=name)
        if part.n_cells:
            colour = PHASE_COLOURS[(label - 1) % len(PHASE_COLOURS)]
            surface = part.extract_surface(algorithm="dataset_surface")
            plotter.add_mesh(surface, color=colour, label=f"label {label}",
                             opacity=1.0 if i == 0 else 0.9)
    plotter.add_mesh(mesh.outline(), color="black")


def _add_particles(plotter, pyvista, mesh, scalars: str | None = None) -> None:
    if scalars is not None and scalars not in mesh.point_data:
        raise ValueError(f"scalars = {scalars!r}: the file's point data are "
                         f"{sorted(mesh.point_data.keys())}")
    if "radius" not in mesh.point_data:
        plotter.add_points(mesh, render_points_as_spheres=True, point_size=8,
                           scalars=scalars, cmap="viridis")
        return
    sphere = pyvista.Sphere(radius=1.0, theta_resolution=16, phi_resolution=16)
    glyphs = mesh.glyph(geom=sphere, scale="radius", orient=False)
    radius = mesh.point_data["radius"]
    if scalars is None and radius.min() == radius.max():  # one size: a colour bar says nothing
        plotter.add_mesh(glyphs, color=PHASE_COLOURS[0])
        return
    plotter.add_mesh(glyphs, scalars=scalars or "radius", cmap="viridis",
                     show_scalar_bar=True, scalar_bar_args={"n_labels": 3, "fmt": "%.3g"})


def _read(pyvista, path: Path):
    if path.suffix not in {".vti", ".vtp"}:
        raise ValueError(f"{path}: can render .vti volumes and .vtp particles, not {path.suffix!r}")
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    with warnings.catch_warnings(record=True) as caught:  # VTK reports bad files as warnings
        warnings.simplefilter("always")
        mesh = pyvista.read(path)
    failed = any("error while reading" in str(w.message) for w in caught)
    if failed or mesh is None or mesh.n_points == 0 or (
            path.suffix == ".vti" and not mesh.array_names):
        raise ValueError(f"{path}: no data could be read (truncated or corrupted file?)")
    return mesh


def _screenshot(plotter, target: Path) -> Path:
    with atomic_output(target) as tmp:
        plotter.screenshot(str(tmp.with_suffix(".png")))
        tmp.with_suffix(".png").replace(tmp)
    plotter.close()
    return target


def render_row(paths, png: str | Path, titles=None, scalars: str | None = None,
               size: tuple[int, int] = (1600, 700), view: str = "xz") -> Path:
    """Render several ``.vtp`` particle files side by side at one common scale.

    Parameters
    ----------
    paths : sequence of paths
        PolyData files (points with ``radius``), drawn left to right.
    png : path
        Output picture (written atomically).
    titles : sequence of str, optional
        One caption per panel (default: the file names).
    scalars : str, optional
        Point-data array to colour by (e.g. an arrival ``order``).
    size : (int, int)
        Picture size in pixels.
    view : {"xz", "yz", "xy", "iso"}
        Camera direction, the same for every panel; the panels share one camera, so equal
        lengths look equal in all of them.

    Examples
    --------
    >>> render_row(["a.vtp", "b.vtp"], "both.png", titles=["Da 4", "Da 0.04"])  # doctest: +SKIP
    """
    paths = [Path(p) for p in paths]
    if not paths:
        raise ValueError("paths: need at least one file")
    titles = list(titles) if titles is not None else [p.name for p in paths]
    if len(titles) != len(paths):
        raise ValueError(f"titles: {len(titles)} given for {len(paths)} files")
    if view not in {"xz", "yz", "xy", "iso"}:
        raise ValueError(f"view = {view!r}: must be 'xz', 'yz', 'xy' or 'iso'")
    pyvista = _pyvista()
    meshes = [_read(pyvista, p) for p in paths]
    plotter = pyvista.Plotter(off_screen=True, window_size=list(size), shape=(1, len(paths)))
    plotter.set_background("white")
    for k, (mesh, title) in enumerate(zip(meshes, titles, strict=True)):
        plotter.subplot(0, k)
        _add_particles(plotter, pyvista, mesh, scalars)
        plotter.add_text(title, font_size=10, color="black")
        plotter.camera_position = view
    plotter.link_views()
    # parallel projection, scaled so the largest extent of any file fills its panel
    lo = [min(m.bounds[2 * a] for m in meshes) for a in range(3)]
    hi = [max(m.bounds[2 * a + 1] for m in meshes) for a in range(3)]
    plotter.subplot(0, 0)
    plotter.reset_camera(bounds=[lo[0], hi[0], lo[1], hi[1], lo[2], hi[2]])
    plotter.enable_parallel_projection()
    width, height = size[0] / len(paths), size[1]
    vertical = {"xz": 2, "yz": 2, "xy": 1, "iso": 2}[view]
    across = {"xz": 0, "yz": 1, "xy": 0, "iso": 0}[view]
    half = 0.55 * max(hi[vertical] - lo[vertical],
                      (hi[across] - lo[across]) * height / width)
    plotter.camera.parallel_scale = half
    return _screenshot(plotter, Path(png))


def render(path: str | Path, png: str | Path | None = None, size: tuple[int, int] = (900, 700),
           title: str | None = None) -> Path:
    """Render a ``.vti`` label volume or ``.vtp`` particle file to a PNG picture.

    Parameters
    ----------
    path : path
        A VTK XML ImageData (cell labels) or PolyData (points with ``radius``) file.
    png : path, optional
        Output picture; defaults to ``path`` with the suffix ``.png``.
    size : (int, int)
        Picture size in pixels.
    title : str, optional
        Text drawn in the top-left corner; defaults to the file name.

    Returns
    -------
    pathlib.Path
        The picture written (atomically).

    Examples
    --------
    >>> render("results/demo/micro.vti")  # doctest: +SKIP
    PosixPath('results/demo/micro.png')
    """
    path = Path(path)
    pyvista = _pyvista()
    mesh = _read(pyvista, path)
    plotter = pyvista.Plotter(off_screen=True, window_size=list(size))
    plotter.set_background("white")
    if path.suffix == ".vti":
        _add_volume(plotter, mesh)
    else:
        _add_particles(plotter, pyvista, mesh)
    plotter.add_text(title or path.name, font_size=10, color="black")
    plotter.show_axes()
    plotter.camera_position = "iso"
    return _screenshot(plotter, Path(png) if png else path.with_suffix(".png"))
