import numpy as np
import pytest

import rnnviz
from rnnviz.draw import CellPicture, StatePicture, draw_cell, draw_states

GATE_WORDS = {
    "SimpleRNN": ["tanh"],
    "LSTM": ["forget", "input", "candidate", "output"],
    "GRU": ["update", "reset", "candidate"],
}


@pytest.mark.parametrize("kind", rnnviz.KINDS)
def test_cell_draws_its_gates(kind, texts):
    fig = draw_cell(kind)
    shown = " ".join(texts(fig))
    for word in GATE_WORDS[kind]:
        assert word in shown
    others = {w for k, ws in GATE_WORDS.items() if k != kind for w in ws} - set(GATE_WORDS[kind])
    for word in others - {"tanh"}:
        assert f"{word} " not in shown
    assert CellPicture(kind).gate_names == rnnviz.GATE_NAMES[kind]
    assert ("c_prev" in CellPicture(kind)._strips) == (kind == "LSTM")


@pytest.mark.parametrize("kind", rnnviz.KINDS)
def test_cell_shows_the_values_of_step_t(kind, traces):
    trace = traces[kind]
    pic = CellPicture(kind, trace=trace, t=3, sample=1)
    step = trace.step(3, 1)
    for name in ("x", "h", "h_prev", *rnnviz.GATE_NAMES[kind]):
        np.testing.assert_array_equal(pic.values[name], step[name])
        np.testing.assert_array_equal(pic._strips[name].get_array().ravel(), step[name])
    for name in rnnviz.GATE_NAMES[kind]:
        expected = (-1.0, 1.0) if name == "candidate" else (0.0, 1.0)
        assert pic._strips[name].get_clim() == expected
    strips = dict(pic._strips)
    pic.update(t=0)
    assert pic._strips == strips  # same artists, new data
    np.testing.assert_array_equal(pic.values["h_prev"], trace.initial_state[0][1])
    assert "t=1 of 7" in pic._title.get_text()


def test_cell_errors(traces):
    with pytest.raises(ValueError, match="LSTM"):
        CellPicture("GRU", trace=traces["LSTM"])
    with pytest.raises(ValueError, match=r"t must be in 0\.\.6"):
        CellPicture("LSTM", trace=traces["LSTM"], t=7)
    with pytest.raises(TypeError, match="Trace"):
        CellPicture("LSTM", trace=np.zeros(3))


PANELS = {
    "SimpleRNN": ["h"],
    "LSTM": ["h", "c", "input", "forget", "candidate", "output"],
    "GRU": ["h", "update", "reset", "candidate"],
}


@pytest.mark.parametrize("kind", rnnviz.KINDS)
def test_state_panels_and_fixed_colour_scales(kind, traces):
    trace = traces[kind]
    pic = StatePicture(trace, sample=1, t=2)
    assert list(pic.panels) == PANELS[kind]
    for name, ax in pic.panels.items():
        image = ax.images[0]
        expected = (
            trace.h[1] if name == "h" else (trace.c[1] if name == "c" else trace.gates[name][1])
        )
        np.testing.assert_array_equal(image.get_array(), expected.T)  # units × timesteps
        sigmoid = name not in ("h", "c", "candidate")
        if name != "c":
            assert pic.color_limits[name] == ((0.0, 1.0) if sigmoid else (-1.0, 1.0))
        assert image.get_clim() == pic.color_limits[name]
        assert image.get_cmap().name == ("viridis" if sigmoid else "RdBu_r")
    assert pic.cursor_t == 2


def test_state_cursor_and_in_place_update(traces):
    pic = StatePicture(traces["GRU"], t=1)
    images = {n: ax.images[0] for n, ax in pic.panels.items()}
    pic.update(t=6)
    assert pic.cursor_t == 6
    assert pic._cursors["h"].get_x() == 6.5  # column of step 7 (1-based axis)
    other = rnnviz.cell("GRU", 5, 3, seed=9).run(np.ones((1, 7, 3)))
    pic.update(trace=other)
    assert {n: ax.images[0] for n, ax in pic.panels.items()} == images
    assert pic.sample == 0
    np.testing.assert_array_equal(images["reset"].get_array(), other.gates["reset"][0].T)
    pic.update(trace=rnnviz.cell("LSTM", 2, 3).run(np.ones((1, 4, 3))))
    assert list(pic.panels) == PANELS["LSTM"] and pic.cursor_t == 3


def test_cell_state_beyond_one_widens_its_scale_symmetrically():
    cell = rnnviz.cell("LSTM", 2, 1)
    cell = cell.with_options(bias=np.full(8, 6.0))  # i, f, c̃ near 1: c grows by ~1 a step
    trace = cell.run(np.zeros((1, 5, 1)))
    assert np.abs(trace.c).max() > 1
    lo, hi = StatePicture(trace).color_limits["c"]
    assert lo == -hi and hi >= np.abs(trace.c).max()


def test_state_errors(traces):
    with pytest.raises(TypeError, match="Trace"):
        draw_states(np.zeros((2, 3, 4)))
    with pytest.raises(ValueError, match="sample"):
        StatePicture(traces["LSTM"], sample=2)
    with pytest.raises(ValueError, match="t must be"):
        StatePicture(traces["LSTM"]).update(t=9)


def test_state_ticks_are_clean():
    from rnnviz.draw.states import _ticks

    assert _ticks(20) == [1, 5, 10, 15, 20]
    assert _ticks(7) == [1, 2, 3, 4, 5, 6, 7]
    assert _ticks(100) == [1, *range(10, 101, 10)]
    for n in range(1, 400):
        ticks = _ticks(n)
        assert ticks[0] == 1 and ticks[-1] <= n and len(ticks) <= 11
        assert min(np.diff(ticks), default=1) >= 1 if n <= 10 else min(np.diff(ticks)) >= 4


def test_state_new_size_keeps_axes_and_draws_like_a_fresh_picture():
    from rnnviz.draw.fastagg import TextCachingCanvas

    x = np.random.default_rng(3).normal(size=(1, 20, 3))
    pic = StatePicture(rnnviz.cell("LSTM", 8, 3).run(x), t=4)
    axes, count = list(pic.figure.axes), pic.layout_count
    smaller = rnnviz.cell("LSTM", 3, 3).run(x[:, :7])
    pic.update(trace=smaller, t=6)
    assert pic.figure.axes == axes  # panels and colour bars kept
    assert pic.layout_count > count  # but a viewer must redraw the background
    assert list(pic.panels["h"].get_xticks()) == list(range(1, 8))
    assert list(pic.panels["h"].get_yticks()) == [1, 3]
    fresh = StatePicture(smaller, t=6)
    for fig in (pic.figure, fresh.figure):
        TextCachingCanvas(fig).draw()
    np.testing.assert_array_equal(
        np.asarray(pic.figure.canvas.buffer_rgba()), np.asarray(fresh.figure.canvas.buffer_rgba())
    )
    assert pic.cursor_artists == [*pic._cursors.values(), pic._title]
    assert set(pic.cursor_artists) < set(pic.live_artists)
    count = pic.layout_count
    pic.update(trace=rnnviz.cell("LSTM", 3, 3, seed=5).run(x[:, :7]))
    assert pic.layout_count == count  # new values only: the background stays valid


def test_cell_new_units_update_in_place(traces):
    pic = CellPicture("GRU", trace=traces["GRU"], t=2)
    strips, count = dict(pic._strips), pic.layout_count
    bigger = rnnviz.cell("GRU", 9, 3).run(np.ones((1, 4, 3)))
    pic.update(trace=bigger, t=3)
    assert pic._strips == strips and pic.layout_count == count
    assert pic._strips["h"].get_array().shape == (1, 9)
    assert set(pic.live_artists) == {*strips.values(), pic._title}
