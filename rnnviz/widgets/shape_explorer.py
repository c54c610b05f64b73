"""ShapeExplorer: what a SimpleRNN / LSTM / GRU layer returns, and how many weights it has.

Controls (Keras names): kind, batch (1-64), timesteps (1-100), input_dim (1-100), units (1-128),
layers (1-4, stacked; inner layers return sequences, the flags apply to the top layer, as in Keras
code), return_sequences, return_state, and the button check_keras.
Panels: the Keras code that builds the stack, every returned tensor with its shape and meaning, the
parameter count per layer with its formula; the picture: the input tensor
(batch, timesteps, input_dim) and the unrolled network with shapes on the arrows.
"""

from __future__ import annotations

import ipywidgets as w
import numpy as np
from matplotlib.figure import Figure

from .._checks import check_flag, check_kind, check_size
from ..shapes import format_shape, output_shapes, param_count
from .base import Explorer, int_slider, pre

MEANINGS = {
    "output_sequences": "h at every step: one vector of `units` numbers per timestep",
    "output_last": "h after the last step: one vector of `units` numbers per sample",
    "hidden_state": "h after the last step (the same numbers as output{last})",
    "cell_state": "c after the last step: the LSTM's long-term memory lane",
}
KIND_OPTIONS = ("SimpleRNN", "LSTM", "GRU")
_MAX_TENSOR_CELLS = 8  # the input picture shows at most this many steps / features / samples


def keras_code(
    kind: str,
    units: int,
    timesteps: int,
    input_dim: int,
    *,
    batch: int | None,
    layers: int,
    return_sequences: bool,
    return_state: bool,
) -> str:
    """The Keras lines that build this stack, ready to copy into a notebook."""
    size = "" if batch is None else f", batch_size={batch}"
    lines = ["import keras", "", f"inputs = keras.Input(shape=({timesteps}, {input_dim}){size})"]
    x = "inputs"
    for _ in range(layers - 1):
        lines.append(f"x = keras.layers.{kind}({units}, return_sequences=True)({x})")
        x = "x"
    flags = [
        f"{name}=True"
        for name, on in (("return_sequences", return_sequences), ("return_state", return_state))
        if on
    ]
    call = f"keras.layers.{kind}({', '.join([str(units), *flags])})({x})"
    names = list(output_shapes(kind, units, timesteps, input_dim, return_state=return_state))
    lines.append(f"{', '.join(names)} = {call}")
    return "\n".join(lines)


class ShapeExplorer(Explorer):
    """Sliders over a recurrent layer's sizes and flags; shows code, shapes, parameters, picture.

    >>> e = ShapeExplorer(kind="LSTM", units=50, timesteps=10, input_dim=30, return_state=True)
    >>> e.controls["units"].value = 8          # redraws at once
    >>> print(e.summary())                     # the code, each returned tensor, the count

    Keyword arguments mirror the controls; bad values raise the core's ValueError / TypeError.
    `check_with_keras()` (the check_keras button) builds the real layers with Keras and shows its
    shapes and count beside rnnviz's; TensorFlow is imported there and nowhere else.
    """

    def __init__(
        self,
        kind: str = "LSTM",
        *,
        batch: int = 32,
        timesteps: int = 10,
        input_dim: int = 8,
        units: int = 16,
        layers: int = 1,
        return_sequences: bool = False,
        return_state: bool = False,
    ):
        kind = check_kind(kind)
        output_shapes(
            kind,
            units,
            timesteps,
            input_dim,
            batch=batch,
            return_sequences=return_sequences,
            return_state=return_state,
        )
        check_size("batch", batch)  # output_shapes allows None; the explorer needs a number
        check_size("timesteps", timesteps)
        layers = check_size("layers", layers)
        check_flag("return_sequences", return_sequences)
        check_flag("return_state", return_state)
        controls: dict[str, w.Widget] = {
            "kind": w.ToggleButtons(options=KIND_OPTIONS, value=kind, description="kind"),
            "batch": int_slider("batch", batch, 1, 64),
            "timesteps": int_slider("timesteps", timesteps, 1, 100),
            "input_dim": int_slider("input_dim", input_dim, 1, 100),
            "units": int_slider("units", units, 1, 128),
            "layers": int_slider("layers", layers, 1, 4),
            "return_sequences": w.Checkbox(value=return_sequences, description="return_sequences"),
            "return_state": w.Checkbox(value=return_state, description="return_state"),
            "check_keras": w.Button(
                description="check with Keras",
                icon="check",
                tooltip="build the real Keras layer (imports TensorFlow)",
            ),
        }
        self.code_panel = w.HTML()
        self.tensor_panel = w.HTML()
        self.param_panel = w.HTML()
        self.keras_panel = w.HTML(
            value=pre("check with Keras: press the button to build the real layer and compare.")
        )
        self._keras_result: str | None = None
        self._controls_for_config = controls
        self._drawn: dict = {}
        figures = self._build_pictures()
        super().__init__(
            figures,
            controls,
            [self.code_panel, self.tensor_panel, self.param_panel, self.keras_panel],
            rows=[["tensor", "unrolled"]],
        )
        controls["check_keras"].on_click(lambda _button: self._safe_check())
        self.refresh()

    # -- state ------------------------------------------------------------------------------
    def config(self) -> dict:
        """The controls' values as keyword arguments of output_shapes (plus layers)."""
        c = self._controls_for_config
        return {
            "kind": c["kind"].value,
            "units": c["units"].value,
            "timesteps": c["timesteps"].value,
            "input_dim": c["input_dim"].value,
            "batch": c["batch"].value,
            "layers": c["layers"].value,
            "return_sequences": c["return_sequences"].value,
            "return_state": c["return_state"].value,
        }

    def shapes(self) -> dict[str, tuple]:
        """What the top layer returns, name -> shape, in Keras' order."""
        cfg = self.config()
        cfg.pop("layers")
        return output_shapes(
            cfg.pop("kind"), cfg.pop("units"), cfg.pop("timesteps"), cfg.pop("input_dim"), **cfg
        )

    def param_counts(self) -> list:
        """One ParamCount per stacked layer (the first reads input_dim, the others units)."""
        cfg = self.config()
        widths = [cfg["input_dim"]] + [cfg["units"]] * (cfg["layers"] - 1)
        return [param_count(cfg["kind"], cfg["units"], i) for i in widths]

    # -- text -------------------------------------------------------------------------------
    def _tensor_lines(self) -> list[str]:
        cfg = self.config()
        last = "[:, -1]" if cfg["return_sequences"] else ""
        lines = [
            f"input         {format_shape((cfg['batch'], cfg['timesteps'], cfg['input_dim']))}"
            "  (batch, timesteps, input_dim)"
        ]
        if cfg["layers"] > 1:
            inner = format_shape((cfg["batch"], cfg["timesteps"], cfg["units"]))
            lines.append(
                f"inner layers  {inner}  each inner layer returns sequences, fed to the next layer"
            )
        lines.append("returned:")
        for name, shape in self.shapes().items():
            key = name
            if name == "output":
                key = "output_sequences" if cfg["return_sequences"] else "output_last"
            meaning = MEANINGS[key].replace("{last}", last)
            lines.append(f"  {name:<13}{format_shape(shape)}  {meaning}")
        return lines

    def _param_lines(self) -> list[str]:
        counts = self.param_counts()
        rule = f"rule: {counts[0].symbolic}   (h = units, i = input size of the layer)"
        lines = ["parameters:", rule]
        for n, pc in enumerate(counts, start=1):
            lines.append(f"  layer {n}: {pc.formula}")
        if len(counts) > 1:
            lines.append(f"  total:   {sum(pc.total for pc in counts):,}")
        return lines

    def summary(self) -> str:
        """The code, each returned tensor with its shape, the parameter count with its formula."""
        cfg = self.config()
        code = keras_code(**{k: v for k, v in cfg.items() if k != "kind"}, kind=cfg["kind"])
        parts = [code, "", *self._tensor_lines(), "", *self._param_lines()]
        if self._keras_result:
            parts += ["", self._keras_result]
        return "\n".join(parts)

    def describe(self) -> str:
        cfg = self.config()
        shape = format_shape((cfg["batch"], cfg["timesteps"], cfg["input_dim"]))
        stack = f"{cfg['layers']} × " if cfg["layers"] > 1 else ""
        return f"ShapeExplorer: {stack}{cfg['kind']}({cfg['units']}) on input {shape}"

    # -- update -----------------------------------------------------------------------------
    def _update(self) -> list[str]:
        cfg = self.config()
        code = keras_code(**cfg)
        tensors, params = self._tensor_lines(), self._param_lines()
        changed = ["unrolled"]
        self.unrolled.update(**cfg)
        size = (cfg["batch"], cfg["timesteps"], cfg["input_dim"])
        if size != self._drawn.get("size"):
            self.tensor.update(x=self.input_example())
            self._drawn["size"] = size
            changed.append("tensor")
        self.code_panel.value = pre(code)
        self.tensor_panel.value = pre("\n".join(tensors))
        self.param_panel.value = pre("\n".join(params))
        if self._keras_result is not None:  # a check made for other settings no longer applies
            self._keras_result = None
            self.keras_panel.value = pre(
                "check with Keras: press the button again for these settings."
            )
        return changed

    def input_example(self) -> np.ndarray:
        """Example input of shape (batch, timesteps, input_dim): seeded normal values rounded to
        one decimal, the same for every sample (only the front sample's values are drawn)."""
        cfg = self.config()
        rng = np.random.default_rng(0)
        front = np.round(rng.normal(size=(cfg["timesteps"], cfg["input_dim"])), 1)
        return np.broadcast_to(front, (cfg["batch"], *front.shape))

    def _build_pictures(self) -> dict[str, Figure]:
        from ..draw import TensorPicture, UnrolledPicture

        cfg = self.config()
        self.tensor = TensorPicture(self.input_example())
        self._drawn["size"] = (cfg["batch"], cfg["timesteps"], cfg["input_dim"])
        self.unrolled = UnrolledPicture(**cfg)
        return {"unrolled": self.unrolled.figure, "tensor": self.tensor.figure}

    # -- Keras ------------------------------------------------------------------------------
    def _safe_check(self) -> None:
        try:
            self.check_with_keras()
        except Exception as exc:
            self._show_error(f"check with Keras failed: {type(exc).__name__}: {exc}")

    def check_with_keras(self) -> dict:
        """Build the real Keras stack for the current settings; compare shapes and count.

        Returns {"shapes": {name: (keras_shape, rnnviz_shape)}, "params": (keras, rnnviz),
        "agree": bool} and shows the comparison in the Keras panel.
        """
        from ..session import quiet_tensorflow

        quiet_tensorflow()
        import keras

        cfg = self.config()
        layer_cls = getattr(keras.layers, cfg["kind"])
        inputs = keras.Input(shape=(cfg["timesteps"], cfg["input_dim"]), batch_size=cfg["batch"])
        x = inputs
        built = []
        for _ in range(cfg["layers"] - 1):
            built.append(layer_cls(cfg["units"], return_sequences=True))
            x = built[-1](x)
        built.append(
            layer_cls(
                cfg["units"],
                return_sequences=cfg["return_sequences"],
                return_state=cfg["return_state"],
            )
        )
        outs = built[-1](x)
        outs = list(outs) if isinstance(outs, list | tuple) else [outs]
        ours = self.shapes()
        pairs = {name: (tuple(o.shape), ours[name]) for name, o in zip(ours, outs, strict=True)}
        keras_count = sum(layer.count_params() for layer in built)
        our_count = sum(pc.total for pc in self.param_counts())
        agree = all(k == r for k, r in pairs.values()) and keras_count == our_count
        lines = [
            "check with Keras (keras " + keras.__version__ + "):",
            f"  {'tensor':<13}{'Keras':<18}rnnviz",
        ]
        for name, (k, r) in pairs.items():
            mark = "✓" if k == r else "✗"
            lines.append(f"  {name:<13}{format_shape(k):<18}{format_shape(r)}  {mark}")
        mark = "✓" if keras_count == our_count else "✗"
        lines.append(f"  {'parameters':<13}{keras_count:<18,}{our_count:,}  {mark}")
        lines.append("  agree ✓" if agree else "  DISAGREE ✗ (please report this)")
        text = "\n".join(lines)
        colour = "#1e8449" if agree else "#c0392b"
        self.keras_panel.value = (
            f'<div style="border-left:4px solid {colour};padding-left:6px">{pre(text)}</div>'
        )
        self._keras_result = text
        return {"shapes": pairs, "params": (keras_count, our_count), "agree": agree}
