import numpy as np
import pytest

from rnnviz.data import one_hot
from rnnviz.draw import TASKS, TaskPicture, TensorPicture, draw_task, draw_tasks, draw_tensor


def test_tensor_3x2x3_names_its_axes_and_writes_every_sample(texts):
    x = np.arange(1, 19).reshape(3, 2, 3)
    pic = TensorPicture(x)
    shown = texts(pic.figure)
    assert "x.shape = (3, 2, 3) = (batch, timesteps, input_dim)" in shown
    assert {str(v) for v in range(1, 19)} <= set(shown)  # every sample's values
    assert pic.side_by_side and {"sample 1", "sample 2", "sample 3"} <= set(shown)
    assert "batch: 3 samples" in shown and "t=2" in shown and "t=3" not in shown
    assert any("input_dim" in s for s in shown) and any("timesteps" in s for s in shown)


def test_tensor_values_share_one_format(texts):
    pic = TensorPicture(np.array([[[1.0, 1.8], [2.0, -0.001]]]))
    values = [pic._values[key].get_text() for key in sorted(pic._values)]
    assert values == ["1.00", "1.80", "2.00", "0.00"]
    pic.update(x=np.array([[[1.0, 2.0], [3.0, -4.0]]]))
    assert [pic._values[key].get_text() for key in sorted(pic._values)] == ["1", "2", "3", "-4"]


def test_tensor_batch_crosses_the_side_by_side_threshold(texts):
    pic = TensorPicture(np.ones((2, 3, 2)))
    assert pic.side_by_side and len(pic._cells) == 12
    pic.update(x=np.full((9, 3, 2), 2.0))
    shown = texts(pic.figure)
    assert not pic.side_by_side and len(pic._cells) == 6
    assert "batch: 9 samples" in shown and "sample 1 in front" in shown and "sample 2" not in shown
    pic.update(x=np.zeros((3, 3, 2)))
    assert pic.side_by_side and len(pic._cells) == 18 and "sample 3" in texts(pic.figure)


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
    assert pic._cells == cells and pic._values[0, 0, 0].get_text() == "1"
    assert not pic.side_by_side and "sample 1 in front" in texts(pic.figure)
    pic.update(x=np.ones((2, 3, 2)))
    assert len(pic._cells) == 12


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
