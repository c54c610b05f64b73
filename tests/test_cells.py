"""The numpy cells without TensorFlow: a textbook re-derivation, Trace bookkeeping, errors.

`reference_run` below is written straight from the equations, one sample and one step at a time,
with each gate's weights taken by name; it shares no code with rnnviz.cells beyond the activation
functions. Parity with Keras itself is in test_parity_keras.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rnnviz
import rnnviz.data
from rnnviz.activations import ACTIVATIONS, RANGES, activation_name, hard_sigmoid, sigmoid

KINDS = ("SimpleRNN", "LSTM", "GRU")
BAD_SIZES = [0, -1, 2.5, True, "3"]


def reference_run(cell: rnnviz.Cell, x: np.ndarray, h0: np.ndarray, c0: np.ndarray | None):
    """Textbook equations, one sample (x: (T, I)) at a time. Returns h (T, U), c, gates."""
    act, rec = ACTIVATIONS[cell.activation], ACTIVATIONS[cell.recurrent_activation]
    W, U = cell.split("kernel"), cell.split("recurrent_kernel")
    names = cell.gate_names or ("simple",)
    if cell.bias is None:
        b_in = {n: 0.0 for n in names}
        b_rec = {n: 0.0 for n in names}
    elif cell.kind == "GRU" and cell.reset_after:
        both = cell.split("bias")
        b_in = {n: both[n][0] for n in names}
        b_rec = {n: both[n][1] for n in names}
    else:
        b_in, b_rec = cell.split("bias"), {n: 0.0 for n in names}
    steps = x[::-1] if cell.go_backwards else x
    h, c = h0, c0
    hs, cs, gates = [], [], {n: [] for n in cell.gate_names}
    for x_t in steps:
        if cell.kind == "SimpleRNN":
            h = act(x_t @ W["simple"] + h @ U["simple"] + b_in["simple"])
            found = {}
        elif cell.kind == "LSTM":

            def pre(n, h=h, x_t=x_t):
                return x_t @ W[n] + h @ U[n] + b_in[n]

            i, f, o = rec(pre("input")), rec(pre("forget")), rec(pre("output"))
            g = act(pre("candidate"))
            c = f * c + i * g
            h = o * act(c)
            found = {"input": i, "forget": f, "candidate": g, "output": o}
        else:
            z = rec(x_t @ W["update"] + b_in["update"] + h @ U["update"] + b_rec["update"])
            r = rec(x_t @ W["reset"] + b_in["reset"] + h @ U["reset"] + b_rec["reset"])
            if cell.reset_after:
                recurrent = r * (h @ U["candidate"] + b_rec["candidate"])
            else:
                recurrent = (r * h) @ U["candidate"]
            cand = act(x_t @ W["candidate"] + b_in["candidate"] + recurrent)
            h = z * h + (1 - z) * cand
            found = {"update": z, "reset": r, "candidate": cand}
        hs.append(h)
        cs.append(c)
        for name, value in found.items():
            gates[name].append(value)
    return (
        np.array(hs),
        (np.array(cs) if cell.kind == "LSTM" else None),
        {n: np.array(v) for n, v in gates.items()},
    )


@st.composite
def cells_and_inputs(draw):
    kind = draw(st.sampled_from(KINDS))
    units, input_dim = draw(st.integers(1, 5)), draw(st.integers(1, 4))
    batch, timesteps = draw(st.integers(1, 3)), draw(st.integers(1, 6))
    options = {
        "activation": draw(st.sampled_from(["tanh", "relu", "linear", "softsign", "hard_sigmoid"])),
        "recurrent_activation": draw(st.sampled_from(["sigmoid", "hard_sigmoid", "tanh"])),
        "use_bias": draw(st.booleans()),
        "reset_after": draw(st.booleans()),
        "go_backwards": draw(st.booleans()),
    }
    seed = draw(st.integers(0, 10_000))
    rng = np.random.default_rng(seed)
    base = rnnviz.cell(kind, units, input_dim, seed=seed, **options)
    # Random non-zero biases, so a bias in the wrong place cannot hide behind zeros.
    bias = None if base.bias is None else rng.uniform(-0.5, 0.5, base.bias.shape)
    cell = base.with_options(bias=bias)
    x = rng.normal(size=(batch, timesteps, input_dim))
    states = [rng.normal(size=(batch, units)) for _ in rnnviz.STATE_NAMES[kind]]
    return cell, x, states


@given(cells_and_inputs())
def test_run_equals_textbook_equations(case):
    cell, x, states = case
    trace = cell.run(x, initial_state=states)
    for b in range(x.shape[0]):
        c0 = states[1][b] if cell.kind == "LSTM" else None
        h, c, gates = reference_run(cell, x[b], states[0][b], c0)
        np.testing.assert_allclose(trace.h[b], h, rtol=1e-12, atol=1e-12)
        if c is None:
            assert trace.c is None
        else:
            np.testing.assert_allclose(trace.c[b], c, rtol=1e-12, atol=1e-12)
        assert tuple(trace.gates) == cell.gate_names
        for name, value in gates.items():
            np.testing.assert_allclose(trace.gates[name][b], value, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("return_state", [False, True])
def test_outputs_follow_the_flags_and_output_shapes(kind, return_sequences, return_state):
    flags = {"return_sequences": return_sequences, "return_state": return_state}
    cell = rnnviz.cell(kind, 3, 2, seed=1, **flags)
    x = np.random.default_rng(0).normal(size=(4, 5, 2))
    trace = cell.run(x)
    expected = rnnviz.output_shapes(kind, 3, 5, 2, batch=4, **flags)
    assert [o.shape for o in trace.outputs] == list(expected.values())
    np.testing.assert_array_equal(trace.output, trace.h if return_sequences else trace.h[:, -1])
    if return_state:
        for name, array in zip(expected, trace.outputs, strict=True):
            if name != "output":
                np.testing.assert_array_equal(array, trace.states[name])
    assert (trace.batch, trace.timesteps, trace.units) == (4, 5, 3)
    assert list(trace.states) == list(rnnviz.STATE_NAMES[kind])
    np.testing.assert_array_equal(trace.states["hidden_state"], trace.h[:, -1])
    if kind == "LSTM":
        np.testing.assert_array_equal(trace.states["cell_state"], trace.c[:, -1])


@pytest.mark.parametrize("kind", KINDS)
def test_go_backwards_is_running_over_the_reversed_sequence(kind):
    x = np.random.default_rng(1).normal(size=(2, 6, 3))
    forward = rnnviz.cell(kind, 4, 3, seed=5, return_sequences=True)
    backward = forward.with_options(go_backwards=True)
    a, b = backward.run(x), forward.run(x[:, ::-1])
    np.testing.assert_array_equal(a.h, b.h)
    np.testing.assert_array_equal(a.x, x[:, ::-1])
    assert a.go_backwards and not b.go_backwards
    assert not np.allclose(a.h, forward.run(x).h)


@pytest.mark.parametrize("kind", KINDS)
def test_one_sequence_lists_and_integer_inputs(kind):
    cell = rnnviz.cell(kind, 2, 4, seed=3, return_sequences=True)
    word = rnnviz.data.one_hot("hello")
    one = cell.run(word)
    assert one.h.shape == (1, 5, 2)
    np.testing.assert_array_equal(one.h, cell.run(word[None]).h)
    np.testing.assert_array_equal(one.h, cell.run(word.astype(int).tolist()).h)


@pytest.mark.parametrize("kind", KINDS)
def test_initial_state(kind):
    cell = rnnviz.cell(kind, 3, 2, seed=2)
    x = np.random.default_rng(2).normal(size=(2, 4, 2))
    n = len(rnnviz.STATE_NAMES[kind])
    zeros = [np.zeros((2, 3))] * n
    np.testing.assert_array_equal(cell.run(x).h, cell.run(x, initial_state=zeros).h)
    ones = [np.ones(3)] * n  # a 1-D state is shared by every sample
    np.testing.assert_array_equal(cell.run(x, ones).h, cell.run(x, [np.ones((2, 3))] * n).h)
    assert not np.allclose(cell.run(x, ones).h, cell.run(x).h)
    if n == 1:  # a bare array is accepted where there is one state
        np.testing.assert_array_equal(cell.run(x, np.ones((2, 3))).h, cell.run(x, ones).h)
    for wrong in ([np.zeros((2, 4))] * n, [np.zeros((3, 3))] * n, [np.zeros((2, 3))] * (n + 1)):
        with pytest.raises(ValueError, match="initial"):
            cell.run(x, wrong)


def test_trace_step():
    cell = rnnviz.cell("LSTM", 3, 2, seed=4)
    x = np.random.default_rng(4).normal(size=(2, 5, 2))
    h0, c0 = np.full((2, 3), 0.25), np.full((2, 3), -0.5)
    trace = cell.run(x, [h0, c0])
    first = trace.step(0, sample=1)
    assert set(first) == {"x", "h", "h_prev", "c", "c_prev", *rnnviz.GATE_NAMES["LSTM"]}
    np.testing.assert_array_equal(first["h_prev"], h0[1])
    np.testing.assert_array_equal(first["c_prev"], c0[1])
    last = trace.step(-1)
    np.testing.assert_array_equal(last["h"], trace.h[0, 4])
    np.testing.assert_array_equal(last["h_prev"], trace.h[0, 3])
    np.testing.assert_array_equal(last["forget"], trace.gates["forget"][0, 4])
    assert set(rnnviz.cell("GRU", 3, 2).run(x).step(2)) == {"x", "h", "h_prev", "update", "reset",
                                                           "candidate"}  # fmt: skip
    for t in (5, -6):
        with pytest.raises(ValueError, match=rf"\bt\b.*{t}"):
            trace.step(t)
    with pytest.raises(ValueError, match=r"sample.*2"):
        trace.step(0, sample=2)
    with pytest.raises(TypeError, match=r"\bt\b.*2\.5"):
        trace.step(2.5)


# ---------------------------------------------------------------- seeded weights


@pytest.mark.parametrize("kind", KINDS)
def test_seeded_weights_look_like_a_fresh_keras_layer(kind):
    a = rnnviz.cell(kind, 4, 3, seed=7)
    b = rnnviz.cell(kind, 4, 3, seed=7)
    c = rnnviz.cell(kind, 4, 3, seed=8)
    for wa, wb in zip(a.weights(), b.weights(), strict=True):
        np.testing.assert_array_equal(wa, wb)
    assert not np.allclose(a.kernel, c.kernel)
    pc = rnnviz.param_count(kind, 4, 3)
    assert [w.shape for w in a.weights()] == [pc.kernel, pc.recurrent_kernel, pc.bias]
    assert a.count_params() == pc.total == a.params.total
    limit = np.sqrt(6 / sum(pc.kernel))  # Glorot uniform
    assert np.abs(a.kernel).max() <= limit
    for block in a.split("recurrent_kernel").values():  # orthogonal, gate by gate
        np.testing.assert_allclose(block.T @ block, np.eye(4), atol=1e-12)
    expected_bias = np.zeros(pc.bias)
    if kind == "LSTM":  # unit_forget_bias
        expected_bias[4:8] = 1.0
    np.testing.assert_array_equal(a.bias, expected_bias)
    assert rnnviz.cell(kind, 4, 3, use_bias=False).bias is None


def test_split_by_gate_name():
    lstm = rnnviz.cell("LSTM", 2, 3)
    blocks = lstm.split("kernel")
    assert list(blocks) == list(rnnviz.GATE_NAMES["LSTM"])
    np.testing.assert_array_equal(blocks["forget"], lstm.kernel[:, 2:4])
    np.testing.assert_array_equal(lstm.split("bias")["forget"], [1.0, 1.0])
    gru = rnnviz.cell("GRU", 2, 3)
    assert gru.split("bias")["candidate"].shape == (2, 2)  # input row and recurrent row
    assert list(rnnviz.cell("SimpleRNN", 2, 3).split("recurrent_kernel")) == ["simple"]
    with pytest.raises(ValueError, match="name"):
        lstm.split("weights")
    with pytest.raises(ValueError, match="use_bias"):
        rnnviz.cell("LSTM", 2, 3, use_bias=False).split("bias")


# ---------------------------------------------------------------- activations


def test_activations_and_their_ranges():
    z = np.linspace(-30, 30, 6001)
    for name, fn in ACTIVATIONS.items():
        with np.errstate(all="raise"):
            values = fn(z)
        low, high = RANGES[name]
        if low is not None:
            assert values.min() >= low - 1e-4, name
        if high is not None:
            assert values.max() <= high + 1e-12, name
    with np.errstate(over="raise", invalid="raise"):  # no overflow far from zero
        np.testing.assert_array_equal(sigmoid(np.array([-1000.0, 1000.0])), [0.0, 1.0])
    np.testing.assert_allclose(sigmoid(np.array([0.0, 2.0])), [0.5, 1 / (1 + np.exp(-2))])
    np.testing.assert_array_equal(hard_sigmoid(np.array([-3.0, 0.0, 1.5, 3.0])), [0, 0.5, 0.75, 1])
    assert set(RANGES) == set(ACTIVATIONS)
    assert activation_name(None) == "linear" and activation_name("swish") == "silu"
    with pytest.raises(ValueError, match=r"activation.*'tanh'.*'gelu'"):
        activation_name("gelu")


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("bad", BAD_SIZES, ids=repr)
@pytest.mark.parametrize("arg", ["units", "input_dim", "seed"])
def test_cell_rejects_bad_sizes(arg, bad):
    if arg == "seed" and bad == 0:
        return  # seed 0 is fine (and the default)
    kwargs = {"units": 2, "input_dim": 3, arg: bad}
    with pytest.raises((TypeError, ValueError)) as info:
        rnnviz.cell("LSTM", **kwargs)
    assert arg in str(info.value) and repr(bad) in str(info.value)


def test_cell_options():
    with pytest.raises(NotImplementedError, match="stateful"):
        rnnviz.cell("GRU", 2, 3, stateful=True)
    with pytest.raises(NotImplementedError, match="mask"):
        rnnviz.cell("GRU", 2, 3, mask=np.ones((1, 3)))
    assert rnnviz.cell("GRU", 2, 3, stateful=False, unroll=True).kind == "GRU"
    with pytest.raises(TypeError, match=r"dropout.*return_sequences"):
        rnnviz.cell("GRU", 2, 3, dropout=0.5)
    with pytest.raises(TypeError, match="go_backwards"):
        rnnviz.cell("GRU", 2, 3, go_backwards="yes")
    with pytest.raises(ValueError, match=r"recurrent_activation.*'gelu'"):
        rnnviz.cell("LSTM", 2, 3, recurrent_activation="gelu")
    with pytest.raises(TypeError, match="unknown"):
        rnnviz.cell("LSTM", 2, 3).with_options(units=4)
    assert rnnviz.cell("LSTM", 2, 3, activation=None).activation == "linear"


@pytest.mark.parametrize(
    "x, pattern",
    [
        (np.zeros(3), r"x must have shape.*rank 1.*\(3,\)"),
        (np.zeros((1, 2, 3, 3)), r"x must have shape.*rank 4.*\(1, 2, 3, 3\)"),
        (np.zeros((2, 5, 4)), r"5 features|4 features.*\(2, 5, 4\).*input_dim=3"),
        (np.zeros((2, 5)), r"5 features.*\(2, 5\).*input_dim=3"),
        (np.zeros((0, 5, 3)), r"at least one sample.*\(0, 5, 3\)"),
        (np.zeros((2, 0, 3)), r"at least one.*timestep.*\(2, 0, 3\)"),
        (np.full((1, 2, 3), np.nan), "NaN"),
        (np.array([[["a", "b", "c"]]]), "numbers"),
        ("hello", r"x must be an array"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_run_rejects_bad_x(x, pattern):
    with pytest.raises((TypeError, ValueError), match=pattern):
        rnnviz.cell("SimpleRNN", 2, 3).run(x)


def test_cell_rejects_inconsistent_weights():
    good = rnnviz.cell("GRU", 2, 3)
    with pytest.raises(ValueError, match=r"recurrent_kernel.*\(2, 4\)"):
        rnnviz.Cell("GRU", good.kernel, np.zeros((2, 4)), good.bias)
    with pytest.raises(ValueError, match=r"kernel.*\(3, 4\)"):
        rnnviz.Cell("GRU", np.zeros((3, 4)), good.recurrent_kernel, good.bias)
    with pytest.raises(ValueError, match=r"bias.*\(2, 6\).*\(6,\)"):
        rnnviz.Cell("GRU", good.kernel, good.recurrent_kernel, np.zeros(6))
    with pytest.raises(ValueError, match="bias is required"):
        rnnviz.Cell("GRU", good.kernel, good.recurrent_kernel, None)
    with pytest.raises(ValueError, match="use_bias=False"):
        rnnviz.Cell("GRU", good.kernel, good.recurrent_kernel, good.bias, use_bias=False)
    ok = rnnviz.Cell("GRU", good.kernel, good.recurrent_kernel, np.zeros(6), reset_after=False)
    assert ok.count_params() == rnnviz.count_params("GRU", 2, 3, reset_after=False)


def test_cells_and_traces_can_be_compared_and_cached():
    # Array fields make a generated == ambiguous; rnnviz compares by identity instead.
    a, b = rnnviz.cell("LSTM", 2, 3), rnnviz.cell("LSTM", 2, 3)
    assert a == a and a != b
    cache = {a: "seen"}
    assert cache[a] == "seen" and b not in cache
    x = np.zeros((1, 2, 3))
    assert a.run(x) != a.run(x)
