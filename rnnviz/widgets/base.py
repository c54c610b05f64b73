"""The machinery every explorer shares: controls, a live PNG picture, text panels, an error box.

An explorer is not itself a widget: it owns one, `explorer.widget` (a VBox), and displays itself
through `_repr_mimebundle_`, which returns the widget view together with a PNG of the current
picture and a short text. A live notebook shows the widget; a viewer without live widgets (a saved
notebook opened before it runs, GitHub, nbviewer) shows the PNG instead of "VBox(children=...".

How an update flows:
    control.value changes -> _on_change -> refresh() -> _update() (subclass: compute, change the
    drawing in place, fill the text panels) -> render the Figure to PNG -> image.value
Several changes made inside `with explorer.hold():` cause one refresh at the end. Any exception
inside an update is caught and shown in the explorer's own error box (the last good picture
stays); the next successful update clears it.
"""

from __future__ import annotations

import base64
import html
import io
import struct
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

import ipywidgets as w
import numpy as np
from matplotlib.figure import Figure

from .fastagg import TextCachingCanvas

# Fast PNG encoding: the pictures are flat colours, so level 1 is barely bigger and much faster.
_PNG_LEVEL = 1
ERROR_STYLE = (
    "border:2px solid #c0392b;background:#fdecea;color:#7b1e12;padding:6px 10px;"
    "border-radius:4px;font-family:monospace;white-space:pre-wrap"
)
PANEL_STYLE = "font-family:monospace;font-size:13px;line-height:1.35"


def pre(text: str) -> str:
    """Plain text as an HTML block that keeps spaces and line breaks."""
    return f'<pre style="{PANEL_STYLE};margin:0">{html.escape(text)}</pre>'


def fmt(values: object, limit: int = 8) -> str:
    """A 1-D array rounded to 4 decimals, the first `limit` values then '… (n units)'."""
    arr = np.asarray(values, dtype=float).ravel()
    shown = ", ".join(f"{v:.4f}" for v in np.round(arr[:limit], 4) + 0.0)  # + 0.0: no "-0.0000"
    more = f", … ({arr.size} values)" if arr.size > limit else ""
    return f"[{shown}{more}]"


def int_slider(name: str, value: int, low: int, high: int, **kw: object) -> w.IntSlider:
    """A labelled IntSlider whose range grows to hold `value` if it lies outside [low, high]."""
    return w.IntSlider(
        value=value,
        min=min(low, value),
        max=max(high, value),
        description=name,
        style={"description_width": "initial"},
        **kw,
    )


class Explorer:
    """Base class: subclasses build `controls` and a Figure, then implement `_update` and `summary`.

    Public surface: `controls` (name -> control), `figure` (the live matplotlib Figure),
    `widget` (the VBox to place in other layouts), `summary()`, `error`, `png()`.
    """

    #: Shown by viewers that cannot run widgets, after the class name.
    _hint = "run the cell to interact"

    def __init__(
        self,
        figures: dict[str, Figure],
        controls: dict[str, w.Widget],
        panels: list[w.Widget],
        rows: list[list[str]] | None = None,
    ):
        """figures: name -> Figure, the first is `figure`; rows: how the pictures are laid out
        (lists of figure names, one list per row; default: all in one row)."""
        self.controls = controls
        self._figures: dict[str, Figure] = {}
        self._png: dict[str, bytes] = {}
        #: name -> function(canvas) that brings the canvas up to date (default: canvas.draw()).
        self._drawers: dict = {}
        self._holding = 0
        self._dirty = False
        self._error: str | None = None
        self.images: dict[str, w.Image] = {}
        for name, figure in figures.items():
            self.images[name] = w.Image(
                format="png", layout=w.Layout(max_width="100%", height="auto")
            )
            self.set_figure(name, figure)
        self._rows = rows or [list(figures)]
        self.error_box = w.HTML(layout=w.Layout(display="none"))
        self.panels = panels
        inputs = [c for c in controls.values() if not isinstance(c, w.Button)]
        buttons = [c for c in controls.values() if isinstance(c, w.Button)]
        control_rows = [w.HBox(inputs[i : i + 3]) for i in range(0, len(inputs), 3)]
        picture_rows = [
            w.HBox(
                [self.images[n] for n in row],
                layout=w.Layout(flex_flow="row wrap", align_items="flex-start"),
            )
            for row in self._rows
        ]
        self.widget = w.VBox(
            [
                *control_rows,
                *([w.HBox(buttons)] if buttons else []),
                self.error_box,
                *picture_rows,
                w.HBox(panels, layout=w.Layout(flex_flow="row wrap", grid_gap="16px")),
            ]
        )
        for control in inputs:
            control.observe(self._on_change, names="value")

    @property
    def figure(self) -> Figure:
        """The main live matplotlib Figure (see `figures` for all of them)."""
        return next(iter(self._figures.values()))

    @property
    def figures(self) -> dict[str, Figure]:
        """Every live Figure by name, each shown as its own image."""
        return dict(self._figures)

    def set_figure(self, name: str, figure: Figure) -> None:
        """Show `figure` under `name` (a picture rebuilt with a new Figure calls this)."""
        if not isinstance(figure.canvas, TextCachingCanvas):
            TextCachingCanvas(figure)
        self._figures[name] = figure
        self._png.pop(name, None)
        self.images[name].value = b""  # rendered by the next refresh

    # -- the update cycle ------------------------------------------------------------------
    @contextmanager
    def hold(self) -> Iterator[None]:
        """Batch several control changes into one redraw at the end of the `with` block."""
        self._holding += 1
        try:
            yield
        finally:
            self._holding -= 1
            if self._holding == 0 and self._dirty:
                self.refresh()

    def _on_change(self, change: dict) -> None:
        if self._holding:
            self._dirty = True
            return
        self.refresh()

    def refresh(self) -> None:
        """Recompute, redraw and re-render now; a failure is shown in the error box, not raised."""
        self._dirty = False
        self._holding += 1  # controls changed by _update (e.g. a slider's max) do not re-enter
        try:
            changed = self._update()
            names = list(self._figures) if changed is None else list(changed)
            names += [n for n in self._figures if n not in names and not self.images[n].value]
            rendered = {name: self._render(name) for name in names}
        except Exception as exc:
            self._show_error(f"{type(exc).__name__}: {exc}")
        else:
            self._png.update(rendered)
            with self.widget.hold_sync():
                for name, png in rendered.items():
                    self.images[name].value = png
                self._show_error(None)
        finally:
            self._holding -= 1
            self._dirty = False

    def _update(self) -> list[str] | None:
        """Subclasses: read the controls, update the drawings in place, fill the text panels;
        return the names of the figures that changed (None: all of them)."""
        raise NotImplementedError

    def _render(self, name: str) -> bytes:
        """Draw one figure and encode it as an RGB PNG (no alpha: smaller and faster)."""
        canvas = self._figures[name].canvas
        draw = self._drawers.get(name)
        if draw is None:
            canvas.draw()
        else:
            draw(canvas)  # e.g. a blit: a cached background plus the artists that moved
        return encode_png(np.asarray(canvas.buffer_rgba()))

    def png(self, name: str | None = None) -> bytes:
        """The picture shown now as PNG bytes: one figure by name, or (None) all of them
        composed as laid out in the widget."""
        if name is not None:
            if name not in self._png:
                self._png[name] = self._render(name)
            return self._png[name]
        if len(self._figures) == 1:
            return self.png(next(iter(self._figures)))
        return compose([[self.png(n) for n in row] for row in self._rows])

    # -- errors ---------------------------------------------------------------------------
    @property
    def error(self) -> str | None:
        """The message shown in the error box now, or None when the last update succeeded."""
        return self._error

    def _show_error(self, message: str | None) -> None:
        self._error = message
        if message is None:
            self.error_box.value = ""
            self.error_box.layout.display = "none"
        else:
            text = html.escape(message)
            self.error_box.value = f'<div style="{ERROR_STYLE}">⚠ {text}</div>'
            self.error_box.layout.display = None

    # -- text and display -------------------------------------------------------------------
    def summary(self) -> str:
        """Plain text of what the panels show now."""
        raise NotImplementedError

    def describe(self) -> str:
        """One line naming the configuration, used by viewers without live widgets."""
        return type(self).__name__

    def __repr__(self) -> str:
        return f"{self.describe()} — {self._hint}"

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict:
        """The widget view, a PNG of the current picture and a friendly text, in one bundle."""
        data = dict(self.widget._repr_mimebundle_(include=include, exclude=exclude))
        data["image/png"] = base64.b64encode(self.png()).decode("ascii")
        data["text/plain"] = repr(self)
        return data


def encode_png(rgba: np.ndarray, level: int = _PNG_LEVEL) -> bytes:
    """An (height, width, 4) uint8 image as RGB PNG bytes, written directly: no row filter and
    zlib level 1, which suits flat-coloured pictures and takes about half of PIL's time."""
    height, width = rgba.shape[:2]
    rows = np.zeros((height, 1 + 3 * width), dtype=np.uint8)  # each row: filter byte 0, RGB
    np.copyto(rows[:, 1:].reshape(height, width, 3), rgba[..., :3])  # a view: one copy only

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8 bit, RGB, no interlace
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows.tobytes(), level))
        + chunk(b"IEND", b"")
    )


def compose(rows: list[list[bytes]]) -> bytes:
    """PNG images laid out in rows (left to right, rows top to bottom) on white, as one PNG."""
    from PIL import Image

    opened = [[Image.open(io.BytesIO(png)).convert("RGB") for png in row] for row in rows]
    width = max(sum(im.width for im in row) for row in opened)
    height = sum(max(im.height for im in row) for row in opened)
    sheet = Image.new("RGB", (width, height), "white")
    y = 0
    for row in opened:
        x = 0
        for im in row:
            sheet.paste(im, (x, y))
            x += im.width
        y += max(im.height for im in row)
    buffer = io.BytesIO()
    sheet.save(buffer, format="png", compress_level=6)
    return buffer.getvalue()


class CursorBlit:
    """Redraw a figure in which only a few artists move (a cursor): a cached background plus them.

    After anything else changed (`invalidate()`), the figure is drawn once without the moving
    artists and that background is kept; each call then restores it and draws only them on top.
    The artists are hidden from the full draw only while the background is taken, so the figure
    stays a normal figure for anyone else (savefig shows the cursor).
    """

    def __init__(self, artists: list) -> None:
        self.artists = artists
        self._background = None
        self._size: tuple[int, int] | None = None

    def invalidate(self) -> None:
        self._background = None

    def __call__(self, canvas) -> None:
        size = canvas.get_width_height(physical=True)
        if self._background is None or self._size != size:
            for artist in self.artists:
                artist.set_animated(True)
            try:
                canvas.draw()
            finally:
                for artist in self.artists:
                    artist.set_animated(False)
            self._background = canvas.copy_from_bbox(canvas.figure.bbox)
            self._size = size
        else:
            canvas.restore_region(self._background)
        renderer = canvas.get_renderer()
        for artist in self.artists:
            artist.draw(renderer)


class PictureBlit(CursorBlit):
    """A CursorBlit over an rnnviz.draw picture's `live_artists` (images, frames, titles): a
    new trace only redraws those; a new layout (`layout_count` changed) retakes the background.
    """

    def __init__(self, picture) -> None:
        super().__init__([])
        self.picture = picture
        self._layout: int | None = None

    def __call__(self, canvas) -> None:
        if self.picture.layout_count != self._layout:
            self.artists = list(self.picture.live_artists)
            self._layout = self.picture.layout_count
            self.invalidate()
        super().__call__(canvas)
