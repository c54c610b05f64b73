"""Every lesson in JupyterLab, as a learner meets it: opened as saved, then run top to bottom.

Parametrised over notebooks/*.ipynb (new lessons are covered without editing this file), plus the
harness self-test notebook, which runs first and proves the harness itself works.
"""

from __future__ import annotations

import base64
from pathlib import Path

import nbformat
import pytest

from .notebook_page import NotebookPage
from .selftest import BROKEN_NAME, BROKEN_PROBLEMS
from .selftest import NAME as SELFTEST

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
NAMES = [SELFTEST, *sorted(path.name for path in NOTEBOOKS.glob("*.ipynb"))]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def saved_outputs(path: Path) -> list[dict]:
    """The display outputs saved in the notebook at `path`."""
    nb = nbformat.read(path, as_version=4)
    return [
        output
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type in ("display_data", "execute_result")
    ]


@pytest.mark.parametrize("name", NAMES)
def test_saved_notebook_shows_a_picture_for_every_widget(page, lab, lab_root, name):
    """Opened without running, each saved explorer shows its picture, never a widget error."""
    outputs = saved_outputs(lab_root / name)
    widgets = [output for output in outputs if WIDGET_VIEW in output.data]
    without_png = [
        output.data.get("text/plain", "")[:80]
        for output in widgets
        if "image/png" not in output.data
    ]
    assert not without_png, f"widget outputs saved without an image/png fallback: {without_png}"
    pictures = sum("image/png" in output.data for output in outputs)

    notebook = NotebookPage(page, lab, name).open()
    shown = notebook.wait_for_images(pictures)

    assert shown == pictures
    assert notebook.problems() == []
    assert notebook.widget_view_count() == 0, "saved widget views should fall back to image/png"
    if widgets:
        source = page.locator('.jp-OutputArea-output[data-mime-type="image/png"] img').first
        assert source.get_attribute("src").startswith("data:image/png;base64,")
        assert base64.b64decode(widgets[0].data["image/png"])[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_clean_and_every_explorer_responds(page, lab, name):
    """Run All in a fresh kernel: no error, all widgets render, each explorer redraws on a key."""
    notebook = NotebookPage(page, lab, name).open()
    seconds = notebook.run_all()
    explorers = notebook.explorers()
    print(f"{name}: ran in {seconds:.1f} s, {len(explorers)} explorers")

    assert notebook.problems() == []
    if notebook.widget_view_count():
        assert explorers, f"{name} shows widgets but none has a slider and a picture"
    for explorer in explorers:
        before, after = explorer.nudge()  # raises if the picture does not change
        if before:  # an explorer that is only a slider and a picture has no text to check
            assert after != before, f"{explorer.label}: the text did not change ({before!r})"
    assert notebook.problems() == []


def test_harness_catches_every_kind_of_problem(page, lab):
    """The checks above can fail: a notebook with one of each problem yields one message each."""
    notebook = NotebookPage(page, lab, BROKEN_NAME).open()
    notebook.run_all()

    found = notebook.problems()

    for problem in BROKEN_PROBLEMS:
        assert any(problem in message for message in found), f"{problem!r} not caught: {found}"
