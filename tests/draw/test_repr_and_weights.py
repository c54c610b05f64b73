"""Picture reprs (stable, no memory address) and the WeightPicture of a cell's parameters."""

import re

import numpy as np
import pytest

import rnnviz
from rnnviz.draw import (
    CellPicture,
    StatePicture,
    TaskPicture,
    TensorPicture,
    UnrolledPicture,
    WeightPicture,
    draw_weights,
    layout_problems,
)


def test_reprs_name_the_configuration():
    trace = rnnviz.cell("GRU", 4, 3).run(np.ones((2, 6, 3)))
    cases = {
        UnrolledPicture(
            "LSTM", units=50, timesteps=10, input_dim=30, return_sequences=True
        ): "UnrolledPicture(kind='LSTM', units=50, timesteps=10, input_dim=30, "
        "return_sequences=True)",
        UnrolledPicture("GRU", 2, 5, 4, batch=3, layers=2): (
            "UnrolledPicture(kind='GRU', units=2, timesteps=5, input_dim=4, batch=3, layers=2)"
        ),
        TensorPicture(np.zeros((3, 2, 3))): "TensorPicture(shape=(3, 2, 3))",
        TensorPicture(
            np.zeros((5, 4)), title="hello"
        ): "TensorPicture(shape=(5, 4), title='hello')",
        TaskPicture("many-to-one"): "TaskPicture(task='many-to-one')",
        CellPicture("LSTM"): "CellPicture(kind='LSTM')",
        CellPicture("GRU", trace=trace, t=2, sample=1): (
            "CellPicture(kind='GRU', units=4, timesteps=6, t=2, sample=1)"
        ),
        StatePicture(trace, t=5): (
            "StatePicture(kind='GRU', units=4, timesteps=6, batch=2, sample=0, t=5)"
        ),
        WeightPicture(
            rnnviz.cell("LSTM", 3, 2)
        ): "WeightPicture(kind='LSTM', units=3, input_dim=2)",
    }
    for picture, expected in cases.items():
        assert repr(picture) == expected
        assert not re.search(r"0x[0-9a-f]+", repr(picture))
    pic = UnrolledPicture("LSTM", 8, 10, 3)
    pic.update(units=9, return_state=True)
    assert repr(pic) == (
        "UnrolledPicture(kind='LSTM', units=9, timesteps=10, input_dim=3, return_state=True)"
    )


BLOCKS = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}


@pytest.mark.parametrize("kind", rnnviz.KINDS)
@pytest.mark.parametrize(("units", "input_dim"), [(1, 1), (3, 2), (16, 30)])
def test_weights_blocks_shapes_and_layout(kind, units, input_dim, texts):
    cell = rnnviz.cell(kind, units, input_dim, seed=3)
    pic = WeightPicture(cell)
    shown = texts(pic.figure)
    assert len(pic.blocks) == BLOCKS[kind] == max(len(cell.gate_names), 1)
    for label in pic.blocks:
        assert label in shown
    np.testing.assert_array_equal(pic.arrays["kernel"], cell.kernel)
    np.testing.assert_array_equal(pic.arrays["recurrent_kernel"], cell.recurrent_kernel)
    assert pic.arrays["bias"].size == cell.bias.size
    for name in ("kernel", "recurrent_kernel", "bias"):
        shape = getattr(cell, name).shape
        assert pic.titles[name].startswith(f"{name} {shape}")
        assert pic.titles[name] in shown
    assert pic.caption in shown
    assert cell.params.formula in pic.caption and f"{cell.count_params():,}" in pic.caption
    # one colour scale, centred on 0, holding every weight
    assert pic.limit >= max(np.abs(a).max() for a in pic.arrays.values())
    for image in pic.images.values():
        assert image.get_clim() == (-pic.limit, pic.limit)
        assert image.get_cmap().name == "RdBu_r"
    assert pic.values_written == (units * BLOCKS[kind] <= 16 and input_dim <= 10)
    assert layout_problems(pic.figure) == []


def test_weights_gru_bias_rows_and_names(texts):
    gru = rnnviz.cell("GRU", 3, 2)
    shown = texts(draw_weights(gru))
    assert "input bias" in shown and "recurrent bias" in shown
    assert {"update z", "reset r", "candidate h̃"} <= set(shown)
    lstm = WeightPicture(rnnviz.cell("LSTM", 3, 2)).blocks
    assert lstm == ["input i", "forget f", "candidate c̃", "output o"]
    narrow = WeightPicture(rnnviz.cell("LSTM", 1, 1)).blocks
    assert narrow == ["i", "f", "c̃", "o"]  # short names when a block is one column wide
    plain = WeightPicture(rnnviz.cell("GRU", 3, 2, reset_after=False))
    assert plain.arrays["bias"].shape == (1, 9) and "input bias" not in texts(plain.figure)


def test_weights_large_and_without_bias():
    big = WeightPicture(rnnviz.cell("LSTM", 64, 30))
    assert not big.values_written
    w, h = big.figure.get_size_inches()
    assert w <= 14 and h <= 11
    assert layout_problems(big.figure) == []
    nobias = WeightPicture(rnnviz.cell("LSTM", 2, 2, use_bias=False))
    assert "bias" not in nobias.arrays and repr(nobias).endswith("use_bias=False)")
    assert layout_problems(nobias.figure) == []


def test_weights_update_and_errors():
    pic = WeightPicture(rnnviz.cell("GRU", 2, 2))
    pic.update(rnnviz.cell("SimpleRNN", 4, 3))
    assert pic.blocks == ["h"] and pic.arrays["kernel"].shape == (3, 4)
    with pytest.raises(TypeError, match="rnnviz Cell"):
        WeightPicture(np.zeros((3, 4)))
