"""Platform choice on OpenMM's real platform list, and the deterministic option."""

import numpy as np
import pytest

mm = pytest.importorskip("openmm")

from mesolith.config.base import ConfigError  # noqa: E402
from mesolith.md import DryingConfig, DryingSimulation, preset  # noqa: E402
from mesolith.md.platform import PLATFORM_PREFERENCE, select_platform  # noqa: E402

SMALL = dict(n_am=12, box_xy=18e-6, steps=1500, relax_steps=0, report_interval=100,
             trajectory_interval=500, seed=11)


def _present():
    return [mm.Platform.getPlatform(i).getName() for i in range(mm.Platform.getNumPlatforms())]


def test_default_is_the_fastest_platform_openmm_has(monkeypatch):
    monkeypatch.delenv("MESOLITH_MD_PLATFORM", raising=False)
    present = _present()
    assert "Reference" in present and "CPU" in present
    platform, _ = select_platform()
    # CUDA/HIP/OpenCL where present (GPU machines), else CPU (this machine)
    expected = next(p for p in PLATFORM_PREFERENCE if p in present)
    assert platform.getName() == expected
    gpu = [p for p in ("CUDA", "HIP", "OpenCL") if p in present]
    assert (expected in gpu) == bool(gpu)
    # the context of a drying run really lives on it
    sim = DryingSimulation(preset("nmp_pvdf", **SMALL)).setup()
    assert sim.context.getPlatform().getName() == expected


def test_platform_by_name_environment_and_unknown(monkeypatch):
    monkeypatch.setenv("MESOLITH_MD_PLATFORM", "Reference")
    assert select_platform()[0].getName() == "Reference"
    assert select_platform("CPU")[0].getName() == "CPU"  # the argument wins
    with pytest.raises(ValueError, match=r"platform = 'Metal': not available here"):
        select_platform("Metal")


def test_cpu_threads_and_deterministic_properties():
    assert select_platform("CPU", 2)[1]["Threads"] == "2"
    assert select_platform("CPU", 2, deterministic=True)[1]["Threads"] == "1"
    assert select_platform("CPU", deterministic=True)[1]["Threads"] == "1"
    assert select_platform("Reference", deterministic=True)[1] == {}


def test_deterministic_runs_are_bit_identical():
    cfg = preset("nmp_pvdf", **SMALL, deterministic=True)  # threads 0 would mean 2
    a = DryingSimulation(cfg).run(progress=False)
    b = DryingSimulation(cfg).run(progress=False)
    if a.simulation.context.getPlatform().getName() == "CPU":
        assert a.simulation.context.getPlatform().getPropertyValue(
            a.simulation.context, "Threads") == "1"
    assert np.array_equal(a.positions, b.positions)
    assert np.array_equal(a.thickness, b.thickness)


def test_deterministic_with_several_threads_is_a_config_error():
    message = r"md\.deterministic = True: needs threads = 0 or 1, not 2"
    with pytest.raises(ConfigError, match=message):
        DryingConfig.from_dict({"deterministic": True, "threads": 2}, prefix="md")
