"""Coverage of active-material surfaces by carbon-binder beads."""

from __future__ import annotations

import numpy as np
from MDAnalysis.analysis.base import AnalysisBase
from MDAnalysis.lib.distances import capped_distance

from mesolith.analysis._common import MD_LENGTH_UNIT, check_length_unit, radii_of

__all__ = ["CBDCoverage", "fibonacci_sphere"]


def fibonacci_sphere(n: int) -> np.ndarray:
    """``n`` nearly uniform unit vectors (golden-spiral points), shape (n, 3)."""
    k = np.arange(n) + 0.5
    z = 1 - 2 * k / n
    phi = np.pi * (1 + 5**0.5) * k
    s = np.sqrt(1 - z * z)
    return np.column_stack([s * np.cos(phi), s * np.sin(phi), z])


class CBDCoverage(AnalysisBase):
    """Fraction of each AM particle's surface lying within ``shell`` of a CBD bead surface.

    Each AM sphere is sampled at ``n_points`` golden-spiral points; a point counts as
    covered if it lies within R_CBD + ``shell`` of some CBD bead centre.

    Results
    -------
    results.coverage : ndarray        mean covered fraction of AM surface, per frame
    results.per_particle : ndarray    covered fraction per AM particle (last frame)

    Examples
    --------
    >>> CBDCoverage(u.atoms).run(start=-1).results.coverage  # doctest: +SKIP
    """

    def __init__(self, atomgroup, shell: float = 0.5, n_points: int = 400,
                 am_name: str = "AM", cbd_name: str = "CBD",
                 length_unit: float = MD_LENGTH_UNIT, **kwargs):
        super().__init__(atomgroup.universe.trajectory, **kwargs)
        names = np.asarray(atomgroup.names)
        self._am, self._cbd = atomgroup[names == am_name], atomgroup[names == cbd_name]
        if self._am.n_atoms == 0:
            raise ValueError(f"am_name = {am_name!r}: no atoms with that name")
        if not (np.isfinite(shell) and shell >= 0):
            raise ValueError(f"shell = {shell!r}: must be >= 0")
        self._shell = float(shell)
        self._dirs = fibonacci_sphere(int(n_points))
        self._ram, self._rcbd = radii_of(self._am), radii_of(self._cbd)
        check_length_unit(length_unit)

    def _prepare(self):
        self.results.coverage = np.zeros(self.n_frames)
        self.results.per_particle = np.zeros(self._am.n_atoms)

    def _single_frame(self):
        m = len(self._dirs)
        pts = (self._am.positions[:, None, :] + self._ram[:, None, None] * self._dirs).reshape(
            -1, 3).astype(np.float32)
        covered = np.zeros(len(pts), bool)
        if self._cbd.n_atoms:
            cut = float(self._rcbd.max()) + self._shell
            pairs, dist = capped_distance(pts, self._cbd.positions, max_cutoff=cut,
                                          box=self._ts.dimensions)
            hit = dist < self._rcbd[pairs[:, 1]] + self._shell
            covered[pairs[hit, 0]] = True
        per = covered.reshape(-1, m).mean(axis=1)
        self.results.per_particle = per
        self.results.coverage[self._frame_index] = float(per.mean())
