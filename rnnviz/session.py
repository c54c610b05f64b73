"""One call at the top of every notebook: quiet TensorFlow, fixed seeds, readable numbers."""

from __future__ import annotations

import os
import random
import sys
import warnings

import numpy as np

from ._checks import check_flag, check_size


def quiet_tensorflow() -> None:
    """Keep TensorFlow's start-up log lines out of cell outputs (only works before its import)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")


def show_figures_as_png() -> None:
    """In IPython, display any matplotlib Figure as a PNG picture.

    A Figure built without pyplot (as rnnviz's are) otherwise shows only as '<Figure size …>' text:
    IPython learns to draw figures only when pyplot's inline backend is switched on.
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return
    from matplotlib.figure import Figure

    from .draw.style import to_png

    shell.display_formatter.formatters["image/png"].for_type(Figure, to_png)


def setup(*, seed: int = 0, precision: int = 4, keras: bool = False) -> None:
    """Prepare a lesson: seeds, numpy print precision, figure style; with keras=True also Keras.

    Printed numbers are rounded to `precision` decimals so they read the same on any CPU.
    """
    seed = check_size("seed", seed, minimum=0)
    precision = check_size("precision", precision, minimum=0)
    keras = check_flag("keras", keras)
    quiet_tensorflow()
    random.seed(seed)
    # Learners call np.random.* directly in exercises, so the global generator is seeded too.
    np.random.seed(seed)  # noqa: NPY002
    np.set_printoptions(precision=precision, suppress=True, floatmode="fixed")
    import matplotlib

    matplotlib.rcParams.update({"figure.dpi": 100, "savefig.dpi": 100, "font.size": 10})
    show_figures_as_png()
    if keras:
        import absl.logging

        absl.logging.set_verbosity(absl.logging.ERROR)
        warnings.filterwarnings("ignore", module="keras")
        import keras as keras_module

        keras_module.utils.set_random_seed(seed)
