"""Film thickness vs time."""

from __future__ import annotations

import numpy as np
from MDAnalysis.analysis.base import AnalysisBase

from mesolith.analysis._common import MD_LENGTH_UNIT, check_length_unit, radii_of

__all__ = ["FilmThickness"]


class FilmThickness(AnalysisBase):
    """Thickness of a film on the plane z = 0: the highest bead top, max(z_i + r_i).

    Parameters
    ----------
    atomgroup : AtomGroup
        The film's beads (radii from the topology; 0 if absent).
    length_unit : float
        Metres per Universe length unit.

    Results
    -------
    results.times : ndarray
        Frame times as stored in the trajectory (reduced MD time for our DCD files).
    results.thickness : ndarray
        Thickness per frame [m].

    Examples
    --------
    >>> FilmThickness(u.atoms).run().results.thickness  # doctest: +SKIP
    """

    def __init__(self, atomgroup, length_unit: float = MD_LENGTH_UNIT, **kwargs):
        super().__init__(atomgroup.universe.trajectory, **kwargs)
        self._ag = atomgroup
        self._unit = check_length_unit(length_unit)
        self._radii = radii_of(atomgroup)

    def _prepare(self):
        self.results.thickness = np.zeros(self.n_frames)
        self.results.times = np.zeros(self.n_frames)

    def _single_frame(self):
        z = self._ag.positions[:, 2]
        self.results.thickness[self._frame_index] = float(np.max(z + self._radii)) * self._unit
        self.results.times[self._frame_index] = self._ts.time
