"""rnnviz.draw: pictures drawn from the exact configuration on screen (matplotlib, no pyplot).

    TensorPicture / draw_tensor       (batch, timesteps, input_dim): a grid per sample
    UnrolledPicture / draw_unrolled   one cell per step, the real shape on every arrow
    CellPicture / draw_cell           inside a SimpleRNN, LSTM or GRU cell, live values from a Trace
    StatePicture / draw_states        h, c and every gate as units × timesteps heatmaps
    TaskPicture / draw_task / draw_tasks   one-to-one ... encoder-decoder
    WeightPicture / draw_weights      a cell's kernel, recurrent_kernel and bias as heatmaps, cut
                                      into gate blocks (LSTM i, f, c̃, o; GRU z, r, h̃), the
                                      parameter count and its formula below
    ComparisonPicture / draw_comparison, draw_histories, draw_gradient_norms, draw_memory_unit,
    draw_forecast                     training results (rnnviz.training): accuracy by length,
                                      loss curves, gradients in time, a memory unit, forecasts

Every picture class owns its `figure` (or draws into a given `ax`) and has `update(...)`, which
changes the drawing in place. Steps are labelled t = 1..T on screen; the `t` arguments are 0-based
indices into a Trace, like `Trace.step(t)`.
"""

from .check import layout_problems
from .inside import CellPicture, draw_cell
from .states import StatePicture, draw_states
from .style import to_png
from .tasks import TASKS, TaskPicture, draw_task, draw_tasks
from .tensor import TensorPicture, draw_tensor
from .training import (
    ComparisonPicture,
    draw_comparison,
    draw_forecast,
    draw_gradient_norms,
    draw_histories,
    draw_memory_unit,
)
from .unrolled import UnrolledPicture, draw_unrolled
from .weights import WeightPicture, draw_weights

__all__ = [
    "TASKS",
    "CellPicture",
    "ComparisonPicture",
    "StatePicture",
    "TaskPicture",
    "TensorPicture",
    "UnrolledPicture",
    "WeightPicture",
    "draw_cell",
    "draw_comparison",
    "draw_forecast",
    "draw_gradient_norms",
    "draw_histories",
    "draw_memory_unit",
    "draw_states",
    "draw_task",
    "draw_tasks",
    "draw_tensor",
    "draw_unrolled",
    "draw_weights",
    "layout_problems",
    "to_png",
]
