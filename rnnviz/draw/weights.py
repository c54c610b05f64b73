"""A cell's weights as heatmaps: kernel, recurrent_kernel and bias, cut into their gate blocks.

    kernel            (input_dim, G·units)   one row per input feature
    recurrent_kernel  (units, G·units)       one row per unit of h_{t−1}
    bias              (G·units,)             GRU with reset_after=True: (2, G·units), an input
                                             bias row and a recurrent bias row

G is the number of blocks (SimpleRNN 1; LSTM 4: i, f, c̃, o; GRU 3: z, r, h̃), in Keras' order.
The three arrays are stacked so that a column means the same gate and unit in all of them. One
diverging colour map centred on 0 for all; the values are written in the cells when they fit.
"""

from __future__ import annotations

import numpy as np
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..cells import Cell
from . import style as S

# Block labels in Keras order: (long, short) — the short one when the block is narrow.
BLOCKS = {
    "SimpleRNN": (("h", "h"),),
    "LSTM": (("input i", "i"), ("forget f", "f"), ("candidate c̃", "c̃"), ("output o", "o")),
    "GRU": (("update z", "z"), ("reset r", "r"), ("candidate h̃", "h̃")),
}
MAX_WIDTH, MAX_HEIGHT = 11.0, 8.0  # inches of heatmap at most
VALUE_CELL = (0.56, 0.3)  # cell size (w, h) in inches when the values are written
LEFT, RIGHT = 1.45, 1.25  # row labels; colour bar
TOP, CAPTION = 1.2, 0.75  # title and block labels; the parameter count


def _check_cell(cell: object) -> Cell:
    """An rnnviz Cell, or a Keras SimpleRNN / LSTM / GRU layer (read with `from_keras`)."""
    if isinstance(cell, Cell):
        return cell
    if hasattr(cell, "get_weights") and hasattr(cell, "units"):
        from ..keras_bridge import from_keras

        return from_keras(cell)
    raise TypeError(
        "cell must be an rnnviz Cell (rnnviz.cell(...)) or a Keras SimpleRNN / LSTM / GRU "
        f"layer; got {type(cell).__name__}"
    )


def _value_text(v: float) -> str:
    return f"{0.0 if abs(v) < 0.005 else v:.2f}".replace("-", "−")


class WeightPicture(S.Picture):
    """kernel, recurrent_kernel and bias of a cell as heatmaps, cut into labelled gate blocks.

    `cell` is an rnnviz Cell or a Keras recurrent layer. Introspection: `arrays` name ->
    the array drawn ("kernel", "recurrent_kernel", "bias" as 2-D rows × G·units), `titles`
    name -> its title (with the shape), `blocks` the block labels in Keras order, `limit` the
    colour scale (−limit…limit), `values_written` whether the numbers are in the cells.
    """

    def __init__(self, cell: object, *, ax: Axes | None = None) -> None:
        self.cell = _check_cell(cell)
        self._init_axes(ax, (6.0, 4.0))
        self._build()

    def update(self, cell: object = None) -> WeightPicture:
        """Another cell (any kind or size): drawn anew in the same axes."""
        if cell is not None:
            self.cell = _check_cell(cell)
            self._build()
        return self

    def _repr_fields(self) -> dict[str, object]:
        c = self.cell
        fields = {"kind": c.kind, "units": c.units, "input_dim": c.input_dim}
        if not c.use_bias:
            fields["use_bias"] = False
        if c.kind == "GRU" and not c.reset_after:
            fields["reset_after"] = False
        return fields

    def _build(self) -> None:
        ax, cell = self.ax, self.cell
        ax.clear()
        ax.set_axis_off()
        u, d = cell.units, cell.input_dim
        cols = cell.kernel.shape[1]
        arrays = {"kernel": cell.kernel, "recurrent_kernel": cell.recurrent_kernel}
        if cell.bias is not None:
            arrays["bias"] = cell.bias.reshape(-1, cols)
        self.arrays = arrays
        rows = sum(a.shape[0] for a in arrays.values())
        gaps = 0.62 * (len(arrays) - 1)  # each array's title sits in the gap above it
        fits = cols * VALUE_CELL[0] <= MAX_WIDTH and rows * VALUE_CELL[1] + gaps <= MAX_HEIGHT
        self.values_written = fits
        if fits:
            cw, ch = VALUE_CELL
        else:
            cw = min(0.3, MAX_WIDTH / cols)
            ch = min(0.3, max(0.06, (MAX_HEIGHT - gaps) / rows), max(cw, 0.12))
        grid_w = cols * cw
        # Row heights per array; the one or two bias rows stay tall enough to see and name.
        heights = {name: ch if name != "bias" else max(ch, 0.22) for name in arrays}
        grid_h = sum(a.shape[0] * heights[name] for name, a in arrays.items())
        height = TOP + grid_h + gaps + CAPTION
        limit = max(float(max(np.abs(a).max() for a in arrays.values())), 1e-3)
        self.limit = float(np.ceil(limit * 4) / 4)  # a round edge: 0.25, 0.5, 0.75, ...
        cmap = colormaps[S.DIVERGING]
        norm = Normalize(-self.limit, self.limit)
        self.titles: dict[str, str] = {}
        self.images: dict[str, object] = {}
        titles = {
            "kernel": f"kernel {cell.kernel.shape}: one row per input feature (input_dim = {d})",
            "recurrent_kernel": (
                f"recurrent_kernel {cell.recurrent_kernel.shape}: one row per unit of the state h"
            ),
            "bias": f"bias {None if cell.bias is None else cell.bias.shape}",
        }
        if cell.bias is not None and cell.bias.ndim == 2:
            titles["bias"] += ": input bias row and recurrent bias row (reset_after=True)"
        longest = max(len(titles[name]) for name in arrays) * S.SMALL * 0.56 / 72  # inches
        bar_x = LEFT + max(grid_w, longest) + 0.35  # right of the arrays and their titles
        width = max(bar_x - 0.35 + RIGHT, 6.4)
        y = height - TOP
        x0 = LEFT
        for name, array in arrays.items():
            n, ch = array.shape[0], heights[name]
            top, bottom = y, y - n * ch
            self.images[name] = ax.imshow(
                array,
                cmap=cmap,
                norm=norm,
                extent=(x0, x0 + grid_w, bottom, top),
                aspect="auto",
                interpolation="nearest",
                interpolation_stage="rgba",
            )
            self.titles[name] = titles[name]
            S.text(ax, x0, top + 0.08, titles[name], ha="left", va="bottom", size=S.SMALL)
            self._row_labels(name, n, x0, top, ch)
            # Block separators, through the whole array.
            for k in range(1, len(BLOCKS[cell.kind])):
                xs = x0 + k * u * cw
                ax.add_line(Line2D([xs, xs], [bottom, top], color=S.INK, lw=2.2))
            ax.add_line(
                Line2D(
                    [x0, x0 + grid_w, x0 + grid_w, x0, x0],
                    [bottom, bottom, top, top, bottom],
                    color=S.INK,
                    lw=1.0,
                )
            )
            if name == "bias" and n == 2:  # between the input and the recurrent bias row
                ax.add_line(Line2D([x0, x0 + grid_w], [top - ch] * 2, color=S.INK, lw=0.8))
            if fits:
                for (r, c), v in np.ndenumerate(array):
                    dark = abs(v) > 0.6 * self.limit
                    S.text(
                        ax,
                        x0 + (c + 0.5) * cw,
                        top - (r + 0.5) * ch,
                        _value_text(v),
                        size=S.SMALL,
                        color="white" if dark else S.INK,
                    )
            y = bottom - gaps / max(len(arrays) - 1, 1)
        # Block labels over the kernel (the columns mean the same below it).
        self.blocks = []
        block_w = u * cw
        for k, (long, short) in enumerate(BLOCKS[cell.kind]):
            label = long if len(long) * S.SMALL * 0.6 / 72 <= block_w - 0.04 else short
            self.blocks.append(label)
            S.text(
                ax,
                x0 + (k + 0.5) * block_w,
                height - TOP + 0.42,
                label,
                size=S.SMALL,
                weight="bold",
            )
        # Colour bar, right; title; the parameter count.
        bar_h = min(2.2, grid_h + gaps)
        cax = ax.inset_axes((bar_x, height - TOP - bar_h, 0.16, bar_h), transform=ax.transData)
        bar = self.figure.colorbar(ScalarMappable(norm, cmap), cax=cax)
        bar.set_ticks([-self.limit, 0.0, self.limit])
        bar.ax.tick_params(labelsize=S.SMALL, length=2, pad=2)
        S.fixed_axis_labels(cax)
        self.colorbar = bar
        S.text(
            ax,
            bar_x + 0.65,
            height - TOP - bar_h / 2,
            "weight value",
            size=S.SMALL,
            rotation=90,
        )
        pc = cell.params
        S.text(
            ax,
            0.15,
            height - 0.32,
            f"{cell.kind}({u}) on input_dim = {d}: every weight"
            + (", by gate block" if cell.gate_names else " (no gates)"),
            ha="left",
            size=S.TITLE,
            weight="bold",
        )
        self.caption = f"{pc.total:,} parameters: {pc.formula}   (rule: {pc.symbolic})"
        S.text(ax, 0.15, 0.3, self.caption, ha="left", size=S.FONT)
        S.fit_to_content(ax, (0.0, 0.0, width, height), own=self._own)
        self.layout_count += 1

    def _row_labels(self, name: str, n: int, x0: float, top: float, ch: float) -> None:
        """Row names left of an array: x1..x_d, h1..h_u, or the bias rows; thinned when dense."""
        if name == "bias":
            labels = ["input bias", "recurrent bias"] if n == 2 else ["b"]
            shown = range(n)
        else:
            prefix = "x" if name == "kernel" else "h"
            labels = [f"{prefix}{k + 1}" for k in range(n)]
            every = max(1, int(np.ceil(0.17 / ch)))  # labels at least 0.17 in apart
            shown = list(range(0, n, every))
            if shown[-1] != n - 1:  # always name the last row, instead of a close neighbour
                shown[-1 if n - 1 - shown[-1] < every else len(shown) :] = [n - 1]
        for r in shown:
            S.text(self.ax, x0 - 0.08, top - (r + 0.5) * ch, labels[r], ha="right", size=S.SMALL)


def draw_weights(cell: object, **kw: object) -> Figure:
    """The Figure of a `WeightPicture` (same arguments)."""
    return WeightPicture(cell, **kw).figure
