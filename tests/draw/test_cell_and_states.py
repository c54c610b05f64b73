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
    assert "step 1 of 7" in pic._title.get_text()


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
    assert pic.layout_count == count  # only live artists moved: the background stays valid
    assert pic.ticks == {"timesteps": list(range(1, 8)), "units": [1, 3]}
    shown = [t.get_text() for t in pic._xtick_texts if t.get_visible()]
    assert shown == [str(k) for k in range(1, 8)]
    assert [t.get_text() for t in pic._ytick_texts["c"] if t.get_visible()] == ["1", "3"]
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


def _shown_limits(bar) -> tuple[float, float]:
    """The value range a colour bar shows, read from its axes."""
    lim = bar.ax.get_xlim() if bar.orientation == "horizontal" else bar.ax.get_ylim()
    return (float(min(lim)), float(max(lim)))


@pytest.mark.parametrize("bias", [0.0, 6.0])
@pytest.mark.parametrize("kind", rnnviz.KINDS)
def test_every_panel_norm_equals_what_its_colour_bar_shows(kind, bias):
    """With c inside ±1 (bias 0) and far beyond it (bias 6), after an in-place update too."""
    from rnnviz.draw.fastagg import TextCachingCanvas

    base = rnnviz.cell(kind, 3, 2, seed=1)
    pushed = base.with_options(bias=np.full(base.bias.shape, bias))
    x = np.random.default_rng(0).normal(size=(1, 12, 2))
    pic = StatePicture(base.run(x), t=2)
    pic.update(trace=pushed.run(x))
    TextCachingCanvas(pic.figure).draw()
    assert set(pic.colorbars) == set(pic.panels)
    for name, ax in pic.panels.items():
        clim = ax.images[0].get_clim()
        assert clim == pic.color_limits[name]
        assert _shown_limits(pic.colorbars[name]) == pytest.approx(clim), name
    if kind == "LSTM":
        c_bar = pic.colorbars["c"]
        assert c_bar not in [pic.colorbars["h"], pic.colorbars["input"]]  # its own bar
        if bias:
            assert np.abs(pushed.run(x).c).max() > 1 and pic.color_limits["c"][1] > 1


def test_cell_picture_notes_a_widened_cell_state_scale():
    cell = rnnviz.cell("LSTM", 2, 1).with_options(bias=np.full(8, 6.0))
    pic = CellPicture("LSTM", trace=cell.run(np.zeros((1, 5, 1))), t=4)
    hi = pic._strips["c"].get_clim()[1]
    assert hi > 1 and f"±{hi:g}" in pic._c_note.get_text()
    assert pic._c_note in pic.live_artists
    pic.update(trace=rnnviz.cell("LSTM", 2, 1).run(np.zeros((1, 5, 1))))
    assert pic._strips["c"].get_clim() == (-1.0, 1.0) and pic._c_note.get_text() == ""


def test_cell_equations_use_keras_order_in_one_notation(texts):
    """x_t·W (kernel (input_dim, units)) before h_{t−1}·U, all in mathtext: no mixed styles."""
    for kind in rnnviz.KINDS:
        lines = [t for t in texts(draw_cell(kind)) if "\\sigma" in t or "\\tanh" in t]
        assert lines, kind
        for line in lines:
            assert line.startswith("$") and line.endswith("$")
            assert "W \\cdot x" not in line and "U \\cdot h" not in line
            assert not any(ch in line for ch in "ₜᵢₒᵣₕ₋")  # no Unicode subscripts
        joined = " ".join(lines)
        assert "x_t \\cdot W" in joined and "h_{t-1} \\cdot U" in joined
