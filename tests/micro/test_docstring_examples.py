"""The examples in the micro docstrings run and give what they show."""

import doctest
import importlib

import pytest


@pytest.mark.parametrize("name", ["mesolith.micro", "mesolith.micro.transport",
                                  "mesolith.micro.geometry", "mesolith.micro.generators",
                                  "mesolith.micro.properties", "mesolith.micro.structure",
                                  "mesolith.micro.statistics", "mesolith.micro.spheroids"])
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0


@pytest.mark.parametrize("name", ["mesolith.micro", "mesolith.micro.config",
                                  "mesolith.micro.stage", "mesolith.micro.resumable",
                                  "mesolith.validation.micro"])
def test_module_imports_on_its_own(name):
    # A fresh interpreter: the recipe model and the micro package import each other's modules.
    import subprocess
    import sys

    subprocess.run([sys.executable, "-c", f"import {name}"], check=True)
