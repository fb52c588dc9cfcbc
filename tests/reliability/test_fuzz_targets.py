"""The fuzz targets themselves run: 100 seeded random inputs each, no finding.

(The real fuzzing is ``fuzz/run.sh``; this keeps the targets working as the engines
change. Needs atheris, which is not part of the test extras.)
"""

import importlib.util
import random
import sys
from pathlib import Path

import pytest

pytest.importorskip("atheris")
pytestmark = pytest.mark.slow  # instrumenting the imports alone takes minutes

TARGETS = Path(__file__).resolve().parents[2] / "fuzz" / "targets.py"


@pytest.fixture(scope="module")
def targets():
    spec = importlib.util.spec_from_file_location("mesolith_fuzz_targets", TARGETS)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ["micro_tortuosity", "micro_core_labels", "volume_files",
                                  "bd_mobility", "kmc_lattice"])
def test_fuzz_target_on_random_inputs(targets, name):
    rng = random.Random(name)
    for _ in range(100):
        targets.TARGETS[name](rng.randbytes(rng.randrange(0, 600)))
