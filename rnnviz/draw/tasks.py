"""Task shapes: which steps take an input and which give an output, in the unrolled picture's
visual language (x green from below, h blue to the right, y vermillion on top).
"""

from __future__ import annotations

import textwrap

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from . import style as S

# task -> (title, example, one (has_x, has_y) pair per step)
TASKS: dict[str, tuple[str, str, tuple[tuple[bool, bool], ...]]] = {
    "one-to-one": (
        "one-to-one",
        "one input, one output: no sequence at all (a plain network)",
        ((True, True),),
    ),
    "one-to-many": (
        "one-to-many",
        "one input, a sequence out: generating a poem or a caption",
        ((True, True), (False, True), (False, True), (False, True)),
    ),
    "many-to-one": (
        "many-to-one",
        "a sequence in, one output: spam or sentiment classification",
        ((True, False), (True, False), (True, False), (True, True)),
    ),
    "many-to-many": (
        "many-to-many (aligned)",
        "an output for every input: part-of-speech or named-entity tagging",
        ((True, True),) * 4,
    ),
    "encoder-decoder": (
        "many-to-many (encoder-decoder)",
        "read all, then write: machine translation, chatbots, question answering",
        ((True, False),) * 3 + ((False, True),) * 3,
    ),
}
PITCH, CELL = 0.85, 0.52
PANEL_H = 2.9


def check_task(task: object) -> str:
    if isinstance(task, str) and task.strip().lower() in TASKS:
        return task.strip().lower()
    raise ValueError(f"task must be one of {', '.join(repr(t) for t in TASKS)}; got {task!r}")


def panel_width(task: str) -> float:
    return max(len(TASKS[task][2]) * PITCH + 0.9, 3.3)


def draw_panel(ax: Axes, task: str, x0: float, y0: float) -> dict[str, int]:
    """Draw one task with its lower-left corner at (x0, y0) inches; returns what was drawn."""
    title, example, steps = TASKS[task]
    width = panel_width(task)
    n = len(steps)
    first = x0 + (width - (n - 1) * PITCH) / 2
    cy = y0 + 1.25  # bottom of the cells
    counts = {"cells": n, "inputs": 0, "outputs": 0}
    for i, (has_x, has_y) in enumerate(steps):
        cx = first + i * PITCH
        S.box(ax, cx - CELL / 2, cy, CELL, CELL)
        if i + 1 < n:
            S.arrow(
                ax, (cx + CELL / 2, cy + CELL / 2), (cx + PITCH - CELL / 2, cy + CELL / 2), "state"
            )
        if has_x:
            S.arrow(ax, (cx, cy - 0.4), (cx, cy), "input")
            S.text(ax, cx, cy - 0.55, S.sub("x", i + 1), size=S.SMALL)
            counts["inputs"] += 1
        if has_y:
            S.arrow(ax, (cx, cy + CELL), (cx, cy + CELL + 0.4), "returned")
            S.text(ax, cx, cy + CELL + 0.55, S.sub("y", i + 1), size=S.SMALL)
            counts["outputs"] += 1
    S.text(ax, x0 + width / 2, y0 + PANEL_H - 0.32, title, size=S.FONT, weight="bold")
    wrapped = textwrap.fill(
        example, width=int(width * 72 / (S.SMALL * 0.58)), break_on_hyphens=False
    )
    S.text(
        ax,
        x0 + width / 2,
        y0 + 0.3,
        wrapped,
        size=S.SMALL,
        va="center",
        color="#444444",
        linespacing=1.25,
    )
    return counts


class TaskPicture(S.Picture):
    """One task category: "one-to-one", "one-to-many", "many-to-one", "many-to-many" (aligned)
    or "encoder-decoder". `counts` says how many cells, inputs and outputs are drawn."""

    def __init__(self, task: str, *, ax: Axes | None = None) -> None:
        self.task = check_task(task)
        self._init_axes(ax, (panel_width(self.task), PANEL_H))
        self._build()

    def _repr_fields(self) -> dict[str, object]:
        return {"task": self.task}

    def update(self, task: str | None = None) -> TaskPicture:
        """Another task, in the same figure."""
        if task is not None:
            self.task = check_task(task)
            self._build()
        return self

    def _build(self) -> None:
        self.ax.clear()
        self.ax.set_axis_off()
        self.counts = draw_panel(self.ax, self.task, 0.0, 0.0)
        S.fit_to_content(self.ax, (0.0, 0.0, panel_width(self.task), PANEL_H), own=self._own)


def draw_task(task: str, **kw: object) -> Figure:
    """The Figure of a `TaskPicture`."""
    return TaskPicture(task, **kw).figure


def draw_tasks() -> Figure:
    """All five task categories: three on the first row, two on the second."""
    rows = (("one-to-one", "one-to-many", "many-to-one"), ("many-to-many", "encoder-decoder"))
    widths = [sum(panel_width(t) for t in row) + 0.3 * (len(row) - 1) for row in rows]
    width = max(widths) + 0.2
    height = PANEL_H * len(rows) + 0.55
    fig = S.new_figure(width, height)
    ax = S.canvas_axes(fig)
    S.text(
        ax,
        0.15,
        height - 0.3,
        "Task shapes: where a sequence goes in and comes out",
        ha="left",
        size=S.TITLE,
        weight="bold",
    )
    for r, row in enumerate(rows):
        x = (width - widths[r]) / 2
        y0 = height - 0.55 - (r + 1) * PANEL_H
        for task in row:
            draw_panel(ax, task, x, y0)
            x += panel_width(task) + 0.3
    S.fit_to_content(ax, (0.0, 0.0, width, height), own=True)
    return fig
