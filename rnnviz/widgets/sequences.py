"""The input sequences the state and gate explorers run, and their shared controls.

A sequence is a (timesteps, input_dim) array plus a label per step:
    "hello"  one-hot letters of 'hello' over the alphabet 'helo', input_dim 4; a longer
             `timesteps` repeats the word ('hellohel...')
    "sine"   one sine wave with two periods over the whole sequence, input_dim 1
    "noise"  standard normal noise, input_dim 3, drawn with the explorer's seed
    "pulse"  1 at the first step and 0 after, input_dim 1: what happens to a single event
    "yours"  the learner's own array (timesteps, input_dim); `timesteps` takes its first steps
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as w
import numpy as np

from .. import data
from .._checks import check_kind, check_size
from ..cells import Cell, Trace, cell
from .base import Explorer, fmt, int_slider

NAMED = ("hello", "sine", "noise", "pulse")
NOISE_FEATURES = 3
MAX_TIMESTEPS = 100
MAX_UNITS = 128


def check_sequence(sequence: object) -> str | np.ndarray:
    """A name from NAMED, or the learner's array as float (timesteps, input_dim)."""
    if isinstance(sequence, str):
        if sequence in NAMED:
            return sequence
        raise ValueError(
            f"sequence must be one of {', '.join(map(repr, NAMED))} or an array of "
            f"shape (timesteps, input_dim); got {sequence!r}"
        )
    if not hasattr(sequence, "__len__") and not hasattr(sequence, "shape"):
        raise TypeError(
            "sequence must be a name or an array of shape (timesteps, input_dim); "
            f"got {type(sequence).__name__}"
        )
    arr = np.asarray(sequence)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"sequence must hold numbers; got an array of dtype {arr.dtype}")
    if arr.ndim == 3 and arr.shape[0] == 1:
        arr = arr[0]
    if arr.ndim == 1:
        raise ValueError(
            f"sequence must have shape (timesteps, input_dim); got shape {arr.shape}"
            f" (for one feature per step use x[:, None], shape ({arr.shape[0]}, 1))"
        )
    if arr.ndim != 2 or arr.shape[0] < 1 or arr.shape[1] < 1:
        raise ValueError(
            f"sequence must have shape (timesteps, input_dim) with at least one step "
            f"and one feature; got shape {arr.shape}"
        )
    if not np.all(np.isfinite(arr)):
        raise ValueError("sequence contains NaN or infinite values")
    return arr.astype(np.float64)


@dataclass(frozen=True)
class Sequence:
    """x (timesteps, input_dim) and a short label per step (a letter, or the step number)."""

    name: str
    x: np.ndarray
    labels: tuple[str, ...]


def make_sequence(
    name: str, timesteps: int, *, seed: int = 0, own: np.ndarray | None = None
) -> Sequence:
    """The named sequence cut or grown to `timesteps` steps (see the module docstring)."""
    timesteps = check_size("timesteps", timesteps)
    if name == "hello":
        word = ("hello" * (timesteps // 5 + 1))[:timesteps]
        return Sequence(name, data.one_hot(word).astype(np.float64), tuple(word))
    steps = tuple(str(t + 1) for t in range(timesteps))  # shown 1..T
    if name == "sine":
        x = data.sine_wave(timesteps, periods=2.0 if timesteps >= 8 else 0.5)
    elif name == "noise":
        x = data.noise(timesteps, NOISE_FEATURES, seed=seed)
    elif name == "pulse":
        x = np.zeros((timesteps, 1))
        x[0, 0] = 1.0
    elif name == "yours":
        if own is None:
            raise ValueError("sequence 'yours' needs an array: pass sequence=your_array")
        if timesteps > own.shape[0]:
            raise ValueError(
                f"timesteps={timesteps} is longer than your sequence, which has "
                f"{own.shape[0]} steps"
            )
        x = own[:timesteps]
    else:
        raise ValueError(f"unknown sequence {name!r}; known: {', '.join(NAMED)}, yours")
    return Sequence(name, np.asarray(x, dtype=np.float64), steps)


class SequenceExplorer(Explorer):
    """Shared base of StateExplorer and GateExplorer: a cell run over a sequence, a step cursor.

    Controls: kind, units (1-128), sequence, timesteps (1-100, or the length of the learner's
    array), seed (the weights' seed, also the noise's), t (the step under the cursor).
    Pass `cell=` (an rnnviz Cell, e.g. `rnnviz.from_keras(layer)`) to explore given weights:
    kind and units then come from the cell and their controls are disabled.
    After each update: `trace` (the Trace of the whole sequence), `sequence` (the Sequence run).
    """

    kinds: tuple[str, ...] = ("SimpleRNN", "LSTM", "GRU")
    default_sequence = "hello"

    def __init__(
        self,
        kind: str,
        units: int,
        sequence: object,
        timesteps: int | None,
        seed: int,
        t: int,
        cell: Cell | None,
        extra: dict[str, w.Widget],
        figures: dict,
        panels: list[w.Widget],
        rows: list[list[str]] | None = None,
    ):
        kind = check_kind(kind)
        if kind not in self.kinds:
            raise ValueError(
                f"kind must be one of {', '.join(map(repr, self.kinds))} for "
                f"{type(self).__name__}; got {kind!r}"
            )
        units = check_size("units", units)
        seed = check_size("seed", seed, minimum=0)
        if cell is not None:
            if not isinstance(cell, Cell):
                raise TypeError(
                    f"cell must be an rnnviz Cell (e.g. rnnviz.from_keras(layer)); "
                    f"got {type(cell).__name__}"
                )
            if cell.kind not in self.kinds:
                raise ValueError(
                    f"{type(self).__name__} explores {', '.join(self.kinds)} cells; "
                    f"got a {cell.kind}"
                )
            kind, units = cell.kind, cell.units
        self._given_cell = cell
        self._own: np.ndarray | None = None
        seq = check_sequence(sequence)
        if isinstance(seq, np.ndarray):
            self._own, seq = seq, "yours"
        if timesteps is None:
            timesteps = self._natural_length(seq)
        timesteps = check_size("timesteps", timesteps)
        first = make_sequence(seq, timesteps, seed=seed, own=self._own)  # raises if too long
        if cell is not None:
            cell._check_x(first.x)  # the core's clear message for a wrong feature size
        t = check_size("t", t, minimum=0)
        if t >= timesteps:
            raise ValueError(f"t must be in 0..{timesteps - 1} (timesteps={timesteps}); got {t}")
        options = [*NAMED, *(["yours"] if self._own is not None else [])]
        max_steps = self._own.shape[0] if seq == "yours" else MAX_TIMESTEPS
        controls: dict[str, w.Widget] = {
            "kind": w.ToggleButtons(
                options=self.kinds, value=kind, description="kind", disabled=cell is not None
            ),
            # A new size or seed redraws every picture: send the value when the drag ends. The
            # step cursor t is cheap (blitted), so it follows the drag.
            "units": int_slider(
                "units", units, 1, MAX_UNITS, disabled=cell is not None, continuous_update=False
            ),
            "sequence": w.Dropdown(options=options, value=seq, description="sequence"),
            "timesteps": int_slider("timesteps", timesteps, 1, max_steps, continuous_update=False),
            "seed": int_slider(
                "seed", seed, 0, 20, disabled=cell is not None, continuous_update=False
            ),
            "t": int_slider("t", t, 0, timesteps - 1),
            **extra,
        }
        controls["t"].description = "index t"  # step t + 1 of T: the texts count 1..T
        self.trace: Trace | None = None
        self.sequence: Sequence | None = None
        self._cells: dict = {}
        self._computed_for: tuple | None = None
        self._computed: tuple | None = None
        super().__init__(figures, controls, panels, rows)
        controls["sequence"].observe(self._sequence_changed, names="value")
        controls["timesteps"].observe(self._timesteps_changed, names="value")

    # -- controls that constrain others -------------------------------------------------------
    def _natural_length(self, name: str) -> int:
        return {"hello": 5, "yours": self._own.shape[0] if self._own is not None else 1}.get(
            name, 20
        )

    def _sequence_changed(self, change: dict) -> None:
        # Runs after the generic observer (registered first) scheduled nothing: inside hold().
        with self.hold():
            limit = self._own.shape[0] if change["new"] == "yours" else MAX_TIMESTEPS
            steps = self.controls["timesteps"]
            steps.max = max(limit, 1)
            steps.value = self._natural_length(change["new"])
            self._dirty = True

    def _timesteps_changed(self, change: dict) -> None:
        with self.hold():
            cursor = self.controls["t"]
            cursor.max = change["new"] - 1
            cursor.value = min(cursor.value, change["new"] - 1)
            self._dirty = True

    def _on_change(self, change: dict) -> None:
        # sequence and timesteps changes are handled (with their knock-on effects) above
        if change["owner"] in (self.controls["sequence"], self.controls["timesteps"]):
            return
        super()._on_change(change)

    def set_sequence(self, sequence: object) -> None:
        """Load the learner's own array (timesteps, input_dim) and show it; errors are shown."""
        try:
            arr = check_sequence(sequence)
            if isinstance(arr, str):
                self.controls["sequence"].value = arr
                return
            with self.hold():
                self._own = arr
                box = self.controls["sequence"]
                if "yours" not in box.options:
                    box.options = (*NAMED, "yours")
                if box.value == "yours":
                    self._sequence_changed({"new": "yours"})
                box.value = "yours"
                self._dirty = True
        except Exception as exc:
            self._show_error(f"{type(exc).__name__}: {exc}")

    # -- computing ---------------------------------------------------------------------------
    def config(self) -> dict:
        """The current control values by name."""
        return {name: c.value for name, c in self.controls.items() if hasattr(c, "value")}

    def make_cell(self, kind: str, units: int, input_dim: int, seed: int) -> Cell:
        """The cell to run; subclasses adjust it (e.g. a gate bias). Cached per configuration."""
        if self._given_cell is not None:
            return self._given_cell
        key = (kind, units, input_dim, seed)
        if key not in self._cells:
            self._cells = {key: cell(kind, units, input_dim, seed=seed)}
        return self._cells[key]

    def adjust(self, base: Cell) -> Cell:
        """Hook for subclasses: change the cell's weights from extra controls."""
        return base

    def _compute(self) -> tuple[Sequence, Trace, int]:
        """The sequence and its Trace (reused while only the cursor t moves), and t."""
        cfg = self.config()
        t = cfg.pop("t")
        key = (tuple(sorted(cfg.items())), id(self._own))
        if key != self._computed_for:
            seq = make_sequence(cfg["sequence"], cfg["timesteps"], seed=cfg["seed"], own=self._own)
            base = self.make_cell(cfg["kind"], cfg["units"], seq.x.shape[1], cfg["seed"])
            trace = self.adjust(base).run(seq.x)
            self._computed = (seq, trace)
            self._computed_for = key
        seq, trace = self._computed
        return seq, trace, min(t, trace.timesteps - 1)

    # -- text --------------------------------------------------------------------------------
    def step_lines(self) -> list[str]:
        """The values at the cursor step, rounded to 4 decimals (the first 8 units)."""
        trace, seq = self.trace, self.sequence
        t = self.controls["t"].value
        values = trace.step(t)
        label = seq.labels[t]
        what = f"letter {label!r}" if seq.name == "hello" else f"x = {fmt(values['x'], 4)}"
        lines = [f"step {t + 1} of {trace.timesteps} (index t = {t}): {what}"]
        order = [
            "x",
            "h_prev",
            *(["c_prev"] if trace.c is not None else []),
            *trace.gates,
            *(["c"] if trace.c is not None else []),
            "h",
        ]
        names = {"x": "x_t", "h_prev": "h_{t-1}", "c_prev": "c_{t-1}", "c": "c_t", "h": "h_t"}
        for key in order:
            lines.append(f"  {names.get(key, key):<10}{fmt(values[key])}")
        return lines

    def describe(self) -> str:
        cfg = self.config()
        return (
            f"{type(self).__name__}: {cfg['kind']}({cfg['units']}) on '{cfg['sequence']}' "
            f"({cfg['timesteps']} steps), step {cfg['t'] + 1} of {cfg['timesteps']}"
        )
