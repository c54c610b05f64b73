"""GateExplorer: what LSTM's forget gate and GRU's update gate do to the memory.

Controls: kind (LSTM / GRU), units (1-128), sequence (default "pulse": one event at step 1, then
nothing), timesteps (1-100), seed, t (cursor), forget_bias (LSTM) and update_bias (GRU), each -6..6.
The bias slider sets that gate's bias b for every unit (σ(x_t·W + h_{t-1}·U + b)): Keras starts
LSTM's forget bias at 1 (unit_forget_bias) and GRU's update bias at 0.
Picture: heatmaps of every gate and state over time with a cursor; the memory lane over time
(c for LSTM, h for GRU); and how much of what was stored at step 1 is still kept at a later step
s: the product of the gate over steps 2..s (forget gate f for LSTM, update gate z for GRU, which in
Keras weights the OLD state: h_t = z ⊙ h_{t-1} + (1 − z) ⊙ candidate).
"""

from __future__ import annotations

import ipywidgets as w
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..cells import Cell, Trace
from .base import CursorBlit, fmt, pre
from .sequences import SequenceExplorer
from .state_explorer import LINES, draw_states, fixed_label_positions, symmetric_limits

KEEP_GATE = {"LSTM": "forget", "GRU": "update"}
BIAS_CONTROL = {"LSTM": "forget_bias", "GRU": "update_bias"}
BIAS_RANGE = (-6.0, 6.0)
MEANING = {
    "LSTM": "forget gate f near 1: c is carried on (remember); near 0: c is wiped (forget)",
    "GRU": "update gate z near 1: h keeps the old state; near 0: h takes the new candidate",
}


def kept(trace: Trace) -> np.ndarray:
    """(timesteps, units): the share of the memory stored at step 1 still kept at each step
    (sample 0). Steps count 1..T; row k of the result is step k + 1.

    kept[0] = 1 (step 1) and kept[k] = g[1] · g[2] · … · g[k] (steps 2..k + 1), with g the
    forget gate (LSTM) or the update gate (GRU): the factor by which the old memory is
    multiplied at each step.
    """
    gate = trace.gates[KEEP_GATE[trace.kind]][0]
    out = np.ones_like(gate)
    out[1:] = np.cumprod(gate[1:], axis=0)
    return out


def _bias_slider(name: str, value: float, visible: bool) -> w.FloatSlider:
    low, high = BIAS_RANGE
    return w.FloatSlider(
        value=value,
        min=min(low, value),
        max=max(high, value),
        step=0.25,
        description=name,
        readout_format=".2f",
        continuous_update=False,
        style={"description_width": "initial"},
        layout=w.Layout(display=None if visible else "none"),
    )


class GateExplorer(SequenceExplorer):
    """Gate values over time, and a bias slider that makes the memory remember or forget.

    >>> e = GateExplorer(kind="LSTM", units=4)          # a pulse at step 1, 20 steps
    >>> e.controls["forget_bias"].value = 5.0            # f near 1: c keeps the pulse
    >>> e.kept()[-1]                                     # share kept at the last step, per unit

    Keyword arguments mirror the controls; bad values raise ValueError / TypeError.
    """

    kinds = ("LSTM", "GRU")

    def __init__(
        self,
        kind: str = "LSTM",
        *,
        units: int = 4,
        sequence: object = "pulse",
        timesteps: int | None = None,
        seed: int = 0,
        t: int = 0,
        forget_bias: float = 1.0,
        update_bias: float = 0.0,
    ):
        for name, value in (("forget_bias", forget_bias), ("update_bias", update_bias)):
            if isinstance(value, bool) or not isinstance(value, int | float | np.floating):
                raise TypeError(f"{name} must be a number; got {value!r}")
            if not np.isfinite(value):
                raise ValueError(f"{name} must be a finite number; got {value!r}")
        shown = kind.strip().lower() if isinstance(kind, str) else kind
        extra = {
            "forget_bias": _bias_slider("forget_bias", float(forget_bias), shown == "lstm"),
            "update_bias": _bias_slider("update_bias", float(update_bias), shown == "gru"),
        }
        self.step_panel = w.HTML()
        # Fixed margins, not a layout engine: constrained layout costs more than the drawing.
        self.memory_figure = Figure(figsize=(5.6, 5.0), dpi=100)
        self.memory_figure.subplots_adjust(left=0.12, right=0.97, top=0.94, bottom=0.1, hspace=0.3)
        lane_ax, kept_ax = self.memory_figure.subplots(2, 1, sharex=True)
        blit = CursorBlit([])
        self.lane = Lines(lane_ax, symmetric=True, blit=blit)
        self.kept_lines = Lines(kept_ax, symmetric=False, blit=blit)
        self.state_picture = None
        self._drawn_trace = None
        placeholder = {"states": Figure(), "memory": self.memory_figure}
        super().__init__(
            kind,
            units,
            sequence,
            timesteps,
            seed,
            t,
            None,
            extra,
            placeholder,
            [self.step_panel],
            rows=[["states", "memory"]],
        )
        self._drawers["memory"] = blit
        self.controls["kind"].observe(self._kind_changed, names="value")
        self.refresh()

    def _kind_changed(self, change: dict) -> None:
        for kind, name in BIAS_CONTROL.items():
            self.controls[name].layout.display = None if kind == change["new"] else "none"

    def adjust(self, base: Cell) -> Cell:
        """The cell with the bias of the keeping gate set to the slider's value for every unit."""
        u = base.units
        bias = np.array(base.bias)
        value = self.controls[BIAS_CONTROL[base.kind]].value
        if base.kind == "LSTM":
            bias[u : 2 * u] = value  # blocks: input, forget, candidate, output
        else:  # GRU, reset_after: an input row and a recurrent row; the update block comes first
            bias[0, :u] = value
            bias[1, :u] = 0.0
        return base.with_options(bias=bias)

    def kept(self) -> np.ndarray:
        """(timesteps, units): the share of the step-1 memory kept at each step (see `kept`)."""
        return kept(self.trace)

    def summary(self) -> str:
        """The bias, what the gate means, the values at the cursor and the share kept there."""
        trace = self.trace
        t = self.controls["t"].value
        name = BIAS_CONTROL[trace.kind]
        share = self.kept()[t]
        return "\n".join(
            [
                f"{trace.kind}({trace.units}) on '{self.sequence.name}', "
                f"{name} = {self.controls[name].value:.2f}",
                MEANING[trace.kind],
                "",
                *self.step_lines(),
                f"  {'kept':<10}{fmt(share)}   mean {float(np.mean(share)):.4f}  (share of the "
                f"step-1 memory still kept at step {t + 1})",
            ]
        )

    def _update(self) -> None:
        seq, trace, t = self._compute()
        self._draw(trace, t)
        self.sequence, self.trace = seq, trace
        self.step_panel.value = pre(self.summary())

    def _draw(self, trace: Trace, t: int) -> None:

        self.state_picture = draw_states(self, self.state_picture, trace, t)
        lstm = trace.kind == "LSTM"
        if trace is not self._drawn_trace:
            lane = trace.c[0] if lstm else trace.h[0]
            self._drawn_trace, self._kept, self._lane = trace, kept(trace), lane
        self.lane.update(self._lane, t, "c (cell state)" if lstm else "h (hidden state)")
        gate = "f" if lstm else "z"
        self.kept_lines.update(
            self._kept, t, f"memory kept at step s = product of {gate} over steps 2..s"
        )


class Lines:
    """The first 8 units of a (timesteps, units) array as thin lines over steps 1..T, their mean
    bold, a cursor at t. The lines exist once and change in place (unused ones hidden); with
    the title, cursor and time axis they are redrawn over a kept background (`blit`): only a new
    y range redraws the axes."""

    def __init__(self, ax, *, symmetric: bool, blit: CursorBlit):
        self.ax, self.symmetric, self.blit = ax, symmetric, blit
        self._values = None
        self.lines = [ax.plot([], [], lw=1.0, alpha=0.7, color=f"C{k}")[0] for k in range(LINES)]
        self.mean = ax.plot([], [], lw=2.6, color="#222222", label="mean over units")[0]
        self.cursor = ax.axvline(1, color="#222222", lw=1.2, alpha=0.6)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=8, integer=True))
        ax.set_title(" ", fontsize=11)
        ax.legend(loc="upper right", fontsize=10, frameon=False)
        ax.grid(alpha=0.3)
        if not symmetric:  # the lower panel; the upper one shares its time axis
            ax.set_xlabel("timestep t")
        fixed_label_positions(ax)
        # the time axis (ticks, grid, label) moves with the number of timesteps: drawn live too
        blit.artists += [ax.xaxis, *self.lines, self.mean, ax.title, self.cursor]

    def update(self, values: np.ndarray, t: int, title: str) -> None:
        if values is not self._values:
            layout = self.ax.get_ylim()
            self._set_lines(values, title)
            self._values = values
            if self.ax.get_ylim() != layout:
                self.blit.invalidate()
        self.cursor.set_xdata([t + 1, t + 1])

    def _set_lines(self, values: np.ndarray, title: str) -> None:
        steps, units = values.shape
        n = min(units, LINES)
        xs = np.arange(1, steps + 1)
        for k, line in enumerate(self.lines):
            line.set_visible(k < n)
            if k < n:
                line.set_data(xs, values[:, k])
        self.mean.set_data(xs, values.mean(axis=1))
        self.ax.set_xlim(0.5, steps + 0.5)
        shown = f", first {n} of {units} units" if units > n else ""
        self.ax.set_title(f"{title}{shown}", fontsize=11)
        if self.symmetric:
            self.ax.set_ylim(*symmetric_limits([values[:, :n]]))
        else:
            self.ax.set_ylim(-0.03, 1.03)
