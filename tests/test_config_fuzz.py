"""Malformed recipes never crash: each gives a ConfigError naming file, key and value.

The default suite tries 150 generated recipes; the slow suite 1,500.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mesolith.cli import main
from mesolith.config import ConfigError, parse_recipe
from mesolith.config.recipe import PLANNED_STAGES, Recipe

_BAD_NUMBERS = st.sampled_from([-1, 0, -5.0, 0.0, math.nan, math.inf, -math.inf, 2**70, -(2**70)])
_ANY_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8) | _BAD_NUMBERS,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6),
                                                                       children, max_size=3),
    max_leaves=6,
)
_KEYS = st.sampled_from(["name", "seed", "threads", "output_dir", "colour", "", "seed "])
_RUN = st.dictionaries(_KEYS, _ANY_VALUE, max_size=5)
_TOP_KEYS = st.sampled_from(["run", "slurry", "RUN", *PLANNED_STAGES])
_RECIPES = st.dictionaries(_TOP_KEYS, _RUN | _ANY_VALUE, max_size=4)


def _check(data) -> None:
    try:
        recipe, unavailable = parse_recipe(data, source="r.toml")
    except ConfigError as err:
        assert err.problems
        for line in err.problems:
            assert line.startswith("r.toml: "), line
        return
    assert isinstance(recipe, Recipe)
    assert set(unavailable) <= set(PLANNED_STAGES)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_RECIPES)
def test_generated_recipes_fast(data):
    _check(data)


@pytest.mark.slow
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_RECIPES)
def test_generated_recipes_many(data):
    _check(data)


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=60))
def test_garbage_files_exit_cleanly_at_the_cli(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("fuzz") / "recipe.toml"
    path.write_text(text)
    code = main(["--quiet", "run", "--check", str(path)])
    assert code in (0, 2, 3)
