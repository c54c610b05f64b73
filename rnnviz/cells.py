"""SimpleRNN, LSTM and GRU in numpy, in Keras 3's weight layout, recording every step.

Shapes (B = batch, T = timesteps, I = input_dim, U = units, G = 1, 4 or 3 gates):
    x                 (B, T, I)
    kernel            (I, G·U)     the input weights W, gate blocks side by side
    recurrent_kernel  (U, G·U)     the recurrent weights U, same blocks
    bias              (G·U,)       or (2, 3·U) for GRU with reset_after=True
Gate blocks, left to right: LSTM input, forget, candidate, output; GRU update, reset, candidate.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from ._checks import check_flag, check_kind, check_size
from .activations import ACTIVATIONS, activation_name
from .shapes import GATE_NAMES, GATES, STATE_NAMES, ParamCount, param_count

_OPTIONS = (
    "activation",
    "recurrent_activation",
    "use_bias",
    "reset_after",
    "go_backwards",
    "return_sequences",
    "return_state",
)
# Options Keras has that change the forward pass in ways rnnviz does not model.
_UNSUPPORTED = {
    "stateful": "stateful layers (state carried between batches)",
    "mask": "masking (padded steps skipped)",
    "unroll": None,  # unrolling changes speed, not results: accepted and ignored
    "time_major": "time-major inputs",
}


@dataclass(eq=False)  # fields are arrays: compare traces with np.testing, not ==
class Trace:
    """Everything a recurrent layer computed, step by step.

    h      (batch, timesteps, units)  hidden state after each step, in processing order
    c      (batch, timesteps, units)  LSTM cell state after each step; None for SimpleRNN and GRU
    gates  name -> (batch, timesteps, units); LSTM: input, forget, candidate, output;
           GRU: update, reset, candidate; empty for SimpleRNN
    x      (batch, timesteps, input_dim)  the inputs in processing order (reversed if go_backwards)
    outputs  a list exactly like what the Keras layer returns under the same flags
    """

    kind: str
    h: np.ndarray
    c: np.ndarray | None
    gates: dict[str, np.ndarray]
    x: np.ndarray
    outputs: list[np.ndarray]
    return_sequences: bool
    return_state: bool
    go_backwards: bool
    initial_state: list[np.ndarray] = field(default_factory=list)

    @property
    def batch(self) -> int:
        return self.h.shape[0]

    @property
    def timesteps(self) -> int:
        return self.h.shape[1]

    @property
    def units(self) -> int:
        return self.h.shape[2]

    @property
    def output(self) -> np.ndarray:
        """The layer's main output: every h (return_sequences) or the last one."""
        return self.outputs[0]

    @property
    def states(self) -> dict[str, np.ndarray]:
        """The final state(s) by name: hidden_state (and LSTM's cell_state), each (batch, units)."""
        final = {"hidden_state": self.h[:, -1]}
        if self.c is not None:
            final["cell_state"] = self.c[:, -1]
        return final

    def step(self, t: int, sample: int = 0) -> dict[str, np.ndarray]:
        """The values at processing step `t` for one sample: x, h, c and each gate, 1-D arrays."""
        t = _check_index("t", t, self.timesteps)
        sample = _check_index("sample", sample, self.batch)
        values = {"x": self.x[sample, t], "h": self.h[sample, t]}
        values["h_prev"] = self.h[sample, t - 1] if t > 0 else self.initial_state[0][sample]
        if self.c is not None:
            values["c"] = self.c[sample, t]
            values["c_prev"] = self.c[sample, t - 1] if t > 0 else self.initial_state[1][sample]
        for name, gate in self.gates.items():
            values[name] = gate[sample, t]
        return values


def _check_index(name: str, value: object, size: int) -> int:
    index = check_size(name, value, minimum=-size)
    if index >= size:
        raise ValueError(f"{name} must be in 0..{size - 1}; got {value}")
    return index % size


@dataclass(frozen=True, eq=False)  # hashable by identity (usable as a cache key)
class Cell:
    """A recurrent layer's weights and flags; `run(x)` computes what Keras would, in numpy."""

    kind: str
    kernel: np.ndarray
    recurrent_kernel: np.ndarray
    bias: np.ndarray | None
    activation: str = "tanh"
    recurrent_activation: str = "sigmoid"
    use_bias: bool = True
    reset_after: bool = True
    go_backwards: bool = False
    return_sequences: bool = False
    return_state: bool = False

    def __post_init__(self) -> None:
        kind = check_kind(self.kind)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "activation", activation_name(self.activation))
        object.__setattr__(
            self,
            "recurrent_activation",
            activation_name(self.recurrent_activation, argument="recurrent_activation"),
        )
        for flag in ("use_bias", "reset_after", "go_backwards", "return_sequences", "return_state"):
            object.__setattr__(self, flag, check_flag(flag, getattr(self, flag)))
        kernel = np.asarray(self.kernel, dtype=np.float64)
        recurrent = np.asarray(self.recurrent_kernel, dtype=np.float64)
        if recurrent.ndim != 2 or recurrent.shape[1] != GATES[kind] * recurrent.shape[0]:
            raise ValueError(
                f"recurrent_kernel of a {kind} must have shape (units, {GATES[kind]}·units); "
                f"got {recurrent.shape}"
            )
        units = recurrent.shape[0]
        if kernel.ndim != 2 or kernel.shape[1] != GATES[kind] * units or kernel.shape[0] < 1:
            raise ValueError(
                f"kernel of a {kind} with {units} units must have shape "
                f"(input_dim, {GATES[kind] * units}); got {kernel.shape}"
            )
        expected = param_count(
            kind, units, kernel.shape[0], use_bias=self.use_bias, reset_after=self.reset_after
        ).bias
        bias = None
        if self.use_bias:
            if self.bias is None:
                raise ValueError(f"bias is required when use_bias=True; expected shape {expected}")
            bias = np.asarray(self.bias, dtype=np.float64)
            if bias.shape != expected:
                raise ValueError(
                    f"bias of this {kind} must have shape {expected} "
                    f"(use_bias=True, reset_after={self.reset_after}); got {bias.shape}"
                )
        elif self.bias is not None:
            raise ValueError("bias must be None when use_bias=False")
        object.__setattr__(self, "kernel", kernel)
        object.__setattr__(self, "recurrent_kernel", recurrent)
        object.__setattr__(self, "bias", bias)

    @property
    def units(self) -> int:
        return self.recurrent_kernel.shape[0]

    @property
    def input_dim(self) -> int:
        return self.kernel.shape[0]

    @property
    def gate_names(self) -> tuple[str, ...]:
        return GATE_NAMES[self.kind]

    @property
    def params(self) -> ParamCount:
        """The parameter breakdown; `cell.params.formula` prints the arithmetic."""
        return param_count(
            self.kind,
            self.units,
            self.input_dim,
            use_bias=self.use_bias,
            reset_after=self.reset_after,
        )

    def count_params(self) -> int:
        return self.params.total

    def weights(self) -> list[np.ndarray]:
        """Like `layer.get_weights()`: kernel, recurrent_kernel and (if used) bias."""
        out = [self.kernel, self.recurrent_kernel]
        return out + ([self.bias] if self.bias is not None else [])

    def split(self, name: str) -> dict[str, np.ndarray]:
        """One of kernel / recurrent_kernel / bias cut into its gate blocks, by gate name."""
        if name not in ("kernel", "recurrent_kernel", "bias"):
            raise ValueError(f"name must be 'kernel', 'recurrent_kernel' or 'bias'; got {name!r}")
        array = getattr(self, name)
        if array is None:
            raise ValueError("this cell has no bias (use_bias=False)")
        names = self.gate_names or ("simple",)
        blocks = np.split(array, len(names), axis=-1)
        return dict(zip(names, blocks, strict=True))

    def with_options(self, **options: object) -> Cell:
        """A copy with some flags changed, e.g. `cell.with_options(return_sequences=True)`."""
        unknown = set(options) - set(_OPTIONS) - {"bias", "kernel", "recurrent_kernel"}
        if unknown:
            raise TypeError(f"unknown option(s) {sorted(unknown)}; known: {', '.join(_OPTIONS)}")
        return replace(self, **options)

    def run(self, x: object, initial_state: object = None) -> Trace:
        """Run over x: (batch, timesteps, input_dim), or (timesteps, input_dim) for one sequence.

        initial_state: like Keras', [h0] (or [h0, c0] for LSTM), each (batch, units); zeros if None.
        A 2-D x is treated as a batch of one; the Trace keeps the batch axis.
        """
        x = self._check_x(x)
        batch, timesteps, _ = x.shape
        states = self._check_initial_state(initial_state, batch)
        if self.go_backwards:
            x = x[:, ::-1]
        x = np.ascontiguousarray(x)
        u = self.units
        hs = np.empty((batch, timesteps, u))
        cs = np.empty((batch, timesteps, u)) if self.kind == "LSTM" else None
        gates = {name: np.empty((batch, timesteps, u)) for name in self.gate_names}
        k = self.kernel
        if self.bias is None:
            input_bias = recurrent_bias = np.zeros(k.shape[1])
        elif self.kind == "GRU" and self.reset_after:
            input_bias, recurrent_bias = self.bias
        else:
            input_bias, recurrent_bias = self.bias, np.zeros(k.shape[1])
        # The input part of every step at once: (batch, timesteps, gates·units).
        x_part = x @ k + input_bias
        h = states[0]
        c = states[1] if self.kind == "LSTM" else None
        for t in range(timesteps):
            h, c, values = self._step(x_part[:, t], h, c, recurrent_bias)
            hs[:, t] = h
            if cs is not None:
                cs[:, t] = c
            for name, value in zip(self.gate_names, values, strict=True):
                gates[name][:, t] = value
        outputs = [hs if self.return_sequences else hs[:, -1]]
        if self.return_state:
            outputs.append(hs[:, -1])
            if cs is not None:
                outputs.append(cs[:, -1])
        return Trace(
            kind=self.kind,
            h=hs,
            c=cs,
            gates=gates,
            x=x,
            outputs=outputs,
            return_sequences=self.return_sequences,
            return_state=self.return_state,
            go_backwards=self.go_backwards,
            initial_state=states,
        )

    def _step(
        self, xt: np.ndarray, h: np.ndarray, c: np.ndarray | None, recurrent_bias: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray | None, tuple[np.ndarray, ...]]:
        """One timestep. xt: (batch, gates·units), the input part x_t·W + b already added;
        h, c: (batch, units). Returns the new h, the new c (LSTM, else None) and the gate
        values in `gate_names` order, each (batch, units)."""
        act = ACTIVATIONS[self.activation]
        rec_act = ACTIVATIONS[self.recurrent_activation]
        rk, u = self.recurrent_kernel, self.units
        if self.kind == "SimpleRNN":
            return act(xt + h @ rk), None, ()
        if self.kind == "LSTM":
            z = xt + h @ rk
            i = rec_act(z[:, :u])
            f = rec_act(z[:, u : 2 * u])
            g = act(z[:, 2 * u : 3 * u])
            o = rec_act(z[:, 3 * u :])
            c = f * c + i * g
            return o * act(c), c, (i, f, g, o)
        # GRU
        if self.reset_after:
            inner = h @ rk + recurrent_bias
            z = rec_act(xt[:, :u] + inner[:, :u])
            r = rec_act(xt[:, u : 2 * u] + inner[:, u : 2 * u])
            candidate = act(xt[:, 2 * u :] + r * inner[:, 2 * u :])
        else:
            z = rec_act(xt[:, :u] + h @ rk[:, :u])
            r = rec_act(xt[:, u : 2 * u] + h @ rk[:, u : 2 * u])
            candidate = act(xt[:, 2 * u :] + (r * h) @ rk[:, 2 * u :])
        # Keras' convention: the update gate z weights the OLD state.
        return z * h + (1.0 - z) * candidate, None, (z, r, candidate)

    def _check_x(self, x: object) -> np.ndarray:
        if isinstance(x, list | tuple):
            x = np.asarray(x)
        if not hasattr(x, "shape") or not hasattr(x, "ndim"):
            raise TypeError(
                f"x must be an array of shape (batch, timesteps, input_dim); got {type(x).__name__}"
            )
        arr = np.asarray(x)
        if arr.dtype.kind not in "biuf":
            raise TypeError(f"x must hold numbers; got an array of dtype {arr.dtype}")
        arr = arr.astype(np.float64, copy=False)
        if arr.ndim == 2:
            arr = arr[np.newaxis]
        if arr.ndim != 3:
            raise ValueError(
                f"x must have shape (batch, timesteps, input_dim) or (timesteps, input_dim); "
                f"got an array of rank {arr.ndim} with shape {np.shape(x)}"
            )
        if arr.shape[0] < 1 or arr.shape[1] < 1:
            raise ValueError(
                f"x needs at least one sample and one timestep; got shape {np.shape(x)}"
            )
        if arr.shape[2] != self.input_dim:
            raise ValueError(
                f"x has {arr.shape[2]} features per step (shape {np.shape(x)}), "
                f"but this {self.kind} "
                f"expects input_dim={self.input_dim}"
            )
        if not np.all(np.isfinite(arr)):
            raise ValueError("x contains NaN or infinite values")
        return arr

    def _check_initial_state(self, initial_state: object, batch: int) -> list[np.ndarray]:
        names = STATE_NAMES[self.kind]
        if initial_state is None:
            return [np.zeros((batch, self.units)) for _ in names]
        if isinstance(initial_state, np.ndarray) and len(names) == 1:
            initial_state = [initial_state]
        if not isinstance(initial_state, list | tuple) or len(initial_state) != len(names):
            raise ValueError(
                f"initial_state of a {self.kind} must be a list of {len(names)} array(s) "
                f"({', '.join(names)}), each (batch, units) = ({batch}, {self.units})"
            )
        states = []
        for name, state in zip(names, initial_state, strict=True):
            arr = np.asarray(state, dtype=np.float64)
            if arr.ndim == 1:
                arr = np.broadcast_to(arr, (batch, arr.shape[0]))
            if arr.shape != (batch, self.units):
                raise ValueError(
                    f"initial {name} must have shape (batch, units) = ({batch}, {self.units}); "
                    f"got {np.shape(state)}"
                )
            states.append(np.array(arr))
        return states


def _glorot_uniform(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    limit = np.sqrt(6.0 / (shape[0] + shape[1]))
    return rng.uniform(-limit, limit, size=shape)


def _orthogonal(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    rows, cols = shape
    a = rng.normal(size=(max(rows, cols), min(rows, cols)))
    q, r = np.linalg.qr(a)
    q = q * np.sign(np.diag(r))
    return q if rows >= cols else q.T


def cell(kind: str, units: int, input_dim: int, *, seed: int = 0, **options: object) -> Cell:
    """A numpy cell with seeded weights, initialised the way a fresh Keras layer is.

    kernel: Glorot uniform; recurrent_kernel: orthogonal; bias: zeros, except LSTM's forget
    block, which starts at 1 (Keras' unit_forget_bias). Options use Keras' names:
    activation, recurrent_activation, use_bias, reset_after, go_backwards, return_sequences,
    return_state. Unsupported Keras options (stateful, ...) raise NotImplementedError.
    """
    kind = check_kind(kind)
    units = check_size("units", units)
    input_dim = check_size("input_dim", input_dim)
    seed = check_size("seed", seed, minimum=0)
    for name, why in _UNSUPPORTED.items():
        if name in options:
            value = options.pop(name)
            # `value` may be an array (a mask): test for "off" without comparing it.
            off = value is None or (isinstance(value, bool | np.bool_) and not value)
            if why is not None and not off:
                raise NotImplementedError(f"rnnviz does not model {why}; got {name}={value!r}")
    unknown = set(options) - set(_OPTIONS)
    if unknown:
        raise TypeError(f"unknown option(s) {sorted(unknown)}; rnnviz knows {', '.join(_OPTIONS)}")
    use_bias = check_flag("use_bias", options.get("use_bias", True))
    reset_after = check_flag("reset_after", options.get("reset_after", True))
    pc = param_count(kind, units, input_dim, use_bias=use_bias, reset_after=reset_after)
    rng = np.random.default_rng(seed)
    kernel = _glorot_uniform(rng, pc.kernel)
    recurrent = np.concatenate(
        [_orthogonal(rng, (units, units)) for _ in range(GATES[kind])], axis=1
    )
    bias = None
    if pc.bias is not None:
        bias = np.zeros(pc.bias)
        if kind == "LSTM":
            bias[units : 2 * units] = 1.0
    return Cell(kind, kernel, recurrent, bias, **options)  # type: ignore[arg-type]
