"""Gravity with buoyancy in the drying model: force per bead and free sedimentation."""

import numpy as np
import pytest

pytest.importorskip("openmm")

from mesolith.md import DryingSimulation, preset  # noqa: E402
from mesolith.md.model import GRAVITY_GROUP  # noqa: E402
from mesolith.md.slurry import slurry_from_beads  # noqa: E402
from mesolith.md.units import FORCE  # noqa: E402

G = 9.81


def _two_free_beads(**overrides):
    """An AM bead and a CBD bead far apart and far from the collector and the free surface
    (a third, higher AM bead sets the initial surface and takes its push)."""
    cfg = preset("nmp_pvdf", n_am=1, box_xy=18e-6, gravity=G, steps=1_000_000,
                 relax_steps=0, report_interval=100, deterministic=True, **overrides)
    beads = slurry_from_beads(cfg, positions=[[4.5e-6, 4.5e-6, 20e-6],
                                              [13.5e-6, 13.5e-6, 20e-6],
                                              [4.5e-6, 13.5e-6, 35e-6]],
                              diameters=[5e-6, 2.5e-6, 5e-6], types=[0, 1, 0], box_xy=18e-6)
    return cfg, DryingSimulation(cfg, slurry=beads)


def test_gravity_force_is_the_buoyant_weight_scaled_like_external_loads():
    cfg, sim = _two_free_beads()
    forces = sim.setup().context.getState(getForces=True, groups={GRAVITY_GROUP}).getForces(
        asNumpy=True)._value
    rho_s = cfg.chemistry.solvent_density
    v_am = np.pi / 6 * 5e-6**3
    v_cbd = np.pi / 6 * cfg.cbd_diameter_dry**3  # the dry solid of the wet CBD bead
    weight = np.array([(cfg.am_density - rho_s) * v_am, (cfg.cbd_density - rho_s) * v_cbd,
                       (cfg.am_density - rho_s) * v_am]) * G
    np.testing.assert_allclose(forces[:, 2] * FORCE, -weight * cfg.force_scale, rtol=1e-6)
    assert np.all(forces[:, :2] == 0)
    no_gravity = DryingSimulation(preset("nmp_pvdf", n_am=1, box_xy=18e-6), slurry=sim.slurry)
    assert no_gravity.model.gravity_force is None  # off by default, no cost


def test_free_beads_sediment_or_cream_at_the_langevin_drift_speed():
    # A bead lighter than the solvent (CBD density 500 < 1028 kg/m^3 of NMP) rises.
    # Near-zero temperature removes the thermal noise: sqrt(2 kT t/(m gamma)) ~ 5e-10 um
    # for the CBD bead over t = 4 tau at 1e-12 K, 0.1 % of its drift.
    cfg, sim = _two_free_beads(cbd_density=500.0, temperature=1e-12)
    z0 = sim.positions[:2, 2].copy()
    steps = 2000
    sim.run(progress=False, max_steps=steps)
    dz = sim.positions[:2, 2] - z0
    assert dz[0] < 0 < dz[1]  # AM sinks, the light bead creams up
    # Constant force F from rest under Langevin friction gamma (1/tau) on the integrator
    # mass m: dz = F/(m gamma) (t - (1 - exp(-gamma t))/gamma). The discrete integrator's
    # terminal speed differs from F/(m gamma) by O(gamma dt / 2) = 1 %, so 3 % is allowed.
    forces = sim.simulation.context.getState(getForces=True, groups={GRAVITY_GROUP}).getForces(
        asNumpy=True)._value[:2, 2]
    gamma, t = cfg.damping, steps * cfg.timestep
    expected = forces / (sim.slurry.inertia[:2] * gamma) * (t - (1 - np.exp(-gamma * t)) / gamma)
    np.testing.assert_allclose(dz * 1e6, expected, rtol=0.03)
