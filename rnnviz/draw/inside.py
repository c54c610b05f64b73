"""Inside one cell, drawn from its equations, with the live values of one step of a Trace.

    SimpleRNN  h_t = tanh(x_t·W + h_{t−1}·U + b)
    LSTM       i, f, o = σ(x_t·W + h_{t−1}·U + b) per gate, c̃ = tanh(...)
               c_t = f ⊙ c_{t−1} + i ⊙ c̃,  h_t = o ⊙ tanh(c_t)
    GRU        z, r = σ(...), h̃ = tanh(x_t·W + b + r ⊙ (h_{t−1}·U + b′))   (reset_after=True)
               h_t = z ⊙ h_{t−1} + (1 − z) ⊙ h̃      (Keras' convention)

Every gate box and every state carries a strip of `units` coloured squares: the vector's values at
step t (diverging colours fixed to −1…1 for tanh ranges, sequential fixed to 0…1 for σ gates).
"""

from __future__ import annotations

import numpy as np
from matplotlib import colormaps
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle

from .._checks import check_kind
from ..cells import Trace
from ..shapes import GATE_NAMES
from . import style as S

GATE_W, GATE_H = 1.5, 0.72
BUS_Y = 1.75  # [h_{t−1}, x_t] runs along here
GATE_Y = 2.4  # bottom of the gate boxes
TOP_Y = 4.45  # the c lane (LSTM) or the h lane (GRU)
MID_Y = 3.65  # where products are formed
# The highest lane of each kind: SimpleRNN has no lane above its output, so its cell is lower.
LANE_TOP = {"SimpleRNN": MID_Y - 0.2, "LSTM": TOP_Y, "GRU": TOP_Y}

# The equations under the picture, in Keras' notation (mathtext): x_t is a row vector times the
# kernel W (input_dim, units), h_{t−1} times the recurrent kernel U (units, units).
EQUATIONS = {
    "SimpleRNN": [
        r"$h_t = \tanh(x_t \cdot W + h_{t-1} \cdot U + b)$",
        "one weight set (W, U, b), one tanh: no gates",
    ],
    "LSTM": [
        r"$i = \sigma(x_t \cdot W_i + h_{t-1} \cdot U_i + b_i)$      "
        r"$f = \sigma(x_t \cdot W_f + h_{t-1} \cdot U_f + b_f)$",
        r"$\tilde{c} = \tanh(x_t \cdot W_c + h_{t-1} \cdot U_c + b_c)$      "
        r"$o = \sigma(x_t \cdot W_o + h_{t-1} \cdot U_o + b_o)$",
        r"$c_t = f \odot c_{t-1} + i \odot \tilde{c}$      $h_t = o \odot \tanh(c_t)$",
    ],
    "GRU": [
        r"$z = \sigma(x_t \cdot W_z + b_z + h_{t-1} \cdot U_z + b^{\prime}_z)$      "
        r"$r = \sigma(x_t \cdot W_r + b_r + h_{t-1} \cdot U_r + b^{\prime}_r)$",
        r"$\tilde{h} = \tanh(x_t \cdot W_h + b_h + r \odot (h_{t-1} \cdot U_h + b^{\prime}_h))$"
        r"      $h_t = z \odot h_{t-1} + (1 - z) \odot \tilde{h}$",
        r"$b$, $b^{\prime}$: the two bias rows of reset_after=True (with $x_t$, with $h_{t-1}$)",
    ],
}

# Gate boxes: name -> (label, activation, centre x)
GATES = {
    "SimpleRNN": {"tanh": ("tanh  →  $h_t$", "tanh", 4.3)},
    "LSTM": {
        "forget": ("forget f  (σ)", "sigmoid", 2.15),
        "input": ("input i  (σ)", "sigmoid", 3.8),
        "candidate": ("candidate c̃ (tanh)", "tanh", 5.45),
        "output": ("output o  (σ)", "sigmoid", 7.1),
    },
    "GRU": {
        "update": ("update z  (σ)", "sigmoid", 2.2),
        "reset": ("reset r  (σ)", "sigmoid", 4.0),
        "candidate": ("candidate h̃ (tanh)", "tanh", 6.4),
    },
}
WIDTH = {"SimpleRNN": 8.4, "LSTM": 10.0, "GRU": 10.0}


class CellPicture(S.Picture):
    """The inside of one SimpleRNN / LSTM / GRU cell; with a Trace, the values at step t.

    `t` and `sample` are 0-based indices into the Trace (the title says t = t + 1, as Keras users
    count). `gate_names` are the Trace's gate names in Keras order (empty for SimpleRNN);
    `boxes` every box drawn; `values` name -> 1-D array shown now ({} without a Trace).
    """

    def __init__(
        self,
        kind: str,
        *,
        trace: Trace | None = None,
        t: int = 0,
        sample: int = 0,
        ax: Axes | None = None,
    ) -> None:
        self.kind = check_kind(kind)
        self._init_axes(ax, (WIDTH[self.kind], 6.0))
        self.trace, self.t, self.sample = None, 0, 0
        self._set_trace(trace, t, sample)
        self._build()

    def _repr_fields(self) -> dict[str, object]:
        if self.trace is None:
            return {"kind": self.kind}
        tr = self.trace
        return {
            "kind": self.kind,
            "units": tr.units,
            "timesteps": tr.timesteps,
            "t": self.t,
            "sample": self.sample,
        }

    @property
    def gate_names(self) -> tuple[str, ...]:
        return GATE_NAMES[self.kind]

    @property
    def boxes(self) -> tuple[str, ...]:
        return tuple(GATES[self.kind])

    def update(
        self, trace: Trace | None = None, t: int | None = None, sample: int | None = None
    ) -> CellPicture:
        """A new Trace (any number of units) and/or another step or sample, in place: the
        strips take the new values, nothing is laid out again."""
        self._set_trace(
            trace if trace is not None else self.trace,
            self.t if t is None else t,
            self.sample if sample is None else sample,
        )
        self._apply()
        return self

    @property
    def live_artists(self) -> list[Artist]:
        """What `update` changes (see `Picture`): every value strip, the c scale note (LSTM),
        then the title."""
        notes = [self._c_note] if self._c_note is not None else []
        return [*self._strips.values(), *notes, self._title]

    def _set_trace(self, trace: Trace | None, t: int, sample: int) -> None:
        if trace is None:
            if t not in (0, None) or sample not in (0, None):
                raise ValueError("t and sample need a trace to index into; got trace=None")
            self.values: dict[str, np.ndarray] = {}
            return
        if not isinstance(trace, Trace):
            raise TypeError(f"trace must be an rnnviz Trace; got {type(trace).__name__}")
        if trace.kind != self.kind:
            raise ValueError(
                f"trace is from a {trace.kind}, but this picture draws a {self.kind}; "
                f"make a new CellPicture({trace.kind!r}, trace=...)"
            )
        step = trace.step(t, sample)  # validates t and sample, with clear messages
        self.trace, self.t, self.sample = trace, t % trace.timesteps, sample % trace.batch
        names = [
            "x",
            "h_prev",
            "h",
            *(["c_prev", "c"] if self.kind == "LSTM" else []),
            *self.gate_names,
        ]
        self.values = {name: step[name] for name in names}
        if self.kind == "SimpleRNN":
            self.values["tanh"] = step["h"]

    # ---------------------------------------------------------------- drawing
    def _build(self) -> None:
        ax, kind = self.ax, self.kind
        ax.clear()
        ax.set_axis_off()
        self._strips: dict[str, object] = {}
        self._c_note = None  # LSTM: the c strips' scale when c leaves ±1
        self._norms: dict[str, tuple[float, float]] = {}
        width = WIDTH[kind]
        eq = EQUATIONS[kind]
        eq_top = 0.35 + 0.3 * len(eq)
        # Equations at the bottom.
        for k, line in enumerate(eq):
            S.text(
                ax,
                0.25,
                eq_top - 0.3 * (k + 1) + 0.05,
                line,
                ha="left",
                size=S.SMALL,
                family="DejaVu Sans",
            )
        # The cell's outline.
        dy = eq_top - 0.45  # shift the diagram above the equations
        S.box(
            ax,
            0.95,
            BUS_Y - 0.45 + dy,
            width - 1.9,
            LANE_TOP[kind] - BUS_Y + 0.9 + 0.35,
            fill="#f7f9fb",
            edge="#999999",
            lw=1.0,
        )
        self._dy = dy
        getattr(self, f"_draw_{kind.lower()}")(dy)
        # Gate boxes with their strips.
        for name, (label, act, cx) in GATES[kind].items():
            x0, y0 = cx - GATE_W / 2, GATE_Y + dy
            S.box(ax, x0, y0, GATE_W, GATE_H, fill=S.GATE_FILL[act])
            S.text(ax, cx, y0 + GATE_H - 0.2, label, size=S.SMALL)
            self._strip(
                name,
                x0 + 0.1,
                y0 + 0.1,
                GATE_W - 0.2,
                S.SIGMOID_RANGE if act == "sigmoid" else S.TANH_RANGE,
            )
            ax.add_line(Line2D([cx, cx], [BUS_Y + dy, y0 - 0.0], color=S.INK, lw=1.2))
        height = LANE_TOP[kind] + dy + 1.75
        self._title = S.text(ax, 0.25, height - 0.3, "", ha="left", size=S.TITLE, weight="bold")
        self._colorbars(width, height, dy)
        S.fit_to_content(ax, (0.0, 0.0, width, height), own=self._own)
        self.layout_count += 1
        self._apply()

    def _strip(
        self, name: str, x0: float, y0: float, w: float, limits: tuple[float, float], h: float = 0.2
    ) -> None:
        cmap = S.SEQUENTIAL if limits[0] >= 0 else S.DIVERGING
        image = self.ax.imshow(
            np.zeros((1, 1)),
            cmap=cmap,
            vmin=limits[0],
            vmax=limits[1],
            extent=(x0, x0 + w, y0, y0 + h),
            aspect="auto",
            interpolation="nearest",
            interpolation_stage="rgba",  # colour the few values, then scale: cheap
            zorder=5,
        )
        self._strips[name] = image
        self._norms[name] = limits

    def _state(self, name: str, label: str, x: float, y: float, *, ha: str = "left") -> None:
        """A state's label and strip at the end of a lane (x is the lane's end)."""
        w = 0.95
        x0 = x if ha == "left" else x - w
        S.text(self.ax, x0 + w / 2, y + 0.27, f"${label}$", size=S.SMALL)
        self._strip(name, x0, y - 0.1, w, S.TANH_RANGE)

    def _wire(
        self,
        points: list[tuple[float, float]],
        *,
        head: bool = True,
        color: str = S.INK,
        lw: float = 1.4,
    ) -> None:
        xs, ys = zip(*points, strict=True)
        if head and len(points) >= 2:
            self.ax.add_line(Line2D(xs[:-1], ys[:-1], color=color, lw=lw))
            S.arrow(self.ax, points[-2], points[-1], "plain", color=color, lw=lw)
        else:
            self.ax.add_line(Line2D(xs, ys, color=color, lw=lw))

    def _op(self, symbol: str, x: float, y: float) -> None:
        r = 0.2 if symbol != "tanh" else 0.3
        self.ax.add_patch(Circle((x, y), r, facecolor="white", edgecolor=S.INK, lw=1.3, zorder=4))
        S.text(self.ax, x, y, symbol, size=S.FONT if symbol != "tanh" else S.SMALL, zorder=6)

    def _inputs(self, dy: float, bus_end: float, *, h_from_top: bool = False) -> None:
        """[h_{t−1}, x_t]: h from the left (or down from the top lane), x from below."""
        bus = BUS_Y + dy
        if h_from_top:
            self._wire([(1.3, TOP_Y + dy), (1.3, bus), (bus_end, bus)], head=False, color=S.STATE)
        else:
            self._state("h_prev", "h_{t-1}", 0.05, bus)
            self._wire([(1.0, bus), (bus_end, bus)], head=False, color=S.STATE)
        self._state("x", "x_t", 1.55, bus - 0.95)
        self._wire([(1.9, bus - 0.65), (1.9, bus)], color=S.INPUT)

    def _draw_simplernn(self, dy: float) -> None:
        self._inputs(dy, 4.3)
        cx = GATES["SimpleRNN"]["tanh"][2]
        self._wire([(cx, GATE_Y + dy + GATE_H), (cx, MID_Y + dy), (6.9, MID_Y + dy)], color=S.STATE)
        self._state("h", "h_t = y_t", 6.95, MID_Y + dy)

    def _draw_lstm(self, dy: float) -> None:
        g = {n: v[2] for n, v in GATES["LSTM"].items()}
        top, mid, gate_top = TOP_Y + dy, MID_Y + dy, GATE_Y + dy + GATE_H
        self._inputs(dy, g["output"])
        self._state("c_prev", "c_{t-1}", 0.05, top)
        x_plus = (g["input"] + g["candidate"]) / 2
        x_out = 8.45
        self._wire([(1.0, top), (g["forget"] - 0.2, top)], color=S.CELL_STATE, lw=2.2)
        self._wire([(g["forget"] + 0.2, top), (x_plus - 0.2, top)], color=S.CELL_STATE, lw=2.2)
        self._wire([(x_plus + 0.2, top), (9.0, top)], color=S.CELL_STATE, lw=2.2)
        self._op("×", g["forget"], top)
        self._op("+", x_plus, top)
        self._wire([(g["forget"], gate_top), (g["forget"], top - 0.2)])
        self._op("×", x_plus, mid)
        self._wire([(g["input"], gate_top), (g["input"], mid), (x_plus - 0.2, mid)])
        self._wire([(g["candidate"], gate_top), (g["candidate"], mid), (x_plus + 0.2, mid)])
        self._wire([(x_plus, mid + 0.2), (x_plus, top - 0.2)])
        # h_t = o ⊙ tanh(c_t)
        self._op("tanh", x_out, mid + 0.2)
        self._wire([(x_out, top), (x_out, mid + 0.5)], color=S.CELL_STATE)
        y_o = GATE_Y + dy + GATE_H / 2
        self._op("×", x_out, y_o)
        self._wire([(x_out, mid - 0.1), (x_out, y_o + 0.2)])
        self._wire([(g["output"] + GATE_W / 2, y_o), (x_out - 0.2, y_o)])
        self._wire([(x_out, y_o - 0.2), (x_out, BUS_Y + dy), (9.0, BUS_Y + dy)], color=S.STATE)
        self._state("c", "c_t", 9.02, top)
        self._c_note = S.text(self.ax, 9.02 + 0.475, top - 0.33, "", size=S.SMALL)
        self._state("h", "h_t = y_t", 9.02, BUS_Y + dy)

    def _draw_gru(self, dy: float) -> None:
        g = {n: v[2] for n, v in GATES["GRU"].items()}
        top, mid, gate_top = TOP_Y + dy, MID_Y + dy, GATE_Y + dy + GATE_H
        self._state("h_prev", "h_{t-1}", 0.05, top)
        self._inputs(dy, g["candidate"], h_from_top=True)
        self._wire([(1.0, top), (g["update"] - 0.2, top)], color=S.STATE, lw=2.0)
        self._wire([(g["update"] + 0.2, top), (g["candidate"] - 0.2, top)], color=S.STATE, lw=2.0)
        self._wire([(g["candidate"] + 0.2, top), (9.0, top)], color=S.STATE, lw=2.0)
        self._op("×", g["update"], top)
        self._op("+", g["candidate"], top)
        # z weighs the old state; 1 − z weighs the candidate.
        self._wire([(g["update"], gate_top), (g["update"], top - 0.2)])
        x_one = (g["reset"] + g["candidate"]) / 2 + 0.1
        self._wire([(g["update"], mid), (x_one - 0.25, mid)])
        self._op("1−", x_one, mid)
        self._op("×", g["candidate"], mid)
        self._wire([(x_one + 0.2, mid), (g["candidate"] - 0.2, mid)])
        self._wire([(g["candidate"], gate_top), (g["candidate"], mid - 0.2)])
        self._wire([(g["candidate"], mid + 0.2), (g["candidate"], top - 0.2)])
        # r scales the recurrent part of the candidate.
        y_r = GATE_Y + dy + GATE_H / 2
        self._wire([(g["reset"] + GATE_W / 2, y_r), (g["candidate"] - GATE_W / 2, y_r)])
        S.text(
            self.ax,
            (g["reset"] + g["candidate"]) / 2,
            y_r - 0.2,
            r"$r \odot (h_{t-1} \cdot U_h)$",
            size=S.SMALL,
        )
        self._state("h", "h_t = y_t", 9.02, top)

    def _colorbars(self, width: float, height: float, dy: float) -> None:
        """Two colour bars, top right: tanh range (−1…1) and σ range (0…1)."""
        self._cbars = []
        bars = [
            (
                {
                    "SimpleRNN": "tanh range: h",
                    "LSTM": "tanh range: h, c, c̃",
                    "GRU": "tanh range: h, h̃",
                }[self.kind],
                S.DIVERGING,
                S.TANH_RANGE,
            )
        ]
        if self.kind != "SimpleRNN":
            bars.append(("σ gates", S.SEQUENTIAL, S.SIGMOID_RANGE))
        for k, (label, cmap, (lo, hi)) in enumerate(bars):
            x0 = width - 2.0 - k * 2.35 - 0.25
            cax = self.ax.inset_axes((x0, height - 0.55, 1.9, 0.16), transform=self.ax.transData)
            bar = self.figure.colorbar(
                ScalarMappable(Normalize(lo, hi), colormaps[cmap]),
                cax=cax,
                orientation="horizontal",
            )
            bar.set_ticks([lo, (lo + hi) / 2, hi])
            bar.ax.tick_params(labelsize=S.SMALL, length=2, pad=1)
            S.fixed_axis_labels(cax)
            bar.label_text = S.text(self.ax, x0 + 0.95, height - 0.22, label, size=S.SMALL)
            self._cbars.append(bar)

    def _apply(self) -> None:
        kind, trace = self.kind, self.trace
        if self._cbars and self._cbars[0].ax.get_visible() != (trace is not None):
            self.layout_count += 1  # the colour bars appear (or go)
        if trace is None:
            for image in self._strips.values():
                image.set_visible(False)
            for bar in self._cbars:
                bar.ax.set_visible(False)
                bar.label_text.set_visible(False)
            self._title.set_text(f"Inside a {kind} cell")
            return
        ranges = {
            "c": S.colour_range(trace.c, S.TANH_RANGE) if trace.c is not None else None,
            "x": S.colour_range(trace.x, S.TANH_RANGE),
        }
        ranges["c_prev"] = ranges["c"]
        for name, image in self._strips.items():
            values = self.values[name]
            image.set_data(np.asarray(values, dtype=float).reshape(1, -1))
            lo, hi = ranges.get(name) or self._norms[name]
            image.set_clim(lo, hi)
            image.set_visible(True)
        for bar in self._cbars:
            bar.ax.set_visible(True)
            bar.label_text.set_visible(True)
        if self._c_note is not None:  # c beyond ±1 is coloured on its own, wider scale
            wide = ranges["c"] != S.TANH_RANGE
            self._c_note.set_text(f"colours: ±{ranges['c'][1]:g}" if wide else "")
        self._title.set_text(
            f"{kind} cell at step {self.t + 1} of {trace.timesteps} "
            f"(sample {self.sample + 1}, {trace.units} units)"
        )


def draw_cell(kind: str, **kw: object) -> Figure:
    """The Figure of a `CellPicture` (same arguments)."""
    return CellPicture(kind, **kw).figure
