"""StateExplorer: walk a sequence step by step and watch h (and c) change.

Controls: kind, units (1-128), sequence ("hello", "sine", "noise", "pulse" or the learner's array),
timesteps (1-100), seed, t (the step under the cursor).
Picture: heatmaps units × timesteps of h (and c, and each gate) with a cursor on step t; the inside
of the cell at step t with its gate values; h (and c) of the first units as lines over time.
Panel: the equations of the cell and the values at the cursor, rounded to 4 decimals.
"""

from __future__ import annotations

import ipywidgets as w
import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from ..cells import Cell, Trace
from .base import CursorBlit, PictureBlit, pre
from .sequences import SequenceExplorer

EQUATIONS = {
    "SimpleRNN": "h_t = tanh(x_t·W + h_{t-1}·U + b)",
    "LSTM": (
        "i, f, o = σ(x_t·W + h_{t-1}·U + b) per gate;  candidate = tanh(...)\n"
        "c_t = f ⊙ c_{t-1} + i ⊙ candidate;  h_t = o ⊙ tanh(c_t)"
    ),
    "GRU": (
        "z (update), r (reset) = σ(x_t·W + h_{t-1}·U + b);  candidate = tanh(x_t·W + r ⊙ "
        "(h_{t-1}·U + b))\nh_t = z ⊙ h_{t-1} + (1 − z) ⊙ candidate   (Keras: z keeps the OLD "
        "state)"
    ),
}
LINES = 8  # units drawn as lines in the trajectory panel
LINES_WIDTH = 5.6  # inches


class StateExplorer(SequenceExplorer):
    """A timestep slider over a sequence: heatmaps with a cursor, the cell inside, trajectories.

    >>> e = StateExplorer(kind="LSTM", units=4, sequence="hello")
    >>> e.controls["t"].value = 3
    >>> e.trace.h[0, 3]          # the values the panel shows at the cursor
    >>> StateExplorer(sequence=my_array)          # (timesteps, input_dim), the learner's own
    >>> StateExplorer(cell=rnnviz.from_keras(layer), sequence=x)   # a trained layer's weights

    Keyword arguments mirror the controls; bad values raise the core's ValueError / TypeError.
    """

    def __init__(
        self,
        kind: str = "LSTM",
        *,
        units: int = 4,
        sequence: object = "hello",
        timesteps: int | None = None,
        seed: int = 0,
        t: int = 0,
        cell: Cell | None = None,
    ):
        self.step_panel = w.HTML()
        # Fixed margins, not a layout engine: constrained layout costs more than the drawing.
        self.lines_figure = Figure(figsize=(LINES_WIDTH, 3.4), dpi=100)
        self.trajectories = Trajectories(self.lines_figure.add_subplot())
        fit_lines_figure(self.lines_figure, 3.4)
        # The pictures need a first trace: it is computed once the controls exist (refresh).
        placeholder = {"states": Figure(), "cell": Figure(), "lines": self.lines_figure}
        self.cell_picture = self.state_picture = None
        super().__init__(
            kind,
            units,
            sequence,
            timesteps,
            seed,
            t,
            cell,
            {},
            placeholder,
            [self.step_panel],
            rows=[["cell", "lines"], ["states"]],
        )
        self._drawers["lines"] = self.trajectories.blit
        self.refresh()

    def summary(self) -> str:
        """The configuration, the cell's equations and the values at the cursor step."""
        trace = self.trace
        head = (
            f"{trace.kind}({trace.units}) on '{self.sequence.name}': x has shape "
            f"{self.sequence.x.shape} (timesteps, input_dim)"
        )
        return "\n".join([head, EQUATIONS[trace.kind], "", *self.step_lines()])

    def _update(self) -> None:
        seq, trace, t = self._compute()
        self._draw(trace, t)
        self.sequence, self.trace = seq, trace
        self.step_panel.value = pre(self.summary())

    def _draw(self, trace: Trace, t: int) -> None:
        from ..draw import CellPicture

        self.state_picture = draw_states(self, self.state_picture, trace, t)
        if self.cell_picture is None or self.cell_picture.kind != trace.kind:
            self.cell_picture = CellPicture(trace.kind, trace=trace, t=t)  # a kind is a new
            self.set_figure("cell", self.cell_picture.figure)  # drawing
            self._drawers["cell"] = PictureBlit(self.cell_picture)
        else:
            self.cell_picture.update(trace=trace, t=t)
        # The line plot is as tall as the cell beside it: no empty block under it.
        height = float(self.cell_picture.figure.get_size_inches()[1])
        if abs(self.lines_figure.get_size_inches()[1] - height) > 0.01:
            fit_lines_figure(self.lines_figure, height)
            self.trajectories.blit.invalidate()
        self.trajectories.update(trace, t)


def fit_lines_figure(figure: Figure, height: float) -> None:
    """Give the trajectories figure `height` inches, with fixed margins in inches (title above;
    ticks, axis label and a legend of up to 2 rows below)."""
    figure.set_size_inches(LINES_WIDTH, height, forward=False)
    figure.subplots_adjust(
        left=0.7 / LINES_WIDTH, right=0.97, top=1 - 0.45 / height, bottom=1.25 / height
    )
    fixed_label_positions(figure.axes[0])


def cursor_artists(picture) -> list:
    """The artists of a StatePicture that move with the step t: its frames and title."""
    return list(picture.cursor_artists)


def draw_states(explorer, picture, trace: Trace, t: int):
    """Create or update the StatePicture of `explorer`: registered as "states", redrawn by a
    PictureBlit (new values: its images, frames and title over a kept background; a new size
    or kind: the whole figure). Returns the picture."""
    from ..draw import StatePicture

    if picture is None:
        picture = StatePicture(trace, t=t)
        explorer.set_figure("states", picture.figure)
        explorer._drawers["states"] = PictureBlit(picture)
    elif trace is picture.trace:
        picture.update(t=t)
    else:
        picture.update(trace=trace, t=t)
    return picture


class Trajectories:
    """h (solid) and, for LSTM, c (dashed) of the first 8 units over steps 1..T, a cursor at t.

    Up to 8 units, a legend names each line ("unit 1", ...); with more units the 8 lines are thin
    and unnamed, and the mean of h over all units is drawn bold. Steps are drawn 1-based, like
    the other pictures. The lines exist once and are changed in place (unused ones hidden); they,
    the title, cursor and dots are redrawn over a kept background (`blit`), with the time axis.
    Only a new y range or a new legend redraws the axes.
    """

    def __init__(self, ax):
        self.ax = ax
        self._trace = None
        colours = [f"C{k}" for k in range(LINES)]
        self.h_lines = [ax.plot([], [], color=c, lw=1.6)[0] for c in colours]
        self.c_lines = [ax.plot([], [], color=c, lw=1.2, ls="--")[0] for c in colours]
        self.mean = ax.plot([], [], lw=2.6, color="#222222")[0]
        self._legend_key: tuple | None = None
        self.cursor = ax.axvline(1, color="#222222", lw=1.2, alpha=0.6)
        self.dots = ax.plot([], [], "o", color="#222222", ms=4)[0]
        ax.xaxis.set_major_locator(MaxNLocator(nbins=8, integer=True))
        ax.set_xlabel("timestep t")
        fixed_label_positions(ax)
        ax.set_title(" ", fontsize=11)
        ax.grid(alpha=0.3)
        # the time axis (ticks, grid, label) moves with the number of timesteps: drawn live too
        moving = [
            ax.xaxis,
            *self.h_lines,
            *self.c_lines,
            self.mean,
            ax.title,
            self.cursor,
            self.dots,
        ]
        self.blit = CursorBlit(moving)

    def update(self, trace: Trace, t: int) -> None:
        n = min(trace.units, LINES)
        if trace is not self._trace:
            layout = (self.ax.get_ylim(), self._legend_key)
            self._set_lines(trace, n)
            self._trace = trace
            if (self.ax.get_ylim(), self._legend_key) != layout:
                self.blit.invalidate()
        self.cursor.set_xdata([t + 1, t + 1])
        self.dots.set_data([t + 1] * n, trace.h[0, t, :n])

    def _set_lines(self, trace: Trace, n: int) -> None:
        steps = np.arange(1, trace.timesteps + 1)
        lstm = trace.c is not None
        for k, (h_line, c_line) in enumerate(zip(self.h_lines, self.c_lines, strict=True)):
            h_line.set_visible(k < n)
            c_line.set_visible(k < n and lstm)
            if k < n:
                h_line.set_data(steps, trace.h[0, :, k])
                if lstm:
                    c_line.set_data(steps, trace.c[0, :, k])
        many = trace.units > n
        for line in [*self.h_lines, *self.c_lines]:
            line.set_linewidth(1.0 if many else (1.6 if line in self.h_lines else 1.2))
            line.set_alpha(0.6 if many else 1.0)
        self.mean.set_visible(many)
        if many:
            self.mean.set_data(steps, trace.h[0].mean(axis=1))
        self._set_legend(n, many, lstm)
        self.ax.set_xlim(0.5, trace.timesteps + 0.5)
        values = [trace.h[0, :, :n]] + ([trace.c[0, :, :n]] if lstm else [])
        self.ax.set_ylim(*symmetric_limits(values))
        shown = f"first {n} of {trace.units} units" if trace.units > n else f"{n} units"
        what = "h (solid), c (dashed)" if lstm else "h"
        self.ax.set_title(f"{what} over time, {shown}", fontsize=11)

    def _set_legend(self, n: int, many: bool, lstm: bool) -> None:
        """Name the lines under the plot: one entry per unit, or the mean for many units."""
        key = (n, many, lstm)
        if key == self._legend_key:
            return
        self._legend_key = key
        if many:
            handles, labels = [self.mean], ["h: mean over units"]
        else:
            handles, labels = self.h_lines[:n], [f"unit {k + 1}" for k in range(n)]
        if lstm:  # line styles, in black: colour names the unit
            handles = [*handles, Line2D([], [], color="#222222", lw=1.6)]
            handles.append(Line2D([], [], color="#222222", lw=1.2, ls="--"))
            labels = [*labels, "h (solid)", "c (dashed)"]
        self.ax.legend(
            handles,
            labels,
            loc="lower center",
            bbox_to_anchor=(0.5, 0.02),
            bbox_transform=self.ax.figure.transFigure,
            ncol=len(labels) if len(labels) <= 4 else -(-len(labels) // 2),
            fontsize=10,
            frameon=False,
            handlelength=1.6,
            columnspacing=1.0,
        )


def fixed_label_positions(ax) -> None:
    """Place the axis labels at fixed distances from the axes (in points) instead of measuring
    every tick label on each draw to place them: the largest part of drawing a line plot."""
    height = ax.get_position().height * ax.figure.get_size_inches()[1] * 72  # points
    ax.xaxis.set_label_coords(0.5, -26 / height)  # below tick (3.5) + pad (3.5) + label (10+)


def symmetric_limits(values: list[np.ndarray]) -> tuple[float, float]:
    """(-top, top) holding every value with a margin; top is 1 or a multiple of 0.5 above it,
    so that most new values keep the axes (and the blit background) as they are."""
    top = max(1.0, float(max(np.abs(v).max() for v in values)) * 1.05)
    top = float(np.ceil(top * 2) / 2)
    return -top, top
