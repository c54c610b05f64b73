"""rnnviz.training: model builders, the progress bar, compare() and gradient_norms(); the
pictures of their results (rnnviz.draw.training) and the LengthExplorer (rnnviz.widgets).

Models here are tiny and train for a few epochs: these tests check shapes, wiring and arithmetic,
not how well anything learns (the lesson asserts that).
"""

from __future__ import annotations

import base64
import subprocess
import sys

import numpy as np
import pytest

from rnnviz import count_params
from rnnviz.draw import draw_comparison, draw_gradient_norms
from rnnviz.training import Comparison, Progress

KINDS = ("SimpleRNN", "LSTM", "GRU")


@pytest.mark.parametrize(
    "module", ["rnnviz.training", "rnnviz.draw.training", "rnnviz.widgets.length_explorer"]
)
def test_import_stays_free_of_tensorflow(module: str) -> None:
    code = (
        f"import sys, {module}; "
        "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_pictures_and_explorer_live_outside_the_training_module() -> None:
    import rnnviz.draw
    import rnnviz.training
    import rnnviz.widgets
    from rnnviz.widgets.length_explorer import LengthExplorer

    assert rnnviz.widgets.LengthExplorer is LengthExplorer
    for name in ("draw_comparison", "draw_histories", "draw_gradient_norms", "draw_memory_unit"):
        assert getattr(rnnviz.draw, name).__module__ == "rnnviz.draw.training"
        assert not hasattr(rnnviz.training, name)


# --------------------------------------------------------------------------- progress bar


def test_progress_counts_silently_outside_a_notebook(capsys: pytest.CaptureFixture) -> None:
    bar = Progress(5, label="training")
    bar.advance(2, status="LSTM")
    assert (bar.value, bar.status, bar.bar) == (2, "LSTM", None)
    bar.advance(10)  # never past the end
    assert bar.value == 5
    bar.finish("done")
    assert capsys.readouterr() == ("", "")


def test_progress_widget_follows_the_count(monkeypatch: pytest.MonkeyPatch) -> None:
    shown, updates = [], []

    class Handle:
        def update(self, obj: dict, raw: bool = False) -> None:
            updates.append(obj)

    def display(obj: dict, raw: bool = False, display_id: bool = False) -> Handle:
        shown.append(obj)
        return Handle()

    monkeypatch.setattr("IPython.display.display", display)
    bar = Progress(4, label="training 2 models", show=True)
    (bundle,) = shown
    assert "image/png" not in bundle  # nothing to show until it is finished
    assert bundle["text/plain"] == "training 2 models"  # what a static viewer shows: stable
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"]
    bar.advance(3, status="GRU")
    assert (bar.bar.value, bar.bar.max) == (3, 4)
    assert bar._text.value == "training 2 models: 3/4 · GRU"
    bar.finish()
    assert (bar.bar.value, bar.bar.bar_style) == (4, "success")
    (final,) = updates  # the saved output: the same widget view, and a picture of the full bar
    assert (
        final["application/vnd.jupyter.widget-view+json"]
        == bundle["application/vnd.jupyter.widget-view+json"]
    )
    assert base64.b64decode(final["image/png"])[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [((0,), ValueError, "total must be >= 1"), ((2.5,), TypeError, "total must be a whole")],
)
def test_progress_rejects_bad_totals(args: tuple, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        Progress(*args)


# --------------------------------------------------------------------------- models


@pytest.mark.keras
@pytest.mark.parametrize("kind", KINDS)
def test_classifier_shapes_and_parameters(keras, kind: str) -> None:
    from rnnviz.training import build_classifier, recurrent_layer

    model = build_classifier(kind, 3, 5, 2)
    assert model.output_shape == (None, 1)
    assert recurrent_layer(model).count_params() == count_params(kind, 3, 2)
    many = build_classifier(kind.lower(), 4, None, 3, layers=2, classes=6)
    assert many.output_shape == (None, 6)
    first, second = recurrent_layer(many, 0), recurrent_layer(many, 1)
    assert first.return_sequences and not second.return_sequences
    assert second.count_params() == count_params(kind, 4, 4)
    assert many.loss == "sparse_categorical_crossentropy"


@pytest.mark.keras
def test_forecaster_predicts_every_feature_by_default(keras) -> None:
    from rnnviz.training import build_forecaster

    assert build_forecaster("LSTM", 4, 12, 5).output_shape == (None, 5)
    assert build_forecaster("GRU", 4, 12, 5, outputs=1).output_shape == (None, 1)


@pytest.mark.keras
@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"kind": "RNN"}, ValueError, "kind must be one of 'SimpleRNN', 'LSTM', 'GRU'"),
        ({"units": 0}, ValueError, "units must be >= 1; got 0"),
        ({"timesteps": 2.0}, TypeError, "timesteps must be a whole number"),
        ({"layers": 0}, ValueError, "layers must be >= 1"),
        ({"classes": 1}, ValueError, "classes must be >= 2; got 1"),
        ({"learning_rate": 5}, ValueError, "learning_rate must be between 0 and 1; got 5"),
        ({"learning_rate": "fast"}, TypeError, "learning_rate must be a number"),
    ],
)
def test_classifier_argument_errors(keras, kwargs: dict, error: type, match: str) -> None:
    from rnnviz.training import build_classifier

    args = {"kind": "LSTM", "units": 2, "timesteps": 3, "input_dim": 1} | kwargs
    with pytest.raises(error, match=match):
        build_classifier(**args)


@pytest.mark.keras
def test_recurrent_layer_index_error(keras) -> None:
    from rnnviz.training import build_classifier, recurrent_layer

    with pytest.raises(ValueError, match="index=1, but the model has 1 recurrent layer"):
        recurrent_layer(build_classifier("GRU", 2, 3, 1), 1)


# --------------------------------------------------------------------------- training


def _tiny_task(samples: int = 64, timesteps: int = 4) -> tuple[np.ndarray, np.ndarray]:
    from rnnviz.data import remember_first

    return remember_first(samples, timesteps, seed=3)


@pytest.mark.keras
def test_train_advances_a_shared_bar_once_per_epoch(keras) -> None:
    from rnnviz.training import build_classifier, train

    x, y = _tiny_task()
    bar = Progress(5, show=False)
    history = train(build_classifier("SimpleRNN", 3, 4, 2), x, y, epochs=3, progress=bar)
    assert set(history) == {"loss", "accuracy"}
    assert len(history["loss"]) == 3
    assert bar.value == 3
    assert bar.status == "training"


@pytest.mark.keras
def test_an_early_stop_still_fills_the_bar(keras) -> None:
    from rnnviz.training import build_classifier, train

    x, y = _tiny_task()
    bar = Progress(6, show=False)
    # Any accuracy reaches 1 %: training stops after the first epoch of four.
    history = train(build_classifier("GRU", 3, 4, 2), x, y, epochs=4, stop_at=0.01, progress=bar)
    assert len(history["loss"]) == 1
    assert bar.value == 4


@pytest.mark.keras
def test_train_is_silent_and_repeatable(keras, capsys: pytest.CaptureFixture) -> None:
    from rnnviz.training import build_classifier, train

    x, y = _tiny_task()
    losses = []
    for _ in range(2):
        keras.utils.set_random_seed(7)
        losses.append(train(build_classifier("LSTM", 3, 4, 2), x, y, epochs=2)["loss"])
    assert losses[0] == losses[1]
    assert capsys.readouterr() == ("", "")


@pytest.mark.keras
@pytest.mark.parametrize(
    ("x_shape", "y_len", "kwargs", "match"),
    [
        ((8, 4), 8, {}, r"x must have shape \(batch, timesteps, input_dim\); got shape \(8, 4\)"),
        ((8, 4, 2), 7, {}, "same number of samples; got 8 and 7"),
        ((8, 4, 2), 8, {"stop_at": 1.5}, r"stop_at must be an accuracy in \(0, 1\]; got 1.5"),
        ((8, 4, 2), 8, {"epochs": 0}, "epochs must be >= 1; got 0"),
    ],
)
def test_train_argument_errors(keras, x_shape: tuple, y_len: int, kwargs: dict, match: str) -> None:
    from rnnviz.training import build_classifier, train

    args = {"epochs": 1, "progress": False} | kwargs
    with pytest.raises(ValueError, match=match):
        train(build_classifier("SimpleRNN", 2, 4, 2), np.zeros(x_shape), np.zeros(y_len), **args)


@pytest.mark.keras
def test_compare_fills_every_cell_and_draws(keras) -> None:
    from rnnviz.training import compare
    from rnnviz.widgets import LengthExplorer

    sizes = {"samples": 32, "test_samples": 16, "epochs": 2, "units": 2}
    result = compare(("SimpleRNN", "gru"), (3, 5), **sizes, keep_models=[5])
    assert isinstance(result, Comparison)
    assert result.kinds == ("SimpleRNN", "GRU")
    keys = [(k, t) for t in (3, 5) for k in ("SimpleRNN", "GRU")]
    assert list(result.accuracy) == keys
    assert all(0.0 <= result.accuracy[key] <= 1.0 for key in keys)
    assert all(1 <= len(result.histories[key]["loss"]) <= 2 for key in keys)
    assert result.models["GRU", 5].input_shape == (None, 5, 2)
    assert set(result.models) == {("SimpleRNN", 5), ("GRU", 5)}  # the length-3 models are freed
    assert result.table().splitlines()[0].split() == ["kind", "T=3", "T=5"]
    assert len(result.rows()) == 4
    fig = draw_comparison(result, timesteps=3)
    assert fig.axes[1].get_title() == "timesteps = 3"
    explorer = LengthExplorer(result)
    assert explorer.controls["timesteps"].value == 5
    explorer.controls["timesteps"].value = 3
    assert explorer.error is None
    assert explorer.picture.timesteps == 3
    assert explorer.accuracy("gru") == result.accuracy["GRU", 3]
    assert explorer.summary().startswith("timesteps = 3:")
    bundle = explorer._repr_mimebundle_()
    assert bundle["image/png"] and bundle["text/plain"].startswith("LengthExplorer(timesteps=3)")


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"kinds": ("LSTM", "RNN")}, ValueError, "kind must be one of"),
        ({"lengths": (5, 1)}, ValueError, "lengths must be >= 2; got 1"),
        ({"kinds": ()}, ValueError, "kinds and lengths must not be empty"),
        ({"keep_models": (5, 7)}, ValueError, r"trained lengths \(5, 10\); got \(5, 7\)"),
        ({"keep_models": "all"}, TypeError, "keep_models must be True, False or a sequence"),
    ],
)
def test_compare_argument_errors(kwargs: dict, error: type, match: str) -> None:
    # Checked before TensorFlow is needed, so no keras mark.
    from rnnviz.training import compare

    with pytest.raises(error, match=match):
        compare(**({"lengths": (5, 10)} | kwargs), progress=False)


def test_comparison_picture_rejects_untrained_lengths() -> None:
    result = Comparison(("LSTM",), (5, 10), accuracy={("LSTM", 5): 0.9, ("LSTM", 10): 0.6})
    fig = draw_comparison(result)
    assert fig.axes[1].get_title() == "timesteps = 10"
    with pytest.raises(ValueError, match=r"one of the trained lengths \(5, 10\); got 7"):
        draw_comparison(result, timesteps=7)


# --------------------------------------------------------------------------- gradients in time


def _finite_difference_norms(f, x: np.ndarray, eps: float = 1e-3) -> np.ndarray:
    """The same quantity as gradient_norms, by central differences in float64 arithmetic."""
    batch, timesteps, input_dim = x.shape
    norms = np.zeros((batch, timesteps))
    for t in range(timesteps):
        columns = []
        for i in range(input_dim):
            up, down = x.copy(), x.copy()
            up[:, t, i] += eps
            down[:, t, i] -= eps
            columns.append((f(up) - f(down)) / (2 * eps))  # (batch, outputs)
        norms[:, t] = np.sqrt(sum(np.sum(c**2, axis=1) for c in columns))
    return norms.mean(axis=0)


@pytest.mark.keras
@pytest.mark.parametrize("kind", KINDS)
def test_gradient_norms_equal_finite_differences(keras, kind: str) -> None:
    from rnnviz import from_keras
    from rnnviz.training import build_classifier, gradient_norms, recurrent_layer

    keras.utils.set_random_seed(1)
    model = build_classifier(kind, 3, 6, 2)
    layer = recurrent_layer(model)
    x = np.random.default_rng(0).normal(size=(4, 6, 2))
    cell = from_keras(layer)  # the numpy twin runs in float64: clean finite differences
    last_h = lambda xs: cell.run(xs).h[:, -1]  # noqa: E731
    norms = gradient_norms(layer, x)
    assert norms.shape == (6,)
    np.testing.assert_allclose(norms, _finite_difference_norms(last_h, x), rtol=2e-3)
    # The whole model: the Jacobian of the sigmoid output, through the Dense layer.
    dense_w, dense_b = (np.asarray(w, dtype=np.float64) for w in model.layers[-1].get_weights())
    prob = lambda xs: 1 / (1 + np.exp(-(last_h(xs) @ dense_w + dense_b)))  # noqa: E731
    np.testing.assert_allclose(
        gradient_norms(model, x), _finite_difference_norms(prob, x), rtol=2e-3
    )


@pytest.mark.keras
def test_gradient_norms_of_a_sequence_layer_use_the_last_step(keras) -> None:
    from rnnviz.training import gradient_norms

    keras.utils.set_random_seed(2)
    x = np.random.default_rng(1).normal(size=(3, 5, 2)).astype(np.float32)
    seq = keras.layers.LSTM(4, return_sequences=True, return_state=True)
    seq(x)
    last = keras.layers.LSTM(4)
    last(x)
    last.set_weights(seq.get_weights())
    np.testing.assert_allclose(gradient_norms(seq, x), gradient_norms(last, x), rtol=1e-5)


@pytest.mark.keras
def test_gradient_norms_argument_errors(keras) -> None:
    from rnnviz.training import gradient_norms

    with pytest.raises(ValueError, match=r"x must have shape .*got shape \(5, 2\)"):
        gradient_norms(keras.layers.GRU(2), np.zeros((5, 2)))
    with pytest.raises(TypeError, match="must be a Keras model or layer; got 3"):
        gradient_norms(3, np.zeros((1, 5, 2)))


def test_gradient_picture_labels_both_panels() -> None:
    steps = np.arange(1, 11, dtype=float)
    before = {"SimpleRNN": 0.5 ** steps[::-1], "LSTM": 0.8 ** steps[::-1]}
    after = {"SimpleRNN": 0.4 ** steps[::-1], "LSTM": np.ones(10)}
    fig = draw_gradient_norms(before, after, task="after training")
    left, right = fig.axes
    assert (left.get_title(), right.get_title()) == ("before training", "after training")
    assert left.get_yscale() == "log"
    assert [t.get_text() for t in right.get_legend().get_texts()] == ["SimpleRNN", "LSTM"]


# --------------------------------------------------------------------------- memory bias, scores


@pytest.mark.keras
@pytest.mark.parametrize("kind", ["LSTM", "GRU"])
def test_memory_bias_starts_only_the_keep_gate(keras, kind: str) -> None:
    from rnnviz import from_keras
    from rnnviz.training import build_classifier, recurrent_layer

    layer = recurrent_layer(build_classifier(kind, 3, 4, 2, memory_bias=2.5))
    x = np.random.default_rng(0).normal(size=(2, 4, 2))
    # With zero weights every gate is σ(its bias).
    kernel, recurrent, bias = layer.get_weights()
    layer.set_weights([np.zeros_like(kernel), np.zeros_like(recurrent), bias])
    gates = from_keras(layer).run(x).gates
    sigmoid = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    expected = (
        {"forget": sigmoid(2.5), "input": sigmoid(-2.5), "output": 0.5}
        if kind == "LSTM"
        else {"update": sigmoid(2.5), "reset": 0.5}
    )
    for name, value in expected.items():
        np.testing.assert_allclose(gates[name], value, rtol=1e-6, err_msg=name)


@pytest.mark.keras
def test_memory_bias_errors(keras) -> None:
    from rnnviz.training import build_classifier, memory_bias_options

    with pytest.raises(ValueError, match="memory_bias needs a gated layer"):
        build_classifier("SimpleRNN", 2, 3, 1, memory_bias=1.0)
    with pytest.raises(TypeError, match="memory_bias must be a number; got 'high'"):
        memory_bias_options("GRU", 2, "high")


@pytest.mark.keras
def test_binary_scores_equal_keras_evaluate(keras) -> None:
    from rnnviz.training import binary_scores, build_classifier, predict

    keras.utils.set_random_seed(4)
    model = build_classifier("GRU", 3, 4, 2)
    x, y = _tiny_task(40)
    loss, accuracy = model.evaluate(x, y, verbose=0)
    np.testing.assert_allclose(binary_scores(model, x, y), (accuracy, loss), rtol=1e-4)
    assert predict(model, x).shape == (40, 1)


def test_memory_unit_and_forecast_pictures() -> None:
    from rnnviz import cell
    from rnnviz.draw import draw_forecast, draw_memory_unit

    x, y = _tiny_task(12, 6)
    trace = cell("LSTM", 3, 2, seed=1).run(x)
    fig = draw_memory_unit(trace, y, 2, samples=5)
    assert len(fig.axes[0].lines) == 5 + 2 + 1  # samples, two legend entries, the zero line
    with pytest.raises(ValueError, match=r"unit must be in 0\.\.2; got 3"):
        draw_memory_unit(trace, y, 3)
    with pytest.raises(ValueError, match="needs an LSTM trace"):
        draw_memory_unit(cell("GRU", 3, 2).run(x), y, 0)
    dates = np.arange("2020-01", "2020-07", dtype="datetime64[M]")
    fig = draw_forecast(dates, np.zeros(6), {"LSTM": np.ones(6)}, name="IBM", errors={"LSTM": 0.9})
    assert [ax.get_title() for ax in fig.axes][1] == "test error ÷ error\nof the naive forecast"
