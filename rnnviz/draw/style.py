"""The shared visual language: colours, fonts, boxes, arrows and the Picture base class.

Pictures are drawn in inches: one data unit is one inch of figure, so a picture that owns its
figure sizes the figure to its content and every font size (in points) fits the boxes drawn for
it. Colours come from the Okabe–Ito palette, which colour-blind viewers can tell apart; "returned"
and "dropped" differ in line style and weight as well as colour.
"""

from __future__ import annotations

import io

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.text import Text

from .fastagg import TextCachingCanvas

# Okabe–Ito colours.
INPUT = "#009E73"  # x_t: bluish green
STATE = "#0072B2"  # h_t passed right: blue
CELL_STATE = "#E69F00"  # c_t lane: orange
RETURNED = "#D55E00"  # what the layer returns: vermillion, thick, solid
DROPPED = "#8c8c8c"  # what the layer drops: grey, thin, dashed, faded
INK = "#222222"
CELL_FILL = "#eef3f8"
GATE_FILL = {"sigmoid": "#fdf1d6", "tanh": "#e3eef8"}
DROPPED_ALPHA = 0.45

# Colour maps, both readable by colour-blind viewers.
DIVERGING = "RdBu_r"  # tanh-range values, fixed to (-1, 1)
SEQUENTIAL = "viridis"  # sigmoid gates, fixed to (0, 1)
TANH_RANGE = (-1.0, 1.0)
SIGMOID_RANGE = (0.0, 1.0)

FONT = 11  # points, at 100 dpi: readable on a projector
SMALL = 10  # never smaller than this
TITLE = 13
DPI = 100

ROLE_STYLE = {
    "returned": {"color": RETURNED, "lw": 2.6, "ls": "-", "alpha": 1.0},
    "dropped": {"color": DROPPED, "lw": 1.3, "ls": (0, (4, 3)), "alpha": DROPPED_ALPHA},
    "input": {"color": INPUT, "lw": 1.6, "ls": "-", "alpha": 1.0},
    "state": {"color": STATE, "lw": 1.6, "ls": "-", "alpha": 1.0},
    "cell_state": {"color": CELL_STATE, "lw": 2.0, "ls": "-", "alpha": 1.0},
    "plain": {"color": INK, "lw": 1.3, "ls": "-", "alpha": 1.0},
}

_SUBSCRIPTS = str.maketrans("0123456789-", "₀₁₂₃₄₅₆₇₈₉₋")


def sub(name: str, index: int | str) -> str:
    """'h', 3 -> 'h₃' (Unicode subscripts: cheaper to render than mathtext)."""
    return f"{name}{str(index).translate(_SUBSCRIPTS)}"


def new_figure(width: float, height: float) -> Figure:
    """A Figure with its own Agg canvas (labels cached: see fastagg), never registered with
    pyplot (no global state)."""
    fig = Figure(figsize=(width, height), dpi=DPI)
    TextCachingCanvas(fig)
    return fig


def canvas_axes(fig: Figure) -> Axes:
    """An axes filling the whole figure, without frame or ticks, for diagrams in inches."""
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_axis_off()
    return ax


def fit_to_content(ax: Axes, bounds: tuple[float, float, float, float], *, own: bool) -> None:
    """Show `bounds` = (x0, y0, x1, y1) in inches; resize the figure to match if we own it."""
    x0, y0, x1, y1 = bounds
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    if own:
        ax.figure.set_size_inches(x1 - x0, y1 - y0, forward=False)
    else:
        ax.set_aspect("equal", adjustable="box")


def fixed_axis_labels(ax: Axes, *, x: tuple[float, float] = (0.5, -0.5)) -> None:
    """Put the axis labels of `ax` at fixed spots (axes fractions; the x label at `x`).

    Otherwise matplotlib measures every tick label of the axes on every draw to place them,
    the largest part of drawing a small axes. Call it for axes whose ticks do not grow."""
    ax.xaxis.set_label_coords(*x)
    ax.yaxis.set_label_coords(-0.1, 0.5)


def to_png(fig: Figure) -> bytes:
    """Render a figure to PNG bytes with Agg (a figure without an Agg canvas gets the faster
    TextCachingCanvas)."""
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else TextCachingCanvas(fig)
    buffer = io.BytesIO()
    canvas.print_png(buffer)
    return buffer.getvalue()


def arrow(
    ax: Axes,
    start: tuple[float, float],
    end: tuple[float, float],
    role: str = "plain",
    **kw: object,
) -> FancyArrowPatch:
    """A straight arrow from `start` to `end` (inches) in the style of `role`."""
    patch = FancyArrowPatch(
        start,
        end,
        arrowstyle="-|>",
        mutation_scale=13,
        shrinkA=0,
        shrinkB=0,
        joinstyle="miter",
        **kw,
    )
    style_arrow(patch, role)
    ax.add_patch(patch)
    return patch


def style_arrow(patch: FancyArrowPatch, role: str) -> None:
    """Restyle an existing arrow in place (cheap: no new artist)."""
    style = ROLE_STYLE[role]
    patch.set_color(style["color"])
    patch.set_linewidth(style["lw"])
    patch.set_linestyle(style["ls"])
    patch.set_alpha(style["alpha"])


def style_text(text: Text, role: str) -> None:
    """Colour a label like the arrow it names; returned labels are bold."""
    style = ROLE_STYLE[role]
    color = style["color"] if role in ("returned", "dropped") else INK
    text.set_color(color)
    text.set_alpha(1.0 if role != "dropped" else 0.75)
    text.set_fontweight("bold" if role == "returned" else "normal")


def box(
    ax: Axes,
    x: float,
    y: float,
    width: float,
    height: float,
    *,
    fill: str = CELL_FILL,
    edge: str = INK,
    lw: float = 1.4,
) -> FancyBboxPatch:
    """A rounded box with its lower-left corner at (x, y), in inches."""
    patch = FancyBboxPatch(
        (x, y),
        width,
        height,
        boxstyle="round,pad=0,rounding_size=0.08",
        facecolor=fill,
        edgecolor=edge,
        linewidth=lw,
    )
    ax.add_patch(patch)
    return patch


def text(
    ax: Axes,
    x: float,
    y: float,
    s: str,
    *,
    size: float = FONT,
    ha: str = "center",
    va: str = "center",
    **kw: object,
) -> Text:
    """A label at (x, y) in inches, with an explicit font size (independent of rcParams)."""
    return ax.text(x, y, s, fontsize=size, ha=ha, va=va, color=kw.pop("color", INK), **kw)


def colour_range(values: np.ndarray | None, base: tuple[float, float]) -> tuple[float, float]:
    """The fixed colour range of an activation, widened (symmetrically if it straddles 0) only
    when the values leave it, e.g. an LSTM cell state beyond ±1."""
    low, high = base
    if values is None or values.size == 0:
        return base
    vmin, vmax = float(np.min(values)), float(np.max(values))
    if vmin >= low - 1e-9 and vmax <= high + 1e-9:
        return base
    if low < 0:
        edge = float(np.ceil(max(abs(vmin), abs(vmax), high) * 2) / 2)
        return (-edge, edge)
    return (min(low, float(np.floor(vmin))), max(high, float(np.ceil(vmax))))


class Picture:
    """A drawing that owns (or borrows) a Figure and can change itself in place.

    `figure` is the matplotlib Figure, `ax` the axes drawn into. `to_png()` renders it; in a
    notebook the picture shows itself as that PNG.

    For live views (the explorers): `live_artists` are the artists that `update` may change
    without a new layout, in drawing order; `layout_count` grows whenever anything else changed.
    While it stays the same, a viewer can keep a rendering of everything but the live artists
    and draw only those on top (blitting). Pictures without live artists are redrawn whole.
    """

    figure: Figure
    ax: Axes
    _own: bool
    layout_count: int = 0

    @property
    def live_artists(self) -> list[Artist]:
        return []

    def _init_axes(self, ax: Axes | None, size: tuple[float, float]) -> None:
        if ax is None:
            self.figure = new_figure(*size)
            self.ax = canvas_axes(self.figure)
            self._own = True
        else:
            if not isinstance(ax, Axes):
                raise TypeError(f"ax must be a matplotlib Axes or None; got {type(ax).__name__}")
            self.figure = ax.figure
            self.ax = ax
            ax.set_axis_off()
            self._own = False

    def _repr_fields(self) -> dict[str, object]:
        """What `repr` names: the configuration drawn (subclasses), never a memory address."""
        return {}

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self._repr_fields().items())
        return f"{type(self).__name__}({fields})"

    def to_png(self) -> bytes:
        """The picture as PNG bytes (Agg, 100 dpi)."""
        return to_png(self.figure)

    def _repr_png_(self) -> bytes:
        return self.to_png()
