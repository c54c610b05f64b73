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
    pictures: draw_comparison (ComparisonPicture), draw_histories, draw_gradient_norms,
              draw_memory_unit, draw_forecast; length_explorer(comparison): a slider over lengths

TensorFlow and Keras are imported inside the functions, so `import rnnviz.training` stays light.
Every run is seeded (`keras.utils.set_random_seed`), so it repeats on one machine; results can
still differ a little between CPUs, which is why lessons assert bounds instead of printing them.
"""

from __future__ import annotations

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
        box = widgets.HBox([self.bar, self._text])
        view = {"version_major": 2, "version_minor": 0, "model_id": box.model_id}
        bundle = {"application/vnd.jupyter.widget-view+json": view, "text/plain": self.label}
        display(bundle, raw=True)

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
    models           (kind, timesteps) -> the trained Keras model
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
) -> Comparison:
    """Train one classifier per (kind, length) on a long-memory task; test on fresh samples.

    task(samples, timesteps, seed=...) -> (x, y) makes the data; the default is
    `rnnviz.data.remember_first` (the label is the sign of the first step, then noise).
    memory_bias applies to the gated kinds only (see `memory_bias_options`). Every model starts
    from the same seed; training stops early once its training accuracy reaches `stop_at`.
    """
    import keras

    from .data import remember_first

    kinds = tuple(check_kind(k) for k in kinds)
    lengths = tuple(check_size("lengths", t, minimum=2) for t in lengths)
    if not kinds or not lengths:
        raise ValueError(f"kinds and lengths must not be empty; got {kinds} and {lengths}")
    epochs = check_size("epochs", epochs)
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
            result.histories[key], result.models[key] = history, model
    bar.finish()
    return result


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


# --------------------------------------------------------------------------- pictures

KIND_COLORS = {"SimpleRNN": "#D55E00", "LSTM": "#0072B2", "GRU": "#009E73"}  # Okabe–Ito
KIND_MARKERS = {"SimpleRNN": "o", "LSTM": "s", "GRU": "^"}


def _figure(width: float, height: float) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def draw_comparison(comparison: Comparison, *, timesteps: int | None = None) -> Any:
    """Accuracy against sequence length per kind (left) and the bars at one length (right)."""
    return ComparisonPicture(comparison, timesteps=timesteps).figure


class ComparisonPicture:
    """The comparison as a picture; `update(timesteps=...)` moves the selected length in place."""

    def __init__(self, comparison: Comparison, *, timesteps: int | None = None) -> None:
        self.comparison = comparison
        self.figure = _figure(9.5, 3.6)
        self.lines_ax, self.bars_ax = self.figure.subplots(1, 2, width_ratios=(1.6, 1))
        lengths = comparison.lengths
        ax = self.lines_ax
        for kind in comparison.kinds:
            ax.plot(
                range(len(lengths)),
                [comparison.accuracy[kind, t] for t in lengths],
                marker=KIND_MARKERS.get(kind, "o"),
                color=KIND_COLORS.get(kind),
                lw=2,
                label=kind,
            )
        ax.axhline(0.5, color="#8c8c8c", ls="--", lw=1)
        ax.text(
            (len(lengths) - 1) / 2,
            0.48,
            "chance (a coin flip)",
            ha="center",
            va="top",
            color="#555555",
            fontsize=10,
        )
        ax.set_xticks(range(len(lengths)), [str(t) for t in lengths])
        ax.set_xlabel("timesteps (1 signal step, then noise)")
        ax.set_ylabel("test accuracy")
        ax.set_ylim(0.3, 1.05)
        ax.set_title("Remember the first step: accuracy by length")
        ax.legend(loc="lower left", fontsize=10)
        ax.grid(alpha=0.3)
        self.cursor = ax.axvspan(-0.25, 0.25, color="#f0e442", alpha=0.35, zorder=0)
        self.bars = self.bars_ax.bar(
            comparison.kinds,
            [0.0] * len(comparison.kinds),
            color=[KIND_COLORS.get(k, "#555555") for k in comparison.kinds],
        )
        self.bar_labels = [
            self.bars_ax.text(i, 0.0, "", ha="center", va="bottom", fontsize=11)
            for i in range(len(comparison.kinds))
        ]
        self.bars_ax.axhline(0.5, color="#8c8c8c", ls="--", lw=1)
        self.bars_ax.set_ylim(0.0, 1.15)
        self.bars_ax.set_ylabel("test accuracy")
        self.timesteps = None
        self.update(timesteps=lengths[-1] if timesteps is None else timesteps)

    def update(self, timesteps: int) -> ComparisonPicture:
        """Select another trained length: moves the highlight and redraws the bars."""
        lengths = self.comparison.lengths
        if timesteps not in lengths:
            raise ValueError(
                f"timesteps must be one of the trained lengths {lengths}; got {timesteps}"
            )
        self.timesteps = timesteps
        i = lengths.index(timesteps)
        self.cursor.set_x(i - 0.25)
        for k, kind in enumerate(self.comparison.kinds):
            value = self.comparison.accuracy[kind, timesteps]
            self.bars[k].set_height(value)
            self.bar_labels[k].set_position((k, value + 0.02))
            self.bar_labels[k].set_text(f"{value:.2f}")
        self.bars_ax.set_title(f"timesteps = {timesteps}")
        return self


def draw_histories(
    histories: dict[str, dict[str, list[float]]], *, metric: str = "loss", title: str = ""
) -> Any:
    """One curve per run of `metric` per epoch (dashed: the validation curve, if recorded)."""
    from matplotlib.ticker import MaxNLocator

    fig = _figure(7.0, 3.4)
    ax = fig.add_subplot()
    for label, history in histories.items():
        kind = next((k for k in KIND_COLORS if label.startswith(k)), None)
        color = KIND_COLORS.get(kind)
        epochs = np.arange(1, len(history[metric]) + 1)
        validated = f"val_{metric}" in history
        name = f"{label} (training)" if validated else label
        ax.plot(epochs, history[metric], color=color, lw=2, label=name)
        if validated:
            ax.plot(
                epochs,
                history[f"val_{metric}"],
                color=color,
                lw=1.5,
                ls="--",
                label=f"{label} (validation)",
            )
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric)
    ax.set_title(title or f"{metric} during training")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=9, loc="best")
    return fig


def draw_gradient_norms(
    before: dict[str, np.ndarray], after: dict[str, np.ndarray], *, task: str = "training"
) -> Any:
    """Per-step gradient norm (log scale) for each kind, before and after training, side by side.

    before, after: kind -> (timesteps,) from `gradient_norms`.
    """
    fig = _figure(10.0, 4.0)
    axes = fig.subplots(1, 2, sharey=True)
    lows, highs = [], []
    for ax, norms, title in ((axes[0], before, "before training"), (axes[1], after, task)):
        for kind, values in norms.items():
            values = np.maximum(np.asarray(values, dtype=float), 1e-30)
            steps = np.arange(1, len(values) + 1)
            ax.semilogy(
                steps,
                values,
                color=KIND_COLORS.get(kind),
                lw=2.2,
                label=kind,
                marker=KIND_MARKERS.get(kind, "o"),
                markevery=max(1, len(values) // 8),
            )
            lows.append(values.min())
            highs.append(values.max())
        ax.set_title(title)
        ax.set_xlabel("input step t  (1 = the first, the one to remember)")
        ax.grid(alpha=0.3, which="major")
        ax.legend(fontsize=10, loc="lower right")
    axes[0].set_ylabel("‖∂ last output / ∂ x_t‖  (log scale)")
    fig.suptitle("How strongly the last output depends on each earlier input", fontsize=12)
    low, high = min(lows), max(highs)
    axes[0].set_ylim(max(low / 3, 1e-30), high * 3)
    return fig


# --------------------------------------------------------------------------- the length slider


def length_explorer(comparison: Comparison, *, timesteps: int | None = None) -> Any:
    """A slider over the trained lengths that redraws the comparison picture (an Explorer)."""
    from .widgets.base import Explorer

    class LengthExplorer(Explorer):
        _hint = "run the cell to move the slider"

        def __init__(self) -> None:
            import ipywidgets as widgets

            self.comparison = comparison
            self.picture = ComparisonPicture(comparison, timesteps=timesteps)
            slider = widgets.SelectionSlider(
                options=list(comparison.lengths),
                value=self.picture.timesteps,
                description="timesteps",
                style={"description_width": "initial"},
            )
            super().__init__({"comparison": self.picture.figure}, {"timesteps": slider}, [])
            self.refresh()

        def _update(self) -> None:
            self.picture.update(timesteps=self.controls["timesteps"].value)

        def accuracy(self, kind: str) -> float:
            """The test accuracy shown for `kind` at the selected length."""
            return self.comparison.accuracy[check_kind(kind), self.picture.timesteps]

        def summary(self) -> str:
            t = self.picture.timesteps
            return (
                f"timesteps = {t}: every network must carry the first step's sign across "
                f"{t - 1} noisy steps"
            )

        def describe(self) -> str:
            return f"LengthExplorer(timesteps={self.picture.timesteps})"

    return LengthExplorer()


def draw_memory_unit(trace: Any, labels: np.ndarray, unit: int, *, samples: int = 40) -> Any:
    """One LSTM unit's cell state c_t over time for many samples, coloured by their label.

    Two bundles of lines that stay apart up to the last step = the unit carries the label.
    trace: an LSTM `Trace` (batch, timesteps, units); labels: (batch,) of 0/1.
    """
    if trace.c is None:
        raise ValueError(
            f"draw_memory_unit needs an LSTM trace (it has a cell state); got {trace.kind}"
        )
    labels = np.asarray(labels).ravel()
    if labels.shape[0] != trace.batch:
        raise ValueError(
            f"labels must have one entry per sample ({trace.batch}); got {labels.shape[0]}"
        )
    if not 0 <= unit < trace.units:
        raise ValueError(f"unit must be in 0..{trace.units - 1}; got {unit}")
    fig = _figure(8.0, 3.4)
    ax = fig.add_subplot()
    steps = np.arange(1, trace.timesteps + 1)
    colors = {1: "#0072B2", 0: "#D55E00"}
    for s in range(min(samples, trace.batch)):
        label = int(labels[s])
        ax.plot(steps, trace.c[s, :, unit], color=colors[label], lw=1, alpha=0.6)
    for label, name in ((1, "label 1 (first step +1)"), (0, "label 0 (first step −1)")):
        ax.plot([], [], color=colors[label], lw=2, label=name)
    ax.axhline(0, color="#8c8c8c", lw=1)
    ax.set_xlabel("timestep t")
    ax.set_ylabel(f"cell state c of unit {unit + 1}")
    ax.set_title(f"{trace.kind} unit {unit + 1}: its cell state over time, {samples} samples")
    ax.legend(fontsize=10, loc="best")
    ax.grid(alpha=0.3)
    return fig


def draw_forecast(
    dates: np.ndarray,
    actual: np.ndarray,
    forecasts: dict[str, np.ndarray],
    *,
    name: str = "",
    errors: dict[str, float] | None = None,
) -> Any:
    """Actual values and each forecast over the test period (left); errors as bars (right).

    actual and each forecast: (steps,); errors: label -> a number to compare (e.g. mean squared
    error relative to a baseline), drawn as bars when given.
    """
    fig = _figure(11.0, 3.6)
    axes = fig.subplots(1, 2, width_ratios=(2.2, 1)) if errors else [fig.add_subplot()]
    ax = axes[0]
    ax.plot(dates, actual, color="#222222", lw=2.2, label="actual")
    for label, values in forecasts.items():
        kind = next((k for k in KIND_COLORS if label.startswith(k)), None)
        ax.plot(
            dates,
            values,
            lw=1.6,
            color=KIND_COLORS.get(kind, "#8c8c8c"),
            ls="-" if kind else ":",
            label=label,
        )
    ax.set_title(f"{name}: next month, forecast from the 12 months before" if name else "")
    ax.legend(fontsize=9, loc="best")
    ax.grid(alpha=0.3)
    if errors:
        bars = axes[1]
        labels = list(errors)
        colors = [
            KIND_COLORS.get(next((k for k in KIND_COLORS if n.startswith(k)), ""), "#8c8c8c")
            for n in labels
        ]
        bars.bar(labels, [errors[n] for n in labels], color=colors)
        bars.axhline(1.0, color="#222222", ls="--", lw=1)
        bars.set_title("test error ÷ error of the naive forecast")
        bars.tick_params(axis="x", labelsize=9)
    return fig
