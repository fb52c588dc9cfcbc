"""Stochastic 3D electrode microstructures and their effective transport properties.

Generators return a :class:`Microstructure` (labels 0 pore, 1 AM, 2 CBD; voxel size in m);
:func:`properties` computes fractions, connectivity, surface areas and transport.

Examples
--------
>>> import mesolith.micro as micro
>>> ms = micro.pack_spheres(shape=(32, 32, 32), voxel_size=1e-6, mean_radius=4e-6,
...                         am_fraction=0.5, seed=1)
>>> p = micro.properties(micro.add_cbd(ms, fraction=0.05), axes=(2,))
>>> p.tortuosity["z"].tau_factor > 1
True
"""

# The recipe model imports mesolith.micro.config: load the config package first so that
# importing mesolith.micro on its own does not meet a half-initialised module.
import mesolith.config  # noqa: F401
from mesolith.micro.config import (
    BooleanConfig,
    CalenderConfig,
    CbdConfig,
    FieldConfig,
    MicroConfig,
    PackingConfig,
    PropertiesConfig,
    SpheroidConfig,
)
from mesolith.micro.electrolyte import (
    ElectrolyteTransportResult,
    cbd_relative_diffusivity,
    electrolyte_tortuosity,
)
from mesolith.micro.generators import (
    add_cbd,
    boolean_spheres,
    calender,
    gaussian_field_structure,
    pack_spheres,
    packed_structure,
    sphere_packer,
)
from mesolith.micro.geometry import (
    connected_fraction,
    percolates,
    percolation,
    specific_surface_area,
)
from mesolith.micro.properties import Properties, properties
from mesolith.micro.spheroids import (
    SpheroidStructure,
    order_parameter,
    pack_spheroids,
    packed_spheroid_structure,
    spheroid_packer,
    watson_order_parameter,
)
from mesolith.micro.statistics import (
    Profiles,
    SizeDistribution,
    TwoPointCorrelation,
    chord_lengths,
    local_thickness,
    profiles,
    size_distribution,
    two_point_correlation,
)
from mesolith.micro.structure import PHASES, Microstructure
from mesolith.micro.transport import (
    ConductivityResult,
    ElectrodeTortuosityResult,
    NotConvergedError,
    TortuosityResult,
    effective_conductivity,
    electrode_tortuosity,
    tortuosity,
)

__all__ = [
    "PHASES",
    "BooleanConfig",
    "CalenderConfig",
    "CbdConfig",
    "FieldConfig",
    "ConductivityResult",
    "ElectrodeTortuosityResult",
    "ElectrolyteTransportResult",
    "MicroConfig",
    "Microstructure",
    "NotConvergedError",
    "PackingConfig",
    "Profiles",
    "Properties",
    "SizeDistribution",
    "SpheroidConfig",
    "SpheroidStructure",
    "PropertiesConfig",
    "TortuosityResult",
    "TwoPointCorrelation",
    "add_cbd",
    "boolean_spheres",
    "calender",
    "cbd_relative_diffusivity",
    "chord_lengths",
    "connected_fraction",
    "effective_conductivity",
    "electrode_tortuosity",
    "electrolyte_tortuosity",
    "gaussian_field_structure",
    "local_thickness",
    "order_parameter",
    "pack_spheres",
    "pack_spheroids",
    "packed_spheroid_structure",
    "packed_structure",
    "percolates",
    "percolation",
    "properties",
    "size_distribution",
    "specific_surface_area",
    "sphere_packer",
    "spheroid_packer",
    "profiles",
    "tortuosity",
    "two_point_correlation",
    "watson_order_parameter",
]
