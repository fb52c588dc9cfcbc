"""Calendering with elastic spring-back: roll gap, released thickness and porosity.

Run: python examples/micro_calender_spring_back.py   (about 15 s on 2 cores)
"""

import mesolith.micro as micro

ms = micro.pack_spheres(shape=(40, 40, 60), voxel_size=0.5e-6, mean_radius=2e-6,
                        radius_log_sigma=0.25, am_fraction=0.4, seed=4)
ms = micro.add_cbd(ms, fraction=0.05, mode="bridge", seed=4)
print(f"uncalendered: {ms.size_m[2] * 1e6:.1f} um, porosity "
      f"{ms.volume_fractions()['pore']:.3f}")
print("spring-back  gap [um]  released [um]  porosity  tau_z  worst overlap")
for f in (0.0, 0.1, 0.2, 0.3):
    s = micro.calender(ms, thickness=22e-6, spring_back=f)
    m = s.metadata
    tau = micro.tortuosity(s, phase=0, axis=2).tau_factor
    print(f"{m['spring_back']:11.3f}  {m['loaded_thickness_m'] * 1e6:8.1f}  "
          f"{m['calendered_thickness_m'] * 1e6:13.1f}  {s.volume_fractions()['pore']:8.3f}  "
          f"{tau:5.2f}  {m['calender_max_overlap']:13.4f}")
