"""Pictures of training: compared accuracies, loss curves, gradients in time, a memory unit.

    ComparisonPicture / draw_comparison   accuracy against sequence length per kind, and the bars
                                          at one length (from `rnnviz.training.compare`)
    draw_histories        loss (or another metric) per epoch, one curve per run
    draw_gradient_norms   ‖∂ last output / ∂ x_t‖ per step t, before and after training (log scale)
    draw_memory_unit      one LSTM unit's cell state c_t over time, coloured by the label
    draw_forecast         a series and its forecasts over the test period, errors as bars
    draw_progress         a finished progress bar (the saved picture of `training.Progress`)

Plain matplotlib Figures (no pyplot); every kind keeps one colour and marker in all of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.figure import Figure

from .style import new_figure

if TYPE_CHECKING:
    from ..training import Comparison

KIND_COLORS = {"SimpleRNN": "#D55E00", "LSTM": "#0072B2", "GRU": "#009E73"}  # Okabe–Ito
KIND_MARKERS = {"SimpleRNN": "o", "LSTM": "s", "GRU": "^"}


def _figure(width: float, height: float) -> Figure:
    """Like every rnnviz picture's figure, laid out by matplotlib (these are drawn once)."""
    fig = new_figure(width, height)
    fig.set_layout_engine("constrained")
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
        ax.axhline(0.5, color="#8c8c8c", ls="--", lw=1, label="chance (a coin flip)")
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
        bars.set_title("test error ÷ error\nof the naive forecast")
        bars.tick_params(axis="x", labelsize=9)
    return fig


def draw_progress(text: str) -> Any:
    """A finished progress bar with `text` beside it: what a saved notebook shows for the bar."""
    from matplotlib.patches import Rectangle

    fig = _figure(6.0, 0.32)
    fig.set_layout_engine(None)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, 6.0)
    ax.set_ylim(0, 0.32)
    ax.add_patch(Rectangle((0.05, 0.08), 2.2, 0.16, color="#5cb85c"))
    ax.text(2.4, 0.16, text, va="center", ha="left", fontsize=10, color="#222222")
    return fig
