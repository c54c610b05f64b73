"""StateExplorer and GateExplorer: every control through its range, values at the cursor equal to
the Trace of an independently built cell, errors shown in the explorer, display fallback."""

from __future__ import annotations

import itertools
import subprocess
import sys

import numpy as np
import pytest

import rnnviz
from rnnviz.widgets import GateExplorer, StateExplorer
from rnnviz.widgets.base import fmt
from rnnviz.widgets.gate_explorer import kept
from rnnviz.widgets.sequences import make_sequence

from .helpers import assert_png, spread


def reference_trace(e) -> rnnviz.Trace:
    """The Trace computed from the controls alone, without the explorer."""
    c = {name: ctl.value for name, ctl in e.controls.items() if hasattr(ctl, "value")}
    seq = make_sequence(c["sequence"], c["timesteps"], seed=c["seed"], own=e._own)
    cell = rnnviz.cell(c["kind"], c["units"], seq.x.shape[1], seed=c["seed"])
    if isinstance(e, GateExplorer):
        bias = np.array(cell.bias)
        u = c["units"]
        if c["kind"] == "LSTM":
            bias[u : 2 * u] = c["forget_bias"]
        else:
            bias[0, :u], bias[1, :u] = c["update_bias"], 0.0
        cell = cell.with_options(bias=bias)
    return cell.run(seq.x)


def check(e) -> None:
    assert e.error is None, e.error
    ref = reference_trace(e)
    t = e.controls["t"].value
    np.testing.assert_allclose(e.trace.h, ref.h, atol=1e-12)
    text = e.summary()
    assert f"step {t + 1} of {ref.timesteps} (index t = {t})" in text
    step = ref.step(t)
    assert f"h_t       {fmt(step['h'])}" in text
    for gate in ref.gates:
        assert f"{gate:<10}{fmt(step[gate])}" in text
    if ref.c is not None:
        assert f"c_t       {fmt(step['c'])}" in text
    assert e.state_picture.cursor_t == t
    assert set(e.state_picture.panels) >= {"h", *ref.gates}


@pytest.mark.parametrize("cls", [StateExplorer, GateExplorer])
def test_every_kind_and_sequence(cls) -> None:
    e = cls(units=3)
    for kind, name in itertools.product(cls.kinds, ("hello", "sine", "noise", "pulse")):
        with e.hold():
            e.controls["kind"].value = kind
            e.controls["sequence"].value = name
        check(e)
        if isinstance(e, StateExplorer):
            assert e.cell_picture.kind == kind
            np.testing.assert_allclose(
                e.cell_picture.values["h"], e.trace.step(e.controls["t"].value)["h"]
            )


@pytest.mark.parametrize("cls", [StateExplorer, GateExplorer])
@pytest.mark.parametrize("name", ["units", "timesteps", "seed", "t"])
def test_each_slider_through_its_range(cls, name: str) -> None:
    long = name in ("timesteps", "t")  # big units with few steps, many steps with few units
    e = cls(kind="GRU", units=2, sequence="noise", timesteps=100 if long else 5)
    slider = e.controls[name]
    for value in spread(slider.min, slider.max, every_below=4):
        slider.value = value
        assert slider.value == value
        check(e)
    assert e.controls["t"].max == e.controls["timesteps"].value - 1


def test_ranges_and_names() -> None:
    e = StateExplorer()
    assert e.controls["units"].max >= 128 and e.controls["timesteps"].max >= 100
    assert {"kind", "units", "sequence", "timesteps", "seed", "t"} <= set(e.controls)
    g = GateExplorer()
    assert {"forget_bias", "update_bias"} <= set(g.controls)
    assert list(g.controls["kind"].options) == ["LSTM", "GRU"]


def test_hello_is_five_steps_and_repeats_when_longer() -> None:
    e = StateExplorer(kind="SimpleRNN", units=2, sequence="hello")
    assert e.controls["timesteps"].value == 5 and "letter 'h'" in e.summary()
    e.controls["timesteps"].value = 7
    e.controls["t"].value = 5
    assert "letter 'h'" in e.summary()  # 'hellohe': the word again
    check(e)


def test_timesteps_shrinking_moves_the_cursor_inside() -> None:
    e = StateExplorer(sequence="sine", timesteps=30, t=29)
    e.controls["timesteps"].value = 10
    assert e.controls["t"].value == 9 and e.controls["t"].max == 9
    check(e)


def test_learners_own_array() -> None:
    x = np.linspace(-1, 1, 24).reshape(8, 3)
    e = StateExplorer(kind="LSTM", units=4, sequence=x)
    assert e.controls["sequence"].value == "yours" and e.controls["timesteps"].value == 8
    assert e.controls["timesteps"].max == 8
    check(e)
    np.testing.assert_allclose(e.trace.x[0], x)
    e.controls["sequence"].value = "sine"
    assert e.controls["timesteps"].max >= 100
    e.set_sequence(x[:5])
    assert e.controls["sequence"].value == "yours" and e.controls["timesteps"].value == 5
    check(e)


@pytest.mark.parametrize(
    ("sequence", "error", "words"),
    [
        (np.zeros(5), ValueError, r"x\[:, None\]"),
        (np.zeros((2, 3, 4)), ValueError, "shape"),
        (np.array([[np.nan, 1.0]]), ValueError, "NaN"),
        ("words", ValueError, "hello"),
        (np.array([["a"]]), TypeError, "numbers"),
    ],
)
def test_bad_sequences_are_refused_clearly(sequence, error, words) -> None:
    with pytest.raises(error, match=words):
        StateExplorer(sequence=sequence)
    e = StateExplorer()
    e.set_sequence(sequence)  # from a live explorer: shown, not raised
    assert e.error is not None and e.error.startswith(error.__name__)
    e.controls["t"].value = 1
    assert e.error is None  # the next good update clears it
    check(e)


def test_wrong_feature_size_for_a_given_cell_is_a_clear_message() -> None:
    cell = rnnviz.cell("LSTM", 3, input_dim=2, seed=1)
    with pytest.raises(ValueError, match="input_dim=2"):
        StateExplorer(cell=cell, sequence="hello")
    e = StateExplorer(cell=cell, sequence=np.ones((6, 2)))
    assert e.controls["kind"].disabled and e.controls["units"].value == 3
    e.controls["sequence"].value = "hello"  # 4 features per step: shown in the explorer
    assert "expects input_dim=2" in e.error and "expects input_dim=2" in e.error_box.value
    e.controls["sequence"].value = "yours"
    assert e.error is None
    np.testing.assert_allclose(e.trace.h, cell.run(np.ones((6, 2))).h)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"kind": "CNN"}, ValueError),
        ({"units": 0}, ValueError),
        ({"t": 5}, ValueError),
        ({"timesteps": 0}, ValueError),
        ({"seed": -1}, ValueError),
        ({"units": "4"}, TypeError),
    ],
)
def test_bad_initial_values(kwargs, error) -> None:
    with pytest.raises(error):
        StateExplorer(**kwargs)


def test_gate_explorer_refuses_simplernn_and_bad_bias() -> None:
    with pytest.raises(ValueError, match="LSTM"):
        GateExplorer(kind="SimpleRNN")
    with pytest.raises(TypeError, match="forget_bias"):
        GateExplorer(forget_bias="high")


@pytest.mark.parametrize(("kind", "name"), [("LSTM", "forget_bias"), ("GRU", "update_bias")])
def test_bias_slider_makes_the_memory_remember_or_forget(kind: str, name: str) -> None:
    e = GateExplorer(kind=kind, units=4, sequence="pulse", timesteps=20)
    assert e.controls[name].layout.display is None  # only the slider of this kind shows
    other = "update_bias" if name == "forget_bias" else "forget_bias"
    assert e.controls[other].layout.display == "none"
    shares = {}
    slider = e.controls[name]
    for value in (slider.min, -1.0, 0.0, 1.0, slider.max):
        slider.value = value
        check(e)
        np.testing.assert_allclose(e.kept(), kept(reference_trace(e)))
        shares[value] = float(e.kept()[-1].mean())
        assert f"{name} = {value:.2f}" in e.summary()
    values = [shares[v] for v in sorted(shares)]
    assert values == sorted(values) and values[0] < 1e-3 and values[-1] > 0.5


def test_kind_switch_shows_the_right_slider() -> None:
    e = GateExplorer(kind="LSTM")
    e.controls["kind"].value = "GRU"
    assert e.controls["update_bias"].layout.display is None
    assert e.controls["forget_bias"].layout.display == "none"
    check(e)


def test_cursor_moves_do_not_recompute_and_pictures_stay_true() -> None:
    e = StateExplorer(kind="LSTM", units=4, sequence="noise")
    trace = e.trace
    full = e._render("lines")
    e.controls["t"].value = 7
    assert e.trace is trace  # same Trace: only the cursor moved
    blitted = e.png("lines")
    e._drawers["lines"].invalidate()
    assert e._render("lines") == blitted  # the blit equals a full redraw
    assert blitted != full


@pytest.mark.parametrize("cls", [StateExplorer, GateExplorer])
def test_display_bundle(cls) -> None:
    data = cls(units=4)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    assert data["text/plain"].startswith(f"{cls.__name__}: ") and "VBox" not in data["text/plain"]
    assert_png(data["image/png"])


def test_importing_the_widgets_never_imports_tensorflow() -> None:
    code = (
        "import sys, rnnviz.widgets as w; w.ShapeExplorer(); w.StateExplorer(); "
        "w.GateExplorer(); bad = [m for m in ('tensorflow', 'keras') if m in sys.modules]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=300)


@pytest.mark.parametrize("cls", [StateExplorer, GateExplorer])
def test_fast_redraws_show_what_a_full_draw_shows(cls) -> None:
    """After new values (seed, bias), a step move and new sizes, every picture the explorer
    rendered with its kept backgrounds equals a full draw of the same figure."""
    import io

    from PIL import Image

    e = cls(kind="LSTM", units=4, sequence="noise", timesteps=12)
    bias = {"forget_bias": 4.0} if cls is GateExplorer else {}
    for name, value in [
        ("seed", 3),
        ("t", 5),
        *bias.items(),
        ("units", 6),
        ("t", 2),
        ("timesteps", 9),
    ]:
        e.controls[name].value = value
        assert e.error is None
        for fig_name, fig in e.figures.items():
            shown = np.asarray(Image.open(io.BytesIO(e.images[fig_name].value)), dtype=float)
            fig.canvas.draw()
            full = np.asarray(fig.canvas.buffer_rgba(), dtype=float)[..., :3]
            assert shown.shape == full.shape
            assert np.abs(shown - full).mean() < 0.05, (name, fig_name)


@pytest.mark.parametrize("cls", [StateExplorer, GateExplorer])
def test_texts_count_steps_from_one(cls) -> None:
    """Steps are shown 1..T everywhere ("step 20 of 20"); the 0-based index is named once."""
    import re

    e = cls(kind="LSTM", units=3, sequence="pulse", timesteps=20, t=19)
    text = e.summary()
    assert "step 20 of 20 (index t = 19)" in text
    assert text.count("index") == 1
    steps = [int(s) for s in re.findall(r"\bsteps? (\d+)\b", text)]
    assert steps and all(1 <= s <= 20 for s in steps) and 20 in steps
    assert "step 0" not in text and "step-0" not in text
    assert "step 20 of 20" in repr(e)
    if cls is GateExplorer:
        assert "kept at step 20)" in text
        assert "steps 2..s" in e.kept_lines.ax.get_title()
    e.controls["t"].value = 0
    assert "step 1 of 20 (index t = 0)" in e.summary() and "step 1 of 20" in repr(e)


def test_png_writer_is_lossless() -> None:
    import io

    from PIL import Image

    from rnnviz.widgets.base import encode_png

    rgba = np.random.default_rng(0).integers(0, 256, size=(7, 5, 4), dtype=np.uint8)
    with Image.open(io.BytesIO(encode_png(rgba))) as im:
        assert im.mode == "RGB" and im.size == (5, 7)
        np.testing.assert_array_equal(np.asarray(im), rgba[..., :3])


@pytest.mark.parametrize("cls", [StateExplorer, GateExplorer])
def test_line_panels_reuse_their_lines(cls) -> None:
    """A new number of units changes the lines in place: no new artists, extras hidden."""
    e = cls(kind="LSTM", units=8, sequence="noise", timesteps=12)
    fig = e.figures["lines" if cls is StateExplorer else "memory"]
    before = [list(ax.lines) for ax in fig.axes]
    e.controls["units"].value = 3
    assert [list(ax.lines) for ax in fig.axes] == before
    panel = e.trajectories if cls is StateExplorer else e.kept_lines
    lines = panel.h_lines if cls is StateExplorer else panel.lines
    assert [line.get_visible() for line in lines] == [True] * 3 + [False] * 5
    shown = e.trace.h[0] if cls is StateExplorer else e.kept()
    for k in range(3):
        np.testing.assert_allclose(lines[k].get_ydata(), shown[:, k])
    e.controls["kind"].value = "GRU"
    if cls is StateExplorer:
        assert not any(line.get_visible() for line in panel.c_lines)  # no cell state
    e.controls["units"].value = 20
    assert "first 8 of 20 units" in panel.ax.get_title()


def test_trajectories_name_their_lines_and_fill_the_height() -> None:
    e = StateExplorer(kind="SimpleRNN", units=2, sequence="hello")
    legend = [t.get_text() for t in e.trajectories.ax.get_legend().get_texts()]
    assert legend == ["unit 1", "unit 2"]
    cell_height = e.figures["cell"].get_size_inches()[1]
    assert e.figures["lines"].get_size_inches()[1] == pytest.approx(cell_height)
    e.controls["kind"].value = "LSTM"
    legend = [t.get_text() for t in e.trajectories.ax.get_legend().get_texts()]
    assert legend == ["unit 1", "unit 2", "h (solid)", "c (dashed)"]
    assert e.figures["lines"].get_size_inches()[1] == pytest.approx(
        e.figures["cell"].get_size_inches()[1]
    )
    e.controls["units"].value = 20
    legend = [t.get_text() for t in e.trajectories.ax.get_legend().get_texts()]
    assert legend[0] == "h: mean over units" and "unit 1" not in legend
    np.testing.assert_allclose(e.trajectories.mean.get_ydata(), e.trace.h[0].mean(axis=1))
    assert e.trajectories.mean.get_visible()
