"""Explorers: sliders over timesteps, units, batch and flags that redraw shapes, states and gates.

    ShapeExplorer   kind, batch, timesteps, input_dim, units, layers and the two flags -> the Keras
                    code line, every returned tensor with its shape, the parameter count, the
                    unrolled picture
    StateExplorer   a sequence walked step by step -> h (and c) over time, the cell's inside
    GateExplorer    LSTM / GRU gates over time, with a bias slider that shows what a gate does
    LengthExplorer  a slider over the sequence lengths of a `rnnviz.training.compare` result
                    -> accuracy by length per kind, and the bars at the chosen length

Every explorer has `controls` (name -> ipywidgets control, Keras names), `figure` (the live
matplotlib Figure), `summary()` (what the panels show, as text) and `error` (the message shown, or
None). `import rnnviz.widgets` never imports TensorFlow or Keras.
"""

from __future__ import annotations

__all__ = ["GateExplorer", "LengthExplorer", "ShapeExplorer", "StateExplorer"]


def __getattr__(name: str) -> object:
    # The explorers are imported on first use so that a half-built package still imports.
    if name == "ShapeExplorer":
        from .shape_explorer import ShapeExplorer

        return ShapeExplorer
    if name == "StateExplorer":
        from .state_explorer import StateExplorer

        return StateExplorer
    if name == "GateExplorer":
        from .gate_explorer import GateExplorer

        return GateExplorer
    if name == "LengthExplorer":
        from .length_explorer import LengthExplorer

        return LengthExplorer
    raise AttributeError(f"module 'rnnviz.widgets' has no attribute {name!r}")
