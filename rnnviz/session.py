"""One call at the top of every notebook: quiet TensorFlow, fixed seeds, readable numbers."""

from __future__ import annotations

import os
import random
import warnings

import numpy as np


def quiet_tensorflow() -> None:
    """Keep TensorFlow's start-up log lines out of cell outputs (works only before it is imported)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")


def setup(*, seed: int = 0, precision: int = 4, keras: bool = False) -> None:
    """Prepare a lesson: seeds, numpy print precision, figure style; with keras=True also Keras.

    Printed numbers are rounded to `precision` decimals so they read the same on any CPU.
    """
    quiet_tensorflow()
    random.seed(seed)
    np.random.seed(seed)
    np.set_printoptions(precision=precision, suppress=True, floatmode="fixed")
    import matplotlib  # noqa: PLC0415

    matplotlib.rcParams.update({"figure.dpi": 100, "savefig.dpi": 100, "font.size": 10})
    if keras:
        import absl.logging  # noqa: PLC0415

        absl.logging.set_verbosity(absl.logging.ERROR)
        warnings.filterwarnings("ignore", module="keras")
        import keras as keras_module  # noqa: PLC0415

        keras_module.utils.set_random_seed(seed)
