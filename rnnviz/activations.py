"""The activation functions Keras' recurrent layers accept, in numpy, by their Keras names."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Activation = Callable[[np.ndarray], np.ndarray]


def sigmoid(x: np.ndarray) -> np.ndarray:
    """1 / (1 + e^-x), written as (1 + tanh(x/2)) / 2: the same function, but it never
    overflows for large |x| and needs one vectorised call (no masks), so it is also quicker."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, dtype=np.float64)))


def hard_sigmoid(x: np.ndarray) -> np.ndarray:
    """Keras 3's hard sigmoid: x/6 + 1/2, clipped to [0, 1]."""
    return np.clip(x / 6.0 + 0.5, 0.0, 1.0)


def _elu(x: np.ndarray) -> np.ndarray:
    return np.where(x > 0, x, np.expm1(np.minimum(x, 0)))


def _selu(x: np.ndarray) -> np.ndarray:
    alpha, scale = 1.6732632423543772, 1.0507009873554805
    return scale * np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))


ACTIVATIONS: dict[str, Activation] = {
    "tanh": np.tanh,
    "sigmoid": sigmoid,
    "hard_sigmoid": hard_sigmoid,
    "relu": lambda x: np.maximum(x, 0.0),
    "linear": lambda x: x,
    "softsign": lambda x: x / (1.0 + np.abs(x)),
    "softplus": lambda x: np.logaddexp(0.0, x),
    "elu": _elu,
    "selu": _selu,
    "silu": lambda x: x * sigmoid(x),
    "exponential": np.exp,
}
ALIASES = {None: "linear", "swish": "silu"}

# The range of values each activation produces, for colour scales: (low, high); None = unbounded.
RANGES: dict[str, tuple[float | None, float | None]] = {
    "tanh": (-1.0, 1.0),
    "sigmoid": (0.0, 1.0),
    "hard_sigmoid": (0.0, 1.0),
    "softsign": (-1.0, 1.0),
    "relu": (0.0, None),
    "softplus": (0.0, None),
    "exponential": (0.0, None),
    "linear": (None, None),
    "elu": (-1.0, None),
    "selu": (-1.7581, None),
    "silu": (-0.2785, None),
}


def activation_name(name: object, *, argument: str = "activation") -> str:
    """The canonical Keras name of an activation, or a ValueError listing the supported ones."""
    key = ALIASES.get(name, name) if (name is None or isinstance(name, str)) else name
    if isinstance(key, str) and key in ACTIVATIONS:
        return key
    supported = ", ".join(repr(k) for k in ACTIVATIONS)
    raise ValueError(f"{argument} must be one of {supported} (or None for linear); got {name!r}")
