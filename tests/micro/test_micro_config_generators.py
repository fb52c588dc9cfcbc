"""Every generator the micro stage offers passes the volume-fraction check of its config."""

import typing

import pytest

from mesolith.micro.config import MicroConfig

GENERATORS = typing.get_args(MicroConfig.model_fields["generator"].annotation)


@pytest.mark.parametrize("generator", GENERATORS)
def test_default_config_of_each_generator_is_valid(generator):
    assert MicroConfig(generator=generator).generator == generator


@pytest.mark.parametrize("generator", GENERATORS)
def test_overfull_cbd_is_refused_for_each_generator(generator):
    with pytest.raises(ValueError, match="no pore space would be left"):
        MicroConfig(generator=generator, cbd={"fraction": 0.99})
