"""Every shape and parameter count the five seed notebooks print, checked twice.

Each figure is checked against rnnviz (output_shapes, count_params, param_count, Cell.run) and,
in the tests marked `keras`, against real Keras (symbolic `keras.Input` shapes, eager calls and
`count_params()`), so a wrong rule fails in one place or the other. The expected values are the
ones printed in /work/shared/seeds (000 ... 004); Keras 3 prints None where old TensorFlow
printed ?.
"""

from __future__ import annotations

import numpy as np
import pytest

import rnnviz
import rnnviz.data

# ---------------------------------------------------------------- seeds 000 and 002: (10, 30) -> 50
# (kind, return_sequences, return_state) -> the shapes printed, in Keras' order.
TEN_BY_THIRTY = [
    ("SimpleRNN", False, False, [(None, 50)]),
    ("SimpleRNN", True, False, [(None, 10, 50)]),
    ("SimpleRNN", False, True, [(None, 50), (None, 50)]),
    ("SimpleRNN", True, True, [(None, 10, 50), (None, 50)]),
    ("LSTM", False, False, [(None, 50)]),
    ("LSTM", True, False, [(None, 10, 50)]),
    ("LSTM", False, True, [(None, 50), (None, 50), (None, 50)]),
    ("LSTM", True, True, [(None, 10, 50), (None, 50), (None, 50)]),
    ("GRU", False, False, [(None, 50)]),
    ("GRU", True, False, [(None, 10, 50)]),
    ("GRU", False, True, [(None, 50), (None, 50)]),
    ("GRU", True, True, [(None, 10, 50), (None, 50)]),
]


def _symbolic(keras, layer, input_shape, batch=None) -> list[tuple]:
    out = layer(keras.Input(shape=input_shape, batch_size=batch))
    return [tuple(t.shape) for t in (out if isinstance(out, list | tuple) else [out])]


@pytest.mark.parametrize("kind, rs, rst, expected", TEN_BY_THIRTY)
def test_ten_steps_of_thirty_features_into_fifty_units(kind, rs, rst, expected):
    shapes = rnnviz.output_shapes(kind, 50, 10, 30, return_sequences=rs, return_state=rst)
    assert list(shapes.values()) == expected
    if rst:  # unpacking: output, hidden_state (, cell_state)
        assert list(shapes)[1:] == (
            ["hidden_state", "cell_state"] if kind == "LSTM" else ["hidden_state"]
        )


@pytest.mark.keras
@pytest.mark.parametrize("kind, rs, rst, expected", TEN_BY_THIRTY)
def test_ten_steps_of_thirty_features_into_fifty_units_keras(keras, kind, rs, rst, expected):
    layer = getattr(keras.layers, kind)(50, return_sequences=rs, return_state=rst)
    assert _symbolic(keras, layer, (10, 30)) == expected


def test_unknown_timesteps_print_none():
    # Seed 002 printed (?, ?, 50) for return_sequences on old TensorFlow: timesteps unknown.
    for kind in ("SimpleRNN", "LSTM", "GRU"):
        shapes = rnnviz.output_shapes(kind, 50, None, 30, return_sequences=True)
        assert shapes["output"] == (None, None, 50)
        assert rnnviz.format_shape(shapes["output"]) == "(None, None, 50)"


@pytest.mark.keras
def test_unknown_timesteps_print_none_keras(keras):
    for kind in ("SimpleRNN", "LSTM", "GRU"):
        layer = getattr(keras.layers, kind)(50, return_sequences=True)
        assert _symbolic(keras, layer, (None, 30)) == [(None, None, 50)]


# ---------------------------------------------------------------- seeds 000, 002: a (3, 2, 3) array
THREE_TWO_THREE = [
    [[1, 2, 3], [4, 5, 6]],
    [[7, 8, 9], [10, 11, 12]],
    [[13, 14, 15], [16, 17, 18]],
]


def test_batch_timesteps_input_dim_array():
    x = np.array(THREE_TWO_THREE)
    assert x.shape == (3, 2, 3)
    trace = rnnviz.cell("SimpleRNN", 50, 3, return_sequences=True).run(x)
    assert trace.x.shape == (3, 2, 3)
    assert (trace.batch, trace.timesteps, trace.units) == (3, 2, 50)
    assert (
        trace.output.shape
        == rnnviz.output_shapes("SimpleRNN", 50, 2, 3, batch=3, return_sequences=True)["output"]
    )


@pytest.mark.keras
def test_batch_timesteps_input_dim_array_keras(keras):
    x = np.array(THREE_TWO_THREE, dtype="float32")
    layer = keras.layers.SimpleRNN(50, return_sequences=True)
    assert tuple(layer(x).shape) == (3, 2, 50)
    np.testing.assert_allclose(rnnviz.trace(layer, x).output, np.asarray(layer(x)), atol=1e-5)


# ---------------------------------------------------------------- seed 001: 'hello', two units
HELLO_ROWS = {"h": [1, 0, 0, 0], "e": [0, 1, 0, 0], "l": [0, 0, 1, 0], "o": [0, 0, 0, 1]}
WORDS = ["hello", "eolll", "lleel"]


def test_hello_one_hot_is_the_seed_encoding():
    for letter, row in HELLO_ROWS.items():
        np.testing.assert_array_equal(rnnviz.data.one_hot(letter), [row])
    np.testing.assert_array_equal(rnnviz.data.one_hot("hello"), [HELLO_ROWS[ch] for ch in "hello"])
    batch = rnnviz.data.one_hot_batch(WORDS)
    np.testing.assert_array_equal(batch, [[HELLO_ROWS[ch] for ch in w] for w in WORDS])
    assert batch.dtype == np.float32


# (x, kind, return_sequences, return_state) -> shapes of what the layer returns.
HELLO_CASES = [
    ("h", "SimpleRNN", True, True, [(1, 1, 2), (1, 2)]),
    ("hello", "SimpleRNN", True, True, [(1, 5, 2), (1, 2)]),
    (WORDS, "SimpleRNN", True, True, [(3, 5, 2), (3, 2)]),
    (WORDS, "SimpleRNN", False, True, [(3, 2), (3, 2)]),
    (WORDS, "SimpleRNN", False, False, [(3, 2)]),
    (WORDS, "GRU", False, True, [(3, 2), (3, 2)]),
    (WORDS, "LSTM", False, True, [(3, 2), (3, 2), (3, 2)]),
]


def _hello_x(words) -> np.ndarray:
    if isinstance(words, str):
        return rnnviz.data.one_hot(words)[None]
    return rnnviz.data.one_hot_batch(words)


@pytest.mark.parametrize("words, kind, rs, rst, expected", HELLO_CASES)
def test_hello_batches(words, kind, rs, rst, expected):
    x = _hello_x(words)
    assert x.shape == {str: (1, len(words), 4)}.get(type(words), (3, 5, 4))
    batch, timesteps, input_dim = x.shape
    flags = {"return_sequences": rs, "return_state": rst}
    shapes = rnnviz.output_shapes(kind, 2, timesteps, input_dim, batch=batch, **flags)
    assert list(shapes.values()) == expected
    trace = rnnviz.cell(kind, 2, input_dim, **flags).run(x)
    assert [o.shape for o in trace.outputs] == expected


@pytest.mark.keras
@pytest.mark.parametrize("words, kind, rs, rst, expected", HELLO_CASES)
def test_hello_batches_keras(keras, words, kind, rs, rst, expected):
    x = _hello_x(words)
    layer = getattr(keras.layers, kind)(2, return_sequences=rs, return_state=rst)
    out = layer(x)
    out = out if isinstance(out, list | tuple) else [out]
    assert [tuple(t.shape) for t in out] == expected
    for ours, theirs in zip(rnnviz.trace(layer, x).outputs, out, strict=True):
        np.testing.assert_allclose(ours, np.asarray(theirs), atol=1e-5)


def test_stacked_simple_rnn_14_10_10():
    first, second = rnnviz.count_params("SimpleRNN", 2, 4), rnnviz.count_params("SimpleRNN", 2, 2)
    assert (first, second, second) == (14, 10, 10)
    assert first + 2 * second == 34
    for _ in range(3):
        assert rnnviz.output_shapes("SimpleRNN", 2, 5, 4, return_sequences=True)["output"] == (
            None,
            5,
            2,
        )


@pytest.mark.keras
def test_stacked_simple_rnn_14_10_10_keras(keras):
    model = keras.Sequential(
        [keras.Input((5, 4))] + [keras.layers.SimpleRNN(2, return_sequences=True) for _ in range(3)]
    )
    assert [layer.count_params() for layer in model.layers] == [14, 10, 10]
    assert model.count_params() == 34
    assert [tuple(layer.output.shape) for layer in model.layers] == [(None, 5, 2)] * 3


# ---------------------------------------------------------------- seed 002: by hand, and h(h+i) + h
def test_simple_rnn_three_units_on_one_feature():
    pc = rnnviz.param_count("SimpleRNN", 3, 1)
    assert pc.total == 15
    assert (pc.kernel, pc.recurrent_kernel, pc.bias) == ((1, 3), (3, 3), (3,))
    assert pc.symbolic == "h·(h+i) + h"
    assert rnnviz.output_shapes("SimpleRNN", 3, 2, 1, return_sequences=True)["output"] == (
        None,
        2,
        3,
    )


@pytest.mark.keras
def test_simple_rnn_three_units_on_one_feature_keras(keras):
    inp = keras.Input((2, 1))
    layer = keras.layers.SimpleRNN(
        3,
        kernel_initializer="random_normal",
        recurrent_initializer="random_normal",
        bias_initializer="random_normal",
        return_sequences=True,
    )
    model = keras.Model(inp, layer(inp))
    assert model.count_params() == 15
    assert tuple(model.output.shape) == (None, 2, 3)
    assert [w.shape for w in layer.get_weights()] == [(1, 3), (3, 3), (3,)]
    # The seed recomputes the prediction by hand from the weights; so does rnnviz.
    x = np.random.default_rng(0).normal(size=(1, 2, 1)).astype("float32")
    np.testing.assert_allclose(
        rnnviz.from_keras(layer).run(x).output, model.predict_on_batch(x), atol=1e-5
    )


# Reuters: 49 timesteps of 1 feature, 46 classes.
REUTERS = [
    (["SimpleRNN"], [(None, 50)]),
    (["SimpleRNN", "SimpleRNN"], [(None, 49, 50), (None, 50)]),
    (["LSTM"], [(None, 50)]),
    (["LSTM", "LSTM"], [(None, 49, 50), (None, 50)]),
]


@pytest.mark.parametrize("kinds, expected", REUTERS)
def test_reuters_models(kinds, expected):
    input_dim, shapes = 1, []
    for depth, kind in enumerate(kinds):
        last = depth == len(kinds) - 1
        shapes.append(rnnviz.output_shapes(kind, 50, 49, input_dim, return_sequences=not last))
        input_dim = 50
    assert [s["output"] for s in shapes] == expected


@pytest.mark.keras
@pytest.mark.parametrize("kinds, expected", REUTERS)
def test_reuters_models_keras(keras, kinds, expected):
    stack = [
        getattr(keras.layers, kind)(50, return_sequences=i < len(kinds) - 1)
        for i, kind in enumerate(kinds)
    ]
    dense = keras.layers.Dense(46)
    keras.Sequential([keras.Input((49, 1)), *stack, dense])
    assert [tuple(layer.output.shape) for layer in stack] == expected
    assert tuple(dense.output.shape) == (None, 46)
    ours = [rnnviz.count_params(k, 50, 1 if i == 0 else 50) for i, k in enumerate(kinds)]
    assert ours == [layer.count_params() for layer in stack]


# ---------------------------------------------------------------- seed 003: T=20, D=10, M=15, K=3
def test_rnn_parameter_arithmetic():
    pc = rnnviz.param_count("SimpleRNN", 15, 10)  # M = 15 units, D = 10 features
    assert np.prod(pc.kernel) == 150  # input to hidden
    assert np.prod(pc.recurrent_kernel) == 225  # hidden to hidden
    assert rnnviz.count_params("SimpleRNN", 15, 10, use_bias=False) == 150 + 225
    # Hidden to output (15 x 3 = 45) is a Dense layer and the feed-forward comparison
    # (T·D·T·M = 60,000, T·M·T·K = 18,000) has no rnnviz helper: checked with Keras below.


@pytest.mark.keras
def test_rnn_parameter_arithmetic_keras(keras):
    T, D, M, K = 20, 10, 15, 3
    rnn = keras.layers.SimpleRNN(M, use_bias=False)
    out = keras.layers.Dense(K, use_bias=False)
    keras.Sequential([keras.Input((T, D)), rnn, out])
    assert [w.size for w in rnn.get_weights()] == [150, 225]
    assert out.count_params() == 45
    # The feed-forward net sees the whole T x D sequence at once and emits T x K.
    hidden = keras.layers.Dense(T * M, use_bias=False)
    output = keras.layers.Dense(T * K, use_bias=False)
    keras.Sequential([keras.Input((T * D,)), hidden, output])
    assert (hidden.count_params(), output.count_params()) == (60_000, 18_000)


def test_sequence_inputs_t_by_d():
    # 5 words as 50-d vectors; 10 weather stations read every hour for a day.
    for timesteps, input_dim in ((5, 50), (24, 10)):
        x = rnnviz.data.noise(timesteps, input_dim)
        assert x.shape == (timesteps, input_dim)
        assert rnnviz.cell("LSTM", 3, input_dim).run(x).x.shape == (1, timesteps, input_dim)


T8_CASES = [  # seed 003's lstm1, lstm2, gru1, gru2 with T=8, D=2, M=3 and X of shape (1, 8, 2)
    ("LSTM", False, [(1, 3), (1, 3), (1, 3)]),
    ("LSTM", True, [(1, 8, 3), (1, 3), (1, 3)]),
    ("GRU", False, [(1, 3), (1, 3)]),
    ("GRU", True, [(1, 8, 3), (1, 3)]),
]


@pytest.mark.parametrize("kind, rs, expected", T8_CASES)
def test_t8_d2_m3(kind, rs, expected):
    x = np.random.default_rng(0).normal(size=(1, 8, 2))
    assert x.shape == (1, 8, 2)
    flags = {"return_sequences": rs, "return_state": True}
    assert list(rnnviz.output_shapes(kind, 3, 8, 2, batch=1, **flags).values()) == expected
    trace = rnnviz.cell(kind, 3, 2, **flags).run(x)
    assert [o.shape for o in trace.outputs] == expected
    # o equals h (the last step) when return_sequences is off; o[:, -1] equals h when on.
    np.testing.assert_array_equal(trace.outputs[0][:, -1] if rs else trace.outputs[0],
                                  trace.outputs[1])  # fmt: skip


@pytest.mark.keras
@pytest.mark.parametrize("kind, rs, expected", T8_CASES)
def test_t8_d2_m3_keras(keras, kind, rs, expected):
    x = np.random.default_rng(0).normal(size=(1, 8, 2))
    inp = keras.Input(shape=(8, 2))
    layer = getattr(keras.layers, kind)(3, return_sequences=rs, return_state=True)
    model = keras.Model(inp, layer(inp))
    predicted = model.predict_on_batch(x)
    assert [p.shape for p in predicted] == expected
    for ours, theirs in zip(rnnviz.trace(layer, x).outputs, predicted, strict=True):
        np.testing.assert_allclose(ours, theirs, atol=1e-5)


# ---------------------------------------------------------------- seed 004
def test_numpy_forward_pass_sizes():
    # 100 timesteps of 32 features into 64 units; Keras stores W as (input_dim, units).
    cell = rnnviz.cell("SimpleRNN", 64, 32, return_sequences=True)
    assert (cell.kernel.shape, cell.recurrent_kernel.shape, cell.bias.shape) == (
        (32, 64),
        (64, 64),
        (64,),
    )
    trace = cell.run(np.random.default_rng(0).random((100, 32)))
    assert trace.output.shape == (1, 100, 64)  # (timesteps, output_features) for one sequence


def test_embedding_and_simple_rnn_32():
    simple = rnnviz.count_params("SimpleRNN", 32, 32)
    assert simple == 2_080
    # Embedding(10000, 32) = 320,000 has no rnnviz helper (see the Keras twin of this test).
    assert 320_000 + simple == 322_080
    assert 320_000 + 4 * simple == 328_320
    shapes = rnnviz.output_shapes("SimpleRNN", 32, None, 32)
    assert shapes["output"] == (None, 32)
    assert rnnviz.output_shapes("SimpleRNN", 32, None, 32, return_sequences=True)["output"] == (
        None,
        None,
        32,
    )


@pytest.mark.keras
@pytest.mark.parametrize("depth", [1, 4])
@pytest.mark.parametrize("last_sequences", [False, True])
def test_embedding_and_simple_rnn_32_keras(keras, depth, last_sequences):
    embedding = keras.layers.Embedding(10000, 32)
    rnns = [
        keras.layers.SimpleRNN(32, return_sequences=(i < depth - 1 or last_sequences))
        for i in range(depth)
    ]
    model = keras.Sequential([keras.Input((None,), dtype="int32"), embedding, *rnns])
    assert embedding.count_params() == 320_000
    assert tuple(embedding.output.shape) == (None, None, 32)
    assert [r.count_params() for r in rnns] == [rnnviz.count_params("SimpleRNN", 32, 32)] * depth
    assert model.count_params() == {1: 322_080, 4: 328_320}[depth]
    for i, r in enumerate(rnns):
        sequences = i < depth - 1 or last_sequences
        expected = rnnviz.output_shapes("SimpleRNN", 32, None, 32, return_sequences=sequences)
        assert tuple(r.output.shape) == expected["output"]
