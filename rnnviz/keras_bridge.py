"""Read a Keras SimpleRNN / LSTM / GRU layer into an rnnviz Cell.

TensorFlow and Keras are imported inside these functions only, so `import rnnviz` stays light.
"""

from __future__ import annotations

import numpy as np

from ._checks import check_size
from .activations import ACTIVATIONS
from .cells import Cell, Trace

_FLAGS = ("go_backwards", "return_sequences", "return_state")  # the layer's own flags


def _layer_kind(layer: object) -> str:
    from keras import layers

    for cls, kind in ((layers.LSTM, "LSTM"), (layers.GRU, "GRU"), (layers.SimpleRNN, "SimpleRNN")):
        if isinstance(layer, cls):
            return kind
    raise TypeError(
        "layer must be a keras.layers.SimpleRNN, LSTM or GRU; "
        f"got {type(layer).__name__} (wrap-around layers such as Bidirectional are not supported)"
    )


def _activation_name(fn: object, argument: str) -> str:
    """The rnnviz name of one of Keras' own activation functions; anything else is refused.

    Keras keeps activations as functions. Only the exact Keras functions rnnviz re-implements are
    accepted: a lambda, a custom function or a Keras activation rnnviz lacks (e.g. gelu) would
    otherwise be run as something it is not.
    """
    from keras import activations

    for name in ACTIVATIONS:
        if fn is activations.get(name):
            return name
    label = getattr(fn, "__name__", repr(fn))
    raise NotImplementedError(
        f"rnnviz cannot run the {argument} {label!r}; it supports Keras' "
        + ", ".join(repr(n) for n in ACTIVATIONS)
    )


def from_keras(layer: object, *, input_dim: int | None = None) -> Cell:
    """The Cell with this layer's weights and flags.

    An unbuilt layer has no weights yet: pass `input_dim` and it is built for
    (None, None, input_dim).
    Stateful layers raise NotImplementedError (rnnviz always starts from the given initial state).
    """
    kind = _layer_kind(layer)
    input_dim = check_size("input_dim", input_dim, allow_none=True)
    if getattr(layer, "stateful", False):
        raise NotImplementedError(
            "rnnviz does not model stateful layers (state kept between batches)"
        )
    if not layer.built:
        if input_dim is None:
            raise ValueError(
                f"this {kind} layer is not built yet, so it has no weights: pass input_dim=..., "
                "call it on data first, or use rnnviz.trace(layer, x)"
            )
        layer.build((None, None, input_dim))
    cell = layer.cell
    weights = [np.asarray(w) for w in layer.get_weights()]
    kernel, recurrent = weights[0], weights[1]
    if input_dim is not None and kernel.shape[0] != input_dim:
        raise ValueError(
            f"input_dim={input_dim} does not match the built layer, whose kernel is {kernel.shape}"
        )
    options = {flag: bool(getattr(layer, flag)) for flag in _FLAGS}
    options["use_bias"] = bool(cell.use_bias)
    options["activation"] = _activation_name(cell.activation, "activation")
    if kind != "SimpleRNN":
        options["recurrent_activation"] = _activation_name(
            cell.recurrent_activation, "recurrent_activation"
        )
    if kind == "GRU":
        options["reset_after"] = bool(cell.reset_after)
    bias = weights[2] if cell.use_bias else None
    return Cell(kind, kernel, recurrent, bias, **options)


def trace(layer: object, x: object, *, initial_state: object = None, mask: object = None) -> Trace:
    """`from_keras(layer).run(x)`, building the layer from x's shape if it is not built yet."""
    if mask is not None:
        raise NotImplementedError("rnnviz does not model masking; trace the unpadded sequences")
    kind = _layer_kind(layer)
    if not layer.built:
        shape = np.shape(x)
        if len(shape) not in (2, 3):
            raise ValueError(
                "x must have shape (batch, timesteps, input_dim) or (timesteps, input_dim); "
                f"got shape {shape}"
            )
        if shape[-1] < 1:
            raise ValueError(f"x must have at least one feature; got shape {shape} for this {kind}")
        return from_keras(layer, input_dim=int(shape[-1])).run(x, initial_state)
    return from_keras(layer).run(x, initial_state)
