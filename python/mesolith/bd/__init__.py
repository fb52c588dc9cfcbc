"""Brownian dynamics of electrode slurries with hydrodynamic interactions.

Ermak-McCammon dynamics with the polydisperse, overlap-corrected
Rotne-Prager-Yamakawa mobility (Zuk et al. 2014), Brownian noise from a dense
Cholesky factor or matrix-free Lanczos (Ando et al. 2012), and colloidal
forces (contact repulsion, DLVO, binder bonds, gravity, shear).

Examples
--------
>>> from mesolith import bd
>>> sim = bd.Simulation({"species": [{"name": "NMC", "preset": "nmc", "count": 5}]})
>>> sim.run(20, progress=False).positions.shape
(5, 3)
"""

# The recipe model imports mesolith.bd.config: load mesolith.config first so that
# importing mesolith.bd on its own does not meet a half-initialised module.
import mesolith.config  # noqa: F401
from mesolith.bd.config import BDConfig, SpeciesConfig
from mesolith.bd.deposition import DepositionResult, deposition
from mesolith.bd.mobility import Mobility, PeriodicMobility, mobility
from mesolith.bd.pse import PseMobility
from mesolith.bd.simulation import Simulation

__all__ = [
    "BDConfig", "DepositionResult", "Mobility", "PeriodicMobility", "PseMobility", "Simulation",
    "SpeciesConfig", "deposition", "mobility",
]
