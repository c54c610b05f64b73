"""States and gates over time: one heatmap of units × timesteps per quantity, from a Trace.

Rows: h (and c for LSTM), then each gate in Keras order. tanh-range values use a diverging map
fixed to (−1, 1); σ gates a sequential one fixed to (0, 1); the two colour bars at the top show
them. An LSTM cell state is not squashed: its panel has its own colour bar at its right, −1…1 or,
when c leaves ±1, a wider symmetric scale. A frame marks the selected step t (0-based, like
`Trace.step`; the axis shows t = 1..T).

The tick labels are plain texts that `update` moves (`live_artists`), so a new number of units or
timesteps redraws only the live artists over a kept background, like a new step does.
"""

from __future__ import annotations

import numpy as np
from matplotlib import colormaps
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.markers import TICKDOWN, TICKLEFT
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from matplotlib.transforms import offset_copy

from ..cells import Trace, _check_index
from . import style as S

WIDTH = 9.0
LEFT, RIGHT = 1.75, 0.35
C_BAR = 0.7  # extra right margin of an LSTM picture: the cell state's own colour bar
MAX_TICKS = 11  # see _ticks
PANEL_H, GAP = 0.62, 0.2
TOP, BOTTOM = 0.95, 0.62

NAMES = {
    "h": ("h  hidden state", "tanh"),
    "c": ("c  cell state", "tanh"),
    "input": ("input gate i", "sigmoid"),
    "forget": ("forget gate f", "sigmoid"),
    "candidate": ("candidate", "tanh"),
    "output": ("output gate o", "sigmoid"),
    "update": ("update gate z", "sigmoid"),
    "reset": ("reset gate r", "sigmoid"),
}


def _check_trace(trace: object) -> Trace:
    if not isinstance(trace, Trace):
        raise TypeError(
            f"trace must be an rnnviz Trace (from cell.run(x)); got {type(trace).__name__}"
        )
    return trace


def _ticks(n: int) -> list[int]:
    """1-based tick positions along an axis of n steps: every step up to 10, else 1 and the
    multiples of 5, 10, 20, 50, 100, ... (at most 11 ticks; 20 -> 1, 5, 10, 15, 20)."""
    if n <= 10:
        return list(range(1, n + 1))
    step = next(m * 10**k for k in range(20) for m in (5, 10, 20) if n / (m * 10**k) <= 10)
    return [1, *range(step, n + 1, step)]


class StatePicture(S.Picture):
    """Heatmaps of h, c and every gate over time, for one sample of a Trace.

    `panels` name -> Axes ("h", "c", then gate names), `cursor_t` the 0-based step framed (or
    None), `color_limits` name -> (vmin, vmax) of each panel's colour scale, `colorbars` name ->
    the Colorbar that shows that panel's scale, `ticks` {"timesteps": [...], "units": [...]} the
    1-based tick positions shown, `cursor_artists` the step frames and title, `live_artists`
    everything an in-place update changes.
    A new trace of the same kind keeps every axes and colour bar (a new size changes the images'
    extent and the tick texts); only another kind, with other panels, lays the figure out anew,
    and a cell state that needs another scale redraws its colour bar.
    """

    def __init__(
        self, trace: Trace, *, sample: int = 0, t: int | None = None, fig: Figure | None = None
    ) -> None:
        self.trace = _check_trace(trace)
        self.sample = _check_index("sample", sample, trace.batch)
        self.cursor_t = None if t is None else _check_index("t", t, trace.timesteps)
        if fig is None:
            self.figure = S.new_figure(WIDTH, 4.0)
            self._own = True
        elif isinstance(fig, Figure):
            self.figure = fig
            self._own = False
        else:
            raise TypeError(f"fig must be a matplotlib Figure or None; got {type(fig).__name__}")
        self._build()

    def update(
        self, trace: Trace | None = None, t: int | None = None, sample: int | None = None
    ) -> StatePicture:
        """New values, another step or sample; only a new kind or size rebuilds the panels."""
        old = self.trace
        if trace is not None:
            self.trace = _check_trace(trace)
        tr = self.trace
        if sample is not None:
            self.sample = _check_index("sample", sample, tr.batch)
        elif self.sample >= tr.batch:
            self.sample = 0
        if t is not None:
            self.cursor_t = _check_index("t", t, tr.timesteps)
        elif self.cursor_t is not None and self.cursor_t >= tr.timesteps:
            self.cursor_t = tr.timesteps - 1
        if tr.kind != old.kind:
            self._build()  # other panels
        else:
            if tr.h.shape[1:] != old.h.shape[1:]:
                self._resize()  # same axes and colour bars, new extent and ticks
            self._apply()
        return self

    def _repr_fields(self) -> dict[str, object]:
        tr = self.trace
        return {
            "kind": tr.kind,
            "units": tr.units,
            "timesteps": tr.timesteps,
            "batch": tr.batch,
            "sample": self.sample,
            "t": self.cursor_t,
        }

    @property
    def cursor_artists(self) -> list[Artist]:
        """The artists that move with the step t: the frame in every panel, and the title."""
        return [*self._cursors.values(), self._title]

    @property
    def live_artists(self) -> list[Artist]:
        """Every artist `update` changes without a new layout, in drawing order: per panel its
        image, frame lines (drawn over the image's edge) and step frame; then the title.
        Everything else changes only when `layout_count` does (see `Picture`)."""
        live: list[Artist] = []
        for name, ax in self.panels.items():
            live += [self._images[name], *ax.spines.values(), self._cursors[name]]
            live += [*self._tick_marks[name], *self._ytick_texts[name]]
        return [*live, *self._xtick_texts, self._title]

    def _quantities(self) -> dict[str, np.ndarray]:
        tr, s = self.trace, self.sample
        out = {"h": tr.h[s]}
        if tr.c is not None:
            out["c"] = tr.c[s]
        for name, values in tr.gates.items():
            out[name] = values[s]
        return out

    def _build(self) -> None:
        fig = self.figure
        fig.clear()
        tr = self.trace
        names = list(self._quantities())
        n = len(names)
        height = TOP + BOTTOM + n * PANEL_H + (n - 1) * GAP
        right = RIGHT + (C_BAR if "c" in names else 0.0)
        if self._own:
            fig.set_size_inches(WIDTH, height, forward=False)
        W, H = fig.get_size_inches()
        self.panels: dict[str, Axes] = {}
        self._images: dict[str, AxesImage] = {}
        self._cursors: dict[str, Rectangle] = {}
        self._tick_marks: dict[str, list[Line2D]] = {}
        self._ytick_texts: dict[str, list[Text]] = {}
        self._bases: dict[str, tuple[float, float]] = {}
        for k, name in enumerate(names):
            y0 = height - TOP - (k + 1) * PANEL_H - k * GAP
            ax = fig.add_axes((LEFT / W, y0 / H, (W - LEFT - right) / W, PANEL_H / H))
            label, act = NAMES[name]
            base = S.SIGMOID_RANGE if act == "sigmoid" else S.TANH_RANGE
            self._bases[name] = base
            cmap = S.SEQUENTIAL if act == "sigmoid" else S.DIVERGING
            self._images[name] = ax.imshow(
                np.zeros((1, 1)),
                cmap=cmap,
                vmin=base[0],
                vmax=base[1],
                aspect="auto",
                interpolation="nearest",
                interpolation_stage="rgba",  # colour the few values, then scale: cheap
            )
            ax.set_xticks([])  # ticks are drawn as live artists (_add_ticks)
            ax.set_yticks([])
            self._add_ticks(name, ax, last=(k == n - 1))
            rng = "0…1" if act == "sigmoid" else "−1…1"
            ax.text(
                0.12 / (W - LEFT - right) - LEFT / (W - LEFT - right),
                0.5,
                f"{label}\n{act}, {rng}" if name != "c" else f"{label}\nits own scale →",
                transform=ax.transAxes,
                ha="left",
                va="center",
                fontsize=S.SMALL,
                color=S.INK,
                linespacing=1.3,
            )
            cursor = Rectangle((0.5, 0.5), 1, 1, fill=False, edgecolor="black", lw=2.0, zorder=5)
            ax.add_patch(cursor)
            self._cursors[name] = cursor
            self.panels[name] = ax
        last = self.panels[names[-1]]
        last.set_xlabel("timestep t", fontsize=S.SMALL)
        # below the tick labels: tick 2 pt + pad 2 pt + label 10 pt + 2 pt, over the panel height
        S.fixed_axis_labels(last, x=(0.5, -16 / 72 / PANEL_H))
        self._title = fig.text(
            0.1 / W, 1 - 0.3 / H, "", fontsize=S.TITLE, weight="bold", ha="left", va="center"
        )
        # Colour bars, top right: tanh range, then σ range (if there are gates); c's own.
        bars = [("tanh range", S.DIVERGING, S.TANH_RANGE)]
        if tr.gates:
            bars.append(("σ gates", S.SEQUENTIAL, S.SIGMOID_RANGE))
        shared = []
        for j, (label, cmap, (lo, hi)) in enumerate(bars):
            x0 = W - right - 1.5 - j * 2.85
            cax = fig.add_axes((x0 / W, 1 - 0.62 / H, 1.5 / W, 0.14 / H))
            shared.append(self._colorbar(cax, cmap, (lo, hi), "horizontal"))
            cax.text(
                -0.06,
                0.5,
                label,
                transform=cax.transAxes,
                ha="right",
                va="center",
                fontsize=S.SMALL,
            )
        self.colorbars = {
            name: shared[1] if NAMES[name][1] == "sigmoid" else shared[0] for name in names
        }
        if "c" in names:
            box = self.panels["c"].get_position()
            cax = fig.add_axes((box.x1 + 0.15 / W, box.y0, 0.12 / W, box.height))
            self.colorbars["c"] = self._colorbar(cax, S.DIVERGING, S.TANH_RANGE, "vertical")
        self.layout_count += 1
        self._resize()
        self._apply()

    def _colorbar(self, cax: Axes, cmap: str, limits: tuple[float, float], orientation: str):
        lo, hi = limits
        bar = self.figure.colorbar(
            ScalarMappable(Normalize(lo, hi), colormaps[cmap]), cax=cax, orientation=orientation
        )
        bar.set_ticks([lo, hi] if orientation == "horizontal" else [lo, 0.0, hi])
        bar.ax.tick_params(labelsize=S.SMALL, length=2, pad=1)
        S.fixed_axis_labels(cax)
        return bar

    def _add_ticks(self, name: str, ax: Axes, *, last: bool) -> None:
        """Tick marks (x along the bottom, y on the left) and labels as plain artists; only the
        bottom panel labels its x ticks. `_resize` places them."""
        fig = self.figure
        style = {"color": S.INK, "markersize": 2.5, "markeredgewidth": 0.8, "ls": "none"}
        self._tick_marks[name] = [
            Line2D([], [], marker=TICKDOWN, transform=ax.get_xaxis_transform(), **style),
            Line2D([], [], marker=TICKLEFT, transform=ax.get_yaxis_transform(), **style),
        ]
        for line in self._tick_marks[name]:
            line.set_clip_on(False)
            ax.add_line(line)
        left = offset_copy(ax.get_yaxis_transform(), fig, x=-4, units="points")
        self._ytick_texts[name] = [
            ax.text(0, 1, "", transform=left, ha="right", va="center", fontsize=S.SMALL)
            for _ in range(2)
        ]
        if last:
            below = offset_copy(ax.get_xaxis_transform(), fig, y=-4, units="points")
            self._xtick_texts = [
                ax.text(1, 0, "", transform=below, ha="center", va="top", fontsize=S.SMALL)
                for _ in range(MAX_TICKS)
            ]

    def _resize(self) -> None:
        """Fit every panel to the trace's units × timesteps: extent, limits, ticks, frame.
        Only live artists change: the background stays valid."""
        T, U = self.trace.timesteps, self.trace.units
        xs, ys = _ticks(T), ([1] if U == 1 else [1, U])
        self.ticks = {"timesteps": xs, "units": ys}
        for name, ax in self.panels.items():
            self._images[name].set_extent((0.5, T + 0.5, U + 0.5, 0.5))
            ax.set_xlim(0.5, T + 0.5)
            ax.set_ylim(U + 0.5, 0.5)
            marks_x, marks_y = self._tick_marks[name]
            marks_x.set_data(xs, [0] * len(xs))
            marks_y.set_data([0] * len(ys), ys)
            for text, y in zip(self._ytick_texts[name], [*ys, None], strict=False):
                text.set_visible(y is not None)
                if y is not None:
                    text.set_y(y)
                    text.set_text(str(y))
            self._cursors[name].set_height(U)
        for k, text in enumerate(self._xtick_texts):
            text.set_visible(k < len(xs))
            if k < len(xs):
                text.set_x(xs[k])
                text.set_text(str(xs[k]))

    def _apply(self) -> None:
        tr = self.trace
        self.color_limits: dict[str, tuple[float, float]] = {}
        for name, values in self._quantities().items():
            limits = S.colour_range(values, self._bases[name])
            image = self._images[name]
            image.set_data(values.T)
            image.set_clim(*limits)
            self.color_limits[name] = limits
            cursor = self._cursors[name]
            cursor.set_visible(self.cursor_t is not None)
            if self.cursor_t is not None:
                cursor.set_x(self.cursor_t + 0.5)
        if "c" in self.color_limits:
            bar, (lo, hi) = self.colorbars["c"], self.color_limits["c"]
            if (bar.norm.vmin, bar.norm.vmax) != (lo, hi):  # the cell state needs a new scale
                bar.mappable.set_clim(lo, hi)
                bar.set_ticks([lo, 0.0, hi])
                self.layout_count += 1
        step = "" if self.cursor_t is None else f", step {self.cursor_t + 1} framed"
        self._title.set_text(
            f"{tr.kind}: {tr.units} units × {tr.timesteps} timesteps "
            f"(sample {self.sample + 1}{step})"
        )


def draw_states(trace: Trace, **kw: object) -> Figure:
    """The Figure of a `StatePicture` (same arguments)."""
    return StatePicture(trace, **kw).figure
