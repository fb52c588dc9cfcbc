"""Boolean (overlapping-sphere) and Gaussian-random-field structures against their analytic
porosity, surface area and two-point correlation.

Run: python examples/micro_boolean_and_fields.py   (about 15 s on 2 cores)
"""

import math

import numpy as np

import mesolith.micro as micro

# Boolean model with N spheres of radius r in a periodic box of volume V: a point is pore
# when no sphere covers it, eps = (1 - v/V)^N -> exp(-n v), S_V = n 4 pi r^2 eps, and two
# points h apart are both pore with probability S2(h) = (1 - (2 v - g(h)) / V)^N.
r, h = 6e-6, 0.75e-6  # r = 8 voxels (the surface estimate is ~5 % low at sphere creases)
b = micro.boolean_spheres(shape=(80, 80, 80), voxel_size=h, mean_radius=r, porosity=0.5,
                          seed=2)
count, volume = len(b.particles), float(np.prod(b.size_m))
v = 4 / 3 * math.pi * r**3
eps = (1 - v / volume) ** count
sv = micro.specific_surface_area(b)["AM-pore"]
sv_exact = count * 4 * math.pi * r * r / volume * (1 - v / volume) ** (count - 1)
print(f"Boolean ({count} spheres): porosity {b.volume_fractions()['pore']:.4f} "
      f"(analytic {eps:.4f}), S_V {sv:.4g} 1/m (analytic {sv_exact:.4g})")
s2 = micro.two_point_correlation(b, phase=0, r_max=12e-6)
for lag in (2e-6, 6e-6, 10e-6):
    k = int(np.argmin(abs(s2.r - lag)))
    x = min(s2.r[k], 2 * r)
    g = v * (1 - 3 * x / (4 * r) + x**3 / (16 * r**3))  # overlap volume of two spheres
    exact = (1 - (2 * v - g) / volume) ** count
    print(f"  S2({s2.r[k] * 1e6:4.1f} um) = {s2.s2[k]:.4f}  analytic {exact:.4f}")

# Plurigaussian pore / AM / CBD structure from two thresholded Gaussian fields.
grf = micro.gaussian_field_structure(shape=(64, 64, 64), voxel_size=0.5e-6,
                                     correlation_length=2e-6, am_fraction=0.5,
                                     cbd_fraction=0.1, cbd_correlation_length=1e-6, seed=3)
fr = grf.volume_fractions()
t = micro.tortuosity(grf, phase=0, axis=2)
print(f"plurigaussian: fractions pore {fr['pore']:.3f} AM {fr['AM']:.3f} CBD {fr['CBD']:.3f}, "
      f"tau_z {t.tau_factor:.2f}")
