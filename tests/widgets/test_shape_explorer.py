"""ShapeExplorer: every control through its range, every flag combination, checked against the
core's output_shapes and param_count, and what the picture highlights."""

from __future__ import annotations

import itertools

import pytest

import rnnviz
from rnnviz.widgets import ShapeExplorer

from .helpers import assert_png, spread

KINDS = ("SimpleRNN", "LSTM", "GRU")


def expected_text(e: ShapeExplorer) -> list[str]:
    """The lines the summary must contain, computed from the core alone."""
    c = {name: ctl.value for name, ctl in e.controls.items() if hasattr(ctl, "value")}
    shapes = rnnviz.output_shapes(
        c["kind"],
        c["units"],
        c["timesteps"],
        c["input_dim"],
        batch=c["batch"],
        return_sequences=c["return_sequences"],
        return_state=c["return_state"],
    )
    lines = [f"{name:<13}{rnnviz.format_shape(shape)}" for name, shape in shapes.items()]
    widths = [c["input_dim"]] + [c["units"]] * (c["layers"] - 1)
    counts = [rnnviz.param_count(c["kind"], c["units"], i) for i in widths]
    lines += [f"layer {n}: {pc.formula}" for n, pc in enumerate(counts, start=1)]
    if len(counts) > 1:
        lines.append(f"total:   {sum(pc.total for pc in counts):,}")
    lines.append(
        f"inputs = keras.Input(shape=({c['timesteps']}, {c['input_dim']}), batch_size={c['batch']})"
    )
    lines.append(", ".join(shapes) + f" = keras.layers.{c['kind']}({c['units']}")
    return lines


def check(e: ShapeExplorer) -> None:
    assert e.error is None, e.error
    text = e.summary()
    for line in expected_text(e):
        assert line in text, f"{line!r} missing from:\n{text}"
    c = e.config()
    shapes = rnnviz.output_shapes(
        c["kind"],
        c["units"],
        c["timesteps"],
        c["input_dim"],
        batch=c["batch"],
        return_sequences=c["return_sequences"],
        return_state=c["return_state"],
    )
    assert e.shapes() == shapes
    # The picture highlights exactly what Keras returns, in Keras' order, and fades the rest.
    assert e.unrolled.returned == tuple(shapes)
    states = rnnviz.STATE_NAMES[c["kind"]]
    assert set(e.unrolled.faded) == (set() if c["return_state"] else set(states))
    assert e.unrolled.shape_labels["output"] == rnnviz.format_shape(shapes["output"])
    assert e.unrolled.shape_labels["input"] == rnnviz.format_shape(
        (c["batch"], c["timesteps"], c["input_dim"])
    )
    assert e.tensor.shape == (c["batch"], c["timesteps"], c["input_dim"])


@pytest.fixture(scope="module")
def explorer() -> ShapeExplorer:
    return ShapeExplorer(kind="LSTM", units=8, timesteps=5, input_dim=3, batch=4)


def test_every_kind_layers_and_flag_combination(explorer: ShapeExplorer) -> None:
    for kind, layers, seq, state in itertools.product(
        KINDS, (1, 2, 3, 4), (False, True), (False, True)
    ):
        with explorer.hold():
            explorer.controls["kind"].value = kind
            explorer.controls["layers"].value = layers
            explorer.controls["return_sequences"].value = seq
            explorer.controls["return_state"].value = state
        check(explorer)
        assert (explorer.unrolled.config.kind, explorer.unrolled.config.layers) == (kind, layers)


@pytest.mark.parametrize("name", ["batch", "timesteps", "input_dim", "units", "layers"])
def test_each_size_slider_through_its_range(explorer: ShapeExplorer, name: str) -> None:
    slider = explorer.controls[name]
    for value in spread(slider.min, slider.max):
        slider.value = value
        assert slider.value == value
        check(explorer)


def test_ranges_and_keras_names() -> None:
    e = ShapeExplorer()
    c = e.controls
    assert {
        "kind",
        "batch",
        "timesteps",
        "input_dim",
        "units",
        "layers",
        "return_sequences",
        "return_state",
        "check_keras",
    } <= set(c)
    assert c["timesteps"].max >= 100 and c["units"].max >= 128 and c["batch"].max >= 64
    assert min(c[n].min for n in ("batch", "timesteps", "input_dim", "units", "layers")) == 1
    assert list(c["kind"].options) == list(KINDS)


def test_constructor_keywords_and_lowercase_kind() -> None:
    e = ShapeExplorer(kind="lstm", units=50, timesteps=10, input_dim=30, return_state=True)
    assert e.controls["kind"].value == "LSTM"
    assert (
        "output, hidden_state, cell_state = keras.layers.LSTM(50, return_state=True)" in e.summary()
    )
    assert "4 × (50·(30+50) + 50) = 16,200" in e.summary()
    big = ShapeExplorer(units=300)  # outside the default range: the slider grows to hold it
    assert big.controls["units"].value == 300


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"kind": "Transformer"}, ValueError, "SimpleRNN"),
        ({"units": 0}, ValueError, "units"),
        ({"units": 2.5}, TypeError, "units"),
        ({"timesteps": None}, TypeError, "timesteps"),
        ({"batch": None}, TypeError, "batch"),
        ({"layers": 0}, ValueError, "layers"),
        ({"return_state": "yes"}, TypeError, "return_state"),
    ],
)
def test_bad_initial_values(kwargs: dict, error: type, words: str) -> None:
    with pytest.raises(error, match=words):
        ShapeExplorer(**kwargs)


def test_an_update_failure_is_shown_and_the_explorer_recovers(monkeypatch) -> None:
    e = ShapeExplorer(units=4)
    before = e.png()

    def broken(**_kw):
        raise RuntimeError("drawing broke")

    monkeypatch.setattr(e.unrolled, "update", broken)
    e.controls["units"].value = 5  # must not raise
    assert e.error == "RuntimeError: drawing broke"
    assert "drawing broke" in e.error_box.value and e.error_box.layout.display != "none"
    assert e.png() == before  # the last good picture stays
    monkeypatch.undo()
    e.controls["units"].value = 6
    assert e.error is None and e.error_box.layout.display == "none"
    check(e)


def test_hold_redraws_once(monkeypatch) -> None:
    e = ShapeExplorer()
    calls = []
    original = e._update
    monkeypatch.setattr(e, "_update", lambda: calls.append(1) or original())
    with e.hold():
        e.controls["units"].value = 3
        e.controls["timesteps"].value = 7
        e.controls["return_sequences"].value = True
    assert len(calls) == 1
    e.controls["units"].value = 4
    assert len(calls) == 2


def test_only_changed_pictures_are_rendered(monkeypatch) -> None:
    e = ShapeExplorer()
    for image in e.images.values():  # every picture is in its image widget from the start
        assert_png(image.value)
    rendered = []
    original = e._render
    monkeypatch.setattr(e, "_render", lambda name: rendered.append(name) or original(name))
    e.controls["units"].value = 3
    assert rendered == ["unrolled"]
    e.controls["timesteps"].value = 4
    assert sorted(rendered) == ["tensor", "unrolled", "unrolled"]
    assert_png(e.images["unrolled"].value)


def test_display_bundle_shows_a_picture_where_widgets_are_not_live() -> None:
    e = ShapeExplorer(kind="GRU", units=50, timesteps=10, input_dim=30, batch=32)
    data = e._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    assert data["text/plain"].startswith("ShapeExplorer: GRU(50) on input (32, 10, 30)")
    assert "VBox" not in data["text/plain"] and "run the cell" in data["text/plain"]
    width, height = assert_png(data["image/png"])
    assert width > 1000 and height > 300  # both pictures, side by side


@pytest.mark.keras
@pytest.mark.parametrize("kind", KINDS)
def test_check_with_keras_agrees(kind: str, keras) -> None:
    e = ShapeExplorer(
        kind=kind,
        units=3,
        timesteps=4,
        input_dim=2,
        batch=5,
        layers=2,
        return_sequences=True,
        return_state=True,
    )
    result = e.check_with_keras()
    assert result["agree"], result
    assert result["params"][0] == sum(pc.total for pc in e.param_counts())
    assert "agree ✓" in e.summary() and "agree ✓" in e.keras_panel.value
    e.controls["return_state"].value = False  # the check no longer applies: it is withdrawn
    assert "agree" not in e.summary()
    e.controls["check_keras"].click()  # the button does the same, errors shown not raised
    assert e.error is None and "agree ✓" in e.summary()
