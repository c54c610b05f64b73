import numpy as np
import pytest

from rnnviz.data import one_hot
from rnnviz.draw import TASKS, TaskPicture, TensorPicture, draw_task, draw_tasks, draw_tensor


def test_tensor_3x2x3_names_its_axes_and_writes_values(texts):
    x = np.arange(18).reshape(3, 2, 3)
    shown = texts(draw_tensor(x))
    assert "x.shape = (3, 2, 3) = (batch, timesteps, input_dim)" in shown
    assert {"0", "1", "2", "3", "4", "5"} <= set(shown)  # sample 1 in front
    assert "6" not in shown
    assert "batch: 3 samples" in shown and "t=2" in shown and "t=3" not in shown
    assert any("input_dim" in s for s in shown) and any("timesteps" in s for s in shown)


def test_hello_as_one_hot_rows(texts):
    pic = TensorPicture(one_hot("hello"), step_labels="hello", feature_labels="helo")
    shown = texts(pic.figure)
    assert "x.shape = (5, 4) = (timesteps, input_dim)" in shown
    assert "t=5 'o'" in shown and "l" in shown
    assert shown.count("1") == 5


def test_tensor_folds_long_axes_and_updates_in_place(texts):
    x = np.zeros((64, 100, 128))
    pic = TensorPicture(x)
    shown = texts(pic.figure)
    assert "t=100" in shown and "t=50" not in shown and "128" in shown and "⋮" in shown
    cells = dict(pic._cells)
    pic.update(x=np.ones((64, 100, 128)))
    assert pic._cells == cells and pic._values[0, 0].get_text() == "1"
    pic.update(x=np.ones((2, 3, 2)))
    assert len(pic._cells) == 6


def test_tensor_errors():
    with pytest.raises(ValueError, match="shape"):
        draw_tensor(np.zeros(4))
    with pytest.raises(TypeError, match="dtype"):
        draw_tensor(np.array([["a"]]))
    with pytest.raises(ValueError, match="step_labels"):
        draw_tensor(np.zeros((5, 4)), step_labels="hi")


@pytest.mark.parametrize(
    ("task", "cells", "inputs", "outputs"),
    [
        ("one-to-one", 1, 1, 1),
        ("one-to-many", 4, 1, 4),
        ("many-to-one", 4, 4, 1),
        ("many-to-many", 4, 4, 4),
        ("encoder-decoder", 6, 3, 3),
    ],
)
def test_task_shapes(task, cells, inputs, outputs):
    pic = TaskPicture(task)
    assert pic.counts == {"cells": cells, "inputs": inputs, "outputs": outputs}
    assert len(pic.ax.patches) == cells + (cells - 1) + inputs + outputs  # boxes and arrows


def test_all_tasks_and_errors(texts):
    shown = " ".join(texts(draw_tasks()))
    for task in TASKS:
        assert TASKS[task][0] in shown
    with pytest.raises(ValueError, match="one-to-many"):
        draw_task("two-to-one")
    pic = TaskPicture("one-to-one").update("many-to-one")
    assert pic.counts["inputs"] == 4
