"""rnnviz: see inside SimpleRNN, LSTM and GRU layers, with numbers equal to Keras.

    output_shapes, count_params, param_count   shape and parameter rules (rnnviz.shapes)
    cell, Cell, Trace                          numpy cells that record every step (rnnviz.cells)
    from_keras, trace                          read a Keras layer (TensorFlow imported only there)
    setup                                      the first call of every lesson
    rnnviz.data, rnnviz.draw, rnnviz.widgets   sequences, pictures, explorers (loaded on first use)

`import rnnviz` never imports TensorFlow or Keras.
"""

from ._checks import KINDS
from .cells import Cell, Trace, cell
from .keras_bridge import from_keras, trace
from .session import setup
from .shapes import (
    GATE_NAMES,
    STATE_NAMES,
    ParamCount,
    count_params,
    format_shape,
    output_shapes,
    param_count,
    param_formula,
)

__all__ = [
    "GATE_NAMES",
    "KINDS",
    "STATE_NAMES",
    "Cell",
    "ParamCount",
    "Trace",
    "cell",
    "count_params",
    "format_shape",
    "from_keras",
    "output_shapes",
    "param_count",
    "param_formula",
    "setup",
    "trace",
]
__version__ = "0.1.0"

# The bigger parts load on first use, so `import rnnviz` stays quick: rnnviz.data, rnnviz.draw
# (matplotlib), rnnviz.widgets (ipywidgets) and rnnviz.training (TensorFlow, only when called).
_SUBMODULES = ("data", "draw", "training", "widgets")


def __getattr__(name: str) -> object:
    if name in _SUBMODULES:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'rnnviz' has no attribute {name!r}")
