"""Shape and parameter-count rules of Keras' SimpleRNN, LSTM and GRU layers.

Input to a recurrent layer: (batch, timesteps, input_dim).
Weights: kernel (input_dim, gates·units), recurrent_kernel (units, gates·units), bias (gates·units,)
where gates is 1 for SimpleRNN, 4 for LSTM (input, forget, candidate, output) and 3 for GRU
(update, reset, candidate). GRU with reset_after=True (Keras' default) keeps two bias rows,
bias (2, 3·units): one added to the input part, one to the recurrent part.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._checks import check_flag, check_kind, check_size

GATES: dict[str, int] = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}
GATE_NAMES: dict[str, tuple[str, ...]] = {
    "SimpleRNN": (),
    "LSTM": ("input", "forget", "candidate", "output"),
    "GRU": ("update", "reset", "candidate"),
}
STATE_NAMES: dict[str, tuple[str, ...]] = {
    "SimpleRNN": ("hidden_state",),
    "LSTM": ("hidden_state", "cell_state"),
    "GRU": ("hidden_state",),
}

Shape = tuple[int | None, ...]


def output_shapes(
    kind: str,
    units: int,
    timesteps: int | None,
    input_dim: int,
    *,
    batch: int | None = None,
    return_sequences: bool = False,
    return_state: bool = False,
) -> dict[str, Shape]:
    """The shapes a Keras layer returns, in Keras' order: "output", then the state(s).

    >>> output_shapes("LSTM", 50, 10, 30, return_state=True)
    {'output': (None, 50), 'hidden_state': (None, 50), 'cell_state': (None, 50)}
    """
    kind = check_kind(kind)
    units = check_size("units", units)
    timesteps = check_size("timesteps", timesteps, allow_none=True)
    check_size("input_dim", input_dim)
    batch = check_size("batch", batch, allow_none=True)
    return_sequences = check_flag("return_sequences", return_sequences)
    return_state = check_flag("return_state", return_state)

    shapes: dict[str, Shape] = {
        "output": (batch, timesteps, units) if return_sequences else (batch, units)
    }
    if return_state:
        for name in STATE_NAMES[kind]:
            shapes[name] = (batch, units)
    return shapes


def format_shape(shape: Shape) -> str:
    """(None, 10, 50) -> '(None, 10, 50)'; a 1-tuple keeps Python's trailing comma."""
    if isinstance(shape, str) or not hasattr(shape, "__iter__"):
        raise TypeError(
            f"shape must be a tuple of sizes or None, e.g. (None, 10, 50); got {shape!r}"
        )
    sizes = tuple(shape)
    for i, size in enumerate(sizes):
        check_size(f"shape[{i}]", size, allow_none=True, minimum=0)
    return str(tuple(None if s is None else int(s) for s in sizes))


@dataclass(frozen=True)
class ParamCount:
    """Where a layer's parameters come from, piece by piece."""

    kind: str
    units: int
    input_dim: int
    use_bias: bool
    reset_after: bool
    kernel: tuple[int, int]
    recurrent_kernel: tuple[int, int]
    bias: tuple[int, ...] | None

    @property
    def gates(self) -> int:
        return GATES[self.kind]

    @property
    def bias_rows(self) -> int:
        """Bias vectors per gate: 2 for GRU with reset_after, else 1 (0 without bias)."""
        if not self.use_bias:
            return 0
        return 2 if (self.kind == "GRU" and self.reset_after) else 1

    @property
    def total(self) -> int:
        u, i = self.units, self.input_dim
        return self.gates * (u * (i + u) + self.bias_rows * u)

    @property
    def formula(self) -> str:
        """The arithmetic behind `total`, for LSTM(50) on 30 features:

        >>> param_count("LSTM", 50, 30).formula
        '4 × (50·(30+50) + 50) = 16,200'
        """
        u, i = self.units, self.input_dim
        weights = f"{u}·({i}+{u})"
        if self.bias_rows == 0:
            inner = weights
        elif self.bias_rows == 1:
            inner = f"{weights} + {u}"
        else:
            inner = f"{weights} + 2·{u}"
        if self.gates == 1:
            body = inner
        elif self.bias_rows == 0:
            body = f"{self.gates} × {inner}"
        else:
            body = f"{self.gates} × ({inner})"
        return f"{body} = {self.total:,}"

    @property
    def symbolic(self) -> str:
        """The rule in letters, h = units and i = input_dim, e.g. 'h·(h+i) + h'."""
        bias = {0: "", 1: " + h", 2: " + 2h"}[self.bias_rows]
        core = f"h·(h+i){bias}"
        if self.gates == 1:
            return core
        return f"{self.gates} × ({core})" if bias else f"{self.gates} × {core}"

    def __str__(self) -> str:
        return self.formula


def param_count(
    kind: str, units: int, input_dim: int, *, use_bias: bool = True, reset_after: bool = True
) -> ParamCount:
    """The breakdown behind `count_params`: weight shapes, total and the formula to print."""
    kind = check_kind(kind)
    units = check_size("units", units)
    input_dim = check_size("input_dim", input_dim)
    use_bias = check_flag("use_bias", use_bias)
    reset_after = check_flag("reset_after", reset_after)
    width = GATES[kind] * units
    bias: tuple[int, ...] | None = None
    if use_bias:
        bias = (2, width) if (kind == "GRU" and reset_after) else (width,)
    return ParamCount(
        kind=kind,
        units=units,
        input_dim=input_dim,
        use_bias=use_bias,
        reset_after=reset_after,
        kernel=(input_dim, width),
        recurrent_kernel=(units, width),
        bias=bias,
    )


def count_params(
    kind: str, units: int, input_dim: int, *, use_bias: bool = True, reset_after: bool = True
) -> int:
    """Equals `layer.count_params()` of the Keras layer.

    >>> count_params("SimpleRNN", 2, 4)
    14
    """
    return param_count(kind, units, input_dim, use_bias=use_bias, reset_after=reset_after).total


def param_formula(
    kind: str, units: int, input_dim: int, *, use_bias: bool = True, reset_after: bool = True
) -> str:
    """The count written out, e.g. for GRU(50) on 30 features:

    >>> param_formula("GRU", 50, 30)
    '3 × (50·(30+50) + 2·50) = 12,300'
    """
    return param_count(kind, units, input_dim, use_bias=use_bias, reset_after=reset_after).formula
