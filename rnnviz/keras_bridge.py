"""Read a Keras SimpleRNN / LSTM / GRU layer into an rnnviz Cell.

TensorFlow and Keras are imported inside these functions only, so `import rnnviz` stays light.
"""

from __future__ import annotations

import numpy as np

from .cells import Cell, Trace

_FLAGS = ("use_bias", "go_backwards", "return_sequences", "return_state")


def _layer_kind(layer: object) -> str:
    from keras import layers  # noqa: PLC0415 (lazy on purpose)

    # Order matters for subclasses: check the three public classes by exact lineage.
    for cls, kind in ((layers.LSTM, "LSTM"), (layers.GRU, "GRU"), (layers.SimpleRNN, "SimpleRNN")):
        if isinstance(layer, cls):
            return kind
    raise TypeError(
        "layer must be a keras.layers.SimpleRNN, LSTM or GRU; "
        f"got {type(layer).__name__} (wrap-around layers such as Bidirectional are not supported)"
    )


def _activation_name(fn: object, argument: str) -> str:
    from keras import activations  # noqa: PLC0415

    name = activations.serialize(fn) if callable(fn) else fn
    if isinstance(name, dict):  # a custom or configured activation
        raise NotImplementedError(f"rnnviz cannot run the custom {argument} {fn!r}")
    return name


def from_keras(layer: object, *, input_dim: int | None = None) -> Cell:
    """The Cell with this layer's weights and flags.

    An unbuilt layer has no weights yet: pass `input_dim` and it is built for (None, None, input_dim).
    Stateful layers raise NotImplementedError (rnnviz always starts from the given initial state).
    """
    kind = _layer_kind(layer)
    if getattr(layer, "stateful", False):
        raise NotImplementedError("rnnviz does not model stateful layers (state kept between batches)")
    if not layer.built:
        if input_dim is None:
            raise ValueError(
                f"this {kind} layer is not built yet, so it has no weights: pass input_dim=..., "
                "call it on data first, or use rnnviz.trace(layer, x)"
            )
        layer.build((None, None, int(input_dim)))
    cell = layer.cell
    weights = [np.asarray(w) for w in layer.get_weights()]
    kernel, recurrent = weights[0], weights[1]
    if input_dim is not None and kernel.shape[0] != input_dim:
        raise ValueError(
            f"input_dim={input_dim} does not match the built layer, whose kernel is {kernel.shape}"
        )
    options = {flag: bool(getattr(layer, flag, getattr(cell, flag, False))) for flag in _FLAGS}
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
