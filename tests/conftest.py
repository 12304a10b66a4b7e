"""Shared fixtures: seeded generators only, never global random state."""

import numpy as np
import pytest
from hypothesis import settings

# Property tests draw their examples from a fixed seed: the suite is deterministic, so a
# fresh CI clone sees exactly the cases the developers saw. Explore more with
# `pytest --hypothesis-profile=explore`.
settings.register_profile("deterministic", derandomize=True, deadline=None)
settings.register_profile("explore", max_examples=1000, deadline=None)
settings.load_profile("deterministic")


@pytest.fixture
def rng():
    return np.random.default_rng(20261125)
