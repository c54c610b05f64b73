"""A lesson the learner ran and saved shows its explorers again when reopened, never an error.

JupyterLab trusts a notebook its user ran and saved, so on reopening it renders each widget view
(not the `image/png` beside it) and, when the widget model is nowhere (new kernel, no widget state
in the file), writes "Error displaying widget: model not found". The settings in jupyter/ (installed
by `make venv` and binder/postBuild) make JupyterLab save the widget state with the notebook, so the
reopened explorers show the pictures and text they had when saved.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat

from .notebook_page import NotebookPage

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_PLUGIN = "@jupyter-widgets/jupyterlab-manager:plugin"


def first_lesson_with_an_explorer() -> str:
    """The first lesson whose saved outputs hold a widget view (the quickest to run)."""
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
        if any(WIDGET_VIEW in output.get("data", {}) for output in outputs):
            return path.name
    raise AssertionError("no lesson in notebooks/ has an explorer")


def test_jupyterlab_saves_widget_state_by_default(lab):
    """The setting that jupyter/ ships is installed in this environment (`make venv`)."""
    defaults = lab.setting_defaults(WIDGET_PLUGIN)

    assert defaults.get("saveState") is True, (
        f"{WIDGET_PLUGIN} saveState defaults to {defaults.get('saveState')!r}: run `make venv` "
        "to install jupyter/lab/settings/overrides.d/rnnviz.json"
    )


def test_run_save_and_reopen_shows_the_saved_explorers(page, lab, lab_root):
    """Run a lesson, move a slider, save (Ctrl+S); reopen with a new kernel, then restart it:
    every explorer shows the very pictures and text it had when saved, and no widget error."""
    lesson = first_lesson_with_an_explorer()
    name = f"resaved_{lesson}"  # a copy: the other tests keep the lesson as committed
    shutil.copy(lab_root / lesson, lab_root / name)
    page.on("dialog", lambda dialog: dialog.accept())

    notebook = NotebookPage(page, lab, name).open()
    notebook.run_all()
    explorers = notebook.explorers()
    assert explorers, f"{lesson} shows no explorer"
    explorers[0].nudge()  # what is saved is the learner's last picture, not the first one
    pictures = [explorer.picture_digests() for explorer in explorers]
    texts = [explorer.text() for explorer in explorers]
    notebook.save()

    saved = nbformat.read(lab_root / name, as_version=4)
    state = saved.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    size = (lab_root / name).stat().st_size
    print(f"{name}: {size / 1024:.0f} KiB saved, {len(state)} widget models in its state")
    assert state, "the saved notebook has no widget state"

    lab.shutdown_kernels()  # the kernel is gone, as after closing JupyterLab
    reopened = NotebookPage(page, lab, name).open()  # reloads the page; a new kernel starts
    reopened.wait_for_widgets()

    assert reopened.problems() == []
    assert reopened.widget_view_count() == len(explorers), "the notebook should open trusted"
    shown = reopened.explorers()
    assert [explorer.picture_digests() for explorer in shown] == pictures
    assert [explorer.text() for explorer in shown] == texts

    reopened.restart_kernel()

    assert reopened.problems() == []
    assert [explorer.picture_digests() for explorer in reopened.explorers()] == pictures
