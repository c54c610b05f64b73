"""The unrolled network: one cell per timestep, every arrow labelled with its real shape.

    x_t (batch, input_dim) in from below, h_t passed right (LSTM: c_t too, on a lane below),
    y_t (batch, units) out on top; what the layer returns is vermillion and solid, what it
    computes but drops is grey and dashed. Steps are labelled t = 1..T, as Keras users count.

Stacked layers are rows (layer 1 at the bottom); inner layers return sequences, which feed the
row above. The return flags apply to the top layer, whose outputs are the model's.
"""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .._checks import check_flag, check_kind, check_size
from ..shapes import STATE_NAMES, format_shape, output_shapes, param_count
from . import style as S

# Geometry, in inches.
CELL_W = 0.74
PITCH = 1.18  # distance between the centres of two neighbouring steps
FIRST_X = 1.25
ARROW = 0.5  # length of the x_t and y_t arrows
ROW_GAP = 1.05  # between the top of a row and the bottom of the row above
EXIT = 0.42
MIN_WIDTH = 7.8
CELL_H = {"SimpleRNN": 0.74, "GRU": 0.74, "LSTM": 1.02}
MAX_LAYERS = 6


@dataclass(frozen=True)
class UnrolledConfig:
    kind: str
    units: int
    timesteps: int
    input_dim: int
    batch: int | None
    layers: int
    return_sequences: bool
    return_state: bool
    max_cells: int

    @property
    def steps(self) -> tuple[int | None, ...]:
        """The steps drawn (1-based), None where the middle is folded into '…'."""
        t, m = self.timesteps, self.max_cells
        if t <= m:
            return tuple(range(1, t + 1))
        first = (m + 1) // 2
        last = m - first
        return (*range(1, first + 1), None, *range(t - last + 1, t + 1))

    @property
    def structure(self) -> tuple:
        """What decides which artists exist; anything else is changed in place."""
        folded = tuple(s is None for s in self.steps)
        return (self.kind, self.layers, folded)


def check_config(
    kind: str,
    units: int,
    timesteps: int,
    input_dim: int,
    *,
    batch: int | None = None,
    layers: int = 1,
    return_sequences: bool = False,
    return_state: bool = False,
    max_cells: int = 6,
) -> UnrolledConfig:
    kind = check_kind(kind)
    layers = check_size("layers", layers)
    if layers > MAX_LAYERS:
        raise ValueError(f"layers must be at most {MAX_LAYERS} to stay readable; got {layers}")
    return UnrolledConfig(
        kind=kind,
        units=check_size("units", units),
        timesteps=check_size("timesteps", timesteps),
        input_dim=check_size("input_dim", input_dim),
        batch=check_size("batch", batch, allow_none=True),
        layers=layers,
        return_sequences=check_flag("return_sequences", return_sequences),
        return_state=check_flag("return_state", return_state),
        max_cells=check_size("max_cells", max_cells, minimum=2),
    )


class UnrolledPicture(S.Picture):
    """A recurrent layer (or a stack of them) unrolled over its timesteps.

    Introspection: `cells_drawn` (cell boxes drawn), `shape_labels` (name -> shape text shown:
    "input", "output", "hidden_state", "cell_state" for LSTM, "x_t", "y_t" per step and
    "layer1_output" ... between stacked rows), `returned` / `faded` (Keras output names, Keras
    order) and `roles` ("y1".."yT", "hidden_state", "cell_state" -> "returned" or "dropped").
    """

    def __init__(
        self,
        kind: str,
        units: int,
        timesteps: int,
        input_dim: int,
        *,
        batch: int | None = None,
        layers: int = 1,
        return_sequences: bool = False,
        return_state: bool = False,
        max_cells: int = 6,
        ax: Axes | None = None,
    ) -> None:
        self.config = check_config(
            kind,
            units,
            timesteps,
            input_dim,
            batch=batch,
            layers=layers,
            return_sequences=return_sequences,
            return_state=return_state,
            max_cells=max_cells,
        )
        self._init_axes(ax, (MIN_WIDTH, 4.0))
        self._build()

    # ---------------------------------------------------------------- public
    def update(self, **changes: object) -> UnrolledPicture:
        """Change any constructor keyword (except ax); redraws only what must change."""
        known = set(UnrolledConfig.__dataclass_fields__)
        unknown = set(changes) - known
        if unknown:
            raise TypeError(
                f"unknown keyword(s) {sorted(unknown)}; known: {', '.join(sorted(known))}"
            )
        merged = {**self.config.__dict__, **changes}
        kind, units, timesteps, input_dim = (
            merged.pop(k) for k in ("kind", "units", "timesteps", "input_dim")
        )
        new = check_config(kind, units, timesteps, input_dim, **merged)
        old, self.config = self.config, new
        if new.structure != old.structure:
            self._build()
        else:
            self._apply()
        return self

    def _repr_fields(self) -> dict[str, object]:
        """kind, units, timesteps, input_dim, then the keywords that differ from their default."""
        cfg = self.config
        defaults = {"batch": None, "layers": 1, "return_sequences": False, "return_state": False}
        defaults["max_cells"] = 6
        fields = {k: getattr(cfg, k) for k in ("kind", "units", "timesteps", "input_dim")}
        fields.update({k: getattr(cfg, k) for k, v in defaults.items() if getattr(cfg, k) != v})
        return fields

    @property
    def cells_drawn(self) -> int:
        return len(self._cells)

    # ---------------------------------------------------------------- layout
    def _build(self) -> None:
        ax, cfg = self.ax, self.config
        ax.clear()
        ax.set_axis_off()
        self._cells: list = []
        self._cell_texts: list = []  # (layer, slot) -> step label Text
        self._arrows: dict[str, object] = {}
        self._labels: dict[str, object] = {}
        ch = CELL_H[cfg.kind]
        lstm = cfg.kind == "LSTM"
        steps = cfg.steps
        # Centre a short network in the minimum width.
        span = FIRST_X + (len(steps) - 1) * PITCH + CELL_W / 2 + EXIT + 1.25
        shift = max(0.0, (MIN_WIDTH - span) / 2)
        xs = [FIRST_X + shift + i * PITCH for i in range(len(steps))]
        self._xs = xs
        row_pitch = ch + ROW_GAP
        # Bottom of the picture (y = 0) is the lowest text line; rows start above the input lines.
        weight_lines = cfg.layers
        y_input_label = 0.25 + 0.3 * weight_lines
        y_bracket_in = y_input_label + 0.25
        row0 = y_bracket_in + 0.2 + 0.42 + ARROW  # room for the x name and shape lines
        rows = [row0 + layer * row_pitch for layer in range(cfg.layers)]
        self._rows = rows
        top = rows[-1] + ch

        for layer, y0 in enumerate(rows):
            # LSTM: h on top (it becomes y_t), c below, so the labels on the right read
            # hidden_state, cell_state: Keras' order.
            h_lane = y0 + (ch - 0.24 if lstm else ch / 2)
            c_lane = y0 + 0.28
            lanes = [("h", h_lane, "state")] + ([("c", c_lane, "cell_state")] if lstm else [])
            # Initial states entering from the left.
            left_edge = xs[0] - CELL_W / 2
            for name, lane_y, role in lanes:
                self._arrows[f"L{layer}.{name}0"] = S.arrow(
                    ax, (left_edge - 0.55, lane_y), (left_edge, lane_y), role
                )
                S.text(ax, left_edge - 0.62, lane_y, S.sub(name, 0), ha="right")
            if cfg.layers > 1:
                S.text(
                    ax,
                    0.08,
                    y0 + ch + 0.28,
                    f"layer {layer + 1}",
                    ha="left",
                    size=S.SMALL,
                    style="italic",
                )
            for i, (x, step) in enumerate(zip(xs, steps, strict=True)):
                if step is None:
                    for _, lane_y, _ in lanes:
                        S.text(ax, x, lane_y, "⋯", size=16)
                    continue
                self._cells.append(S.box(ax, x - CELL_W / 2, y0, CELL_W, ch))
                self._cell_texts.append(
                    (
                        layer,
                        i,
                        S.text(ax, x, y0 + ch / 2 + (0.0 if lstm else 0.12), "", size=S.SMALL),
                    )
                )
                S.text(
                    ax,
                    x,
                    y0 + ch / 2 - (0.22 if lstm else 0.14),
                    "W,U,b",
                    size=S.SMALL,
                    color="#555555",
                )
                # Lanes to the right: to the next cell, to the fold, or out of the layer.
                nxt = steps[i + 1] if i + 1 < len(steps) else "end"
                for name, lane_y, role in lanes:
                    x_start = x + CELL_W / 2
                    if nxt == "end":
                        key = f"L{layer}.exit_{name}"
                        self._arrows[key] = S.arrow(
                            ax, (x_start, lane_y), (x_start + EXIT, lane_y), "dropped"
                        )
                        state = "hidden_state" if name == "h" else "cell_state"
                        tx = x_start + EXIT + 0.08
                        self._labels[f"L{layer}.{state}.name"] = S.text(
                            ax, tx, lane_y + 0.03, state, ha="left", va="bottom", size=S.SMALL
                        )
                        self._labels[f"L{layer}.{state}.shape"] = S.text(
                            ax, tx, lane_y - 0.03, "", ha="left", va="top", size=S.SMALL
                        )
                        continue
                    x_end = (xs[i + 1] - 0.22) if nxt is None else (xs[i + 1] - CELL_W / 2)
                    self._arrows[f"L{layer}.{name}{i}"] = S.arrow(
                        ax, (x_start, lane_y), (x_end, lane_y), role
                    )
                    self._labels[f"L{layer}.{name}{i}"] = S.text(
                        ax, (x_start + x_end) / 2, lane_y + 0.05, "", va="bottom", size=S.SMALL
                    )
                # The fold's outgoing lanes.
                if i > 0 and steps[i - 1] is None:
                    for name, lane_y, role in lanes:
                        x_start, x_end = xs[i - 1] + 0.22, x - CELL_W / 2
                        self._arrows[f"L{layer}.{name}fold"] = S.arrow(
                            ax, (x_start, lane_y), (x_end, lane_y), role
                        )
                        self._labels[f"L{layer}.{name}fold"] = S.text(
                            ax, (x_start + x_end) / 2, lane_y + 0.05, "", va="bottom", size=S.SMALL
                        )
                # x_t in from below.
                if layer == 0:
                    self._arrows[f"x{i}"] = S.arrow(ax, (x, y0 - ARROW), (x, y0), "input")
                    self._labels[f"x{i}.name"] = S.text(ax, x, y0 - ARROW - 0.12, "", size=S.SMALL)
                    self._labels[f"x{i}.shape"] = S.text(ax, x, y0 - ARROW - 0.34, "", size=S.SMALL)
                # y_t out on top: into the next row, or out of the network.
                if layer < cfg.layers - 1:
                    self._arrows[f"L{layer}.y{i}"] = S.arrow(
                        ax, (x, y0 + ch), (x, rows[layer + 1]), "returned"
                    )
                    self._labels[f"L{layer}.y{i}.shape"] = S.text(
                        ax, x + 0.07, y0 + ch + ROW_GAP / 2, "", ha="left", size=S.SMALL
                    )
                    if nxt == "end":
                        tx, ty = x + CELL_W / 2 + EXIT + 0.08, y0 + ch + ROW_GAP / 2
                        S.text(
                            ax,
                            tx,
                            ty + 0.03,
                            f"layer {layer + 1} output",
                            ha="left",
                            va="bottom",
                            size=S.SMALL,
                            color=S.RETURNED,
                        )
                        self._labels[f"layer{layer + 1}_output"] = S.text(
                            ax,
                            tx,
                            ty - 0.03,
                            "",
                            ha="left",
                            va="top",
                            size=S.SMALL,
                            color=S.RETURNED,
                        )
                else:
                    self._arrows[f"y{i}"] = S.arrow(
                        ax, (x, y0 + ch), (x, y0 + ch + ARROW), "returned"
                    )
                    self._labels[f"y{i}.name"] = S.text(
                        ax, x, y0 + ch + ARROW + 0.12, "", size=S.SMALL
                    )
                    self._labels[f"y{i}.shape"] = S.text(
                        ax, x, y0 + ch + ARROW + 0.34, "", size=S.SMALL
                    )
            # Folded x / y labels.
            for x, step in zip(xs, steps, strict=True):
                if step is None:
                    if layer == 0:
                        S.text(ax, x, y0 - ARROW - 0.12, "⋯", size=S.FONT)
                    if layer == cfg.layers - 1:
                        S.text(ax, x, y0 + ch + ARROW + 0.12, "⋯", size=S.FONT)

        # The whole input tensor: a bracket under every x_t.
        x_lo, x_hi = xs[0] - 0.32, xs[-1] + 0.32
        ax.add_line(
            Line2D(
                [x_lo, x_lo, x_hi, x_hi],
                [y_bracket_in + 0.1, y_bracket_in, y_bracket_in, y_bracket_in + 0.1],
                color=S.INPUT,
                lw=1.5,
            )
        )
        xm = (xs[0] + xs[-1]) / 2
        self._labels["input.name"] = S.text(ax, xm - 0.06, y_input_label, "input", ha="right")
        self._labels["input.shape"] = S.text(ax, xm + 0.06, y_input_label, "", ha="left")
        # The whole output (return_sequences=True): a bracket over every y_t.
        y_bracket_out = top + ARROW + 0.62
        self._bracket_out = Line2D(
            [x_lo, x_lo, x_hi, x_hi],
            [y_bracket_out - 0.1, y_bracket_out, y_bracket_out, y_bracket_out - 0.1],
            color=S.RETURNED,
            lw=2.0,
        )
        ax.add_line(self._bracket_out)
        self._y_output_label = y_bracket_out + 0.22
        self._labels["output.name"] = S.text(ax, xm, self._y_output_label, "output", ha="right")
        self._labels["output.shape"] = S.text(ax, xm, self._y_output_label, "", ha="left")
        # Weights, shown once per layer.
        self._weight_texts = [
            S.text(ax, 0.08, 0.2 + 0.3 * (cfg.layers - 1 - layer), "", ha="left", size=S.SMALL)
            for layer in range(cfg.layers)
        ]
        # Title and legend.
        y_title = self._y_output_label + 0.78
        self._title = S.text(ax, 0.08, y_title, "", ha="left", size=S.TITLE, weight="bold")
        y_legend = y_title - 0.36
        for j, (role, label) in enumerate(
            (("returned", "returned by the layer"), ("dropped", "computed, then dropped"))
        ):
            x0 = 0.1 + j * 3.1
            S.arrow(ax, (x0, y_legend), (x0 + 0.45, y_legend), role)
            S.text(ax, x0 + 0.55, y_legend, label, ha="left", size=S.SMALL)
        right = max(xs[-1] + CELL_W / 2 + EXIT + 1.25, MIN_WIDTH)
        self._bounds = (0.0, 0.0, right, y_title + 0.3)
        S.fit_to_content(ax, self._bounds, own=self._own)
        self._apply()

    # ---------------------------------------------------------------- content
    def _apply(self) -> None:
        """Set every text, colour and style from the configuration (no new artists)."""
        cfg = self.config
        steps = [s for s in cfg.steps]
        full = output_shapes(
            cfg.kind,
            cfg.units,
            cfg.timesteps,
            cfg.input_dim,
            batch=cfg.batch,
            return_sequences=cfg.return_sequences,
            return_state=True,
        )
        returned_shapes = output_shapes(
            cfg.kind,
            cfg.units,
            cfg.timesteps,
            cfg.input_dim,
            batch=cfg.batch,
            return_sequences=cfg.return_sequences,
            return_state=cfg.return_state,
        )
        step_in = format_shape((cfg.batch, cfg.input_dim))
        step_out = format_shape((cfg.batch, cfg.units))
        labels: dict[str, str] = {
            "input": format_shape((cfg.batch, cfg.timesteps, cfg.input_dim)),
            "x_t": step_in,
            "y_t": step_out,
        }
        for name in ("output", *STATE_NAMES[cfg.kind]):
            labels[name] = format_shape(full[name])
        inner = output_shapes(
            cfg.kind,
            cfg.units,
            cfg.timesteps,
            cfg.input_dim,
            batch=cfg.batch,
            return_sequences=True,
        )["output"]
        for layer in range(cfg.layers - 1):
            labels[f"layer{layer + 1}_output"] = format_shape(inner)
            self._labels[f"layer{layer + 1}_output"].set_text(labels[f"layer{layer + 1}_output"])
        self.shape_labels = labels
        self.returned = tuple(returned_shapes)
        self.faded = tuple(n for n in STATE_NAMES[cfg.kind] if n not in returned_shapes)
        roles: dict[str, str] = {}
        last = len(steps) - 1
        for i, step in enumerate(steps):
            if step is None:
                continue
            role = "returned" if (cfg.return_sequences or i == last) else "dropped"
            roles[f"y{step}"] = role
        for name in STATE_NAMES[cfg.kind]:
            roles[name] = "returned" if cfg.return_state else "dropped"
        self.roles = roles

        L = self._labels
        L["input.shape"].set_text(labels["input"])
        for _layer, i, t in self._cell_texts:
            t.set_text(f"t={steps[i]}")
        for i, step in enumerate(steps):
            if step is None:
                continue
            if f"x{i}" in self._arrows:
                L[f"x{i}.name"].set_text(S.sub("x", step))
                L[f"x{i}.shape"].set_text(step_in)
            role = roles[f"y{step}"]
            S.style_arrow(self._arrows[f"y{i}"], role)
            for part in ("name", "shape"):
                S.style_text(L[f"y{i}.{part}"], role)
            L[f"y{i}.name"].set_text(S.sub("y", step))
            L[f"y{i}.shape"].set_text(step_out)
            for layer in range(cfg.layers):
                for lane in ("h", "c"):
                    key = f"L{layer}.{lane}{i}"
                    if key in L:
                        L[key].set_text(S.sub(lane, step))
                if f"L{layer}.y{i}.shape" in L:
                    L[f"L{layer}.y{i}.shape"].set_text(step_out)
                if i > 0 and steps[i - 1] is None:
                    for lane in ("h", "c"):
                        key = f"L{layer}.{lane}fold"
                        if key in L:
                            L[key].set_text(S.sub(lane, step - 1))
        for layer in range(cfg.layers):
            top = layer == cfg.layers - 1
            for state, lane in (("hidden_state", "h"), ("cell_state", "c")):
                key = f"L{layer}.exit_{lane}"
                if key not in self._arrows:
                    continue
                role = roles[state] if top else "dropped"
                S.style_arrow(self._arrows[key], role)
                for part in ("name", "shape"):
                    S.style_text(L[f"L{layer}.{state}.{part}"], role)
                L[f"L{layer}.{state}.shape"].set_text(labels[state])
        # Output label: over the bracket (every step) or over the last y_t.
        L["output.shape"].set_text(labels["output"])
        self._bracket_out.set_visible(cfg.return_sequences)
        x_out = (self._xs[0] + self._xs[-1]) / 2 if cfg.return_sequences else self._xs[-1]
        L["output.name"].set_position((x_out - 0.06, self._y_output_label))
        L["output.shape"].set_position((x_out + 0.06, self._y_output_label))
        for part in ("name", "shape"):
            S.style_text(L[f"output.{part}"], "returned")
        # Weights (the same at every step) and the title.
        for layer, t in enumerate(self._weight_texts):
            pc = param_count(cfg.kind, cfg.units, cfg.input_dim if layer == 0 else cfg.units)
            bias = format_shape(pc.bias) if pc.bias is not None else "none"
            prefix = f"layer {layer + 1}: " if cfg.layers > 1 else ""
            t.set_text(
                f"{prefix}the same W {format_shape(pc.kernel)}, "
                f"U {format_shape(pc.recurrent_kernel)}, b {bias} at every step: "
                f"{pc.total:,} parameters"
            )
        stack = f"{cfg.layers} × " if cfg.layers > 1 else ""
        self._title.set_text(
            f"{stack}{cfg.kind}({cfg.units}, return_sequences="
            f"{cfg.return_sequences}, return_state={cfg.return_state})"
        )


def draw_unrolled(kind: str, units: int, timesteps: int, input_dim: int, **kw: object) -> Figure:
    """The Figure of an `UnrolledPicture` (same arguments)."""
    return UnrolledPicture(kind, units, timesteps, input_dim, **kw).figure


__all__ = ["UnrolledPicture", "draw_unrolled"]
