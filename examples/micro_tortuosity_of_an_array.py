"""Tortuosity of any boolean or label array (e.g. from PoreSpy or a segmented tomogram).

Run: python examples/micro_tortuosity_of_an_array.py   (a few seconds)
"""

import numpy as np

import mesolith.micro as micro

# A boolean pore array (True = pore), here the pore space of overlapping spheres.
pore = micro.boolean_spheres(shape=(64, 64, 64), voxel_size=1e-6, mean_radius=5e-6,
                             porosity=0.4, seed=3).labels == 0

for axis in (0, 1, 2):
    r = micro.tortuosity(pore, axis=axis, rtol=1e-6)
    print(f"axis {axis}: tau = {r.tau_factor:.4f}, D_eff/D0 = {r.relative_diffusivity:.4f}, "
          f"porosity {r.porosity:.4f} (percolating {r.percolating_porosity:.4f}), "
          f"{r.iterations} CG iterations")

# A solve that cannot reach its tolerance raises instead of returning a number.
try:
    micro.tortuosity(pore, axis=0, rtol=1e-9, max_iterations=5)
except micro.NotConvergedError as err:
    print(f"not converged as expected: residual {err.residual:.2e} after {err.iterations} it")

# Layered media: series layers give the harmonic mean exactly.
layers = np.zeros((16, 16, 16), np.uint8)
layers[:, :, 1::2] = 1
print("series layers:", micro.effective_conductivity(layers, {0: 1.0, 1: 4.0}, axis=2,
                                                     rtol=1e-10).conductivity, "S/m (1.6)")
