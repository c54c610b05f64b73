"""Train small recurrent networks, compare them, and measure how far back their gradients reach.

    build_classifier(kind, units, timesteps, input_dim)  a compiled many-to-one classifier
    build_forecaster(kind, units, timesteps, input_dim)  a compiled many-to-one regressor
    memory_bias_options(kind, units, value)               start a gated layer "remembering"
    train(model, x, y, epochs=...)                        fit quietly, with a progress bar
    Progress                                              that bar (silent outside Jupyter)
    predict(model, x), binary_scores(model, x, y)         outputs and scores without model.predict
    compare(kinds, lengths) -> Comparison                 the long-memory task at several lengths
    gradient_norms(model_or_layer, x)                     (timesteps,) ‖∂ last output / ∂ x_t‖
    recurrent_layer(model)                                the layer rnnviz.trace can read

The pictures of these results are in `rnnviz.draw` (draw_comparison, draw_histories,
draw_gradient_norms, draw_memory_unit, draw_forecast); the slider over the trained lengths is
`rnnviz.widgets.length_explorer`.

TensorFlow and Keras are imported inside the functions, so `import rnnviz.training` stays light.
Every run is seeded (`keras.utils.set_random_seed`), so it repeats on one machine; results can
still differ a little between CPUs, which is why lessons assert bounds instead of printing them.
"""

from __future__ import annotations

import base64
import gc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._checks import check_kind, check_size

_LOSS_BY_CLASSES = {True: "binary_crossentropy", False: "sparse_categorical_crossentropy"}


# --------------------------------------------------------------------------- models


def _stack(
    kind: str,
    units: int,
    timesteps: int | None,
    input_dim: int,
    layers: int,
    memory_bias: float | None = None,
) -> list:
    """Input, then `layers` recurrent layers; all but the last return sequences (to feed on)."""
    import keras

    kind = check_kind(kind)
    options: dict[str, Any] = {}
    if memory_bias is not None:
        options = memory_bias_options(kind, units, memory_bias)
    layer_class = getattr(keras.layers, kind)
    stack: list = [keras.Input(shape=(timesteps, input_dim))]
    for depth in range(layers):
        stack.append(layer_class(units, return_sequences=depth < layers - 1, **options))
    return stack


def memory_bias_options(kind: str, units: int, value: float) -> dict[str, Any]:
    """Layer options that start a gated layer "remembering": keep the old state, write little.

    GRU: the update gate z starts at bias `value`. Keras' GRU keeps z of the old state and writes
    (1 − z) of the candidate, so z ≈ σ(3) ≈ 0.95 keeps 95 % and writes 5 % (Keras starts z at
    σ(0) = 0.5: half the state replaced every step).
    LSTM: the same start, gate by gate: the forget gate at bias +value (Keras: +1, through
    `unit_forget_bias=True`) and the input gate at −value (Keras: 0).
    Every other bias starts at 0, as in Keras. SimpleRNN has no gates, so it has no such option.
    """
    kind = check_kind(kind)
    if kind == "SimpleRNN":
        raise ValueError("memory_bias needs a gated layer (LSTM or GRU); SimpleRNN has no gates")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"memory_bias must be a number; got {value!r}")

    def initializer(shape: tuple[int, ...], dtype: object = None) -> np.ndarray:
        bias = np.zeros(shape, dtype="float32")
        if kind == "LSTM":  # blocks: input, forget, candidate, output
            bias[:units] = -value
            bias[units : 2 * units] = value
        else:  # blocks: update, reset, candidate; with reset_after, row 0 is the input bias
            bias.reshape(-1, 3 * units)[0, :units] = value
        return bias

    options: dict[str, Any] = {"bias_initializer": initializer}
    if kind == "LSTM":
        options["unit_forget_bias"] = False  # it would add 1 on top of our value
    return options


def _check_model_sizes(
    units: object, timesteps: object, input_dim: object, layers: object
) -> tuple:
    return (
        check_size("units", units),
        check_size("timesteps", timesteps, allow_none=True),
        check_size("input_dim", input_dim),
        check_size("layers", layers),
    )


def build_classifier(
    kind: str,
    units: int,
    timesteps: int | None,
    input_dim: int,
    *,
    layers: int = 1,
    classes: int = 2,
    learning_rate: float = 0.01,
    memory_bias: float | None = None,
) -> Any:
    """A compiled many-to-one classifier: recurrent layer(s), then one Dense layer.

    x: (batch, timesteps, input_dim). With classes=2, y is (batch,) of 0/1 and the model outputs
    a probability (batch, 1) through a sigmoid; with more classes, y is (batch,) of class indices
    and the output is (batch, classes) through a softmax. Metric: "accuracy". memory_bias: see
    `memory_bias_options` (None keeps Keras' initial biases).
    """
    import keras

    units, timesteps, input_dim, layers = _check_model_sizes(units, timesteps, input_dim, layers)
    classes = check_size("classes", classes, minimum=2)
    head = keras.layers.Dense(1 if classes == 2 else classes, activation=_head(classes))
    stack = _stack(kind, units, timesteps, input_dim, layers, memory_bias)
    model = keras.Sequential([*stack, head])
    model.compile(
        optimizer=keras.optimizers.Adam(_check_rate(learning_rate)),
        loss=_LOSS_BY_CLASSES[classes == 2],
        metrics=["accuracy"],
    )
    return model


def _head(classes: int) -> str:
    return "sigmoid" if classes == 2 else "softmax"


def build_forecaster(
    kind: str,
    units: int,
    timesteps: int | None,
    input_dim: int,
    *,
    outputs: int | None = None,
    layers: int = 1,
    learning_rate: float = 0.01,
) -> Any:
    """A compiled many-to-one regressor: the last hidden state -> Dense(outputs), loss "mse".

    x: (batch, timesteps, input_dim) -> (batch, outputs); outputs defaults to input_dim (forecast
    every feature's next value).
    """
    import keras

    units, timesteps, input_dim, layers = _check_model_sizes(units, timesteps, input_dim, layers)
    outputs = input_dim if outputs is None else check_size("outputs", outputs)
    model = keras.Sequential(
        [*_stack(kind, units, timesteps, input_dim, layers), keras.layers.Dense(outputs)]
    )
    model.compile(optimizer=keras.optimizers.Adam(_check_rate(learning_rate)), loss="mse")
    return model


def _check_rate(learning_rate: object) -> float:
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, int | float):
        raise TypeError(f"learning_rate must be a number; got {learning_rate!r}")
    if not 0 < learning_rate < 1:
        raise ValueError(f"learning_rate must be between 0 and 1; got {learning_rate}")
    return float(learning_rate)


def recurrent_layer(model: Any, index: int = 0) -> Any:
    """The `index`-th SimpleRNN / LSTM / GRU layer of a model (the one `rnnviz.trace` can read)."""
    import keras

    found = [
        layer
        for layer in model.layers
        if isinstance(layer, keras.layers.SimpleRNN | keras.layers.LSTM | keras.layers.GRU)
    ]
    if not -len(found) <= index < len(found):
        raise ValueError(f"index={index}, but the model has {len(found)} recurrent layer(s)")
    return found[index]


# --------------------------------------------------------------------------- progress


def _in_notebook() -> bool:
    """True inside a Jupyter kernel (where a widget can be shown), False in scripts and tests."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return False
    shell = get_ipython()
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


class Progress:
    """A progress bar over `total` steps (epochs, usually): a live ipywidgets bar in a notebook.

    `show=None` shows it only inside a Jupyter kernel; elsewhere (scripts, tests) it stays silent
    but still counts. Where widgets are not live (a saved notebook in a static viewer) the cell
    shows the `label` as text, which is the same on every run.
    """

    def __init__(self, total: int, *, label: str = "training", show: bool | None = None) -> None:
        self.total = check_size("total", total)
        self.label = str(label)
        self.value = 0
        self.status = ""
        self.bar = None
        self._text = None
        if _in_notebook() if show is None else show:
            self._show()

    def _show(self) -> None:
        import ipywidgets as widgets
        from IPython.display import display

        self.bar = widgets.IntProgress(value=0, min=0, max=self.total, bar_style="info")
        self._text = widgets.HTML(value=self._describe())
        self._box = widgets.HBox([self.bar, self._text])
        self._handle = display(self._bundle(), raw=True, display_id=True)

    def _bundle(self, picture: bytes | None = None) -> dict[str, Any]:
        """The widget view, the label as text and, once finished, a PNG of the full bar."""
        view = {"version_major": 2, "version_minor": 0, "model_id": self._box.model_id}
        bundle: dict[str, Any] = {
            "application/vnd.jupyter.widget-view+json": view,
            "text/plain": self.label,
        }
        if picture is not None:
            bundle["image/png"] = base64.b64encode(picture).decode("ascii")
        return bundle

    def _describe(self) -> str:
        status = f" · {self.status}" if self.status else ""
        return f"{self.label}: {self.value}/{self.total}{status}"

    def advance(self, steps: int = 1, *, status: str | None = None) -> None:
        """Move the bar `steps` forward (never past the end) and optionally change the status."""
        self.value = min(self.total, self.value + check_size("steps", steps, minimum=0))
        if status is not None:
            self.status = status
        if self.bar is not None:
            self.bar.value = self.value
            self._text.value = self._describe()

    def finish(self, status: str = "done") -> None:
        """Fill the bar and show `status`."""
        self.advance(self.total - self.value, status=status)
        if self.bar is not None:
            self.bar.bar_style = "success"
            # A saved notebook opened without live widgets shows this picture of the full bar.
            from .draw.style import to_png
            from .draw.training import draw_progress

            self._handle.update(self._bundle(to_png(draw_progress(self._describe()))), raw=True)


def progress_callback(progress: Progress, *, epochs: int, status: str = "") -> Any:
    """A Keras callback that advances `progress` once per epoch (and to `epochs` when fit stops)."""
    import keras

    class _ProgressCallback(keras.callbacks.Callback):
        def on_train_begin(self, logs: dict | None = None) -> None:
            self.start = progress.value
            progress.advance(0, status=status)

        def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
            progress.advance(1)

        def on_train_end(self, logs: dict | None = None) -> None:
            # An early stop skips the remaining epochs: count them as done.
            progress.advance(max(0, self.start + epochs - progress.value))

    return _ProgressCallback()


def stop_at_accuracy(threshold: float) -> Any:
    """A Keras callback that stops training once the epoch's training accuracy reaches threshold."""
    import keras

    if not 0 < threshold <= 1:
        raise ValueError(f"stop_at must be an accuracy in (0, 1]; got {threshold}")

    class _StopAtAccuracy(keras.callbacks.Callback):
        def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
            if (logs or {}).get("accuracy", 0.0) >= threshold:
                self.model.stop_training = True

    return _StopAtAccuracy()


def train(
    model: Any,
    x: np.ndarray,
    y: np.ndarray,
    *,
    epochs: int,
    batch_size: int = 32,
    validation_data: tuple[np.ndarray, np.ndarray] | None = None,
    stop_at: float | None = None,
    progress: bool | Progress = True,
    label: str = "training",
) -> dict[str, list[float]]:
    """Fit `model` on (x, y) with Keras' own printing off; returns the history, metric -> per epoch.

    progress=True shows a bar in a notebook (silent elsewhere); pass a `Progress` to share one bar
    between several runs, or False for none. stop_at=0.99 ends training early once the training
    accuracy reaches 99 % (classifiers only).
    """
    epochs = check_size("epochs", epochs)
    batch_size = check_size("batch_size", batch_size)
    x, y = np.asarray(x, dtype=np.float32), np.asarray(y, dtype=np.float32)
    if x.ndim != 3:
        raise ValueError(f"x must have shape (batch, timesteps, input_dim); got shape {x.shape}")
    if len(y) != len(x):
        raise ValueError(f"x and y must have the same number of samples; got {len(x)} and {len(y)}")
    if isinstance(progress, Progress):
        bar = progress
    else:
        bar = Progress(epochs, label=label, show=None if progress else False)
    callbacks = [progress_callback(bar, epochs=epochs, status=label)]
    if stop_at is not None:
        callbacks.append(stop_at_accuracy(stop_at))
    history = model.fit(
        x,
        y,
        epochs=epochs,
        batch_size=batch_size,
        validation_data=validation_data,
        callbacks=callbacks,
        verbose=0,
    )
    if not isinstance(progress, Progress):
        bar.finish()
    return {name: [float(v) for v in values] for name, values in history.history.items()}


# --------------------------------------------------------------------------- the long-memory task


@dataclass(repr=False)
class Comparison:
    """Accuracy and loss of each kind at each sequence length, on samples not used for training.

    accuracy, loss   (kind, timesteps) -> float
    histories        (kind, timesteps) -> {"loss": [...], "accuracy": [...]} per epoch
    models           (kind, timesteps) -> the trained Keras model (those `compare` kept)
    """

    kinds: tuple[str, ...]
    lengths: tuple[int, ...]
    accuracy: dict[tuple[str, int], float] = field(default_factory=dict)
    loss: dict[tuple[str, int], float] = field(default_factory=dict)
    histories: dict[tuple[str, int], dict[str, list[float]]] = field(default_factory=dict)
    models: dict[tuple[str, int], Any] = field(default_factory=dict)

    def rows(self) -> list[tuple[str, int, float, float]]:
        """(kind, timesteps, accuracy, loss) for every trained pair, in training order."""
        return [(k, t, self.accuracy[k, t], self.loss[k, t]) for k, t in self.accuracy]

    def table(self, digits: int = 2) -> str:
        """Accuracy as text: one row per kind, one column per length."""
        head = "kind".ljust(10) + "".join(f"T={t}".rjust(8) for t in self.lengths)
        lines = [head]
        for kind in self.kinds:
            cells = "".join(f"{self.accuracy[kind, t]:.{digits}f}".rjust(8) for t in self.lengths)
            lines.append(kind.ljust(10) + cells)
        return "\n".join(lines)

    def __repr__(self) -> str:
        return "test accuracy\n" + self.table()

    def _repr_html_(self) -> str:
        head = "".join(f"<th>timesteps = {t}</th>" for t in self.lengths)
        body = "".join(
            f"<tr><th>{kind}</th>"
            + "".join(f"<td>{self.accuracy[kind, t]:.2f}</td>" for t in self.lengths)
            + "</tr>"
            for kind in self.kinds
        )
        return f"<table><tr><th>accuracy</th>{head}</tr>{body}</table>"


def compare(
    kinds: Sequence[str] = ("SimpleRNN", "LSTM", "GRU"),
    lengths: Sequence[int] = (5, 10, 20, 40),
    *,
    task: Callable[..., tuple[np.ndarray, np.ndarray]] | None = None,
    units: int = 16,
    samples: int = 512,
    test_samples: int = 500,
    epochs: int = 30,
    batch_size: int = 32,
    learning_rate: float = 0.01,
    stop_at: float | None = 0.99,
    memory_bias: float | None = None,
    seed: int = 0,
    progress: bool = True,
    keep_models: bool | Sequence[int] = True,
) -> Comparison:
    """Train one classifier per (kind, length) on a long-memory task; test on fresh samples.

    task(samples, timesteps, seed=...) -> (x, y) makes the data; the default is
    `rnnviz.data.remember_first` (the label is the sign of the first step, then noise).
    memory_bias applies to the gated kinds only (see `memory_bias_options`). Every model starts
    from the same seed; training stops early once its training accuracy reaches `stop_at`.
    keep_models: True keeps every trained model in `result.models`, False none, a sequence of
    lengths the models of those lengths only; the others are freed as soon as they are scored,
    which keeps memory low on a small machine (Binder: 2 GB).
    """
    import keras

    from .data import remember_first

    kinds = tuple(check_kind(k) for k in kinds)
    lengths = tuple(check_size("lengths", t, minimum=2) for t in lengths)
    if not kinds or not lengths:
        raise ValueError(f"kinds and lengths must not be empty; got {kinds} and {lengths}")
    epochs = check_size("epochs", epochs)
    kept = _kept_lengths(keep_models, lengths)
    task = remember_first if task is None else task
    result = Comparison(kinds, lengths)
    bar = Progress(
        epochs * len(kinds) * len(lengths),
        label=f"training {len(kinds) * len(lengths)} models",
        show=None if progress else False,
    )
    for timesteps in lengths:
        x, y = task(samples, timesteps, seed=seed)
        x_test, y_test = task(test_samples, timesteps, seed=seed + 1)
        for kind in kinds:
            keras.utils.set_random_seed(seed)
            model = build_classifier(
                kind,
                units,
                timesteps,
                x.shape[-1],
                learning_rate=learning_rate,
                memory_bias=None if kind == "SimpleRNN" else memory_bias,
            )
            history = train(
                model,
                x,
                y,
                epochs=epochs,
                batch_size=batch_size,
                stop_at=stop_at,
                progress=bar,
                label=f"{kind}, timesteps={timesteps}",
            )
            key = (kind, timesteps)
            result.accuracy[key], result.loss[key] = binary_scores(model, x_test, y_test)
            result.histories[key] = history
            if timesteps in kept:
                result.models[key] = model
            del model
        gc.collect()  # free the models not kept before the next length is trained
    bar.finish()
    return result


def _kept_lengths(keep_models: object, lengths: tuple[int, ...]) -> tuple[int, ...]:
    """The lengths whose models `compare` keeps, checked against the lengths it trains."""
    if keep_models is True or keep_models is False:
        return lengths if keep_models else ()
    if isinstance(keep_models, str) or not isinstance(keep_models, Sequence):
        raise TypeError(
            f"keep_models must be True, False or a sequence of lengths; got {keep_models!r}"
        )
    missing = [t for t in keep_models if t not in lengths]
    if missing:
        raise ValueError(
            f"keep_models must name trained lengths {lengths}; got {tuple(keep_models)}"
        )
    return tuple(keep_models)


def predict(model: Any, x: np.ndarray) -> np.ndarray:
    """`model(x)` as a numpy array: like `model.predict`, without compiling a predict function
    per model (which, for many small models in a row, makes TensorFlow warn about retracing)."""
    import keras

    return keras.ops.convert_to_numpy(model(np.asarray(x, dtype=np.float32), training=False))


def binary_scores(model: Any, x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(accuracy, binary cross-entropy) of a sigmoid classifier on (x, y).

    Calls the model directly instead of `model.evaluate`: no compiled test function per model, so
    no TensorFlow "retracing" warning when many models are scored in a row.
    """
    p = np.clip(predict(model, x).reshape(-1).astype(np.float64), 1e-7, 1 - 1e-7)
    y = np.asarray(y, dtype=np.float64).reshape(-1)
    accuracy = float(np.mean((p > 0.5) == (y > 0.5)))
    loss = float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
    return accuracy, loss


# --------------------------------------------------------------------------- gradients in time


def gradient_norms(model_or_layer: Any, x: np.ndarray) -> np.ndarray:
    """How strongly the last output depends on each input step: (timesteps,).

    For every sample, the Jacobian of the last output (a model's output, or a recurrent layer's
    last hidden state) with respect to x_t, its Frobenius norm per step t, averaged over the
    batch. x: (batch, timesteps, input_dim). Small values at early t = vanishing gradients.
    """
    import tensorflow as tf

    x = np.asarray(x, dtype=np.float32)
    if x.ndim != 3:
        raise ValueError(f"x must have shape (batch, timesteps, input_dim); got shape {x.shape}")
    if not callable(model_or_layer):
        raise TypeError(f"model_or_layer must be a Keras model or layer; got {model_or_layer!r}")
    inputs = tf.constant(x)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(inputs)
        out = model_or_layer(inputs)
        if isinstance(out, list | tuple):  # return_state=True: the output comes first
            out = out[0]
        if len(out.shape) == 3:  # return_sequences=True: the last step's output
            out = out[:, -1]
        out = tf.reshape(out, (x.shape[0], -1))  # (batch, outputs)
    # One backward pass per output unit k gives row k of every sample's Jacobian at once
    # (samples do not interact); sum the squares over units and input features.
    squares = tf.zeros(x.shape[:2], dtype=tf.float32)
    for k in range(out.shape[1]):
        pick = tf.one_hot(tf.fill([x.shape[0]], k), out.shape[1], dtype=out.dtype)
        row = tape.gradient(out, inputs, output_gradients=pick)  # (batch, timesteps, input_dim)
        squares += tf.reduce_sum(tf.square(row), axis=2)
    del tape
    return tf.reduce_mean(tf.sqrt(squares), axis=0).numpy()
