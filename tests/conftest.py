"""Shared test set-up: quiet TensorFlow, a hypothesis profile, and Keras as a lazy fixture.

TensorFlow reads TF_CPP_MIN_LOG_LEVEL and TF_ENABLE_ONEDNN_OPTS when it is first imported, so they
are set here, before any test module can import it. Keras itself is imported only inside the
session-scoped `keras` fixture: tests that do not ask for it never pay for TensorFlow.
"""

from __future__ import annotations

import os
import tempfile

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("MPLBACKEND", "Agg")
# Hypothesis keeps a cache (constants from the source) even without an example database: keep it
# out of the checkout. It reads this variable on first use, after conftest has run.
os.environ.setdefault(
    "HYPOTHESIS_STORAGE_DIRECTORY", os.path.join(tempfile.gettempdir(), "rnnviz-hypothesis")
)

import pytest
from hypothesis import HealthCheck, settings

# No example database (it would write a .hypothesis/ cache into the checkout) and, by default,
# the same examples on every run, so `make test` is repeatable. RNNVIZ_HYPOTHESIS=explore draws
# fresh random examples each run (to hunt for new failures).
_COMMON = {"database": None, "deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("rnnviz", derandomize=True, **_COMMON)
settings.register_profile("explore", derandomize=False, **_COMMON)
settings.load_profile(os.environ.get("RNNVIZ_HYPOTHESIS", "rnnviz"))


@pytest.fixture(scope="session")
def keras():
    """The keras module (TensorFlow backend), seeded; imported on first use only."""
    import absl.logging

    absl.logging.set_verbosity(absl.logging.ERROR)
    import keras as keras_module

    keras_module.utils.set_random_seed(0)
    return keras_module


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test that uses the `keras` fixture must carry @pytest.mark.keras (so -m selects it)."""
    unmarked = [
        item.nodeid
        for item in items
        if "keras" in getattr(item, "fixturenames", ()) and item.get_closest_marker("keras") is None
    ]
    if unmarked:
        raise pytest.UsageError(
            "these tests use the keras fixture but lack @pytest.mark.keras: " + ", ".join(unmarked)
        )
