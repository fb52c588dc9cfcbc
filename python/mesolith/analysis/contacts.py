"""AM-AM and AM-current collector contact numbers."""

from __future__ import annotations

import numpy as np
from MDAnalysis.analysis.base import AnalysisBase
from MDAnalysis.lib.distances import capped_distance

from mesolith.analysis._common import MD_LENGTH_UNIT, check_length_unit, radii_of

__all__ = ["Contacts"]


class Contacts(AnalysisBase):
    """Contacts between AM particles and with the current collector (the plane z = 0).

    Two beads touch when their surface gap r_ij - (R_i + R_j) is below ``tolerance``; a
    bead touches the collector when z - R is below ``tolerance``. Pairs are found with
    MDAnalysis' ``capped_distance`` using the periodic box.

    Parameters
    ----------
    atomgroup : AtomGroup
        Beads; AM beads are those named ``am_name``.
    tolerance : float
        Contact gap in Universe units (default 0.5 = 0.05 um for our files, half the
        contact-well width).
    length_unit : float
        Metres per Universe length unit (kept for symmetry; contact numbers are counts).

    Results
    -------
    results.am_am : ndarray       mean AM-AM contacts per AM particle, per frame
    results.am_cc : ndarray       number of AM particles touching the collector, per frame
    results.am_cc_fraction : ndarray  the same as a fraction of the AM particles

    Examples
    --------
    >>> Contacts(u.atoms).run(start=-1).results.am_am  # doctest: +SKIP
    """

    def __init__(self, atomgroup, tolerance: float = 0.5, am_name: str = "AM",
                 length_unit: float = MD_LENGTH_UNIT, **kwargs):
        super().__init__(atomgroup.universe.trajectory, **kwargs)
        if not (np.isfinite(tolerance) and tolerance >= 0):
            raise ValueError(f"tolerance = {tolerance!r}: must be >= 0")
        self._am = atomgroup[np.asarray(atomgroup.names) == am_name]
        if self._am.n_atoms == 0:
            raise ValueError(f"am_name = {am_name!r}: no atoms with that name")
        self._tol = float(tolerance)
        self._r = radii_of(self._am)
        check_length_unit(length_unit)

    def _prepare(self):
        self.results.am_am = np.zeros(self.n_frames)
        self.results.am_cc = np.zeros(self.n_frames)
        self.results.am_cc_fraction = np.zeros(self.n_frames)

    def _single_frame(self):
        pos = self._am.positions
        cutoff = 2 * float(self._r.max()) + self._tol
        pairs, dist = capped_distance(pos, pos, max_cutoff=cutoff, box=self._ts.dimensions)
        keep = pairs[:, 0] < pairs[:, 1]
        pairs, dist = pairs[keep], dist[keep]
        touching = dist - (self._r[pairs[:, 0]] + self._r[pairs[:, 1]]) < self._tol
        n = self._am.n_atoms
        i = self._frame_index
        self.results.am_am[i] = 2.0 * np.count_nonzero(touching) / n
        on_cc = np.count_nonzero(pos[:, 2] - self._r < self._tol)
        self.results.am_cc[i] = on_cc
        self.results.am_cc_fraction[i] = on_cc / n
