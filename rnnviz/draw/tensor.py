"""The input tensor: (batch, timesteps, input_dim) as a stack of sequences.

Each sample is a sheet: one row per timestep (t = 1..T, top to bottom), one column per feature.
Sample 1 is in front; the others are stacked behind it, up and to the right. Long sequences and
wide features are folded ("⋮", "…") so the values stay readable.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..shapes import format_shape
from . import style as S

COL_W = 0.62
ROW_H = 0.34
MAX_ROWS = 10
MAX_COLS = 10
MAX_SHEETS = 4  # sheets drawn; a bigger batch says how many it stands for
SHEET_OFFSET = 0.2
MIN_WIDTH = 6.4


def _check_x(x: object) -> tuple[np.ndarray, bool]:
    if isinstance(x, list | tuple):
        x = np.asarray(x)
    if not hasattr(x, "shape"):
        raise TypeError(
            f"x must be an array of shape (batch, timesteps, input_dim); got {type(x).__name__}"
        )
    arr = np.asarray(x)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"x must hold numbers; got an array of dtype {arr.dtype}")
    if arr.ndim not in (2, 3) or 0 in arr.shape:
        raise ValueError(
            "x must have shape (batch, timesteps, input_dim) or (timesteps, "
            f"input_dim) with no empty axis; got shape {arr.shape}"
        )
    batched = arr.ndim == 3
    return (arr if batched else arr[np.newaxis]).astype(np.float64), batched


def _fold(n: int, limit: int) -> list[int | None]:
    """Indices shown along an axis of length n: all, or the first and last few with None between."""
    if n <= limit:
        return list(range(n))
    first = limit // 2
    last = limit - 1 - first
    return [*range(first), None, *range(n - last, n)]


def _value_text(v: float) -> str:
    if float(v).is_integer() and abs(v) < 1000:
        return f"{int(v)}"
    return f"{v:.2f}" if abs(v) < 10 else f"{v:.1f}"


class TensorPicture(S.Picture):
    """An input tensor as stacked sequences (sample × step × feature), its axes named.

    `step_labels` (one per timestep, e.g. the letters of 'hello') and `feature_labels` (one per
    feature, e.g. the alphabet 'helo') replace the numbers 1..T and 1..input_dim.
    """

    def __init__(
        self,
        x: object,
        *,
        ax: Axes | None = None,
        title: str | None = None,
        step_labels: Sequence[str] | None = None,
        feature_labels: Sequence[str] | None = None,
    ) -> None:
        self._init_axes(ax, (MIN_WIDTH, 3.0))
        self.title = title
        self.step_labels = step_labels
        self.feature_labels = feature_labels
        self.x, self.batched = _check_x(x)
        self._check_labels()
        self._build()

    def update(
        self,
        x: object = None,
        *,
        title: str | None = None,
        step_labels: Sequence[str] | None = None,
        feature_labels: Sequence[str] | None = None,
    ) -> TensorPicture:
        """New values (and labels); only a change of folded shape rebuilds the drawing."""
        if title is not None:
            self.title = title
        if step_labels is not None:
            self.step_labels = step_labels
        if feature_labels is not None:
            self.feature_labels = feature_labels
        if x is not None:
            new, batched = _check_x(x)
            if new.shape[1:] != self.x.shape[1:]:
                self.step_labels = step_labels
                self.feature_labels = feature_labels
            self.x, self.batched = new, batched
        self._check_labels()
        if self._layout_key() != self._key:
            self._build()
        else:
            self._apply()
        return self

    def _repr_fields(self) -> dict[str, object]:
        return {
            "shape": tuple(int(n) for n in self.shape),
            **({"title": self.title} if self.title else {}),
        }

    @property
    def shape(self) -> tuple[int, ...]:
        return self.x.shape if self.batched else self.x.shape[1:]

    def _check_labels(self) -> None:
        _, t, f = self.x.shape
        for name, labels, n, axis in (
            ("step_labels", self.step_labels, t, "timesteps"),
            ("feature_labels", self.feature_labels, f, "input_dim"),
        ):
            if labels is not None and len(labels) != n:
                raise ValueError(f"{name} must have one label per {axis} ({n}); got {len(labels)}")

    def _layout_key(self) -> tuple:
        b, t, f = self.x.shape
        return (
            min(b, MAX_SHEETS),
            len(_fold(t, MAX_ROWS)),
            len(_fold(f, MAX_COLS)),
            t > MAX_ROWS,
            f > MAX_COLS,
            self.batched,
        )

    def _build(self) -> None:
        ax = self.ax
        ax.clear()
        ax.set_axis_off()
        self._key = self._layout_key()
        b, t, f = self.x.shape
        self.rows, self.cols = _fold(t, MAX_ROWS), _fold(f, MAX_COLS)
        sheets = min(b, MAX_SHEETS)
        grid_w, grid_h = len(self.cols) * COL_W, len(self.rows) * ROW_H
        left, bottom = 1.35, 0.95
        depth = (sheets - 1) * SHEET_OFFSET
        width = max(left + grid_w + depth + 2.3, MIN_WIDTH)
        height = bottom + grid_h + depth + 1.25
        self._origin = (left, bottom)
        # Back sheets first (lowest zorder), the last sample furthest back.
        for k in range(sheets - 1, 0, -1):
            off = k * SHEET_OFFSET
            ax.add_patch(
                Rectangle(
                    (left + off, bottom + off),
                    grid_w,
                    grid_h,
                    facecolor="white",
                    edgecolor="#555555",
                    lw=1.0,
                    zorder=1 + (sheets - k) * 0.01,
                )
            )
        # The front sheet: coloured cells, values, grid lines.
        ax.add_patch(Rectangle((left, bottom), grid_w, grid_h, facecolor="white", lw=0, zorder=1.5))
        self._cells: dict[tuple[int, int], Rectangle] = {}
        self._values: dict[tuple[int, int], object] = {}
        top = bottom + grid_h
        for r, row in enumerate(self.rows):
            y = top - (r + 1) * ROW_H
            for c, col in enumerate(self.cols):
                xx = left + c * COL_W
                if row is None or col is None:
                    mark = "⋮" if row is None else "…"
                    if row is None and col is None:
                        mark = "⋱"
                    S.text(ax, xx + COL_W / 2, y + ROW_H / 2, mark, size=S.FONT, zorder=3)
                    continue
                self._cells[row, col] = ax.add_patch(
                    Rectangle(
                        (xx, y),
                        COL_W,
                        ROW_H,
                        facecolor="white",
                        edgecolor="#777777",
                        lw=0.8,
                        zorder=2,
                    )
                )
                self._values[row, col] = S.text(
                    ax, xx + COL_W / 2, y + ROW_H / 2, "", size=S.SMALL, zorder=3
                )
        ax.add_patch(
            Rectangle((left, bottom), grid_w, grid_h, fill=False, edgecolor=S.INK, lw=1.6, zorder=4)
        )
        # Axis names and indices.
        self._row_labels = [
            S.text(ax, left - 0.1, top - (r + 0.5) * ROW_H, "", ha="right", size=S.SMALL)
            for r in range(len(self.rows))
        ]
        self._col_labels = [
            S.text(ax, left + (c + 0.5) * COL_W, bottom - 0.16, "", size=S.SMALL)
            for c in range(len(self.cols))
        ]
        S.text(
            ax,
            left + grid_w / 2,
            bottom - 0.5,
            "input_dim (features) →",
            size=S.FONT,
            color=S.INPUT,
        )
        S.text(
            ax, 0.22, bottom + grid_h / 2, "timesteps →", size=S.FONT, rotation=-90, color=S.STATE
        )
        S.arrow(
            ax,
            (left + grid_w + 0.08, top + 0.08),
            (left + grid_w + depth + 0.3, top + depth + 0.3),
            "plain",
            zorder=5,
        )
        self._batch_label = S.text(
            ax,
            left + grid_w + depth + 0.36,
            top + depth + 0.36,
            "",
            ha="left",
            va="center",
            size=S.FONT,
        )
        self._front_label = S.text(
            ax,
            left + grid_w + depth + 0.15,
            bottom + 0.12,
            "",
            ha="left",
            va="center",
            size=S.SMALL,
            color="#555555",
        )
        self._title = S.text(ax, 0.1, height - 0.3, "", ha="left", size=S.TITLE, weight="bold")
        S.fit_to_content(ax, (0.0, 0.0, width, height), own=self._own)
        self._apply()

    def _apply(self) -> None:
        b = self.x.shape[0]
        front = self.x[0]
        vmax = float(np.max(np.abs(self.x))) or 1.0
        cmap, norm = colormaps[S.DIVERGING], Normalize(-1.3 * vmax, 1.3 * vmax)
        for (row, col), patch in self._cells.items():
            v = front[row, col]
            rgba = np.array(cmap(norm(v)))
            patch.set_facecolor(0.65 * rgba + 0.35)  # pale, so the number stays readable
            self._values[row, col].set_text(_value_text(v))
        for label, row in zip(self._row_labels, self.rows, strict=True):
            if row is not None:
                name = self.step_labels[row] if self.step_labels is not None else ""
                label.set_text(f"t={row + 1}" + (f" '{name}'" if name else ""))
        for label, col in zip(self._col_labels, self.cols, strict=True):
            if col is not None:
                label.set_text(
                    str(self.feature_labels[col])
                    if self.feature_labels is not None
                    else str(col + 1)
                )
        if self.batched:
            self._batch_label.set_text(f"batch: {b} sample{'s' if b > 1 else ''}")
            self._front_label.set_text("sample 1 in front" if b > 1 else "")
        else:
            self._batch_label.set_text("")
            self._front_label.set_text("one sequence")
        names = "(batch, timesteps, input_dim)" if self.batched else "(timesteps, input_dim)"
        self._title.set_text(self.title or f"x.shape = {format_shape(self.shape)} = {names}")


def draw_tensor(x: object, **kw: object) -> Figure:
    """The Figure of a `TensorPicture` (same arguments)."""
    return TensorPicture(x, **kw).figure
