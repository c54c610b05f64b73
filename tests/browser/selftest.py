"""A small throw-away notebook that exercises the browser harness without any lesson.

It has what a lesson has: `rnnviz.setup()`, a print, a matplotlib figure, and a mini explorer built
like the real ones (a slider, a text line and an `ipywidgets.Image` that the slider redraws, whose
display bundle also carries an `image/png` of the first picture for viewers without live widgets).
The browser suite runs it first, so a broken harness shows up even before any lesson exists.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

NAME = "00_harness_selftest.ipynb"
BROKEN_NAME = "00_harness_broken.ipynb"

_SETUP = """\
import rnnviz

rnnviz.setup()
print("ready")"""

_EXPLORER = '''\
import base64
import io

import ipywidgets as widgets
from matplotlib.figure import Figure


class MiniExplorer:
    """A slider n that redraws a bar chart of n bars and a text line, like the real explorers."""

    def __init__(self, n=3):
        self.controls = {"n": widgets.IntSlider(value=n, min=1, max=9, description="n")}
        self.figure = Figure(figsize=(3, 2))
        self.text = widgets.Label()
        self.image = widgets.Image(format="png")
        self.controls["n"].observe(lambda change: self.redraw(), names="value")
        self.view = widgets.VBox([self.controls["n"], self.text, self.image])
        self.redraw()

    def png(self):
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png")
        return buffer.getvalue()

    def redraw(self):
        n = self.controls["n"].value
        self.figure.clear()
        self.figure.add_subplot().bar(range(n), range(1, n + 1))
        self.text.value = f"{n} bars, {n * (n + 1) // 2} blocks"
        self.image.value = self.png()

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.view._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = f"MiniExplorer: {self.text.value}"
        bundle["image/png"] = base64.b64encode(self.image.value).decode()
        return bundle'''

_SHOW = """\
# NBVAL_IGNORE_OUTPUT: a live widget (its model id changes on every run)
explorer = MiniExplorer()
explorer"""

_DRIVE = """\
explorer.controls["n"].value = 5
print(explorer.text.value)"""


def write_selftest_notebook(folder: Path) -> Path:
    """Write the self-test notebook (unexecuted) into `folder` and return its path."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Harness self-test\nA slider redraws a picture."),
        nbformat.v4.new_code_cell(_SETUP),
        nbformat.v4.new_code_cell(_EXPLORER),
        nbformat.v4.new_code_cell(_SHOW),
        nbformat.v4.new_code_cell(_DRIVE),
    ]
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"selftest-{index}"
    path = Path(folder) / NAME
    nbformat.write(nb, path)
    return path


_BROKEN_CELLS = [
    'import sys\n\nprint("a stray log line", file=sys.stderr)',
    "import ipywidgets as widgets\n\n"
    'display({"text/plain": repr(widgets.VBox([widgets.IntSlider()]))}, raw=True)',
    "display(\n"
    '    {"application/vnd.jupyter.widget-view+json": {"version_major": 2, "version_minor": 0,\n'
    '     "model_id": "no-such-model"}, "text/plain": "a widget whose model is gone"},\n'
    "    raw=True,\n)",
    'raise ValueError("a cell that fails")',
]
BROKEN_PROBLEMS = ("stray log line", "text repr", "Error displaying widget", "ValueError")


def write_broken_notebook(folder: Path) -> Path:
    """Write a notebook with one of each problem the suite must catch (see BROKEN_PROBLEMS)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(source) for source in _BROKEN_CELLS]
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"broken-{index}"
    path = Path(folder) / BROKEN_NAME
    nbformat.write(nb, path)
    return path
