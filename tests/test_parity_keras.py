"""rnnviz's numpy cells against real Keras 3 layers: outputs, states, every step and every gate.

Each hypothesis example builds a fresh Keras layer with random options, gives it random weights
(non-zero biases included) through `set_weights`, and compares. The per-step checks rebuild Keras'
own results from `Trace.gates` with the textbook equations, and step `layer.cell` by hand.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import rnnviz
from rnnviz.activations import ACTIVATIONS

pytestmark = pytest.mark.keras

KINDS = ("SimpleRNN", "LSTM", "GRU")
TOL = {"rtol": 1e-5, "atol": 1e-5}


def _np(tensor) -> np.ndarray:
    return np.asarray(tensor, dtype=np.float64)


@st.composite
def configs(draw, kind: str) -> dict:
    """A random layer configuration for `kind`: sizes, every option, a seed for the numbers."""
    cfg = {
        "kind": kind,
        "units": draw(st.integers(1, 6)),
        "input_dim": draw(st.integers(1, 4)),
        "batch": draw(st.integers(1, 4)),
        "timesteps": draw(st.integers(1, 6)),
        "activation": draw(st.sampled_from(sorted(ACTIVATIONS))),
        "use_bias": draw(st.booleans()),
        "go_backwards": draw(st.booleans()),
        "return_sequences": draw(st.booleans()),
        "return_state": draw(st.booleans()),
        "initial_state": draw(st.booleans()),
        "seed": draw(st.integers(0, 2**20)),
    }
    if kind != "SimpleRNN":
        cfg["recurrent_activation"] = draw(st.sampled_from(sorted(ACTIVATIONS)))
    if kind == "GRU":
        cfg["reset_after"] = draw(st.booleans())
    return cfg


_OPTION_NAMES = (
    "activation",
    "recurrent_activation",
    "use_bias",
    "reset_after",
    "go_backwards",
    "return_sequences",
    "return_state",
)


def make_layer(keras, cfg: dict):
    """A built Keras layer with random weights, plus x and an initial state (or None)."""
    options = {k: cfg[k] for k in _OPTION_NAMES if k in cfg}
    layer = getattr(keras.layers, cfg["kind"])(cfg["units"], **options)
    layer.build((None, None, cfg["input_dim"]))
    rng = np.random.default_rng(cfg["seed"])
    # Small weights, so that unbounded activations (relu, exponential, ...) stay finite.
    scale = 0.8 / np.sqrt(cfg["units"] + cfg["input_dim"])
    if "exponential" in (cfg["activation"], cfg.get("recurrent_activation")):
        scale = 0.3 / (cfg["units"] + cfg["input_dim"])
    weights = [rng.uniform(-scale, scale, w.shape) for w in layer.get_weights()[:2]]
    if cfg["use_bias"]:
        bias_shape = layer.get_weights()[2].shape
        weights.append(rng.choice([-1, 1], bias_shape) * rng.uniform(0.05, 0.5, bias_shape))
    layer.set_weights([w.astype("float32") for w in weights])
    x = rng.normal(size=(cfg["batch"], cfg["timesteps"], cfg["input_dim"])).astype("float32")
    state = None
    if cfg["initial_state"]:
        n_states = 2 if cfg["kind"] == "LSTM" else 1
        state = [
            rng.normal(scale=0.5, size=(cfg["batch"], cfg["units"])).astype("float32")
            for _ in range(n_states)
        ]
    return layer, x, state


def keras_outputs(layer, x, state) -> list[np.ndarray]:
    out = layer(x) if state is None else layer(x, initial_state=state)
    return [_np(t) for t in (out if isinstance(out, list | tuple) else [out])]


def assume_finite(arrays: list[np.ndarray]) -> None:
    """Exponential activations can still overflow float32: compare only finite results."""
    assume(all(np.all(np.isfinite(a)) for a in arrays))


# ---------------------------------------------------------------- outputs and final states


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=40)
@given(data=st.data())
def test_outputs_and_final_states_equal_keras(keras, kind, data):
    cfg = data.draw(configs(kind))
    layer, x, state = make_layer(keras, cfg)
    expected = keras_outputs(layer, x, state)
    assume_finite(expected)

    via_bridge = rnnviz.trace(layer, x, initial_state=state)
    options = {k: cfg[k] for k in _OPTION_NAMES if k in cfg}
    weights = layer.get_weights()
    bias = weights[2] if cfg["use_bias"] else None
    direct = rnnviz.Cell(kind, weights[0], weights[1], bias, **options).run(x, state)

    for got in (via_bridge, direct):
        assert len(got.outputs) == len(expected)
        for ours, theirs in zip(got.outputs, expected, strict=True):
            assert ours.shape == theirs.shape
            np.testing.assert_allclose(ours, theirs, **TOL)
    # With return_state, Keras returns the final state(s) after the output: Trace.states by name.
    if cfg["return_state"]:
        names = rnnviz.STATE_NAMES[kind]
        assert len(expected) == 1 + len(names)
        for name, theirs in zip(names, expected[1:], strict=True):
            np.testing.assert_allclose(via_bridge.states[name], theirs, **TOL)
    else:
        assert len(expected) == 1


# ---------------------------------------------------------------- every step, every gate


def _act(keras, fn, z: np.ndarray) -> np.ndarray:
    """Apply one of the layer's own Keras activation functions."""
    return _np(fn(keras.ops.convert_to_tensor(z.astype("float32"))))


def _step_keras_cell(layer, x: np.ndarray, state) -> tuple[np.ndarray, np.ndarray | None]:
    """Run layer.cell by hand over x (already in processing order): every h and (LSTM) c."""
    batch, timesteps, _ = x.shape
    units = layer.cell.units
    n_states = 2 if isinstance(layer.cell.state_size, list | tuple) else 1
    states = state or [np.zeros((batch, units), "float32") for _ in range(n_states)]
    hs, cs = [], []
    for t in range(timesteps):
        h, states = layer.cell(x[:, t], list(states), training=False)
        states = list(states) if isinstance(states, list | tuple) else [states]
        hs.append(_np(h))
        if n_states == 2:
            cs.append(_np(states[1]))
    return np.stack(hs, 1), (np.stack(cs, 1) if cs else None)


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=40)
@given(data=st.data())
def test_every_step_and_gate_recomposes_keras(keras, kind, data):
    cfg = data.draw(configs(kind))
    cfg.update(return_sequences=True, return_state=True)
    layer, x, state = make_layer(keras, cfg)
    keras_seq = keras_outputs(layer, x, state)  # [h over time, final h, (final c)]
    assume_finite(keras_seq)
    got = rnnviz.trace(layer, x, initial_state=state)

    x_proc = x[:, ::-1] if cfg["go_backwards"] else x
    np.testing.assert_allclose(got.x, x_proc, **TOL)
    h_keras = keras_seq[0]
    np.testing.assert_allclose(got.h, h_keras, **TOL)

    # Step layer.cell by hand: the same h at every step, and LSTM's c at every step.
    h_cell, c_cell = _step_keras_cell(layer, x_proc, state)
    np.testing.assert_allclose(h_cell, h_keras, **TOL)
    if kind == "LSTM":
        np.testing.assert_allclose(got.c, c_cell, **TOL)
        np.testing.assert_allclose(got.c[:, -1], keras_seq[2], **TOL)
    else:
        assert got.c is None

    # The state before each step, as Keras computed it.
    u = cfg["units"]
    h0 = state[0] if state else np.zeros((cfg["batch"], u))
    h_prev = np.concatenate([np.asarray(h0, np.float64)[:, None], h_keras[:, :-1]], axis=1)
    kernel, recurrent = (np.float64(w) for w in layer.get_weights()[:2])
    bias = layer.get_weights()[2] if cfg["use_bias"] else None
    cell = layer.cell
    gates = got.gates
    assert tuple(gates) == rnnviz.GATE_NAMES[kind]
    for name, value in gates.items():
        assert value.shape == (cfg["batch"], cfg["timesteps"], u), name

    def block(k: int, rows: np.ndarray | None = None) -> tuple[np.ndarray, ...]:
        """Kernel, recurrent kernel and bias of gate block k (Keras' documented order)."""
        cols = slice(k * u, (k + 1) * u)
        b = np.zeros(u) if bias is None else np.float64(bias if rows is None else bias[rows])[cols]
        return kernel[:, cols], recurrent[:, cols], b

    if kind == "SimpleRNN":
        w, r, b = block(0)
        np.testing.assert_allclose(_act(keras, cell.activation, x_proc @ w + h_prev @ r + b),
                                   h_keras, **TOL)  # fmt: skip
        assert gates == {}
    elif kind == "LSTM":
        i, f, g, o = (gates[n] for n in ("input", "forget", "candidate", "output"))
        c0 = state[1] if state else np.zeros((cfg["batch"], u))
        c_prev = np.concatenate([np.asarray(c0, np.float64)[:, None], c_cell[:, :-1]], axis=1)
        np.testing.assert_allclose(f * c_prev + i * g, c_cell, **TOL)
        np.testing.assert_allclose(o * _act(keras, cell.activation, c_cell), h_keras, **TOL)
        for k, (name, fn) in enumerate(
            [
                ("input", cell.recurrent_activation),
                ("forget", cell.recurrent_activation),
                ("candidate", cell.activation),
                ("output", cell.recurrent_activation),
            ]
        ):
            w, r, b = block(k)
            np.testing.assert_allclose(gates[name], _act(keras, fn, x_proc @ w + h_prev @ r + b),
                                       **TOL)  # fmt: skip
    else:  # GRU
        z, r_gate, cand = gates["update"], gates["reset"], gates["candidate"]
        np.testing.assert_allclose(z * h_prev + (1 - z) * cand, h_keras, **TOL)
        two_rows = cfg["use_bias"] and cfg["reset_after"]
        for k, name in enumerate(("update", "reset")):
            w, r, b = block(k, 0 if two_rows else None)
            b_rec = block(k, 1)[2] if two_rows else 0.0
            pre = x_proc @ w + b + h_prev @ r + b_rec
            np.testing.assert_allclose(gates[name], _act(keras, cell.recurrent_activation, pre),
                                       **TOL)  # fmt: skip
        w, r, b = block(2, 0 if two_rows else None)
        if cfg["reset_after"]:
            b_rec = block(2, 1)[2] if two_rows else 0.0
            pre = x_proc @ w + b + r_gate * (h_prev @ r + b_rec)
        else:
            pre = x_proc @ w + b + (r_gate * h_prev) @ r
        np.testing.assert_allclose(cand, _act(keras, cell.activation, pre), **TOL)


# ---------------------------------------------------------------- shapes and parameter counts


def _keras_shapes(keras, kind, units, timesteps, input_dim, batch, **flags) -> list[tuple]:
    inp = keras.Input(shape=(timesteps, input_dim), batch_size=batch)
    out = getattr(keras.layers, kind)(units, **flags)(inp)
    return [tuple(t.shape) for t in (out if isinstance(out, list | tuple) else [out])]


@settings(max_examples=60)
@given(
    kind=st.sampled_from(KINDS),
    units=st.integers(1, 64),
    timesteps=st.none() | st.integers(1, 40),
    input_dim=st.integers(1, 40),
    batch=st.none() | st.integers(1, 16),
    return_sequences=st.booleans(),
    return_state=st.booleans(),
)
def test_output_shapes_equal_keras_symbolic_shapes(
    keras, kind, units, timesteps, input_dim, batch, return_sequences, return_state
):
    flags = {"return_sequences": return_sequences, "return_state": return_state}
    expected = _keras_shapes(keras, kind, units, timesteps, input_dim, batch, **flags)
    ours = rnnviz.output_shapes(kind.lower(), units, timesteps, input_dim, batch=batch, **flags)
    assert list(ours.values()) == expected
    assert list(ours) == ["output", *(rnnviz.STATE_NAMES[kind] if return_state else ())]


@settings(max_examples=60)
@given(
    kind=st.sampled_from(KINDS),
    units=st.integers(1, 80),
    input_dim=st.integers(1, 80),
    use_bias=st.booleans(),
    reset_after=st.booleans(),
)
def test_count_params_and_weight_shapes_equal_keras(
    keras, kind, units, input_dim, use_bias, reset_after
):
    extra = {"reset_after": reset_after} if kind == "GRU" else {}
    layer = getattr(keras.layers, kind)(units, use_bias=use_bias, **extra)
    layer.build((None, None, input_dim))
    pc = rnnviz.param_count(kind, units, input_dim, use_bias=use_bias, reset_after=reset_after)
    assert pc.total == layer.count_params()
    assert rnnviz.count_params(
        kind, units, input_dim, use_bias=use_bias, reset_after=reset_after
    ) == (layer.count_params())
    shapes = [pc.kernel, pc.recurrent_kernel] + ([pc.bias] if use_bias else [])
    assert shapes == [tuple(w.shape) for w in layer.get_weights()]
    assert pc.formula.endswith(f"= {layer.count_params():,}")


# ---------------------------------------------------------------- from_keras and trace


@pytest.mark.parametrize("kind", KINDS)
def test_from_keras_unbuilt_layer_needs_input_dim_then_builds(keras, kind):
    layer = getattr(keras.layers, kind)(3, return_sequences=True)
    with pytest.raises(ValueError, match="input_dim"):
        rnnviz.from_keras(layer)
    cell = rnnviz.from_keras(layer, input_dim=2)
    assert layer.built
    for ours, theirs in zip(cell.weights(), layer.get_weights(), strict=True):
        np.testing.assert_array_equal(ours, theirs)
    x = np.random.default_rng(1).normal(size=(2, 4, 2)).astype("float32")
    np.testing.assert_allclose(cell.run(x).output, _np(layer(x)), **TOL)


@pytest.mark.parametrize("kind", KINDS)
def test_trace_builds_an_unbuilt_layer_from_x(keras, kind):
    x = np.random.default_rng(2).normal(size=(5, 3)).astype("float32")  # one sequence, 2-D
    layer = getattr(keras.layers, kind)(4, return_sequences=True, return_state=True)
    got = rnnviz.trace(layer, x)
    assert layer.built and layer.get_weights()[0].shape[0] == 3
    expected = keras_outputs(layer, x[None], None)
    for ours, theirs in zip(got.outputs, expected, strict=True):
        np.testing.assert_allclose(ours, theirs, **TOL)


@pytest.mark.parametrize("kind", KINDS)
def test_from_keras_rejects_an_input_dim_the_built_layer_does_not_have(keras, kind):
    layer = getattr(keras.layers, kind)(3)
    layer.build((None, None, 2))
    assert rnnviz.from_keras(layer, input_dim=2).input_dim == 2
    with pytest.raises(ValueError, match=r"input_dim=5"):
        rnnviz.from_keras(layer, input_dim=5)


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "3"])
def test_from_keras_rejects_bad_input_dim(keras, bad):
    layer = keras.layers.LSTM(3)
    with pytest.raises((TypeError, ValueError), match=rf"input_dim.*{bad!r}"):
        rnnviz.from_keras(layer, input_dim=bad)
    assert not layer.built


@pytest.mark.parametrize("kind", KINDS)
def test_layers_inside_sequential_and_functional_models(keras, kind):
    timesteps, input_dim = 6, 3
    cls = getattr(keras.layers, kind)
    model = keras.Sequential(
        [
            keras.Input((timesteps, input_dim)),
            cls(4, return_sequences=True, go_backwards=True),
            cls(2, activation="relu"),
            keras.layers.Dense(1),
        ]
    )
    x = np.random.default_rng(3).normal(size=(2, timesteps, input_dim)).astype("float32")
    first = rnnviz.trace(model.layers[0], x)
    second = rnnviz.trace(model.layers[1], first.output)
    inner = keras.Model(model.inputs[0], [model.layers[0].output, model.layers[1].output])
    expected = [_np(t) for t in inner(x)]
    np.testing.assert_allclose(first.output, expected[0], **TOL)
    np.testing.assert_allclose(second.output, expected[1], **TOL)

    inp = keras.Input((None, input_dim))
    out, *states = cls(3, return_state=True)(inp)
    functional = keras.Model(inp, [out, *states])
    rnn_layer = next(layer for layer in functional.layers if isinstance(layer, cls))
    got = rnnviz.trace(rnn_layer, x)
    for ours, theirs in zip(got.outputs, functional.predict_on_batch(x), strict=True):
        np.testing.assert_allclose(ours, theirs, **TOL)


@pytest.mark.parametrize("kind", KINDS)
def test_float64_input(keras, kind):
    x = np.random.default_rng(4).normal(size=(3, 5, 2))  # float64
    layer = getattr(keras.layers, kind)(3, return_sequences=True)
    expected = _np(layer(x))
    got = rnnviz.trace(layer, x)
    assert got.output.dtype == np.float64
    np.testing.assert_allclose(got.output, expected, **TOL)


@pytest.mark.parametrize("kind", KINDS)
def test_unroll_changes_nothing(keras, kind):
    layer = getattr(keras.layers, kind)(3, unroll=True)
    x = np.random.default_rng(5).normal(size=(2, 4, 2)).astype("float32")
    np.testing.assert_allclose(rnnviz.trace(layer, x).output, _np(layer(x)), **TOL)


# ---------------------------------------------------------------- what rnnviz refuses


def _custom_tanh(x):
    return x


@pytest.mark.parametrize("kind", KINDS)
def test_unsupported_layers_raise_not_implemented(keras, kind):
    cls = getattr(keras.layers, kind)
    x = np.zeros((1, 3, 2), "float32")
    with pytest.raises(NotImplementedError, match="stateful"):
        rnnviz.from_keras(cls(2, stateful=True), input_dim=2)
    with pytest.raises(NotImplementedError, match="mask"):
        rnnviz.trace(cls(2), x, mask=np.ones((1, 3), bool))
    customs = [lambda z: z * 0.5, _custom_tanh, keras.activations.gelu]
    for fn in customs:
        with pytest.raises(NotImplementedError, match="activation"):
            rnnviz.from_keras(cls(2, activation=fn), input_dim=2)
    if kind != "SimpleRNN":
        with pytest.raises(NotImplementedError, match="recurrent_activation"):
            rnnviz.from_keras(cls(2, recurrent_activation=_custom_tanh), input_dim=2)


def test_wrong_layer_types_raise_type_error(keras):
    x = np.zeros((1, 3, 2), "float32")
    wrong = [
        keras.layers.Dense(2),
        keras.layers.Bidirectional(keras.layers.LSTM(2)),
        keras.layers.RNN(keras.layers.LSTMCell(2)),
        keras.layers.LSTMCell(2),
        "LSTM",
        rnnviz.cell("LSTM", 2, 2),
        None,
    ]
    for layer in wrong:
        with pytest.raises(TypeError, match="SimpleRNN, LSTM or GRU"):
            rnnviz.from_keras(layer)
        with pytest.raises(TypeError, match="SimpleRNN, LSTM or GRU"):
            rnnviz.trace(layer, x)
