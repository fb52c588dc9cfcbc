"""The anode kMC model: configuration errors, electrochemical gating, galvanostat charge
balance, reproducibility and results files."""

import math

import numpy as np
import pytest

from mesolith.config.base import ConfigError
from mesolith.io import read_results
from mesolith.kmc import KmcConfig, Simulation

E_CHARGE = 1.602176634e-19
SMALL = {"lattice": {"nx": 6, "ny": 5, "nz": 14, "host_layers": 6}, "sample_interval": 0.005}


def _config(**changes):
    data = {k: dict(v) if isinstance(v, dict) else v for k, v in SMALL.items()}
    for key, value in changes.items():
        if isinstance(value, dict):
            data.setdefault(key, {}).update(value)
        else:
            data[key] = value
    return data


def test_bad_config_names_field_value_and_range():
    with pytest.raises(ConfigError, match=r"kmc.temperature = -5.0: must be > 150 K"):
        Simulation({"temperature": -5.0})
    with pytest.raises(ConfigError, match=r"kmc.lattice.*nx = 7: must be even"):
        Simulation({"lattice": {"nx": 7}})
    with pytest.raises(ConfigError, match="more than one ion per lattice site"):
        Simulation({"electrolyte": {"concentration": 2e4}})
    with pytest.raises(ConfigError, match="unknown key"):
        Simulation({"drive": {"c_rat": 1.0}})


def test_no_plating_above_zero_volt_and_plating_far_below():
    above = Simulation(_config(drive={"mode": "potentiostatic", "potential": 0.02},
                               initial_soc=0.95), seed=1).run(time=0.05)
    assert above.observables["plated"][-1] == 0
    assert not above.deposit.any()
    below = Simulation(_config(drive={"mode": "potentiostatic", "potential": -0.3},
                               initial_soc=0.95), seed=1).run(time=0.05)
    assert below.observables["plated"][-1] > 0
    assert below.deposit.sum() == below.observables["plated"][-1]
    metrics = below.deposit_metrics()
    assert metrics["volume"] == pytest.approx(below.deposit.sum() * 5e-10**3)
    assert 0 <= metrics["porosity"] < 1


def test_galvanostat_follows_double_layer_charge_balance():
    # E = E_start + (Q_faradaic - I t) / C_dl exactly (no clamping at this current), so the
    # delivered faradaic charge differs from I t only by what the double layer holds.
    cfg = KmcConfig.from_dict(_config(drive={"mode": "galvanostatic", "c_rate": 2.0}))
    sim = Simulation(cfg, seed=3).run(time=0.3)
    obs = sim.observables
    current = cfg.applied_current()
    area = cfg.lattice.nx * cfg.lattice.ny * cfg.lattice.spacing**2
    capacitance = cfg.drive.double_layer_capacitance * area
    q_far = (obs["inserted"] + obs["plated"] - obs["inserted"][0] - obs["plated"][0]) * E_CHARGE
    predicted = obs["potential"][0] + (q_far - current * obs["time"]) / capacitance
    # Samples fall between potential updates by at most a quarter electron of applied charge.
    slack = 0.25 * E_CHARGE / capacitance + 1e-12
    assert np.all(np.abs(obs["potential"] - predicted) <= slack)
    assert q_far[-1] > 0.5 * current * sim.time  # the charge goes into reactions
    assert np.all(np.diff(obs["soc"][1:]) > -0.05)


def test_same_seed_same_trajectory_and_pulses_run():
    cfg = _config(drive={"mode": "pulsed", "c_rate": 3.0, "pulse_on": 1e-3, "pulse_off": 1e-3,
                         "reverse_ratio": 0.5})
    a = Simulation(cfg, seed=5).run(time=0.02)
    b = Simulation(cfg, seed=5).run(time=0.01).run(time=0.01)
    assert a.events == b.events
    assert np.array_equal(a.lattice, b.lattice)
    target = a.observables["target_current"]
    assert target.max() > 0 > target.min()  # on and reverse phases both sampled


def test_save_writes_results_with_units(tmp_path):
    sim = Simulation(_config(), seed=2).run(time=0.02)
    path = sim.save(tmp_path / "kmc.h5")
    res = read_results(path)
    assert np.array_equal(res["observables/soc"], sim.observables["soc"])
    assert res["lattice/state"].shape == (6, 5, 14)
    assert res.attrs["seed"] == 2


def test_run_arguments_checked():
    sim = Simulation(_config(), seed=0)
    with pytest.raises(ValueError, match="time="):
        sim.run()
    with pytest.raises(ValueError, match="time = -1"):
        sim.run(time=-1.0)
    assert math.isfinite(sim.potential)


@pytest.mark.parametrize("mode", ["galvanostatic", "pulsed"])
def test_checkpoint_restart_continues_the_same_trajectory(tmp_path, mode):
    cfg = _config(drive={"mode": mode, "c_rate": 4.0, "pulse_on": 2e-3, "pulse_off": 1e-3},
                  initial_soc=0.8, temperature=263.15)
    straight = Simulation(cfg, seed=8).run(time=0.04)
    first = Simulation(cfg, seed=8).run(time=0.017)
    first.checkpoint(tmp_path / "ckpt.h5")
    resumed = Simulation.restart(tmp_path / "ckpt.h5").run(time=0.04 - first.time)
    assert resumed.events == straight.events
    assert resumed.time == straight.time
    assert np.array_equal(resumed.lattice, straight.lattice)
    for key, series in straight.observables.items():
        assert np.array_equal(resumed.observables[key], series, equal_nan=True), key


@pytest.mark.parametrize("concentration", [500.0, 1000.0, 2000.0])
def test_plating_threshold_is_the_nernst_li_potential(concentration):
    # E is on the scale of Li/Li+ at the reference concentration; plating is possible below
    # Li/Li+ of the electrolyte at hand, (kT/e) ln(c / c_ref): 0 V at c_ref.
    from mesolith import _core

    cfg = KmcConfig.from_dict(_config(electrolyte={"concentration": concentration}),
                              source="test", prefix="kmc")
    rates = _core.kmc.anode_rates(cfg.engine_parameters())
    kt_over_e = 8.617333262e-5 * cfg.temperature
    assert rates["e_lithium"] == pytest.approx(kt_over_e * math.log(concentration / 1000.0),
                                               abs=1e-15)
