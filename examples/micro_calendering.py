"""Calender a packed electrode step by step and watch porosity and tortuosity change.

Run: python examples/micro_calendering.py   (about 10-20 s on 2 cores)
"""

import mesolith.micro as micro

ms = micro.pack_spheres(shape=(40, 40, 56), voxel_size=0.5e-6, mean_radius=1.75e-6,
                        radius_log_sigma=0.25, am_fraction=0.45, seed=4)
ms = micro.add_cbd(ms, fraction=0.05, mode="bridge", seed=4)

print("porosity  thickness[um]  tau_z   D_eff/D0  S_V(AM-pore)[1/m]  worst overlap")
for target in (None, 0.45, 0.40, 0.35):
    s = ms if target is None else micro.calender(ms, porosity=target)
    t = micro.tortuosity(s, phase=0, axis=2)
    sv = micro.specific_surface_area(s)["AM-pore"]
    overlap = s.metadata.get("calender_max_overlap", 0.0)
    print(f"{t.porosity:8.4f}  {s.size_m[2] * 1e6:13.1f}  {t.tau_factor:5.2f}  "
          f"{t.relative_diffusivity:8.4f}  {sv:17.4g}  {overlap:13.4f}")
