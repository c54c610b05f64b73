"""Every picture renders cleanly at classroom sizes and at the extremes: no text off the figure,
no two texts overlapping (checked on the rendered extents)."""

import numpy as np
import pytest

import rnnviz
from rnnviz.draw import (
    StatePicture,
    TensorPicture,
    UnrolledPicture,
    draw_cell,
    draw_tasks,
    layout_problems,
)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(kind="SimpleRNN", units=50, timesteps=10, input_dim=30),
        dict(kind="LSTM", units=1, timesteps=1, input_dim=1, batch=1, return_state=True),
        dict(
            kind="GRU",
            units=128,
            timesteps=100,
            input_dim=128,
            batch=64,
            return_sequences=True,
            return_state=True,
        ),
        dict(
            kind="LSTM",
            units=128,
            timesteps=100,
            input_dim=128,
            batch=64,
            layers=4,
            return_sequences=True,
            return_state=True,
        ),
    ],
)
def test_unrolled_is_clean(kwargs):
    assert layout_problems(UnrolledPicture(**kwargs).figure) == []


@pytest.mark.parametrize(
    ("batch", "timesteps", "input_dim"), [(1, 1, 1), (3, 2, 3), (64, 100, 128)]
)
def test_tensor_is_clean(batch, timesteps, input_dim):
    x = np.random.default_rng(0).normal(size=(batch, timesteps, input_dim)) * 20
    assert layout_problems(TensorPicture(x).figure) == []


@pytest.mark.parametrize(
    ("kind", "units", "timesteps", "batch"),
    [("LSTM", 1, 1, 1), ("GRU", 8, 20, 3), ("LSTM", 128, 100, 64)],
)
def test_states_and_cell_are_clean(kind, units, timesteps, batch):
    x = np.random.default_rng(0).normal(size=(batch, timesteps, 2))
    trace = rnnviz.cell(kind, units, 2).run(x)
    assert layout_problems(StatePicture(trace, t=timesteps - 1).figure) == []
    assert layout_problems(draw_cell(kind, trace=trace, t=timesteps - 1)) == []


def test_tasks_are_clean():
    assert layout_problems(draw_tasks()) == []


def test_checker_finds_overlap_and_clipping():
    from rnnviz.draw.style import canvas_axes, new_figure, text

    fig = new_figure(3, 2)
    ax = canvas_axes(fig)
    ax.set_xlim(0, 3)
    ax.set_ylim(0, 2)
    text(ax, 1.0, 1.0, "(None, 10, 50)")
    text(ax, 1.1, 1.0, "(None, 50)")
    text(ax, 2.9, 0.1, "runs off")
    problems = layout_problems(fig)
    assert any("overlap" in p for p in problems)
    assert any("runs off the figure" in p for p in problems)
