"""Check the kMC engine against theory: Langmuir coverage and single-walker diffusion.

Runs in a few seconds:  python examples/kmc_lattice_gas.py
"""

import numpy as np

from mesolith.kmc import LatticeGas
from mesolith.kmc.theory import langmuir_coverage

# Langmuir: adsorption 2/s, desorption 1/s, no interactions -> theta = 2/3.
gas = LatticeGas((32, 32), hop_rate=1.0, adsorption_rate=2.0, desorption_rate=1.0, seed=1)
gas.run(time=10.0)
gas.reset_average()
gas.run(time=200.0)
print(f"Langmuir: coverage {gas.mean_coverage:.4f}, theory {langmuir_coverage(2.0):.4f}")

# One walker, hop rate 1/s per direction on the square lattice: MSD = 4 t, D = 1 site^2/s.
walker = LatticeGas((16, 16), hop_rate=1.0, seed=2)
start = np.zeros((16, 16), np.uint8)
start[0, 0] = 1
walker.set_occupancy(start)
msd = walker.replica_tracer_msd(2000, [50.0])[:, 0]
print(f"tracer D = {msd.mean() / (4 * 50.0):.3f} +- {msd.std() / np.sqrt(2000) / 200:.3f} "
      "site^2/s (theory 1)")
