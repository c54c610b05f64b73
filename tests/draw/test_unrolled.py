import itertools

import pytest

import rnnviz
from rnnviz.draw import UnrolledPicture, draw_unrolled


@pytest.mark.parametrize(
    ("timesteps", "max_cells", "cells"),
    [(1, 6, 1), (5, 6, 5), (6, 6, 6), (7, 6, 6), (100, 6, 6), (100, 4, 4), (9, 5, 5)],
)
def test_one_cell_per_step_up_to_max_cells(timesteps, max_cells, cells):
    pic = UnrolledPicture("SimpleRNN", 4, timesteps, 3, max_cells=max_cells)
    assert pic.cells_drawn == cells
    folded = "⋯" in [t.get_text() for t in pic.ax.texts]
    assert folded == (timesteps > max_cells)


def test_stacked_layers_draw_one_row_each():
    pic = UnrolledPicture("GRU", 4, 3, 2, layers=3)
    assert pic.cells_drawn == 9
    assert pic.shape_labels["layer1_output"] == "(None, 3, 4)"


def test_step_labels_are_one_based_and_keep_the_last_steps(texts):
    fig = draw_unrolled("LSTM", 2, 20, 3)
    shown = texts(fig)
    assert {"t=1", "t=2", "t=3", "t=18", "t=19", "t=20"} <= set(shown)
    assert "t=0" not in shown and "t=4" not in shown


FLAGS = list(itertools.product(rnnviz.KINDS, [False, True], [False, True], [None, 64]))


@pytest.mark.parametrize(("kind", "seqs", "state", "batch"), FLAGS)
def test_shape_labels_equal_output_shapes(kind, seqs, state, batch, texts):
    pic = UnrolledPicture(kind, 50, 10, 30, batch=batch, return_sequences=seqs, return_state=state)
    shapes = rnnviz.output_shapes(
        kind, 50, 10, 30, batch=batch, return_sequences=seqs, return_state=state
    )
    shown = texts(pic.figure)
    assert pic.shape_labels["input"] == rnnviz.format_shape((batch, 10, 30))
    for name, shape in shapes.items():
        assert pic.shape_labels[name] == rnnviz.format_shape(shape)
        assert rnnviz.format_shape(shape) in shown
    assert pic.shape_labels["x_t"] == rnnviz.format_shape((batch, 30))
    assert pic.shape_labels["input"] in shown


@pytest.mark.parametrize(("kind", "seqs", "state", "batch"), FLAGS[::2])
def test_returned_highlighted_and_dropped_faded(kind, seqs, state, batch):
    pic = UnrolledPicture(kind, 8, 5, 3, batch=batch, return_sequences=seqs, return_state=state)
    keras_order = tuple(
        rnnviz.output_shapes(kind, 8, 5, 3, return_sequences=seqs, return_state=state)
    )
    assert pic.returned == keras_order
    assert set(pic.faded) == set(rnnviz.STATE_NAMES[kind]) - set(keras_order)
    for t in range(1, 6):
        assert pic.roles[f"y{t}"] == ("returned" if (seqs or t == 5) else "dropped")
    for name in rnnviz.STATE_NAMES[kind]:
        arrow = pic._arrows["L0.exit_" + name[0]]
        assert pic.roles[name] == ("returned" if state else "dropped")
        assert (arrow.get_alpha() == 1.0) == state
    last_y, first_y = pic._arrows["y4"], pic._arrows["y0"]
    assert last_y.get_alpha() == 1.0
    assert (first_y.get_alpha() == 1.0) == seqs
    assert pic._bracket_out.get_visible() == seqs


def test_flipping_a_flag_updates_in_place():
    pic = UnrolledPicture("LSTM", 8, 20, 3)
    fig, cells = pic.figure, list(pic._cells)
    pic.update(return_sequences=True, return_state=True, units=16, timesteps=30, batch=4)
    assert pic.figure is fig and pic._cells == cells  # no rebuild
    assert pic.returned == ("output", "hidden_state", "cell_state")
    assert pic.shape_labels["output"] == "(4, 30, 16)"
    assert "t=30" in [t.get_text() for t in pic.ax.texts]
    pic.update(timesteps=3)  # fewer cells: rebuilt, same figure
    assert pic.figure is fig and pic.cells_drawn == 3


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        (dict(kind="RNN"), ValueError, "SimpleRNN"),
        (dict(units=0), ValueError, "units"),
        (dict(timesteps=2.5), TypeError, "timesteps"),
        (dict(layers=0), ValueError, "layers"),
        (dict(max_cells=1), ValueError, "max_cells"),
        (dict(return_state="yes"), TypeError, "return_state"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, match):
    args = dict(kind="LSTM", units=4, timesteps=5, input_dim=3) | kwargs
    with pytest.raises(error, match=match):
        UnrolledPicture(**args)


def test_update_rejects_unknown_keyword():
    with pytest.raises(TypeError, match="colour"):
        UnrolledPicture("GRU", 2, 2, 2).update(colour="red")


def test_lstm_state_labels_read_in_keras_order_beside_their_lanes():
    pic = UnrolledPicture("LSTM", 4, 3, 2, return_state=True)
    h, c = (pic._labels[f"L0.{n}.name"].get_position()[1] for n in ("hidden_state", "cell_state"))
    assert h > c  # hidden_state above cell_state, as Keras returns them
    h_lane = pic._arrows["L0.exit_h"].get_path().vertices[:, 1].mean()
    c_lane = pic._arrows["L0.exit_c"].get_path().vertices[:, 1].mean()
    assert h_lane > c_lane
