"""The input tensor: (batch, timesteps, input_dim) as sheets, one per sample.

Each sample is a sheet: one row per timestep (t = 1..T, top to bottom), one column per feature.
A small batch (up to 4 narrow sheets) is drawn side by side, every sample labelled and every value
visible; a bigger one as a stack with sample 1 in front and the others behind it, up and to the
right. Long sequences and wide features are folded ("⋮", "…") so the values stay readable. All
values of a picture share one format (integers, or 2 decimals).
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
SIDE_MAX_BATCH = 4  # up to this many samples each get their own grid, side by side
SIDE_MAX_WIDTH = 13.0  # ... if their grids fit this width (inches)
SIDE_GAP = 0.5


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


def value_format(x: np.ndarray) -> str:
    """One format for every value of a picture: integers when all values are whole numbers,
    else 2 decimals (1 from 100 up, so the values still fit their cells)."""
    top = float(np.max(np.abs(x)))
    if np.all(np.mod(x, 1) == 0) and top < 10_000:
        return "{:.0f}"
    return "{:.2f}" if top < 100 else "{:.1f}" if top < 1000 else "{:.0f}"


def side_by_side(b: int, cols: int, batched: bool) -> bool:
    """Whether every sample gets its own grid: a small batch of narrow enough sheets."""
    width = b * cols * COL_W + (b - 1) * SIDE_GAP
    return batched and b <= SIDE_MAX_BATCH and width <= SIDE_MAX_WIDTH


class TensorPicture(S.Picture):
    """An input tensor as sheets (sample × step × feature), side by side or stacked, axes named.

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
        cols = len(_fold(f, MAX_COLS))
        side = side_by_side(b, cols, self.batched)
        return (
            b if side else min(b, MAX_SHEETS),
            side,
            len(_fold(t, MAX_ROWS)),
            cols,
            t > MAX_ROWS,
            f > MAX_COLS,
            self.batched,
            self._label_chars(),
        )

    def _label_chars(self) -> int:
        """Characters of the longest step label ("t=5 'o'"), which sets the left margin."""
        t = self.x.shape[1]
        rows = [r for r in _fold(t, MAX_ROWS) if r is not None]
        if self.step_labels is None:
            return len(f"t={t}")
        return len(f"t={t}") + max(len(str(self.step_labels[r])) + 3 for r in rows)

    def _build(self) -> None:
        ax = self.ax
        ax.clear()
        ax.set_axis_off()
        self._key = self._layout_key()
        b, t, f = self.x.shape
        self.rows, self.cols = _fold(t, MAX_ROWS), _fold(f, MAX_COLS)
        self.side_by_side = self._key[1]
        grid_w, grid_h = len(self.cols) * COL_W, len(self.rows) * ROW_H
        # Left margin: the rotated axis name, then the step labels (about 0.075 in per character).
        left = 0.55 + 0.075 * self._label_chars() + 0.15
        bottom = 0.95
        self._origin = (left, bottom)
        self._cells: dict[tuple[int, int, int], Rectangle] = {}
        self._values: dict[tuple[int, int, int], object] = {}
        self._sample_labels = []
        if self.side_by_side:
            sheets = b
            span = sheets * grid_w + (sheets - 1) * SIDE_GAP
            for k in range(sheets):
                x0 = left + k * (grid_w + SIDE_GAP)
                self._draw_grid(k, x0, bottom, grid_w, grid_h)
                self._sample_labels.append(
                    S.text(ax, x0 + grid_w / 2, bottom + grid_h + 0.2, "", size=S.FONT)
                )
            top_used = bottom + grid_h + 0.45
            if sheets > 1:
                S.arrow(
                    ax, (left, top_used + 0.05), (left + span, top_used + 0.05), "plain", zorder=5
                )
            self._batch_label = S.text(
                ax, left + span / 2, top_used + 0.28, "", size=S.FONT, color="#555555"
            )
            self._front_label = S.text(ax, left, bottom, "", visible=False)
            width = max(left + span + 0.4, MIN_WIDTH)
            height = top_used + 0.55 + 0.6
        else:
            sheets = min(b, MAX_SHEETS)
            span = grid_w
            depth = (sheets - 1) * SHEET_OFFSET
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
            self._draw_grid(0, left, bottom, grid_w, grid_h)
            top = bottom + grid_h
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
            width = max(left + grid_w + depth + 2.3, MIN_WIDTH)
            height = bottom + grid_h + depth + 1.25
        # Axis names and step indices (once, left of the first grid).
        top = bottom + grid_h
        self._row_labels = [
            S.text(ax, left - 0.1, top - (r + 0.5) * ROW_H, "", ha="right", size=S.SMALL)
            for r in range(len(self.rows))
        ]
        S.text(
            ax,
            left + span / 2,
            bottom - 0.5,
            "input_dim (features) →",
            size=S.FONT,
            color=S.INPUT,
        )
        S.text(
            ax,
            left - 0.25 - 0.075 * self._label_chars(),
            bottom + grid_h / 2,
            "timesteps →",
            size=S.FONT,
            rotation=-90,
            color=S.STATE,
        )
        self._title = S.text(ax, 0.1, height - 0.3, "", ha="left", size=S.TITLE, weight="bold")
        S.fit_to_content(ax, (0.0, 0.0, width, height), own=self._own)
        self._apply()

    def _draw_grid(self, k: int, left: float, bottom: float, grid_w: float, grid_h: float) -> None:
        """The grid of sample k (timesteps × features) with its cells, values and feature labels."""
        ax = self.ax
        ax.add_patch(Rectangle((left, bottom), grid_w, grid_h, facecolor="white", lw=0, zorder=1.5))
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
                self._cells[k, row, col] = ax.add_patch(
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
                self._values[k, row, col] = S.text(
                    ax, xx + COL_W / 2, y + ROW_H / 2, "", size=S.SMALL, zorder=3
                )
        ax.add_patch(
            Rectangle((left, bottom), grid_w, grid_h, fill=False, edgecolor=S.INK, lw=1.6, zorder=4)
        )
        self._col_labels = getattr(self, "_col_labels", []) if k else []
        self._col_labels += [
            S.text(ax, left + (c + 0.5) * COL_W, bottom - 0.16, "", size=S.SMALL)
            for c in range(len(self.cols))
        ]

    def _apply(self) -> None:
        b = self.x.shape[0]
        vmax = float(np.max(np.abs(self.x))) or 1.0
        cmap, norm = colormaps[S.DIVERGING], Normalize(-1.3 * vmax, 1.3 * vmax)
        form = value_format(self.x)
        for (k, row, col), patch in self._cells.items():
            v = self.x[k, row, col]
            rgba = np.array(cmap(norm(v)))
            patch.set_facecolor(0.65 * rgba + 0.35)  # pale, so the number stays readable
            text = form.format(v)
            self._values[k, row, col].set_text(form.format(0.0) if float(text) == 0 else text)
        for label, row in zip(self._row_labels, self.rows, strict=True):
            if row is not None:
                name = self.step_labels[row] if self.step_labels is not None else ""
                label.set_text(f"t={row + 1}" + (f" '{name}'" if name else ""))
        cols = self.cols * (len(self._col_labels) // len(self.cols))
        for label, col in zip(self._col_labels, cols, strict=True):
            if col is not None:
                label.set_text(
                    str(self.feature_labels[col])
                    if self.feature_labels is not None
                    else str(col + 1)
                )
        for k, label in enumerate(self._sample_labels):
            label.set_text(f"sample {k + 1}")
        if not self.batched:
            self._batch_label.set_text("")
            self._front_label.set_text("one sequence")
        elif self.side_by_side:
            self._batch_label.set_text(f"batch: {b} sample{'s' if b > 1 else ''}")
        else:
            self._batch_label.set_text(f"batch: {b} samples")
            self._front_label.set_text("sample 1 in front" if b > 1 else "")
        names = "(batch, timesteps, input_dim)" if self.batched else "(timesteps, input_dim)"
        self._title.set_text(self.title or f"x.shape = {format_shape(self.shape)} = {names}")


def draw_tensor(x: object, **kw: object) -> Figure:
    """The Figure of a `TensorPicture` (same arguments)."""
    return TensorPicture(x, **kw).figure
