"""Drive one notebook in JupyterLab through Playwright (sync API), as a learner would.

    page = NotebookPage(browser_page, lab, "01_sequences_as_tensors.ipynb").open()
    page.run_all()                  # Edit > Clear Outputs, Run > Run All Cells, wait until done
    page.problems()                 # error outputs, broken or raw-repr widgets, as messages
    for explorer in page.explorers():
        explorer.nudge()            # focus a slider, press an arrow key, wait for the new picture

Every wait is explicit and generous: a lesson that trains a network may take minutes on a slow
machine, and the suite must not fail because the machine is busy.
"""

from __future__ import annotations

import itertools
import re
import time
from dataclasses import dataclass

from playwright.sync_api import Locator, Page

OPEN_TIMEOUT_MS = 120_000
RUN_TIMEOUT_MS = 900_000
UPDATE_TIMEOUT_MS = 30_000

_WORKSPACES = itertools.count()

STDERR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
# JupyterLab marks each rendered output with its mime type, except the widget renderer (a Panel).
WIDGET_OUTPUT = ".jp-OutputArea-output:not([data-mime-type])"
IMAGE_OUTPUT = '.jp-OutputArea-output[data-mime-type="image/png"]'
PLAIN_OUTPUT = '.jp-OutputArea-output[data-mime-type="text/plain"]'
# The text repr of an ipywidgets object, e.g. "VBox(children=(IntSlider(value=3..." or
# "IntSlider(value=3, ...)": what a learner sees when the widget view was not rendered.
RAW_WIDGET_REPR = re.compile(
    r"\b(VBox|HBox|Box|GridBox|Tab|Accordion|Stack|IntSlider|FloatSlider|SelectionSlider|"
    r"IntRangeSlider|Dropdown|ToggleButtons?|Checkbox|RadioButtons|Image|Label|HTML|Output|"
    r"Play|Button)\((children|value|options|description|layout)="
)
# Control rows (slider, dropdown, checkbox and their readouts) are left out of an explorer's text,
# so that "the text changed" means the explorer's own text, not the moved slider's number.
CONTROL_SELECTOR = (
    ".widget-slider, .widget-hslider, .widget-vslider, .widget-dropdown, .widget-checkbox, "
    ".widget-toggle-buttons, .widget-radio, .widget-toggle-button, .widget-play, "
    ".widget-readout, .widget-text, .widget-intslider, .widget-select"
)

_ALL_CELLS_DONE = """
(panel) => {
  const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
  const status = panel.querySelector('.jp-Notebook-ExecutionIndicator');
  const idle = status === null || status.getAttribute('data-status') === 'idle';
  return idle && prompts.length > 0
    && prompts.every((p) => /^\\[\\d+\\]:?$/.test(p.textContent.trim()));
}
"""
_NO_COUNTS = """
(panel) => [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
  .every((p) => !/\\d/.test(p.textContent))
"""
_KERNEL_IDLE = """
(panel) => {
  const status = panel.querySelector('.jp-Notebook-ExecutionIndicator');
  return status !== null && status.getAttribute('data-status') === 'idle';
}
"""
_WIDGETS_SETTLED = """
(panel) => [...panel.querySelectorAll('.jp-OutputArea-output:not([data-mime-type])')]
  .every((output) => !output.textContent.includes('Loading widget')
    && (output.querySelector('.jupyter-widgets') !== null || output.textContent.includes('Error')))
"""
_SAVED_AFTER = """
(panel) => {
  const tab = document.querySelector('.lm-DockPanel-tabBar .lm-TabBar-tab.jp-mod-current');
  return tab !== null && !tab.classList.contains('jp-mod-dirty');
}
"""
# SHA-256 (hex) of the bytes behind each <img> of an output: blob: or data: URLs alike.
_PICTURE_DIGESTS = """
async (output) => {
  const digests = [];
  for (const img of output.querySelectorAll('img')) {
    const bytes = await (await fetch(img.src)).arrayBuffer();
    const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    digests.push([...hash].map((b) => b.toString(16).padStart(2, '0')).join(''));
  }
  return digests;
}
"""
_EXPLORER_TEXT = """
(output, controls) => {
  const copy = output.cloneNode(true);
  copy.querySelectorAll(controls).forEach((node) => node.remove());
  return copy.innerText.replace(/\\s+/g, ' ').trim();
}
"""


class NotebookPage:
    """One notebook open in JupyterLab in `page` (a Playwright Page) served by `lab`."""

    def __init__(self, page: Page, lab, name: str) -> None:
        self.page = page
        self.lab = lab
        self.name = name

    @property
    def panel(self) -> Locator:
        """The notebook's panel (toolbar + cells)."""
        return self.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)").first

    def open(self) -> NotebookPage:
        """Open the notebook and wait until its cells are shown and its kernel is idle.

        Each opening uses a new, empty workspace, so no tab of an earlier test is restored.
        """
        workspace = f"w{next(_WORKSPACES)}"
        path = f"lab/workspaces/{workspace}/tree/{self.name}"
        self.page.goto(self.lab.url(path), timeout=OPEN_TIMEOUT_MS)
        self.page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=OPEN_TIMEOUT_MS)
        self._wait(_KERNEL_IDLE, OPEN_TIMEOUT_MS, "the kernel to start")
        return self

    def _wait(self, script: str, timeout_ms: float, what: str) -> None:
        handle = self.panel.element_handle(timeout=timeout_ms)
        try:
            self.page.wait_for_function(script, arg=handle, timeout=timeout_ms, polling=250)
        except Exception as error:
            raise AssertionError(f"{self.name}: timed out waiting for {what}") from error

    def menu(self, top: str, item: str) -> None:
        """Click menu bar entry `top`, then its item `item` (exact labels)."""
        self.page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(rf"^{top}$")).click()
        entry = self.page.locator(".lm-Menu-itemLabel", has_text=re.compile(rf"^{item}$"))
        entry.first.click()

    def run_all(self) -> float:
        """Clear every output, run all cells, wait until each has run; return the seconds taken."""
        self.panel.locator(".jp-Cell").first.click()
        self.menu("Edit", "Clear Outputs of All Cells")
        self._wait(_NO_COUNTS, 30_000, "the outputs to clear")
        start = time.perf_counter()
        self.menu("Run", "Run All Cells")
        self._wait(_ALL_CELLS_DONE, RUN_TIMEOUT_MS, "every cell to run")
        self._wait(_WIDGETS_SETTLED, 60_000, "every widget to render")
        return time.perf_counter() - start

    def wait_for_widgets(self) -> None:
        """Wait until every widget output shows a view or an error (no "Loading widget...")."""
        self._wait(_WIDGETS_SETTLED, OPEN_TIMEOUT_MS, "every widget to render")

    def save(self) -> None:
        """Save with Ctrl+S, as a learner does; wait until the server has the new file."""
        before = self.lab.last_modified(self.name)
        self.panel.locator(".jp-Cell .jp-InputPrompt").first.click()  # focus, command mode
        self.page.keyboard.press("Control+s")
        deadline = time.monotonic() + OPEN_TIMEOUT_MS / 1000
        while self.lab.last_modified(self.name) == before:
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name}: Ctrl+S did not save the notebook")
            self.page.wait_for_timeout(250)
        self._wait(_SAVED_AFTER, 30_000, "the tab to show the notebook saved")

    def restart_kernel(self) -> None:
        """Kernel > Restart Kernel…, confirm, and wait until the new kernel is idle."""
        self.menu("Kernel", "Restart Kernel…")
        self.page.locator(".jp-Dialog .jp-mod-accept").click()
        self.page.locator(".jp-Dialog").wait_for(state="detached", timeout=30_000)
        self.page.wait_for_timeout(500)  # the status goes busy, then idle again
        self._wait(_KERNEL_IDLE, OPEN_TIMEOUT_MS, "the restarted kernel")

    def problems(self) -> list[str]:
        """What a learner would see that is wrong: errors, stderr, broken or raw widgets."""
        found = []
        for text in self.panel.locator(STDERR).all_inner_texts():
            found.append(f"error or stderr output: {text.strip()[:400]}")
        text = self.panel.locator(".jp-Notebook").inner_text()
        if "Error displaying widget" in text:
            found.append("'Error displaying widget' is shown")
        for plain in self.panel.locator(PLAIN_OUTPUT).all_inner_texts():
            if RAW_WIDGET_REPR.search(plain):
                found.append(f"a widget is shown as its text repr: {plain.strip()[:200]}")
        for index, output in enumerate(self.panel.locator(WIDGET_OUTPUT).all()):
            if output.locator(".jupyter-widgets").count() == 0 or not output.is_visible():
                found.append(f"widget view {index} is not rendered: {output.inner_text()[:200]!r}")
        return found

    def widget_view_count(self) -> int:
        return self.panel.locator(WIDGET_OUTPUT).count()

    def explorers(self) -> list[Explorer]:
        """Every live widget output with a slider and a picture (an explorer), in notebook order."""
        outputs = self.panel.locator(WIDGET_OUTPUT)
        return [
            Explorer(self.page, output, f"{self.name} explorer {index}")
            for index, output in enumerate(outputs.all())
            if output.locator(".noUi-handle").count() and output.locator("img").count()
        ]

    def wait_for_images(self, count: int) -> int:
        """Wait until at least `count` image/png outputs are shown; return how many there are."""
        self._wait(
            f"(panel) => panel.querySelectorAll('{IMAGE_OUTPUT}').length >= {count}",
            OPEN_TIMEOUT_MS,
            f"{count} saved pictures",
        )
        return self.panel.locator(IMAGE_OUTPUT).count()


@dataclass
class Explorer:
    """A rendered explorer: its output element in the page."""

    page: Page
    output: Locator
    label: str

    def picture(self) -> str:
        """The src of the explorer's (first) picture."""
        return self.output.locator("img").first.get_attribute("src") or ""

    def picture_digests(self) -> list[str]:
        """SHA-256 of each picture's bytes: equal digests mean the very same PNGs are shown."""
        return self.output.evaluate(_PICTURE_DIGESTS)

    def text(self) -> str:
        """The explorer's visible text without its controls."""
        return self.output.evaluate(_EXPLORER_TEXT, CONTROL_SELECTOR)

    def _movable_handle(self) -> tuple[Locator, str]:
        """A slider handle that can move, and the key that moves it."""
        handles = self.output.locator(".noUi-handle")
        for handle in handles.all():
            if not handle.is_visible():
                continue
            now = float(handle.get_attribute("aria-valuenow") or 0)
            top = float(handle.get_attribute("aria-valuemax") or 0)
            low = float(handle.get_attribute("aria-valuemin") or 0)
            if now < top:
                return handle, "ArrowRight"
            if now > low:
                return handle, "ArrowLeft"
        raise AssertionError(f"{self.label}: no slider can move")

    def press(self, key: str | None = None) -> tuple[Locator, str]:
        """Focus a movable slider and press an arrow key on it."""
        handle, direction = self._movable_handle()
        handle.focus()
        handle.press(key or direction)
        return handle, key or direction

    def wait_for_new_picture(self, before: str, timeout_ms: float = UPDATE_TIMEOUT_MS) -> str:
        """Wait until the picture's src differs from `before`; return the new src."""
        image = self.output.locator("img").first.element_handle()
        try:
            self.page.wait_for_function(
                "([img, before]) => img.getAttribute('src') !== before",
                arg=[image, before],
                timeout=timeout_ms,
                polling="raf",
            )
        except Exception as error:
            raise AssertionError(f"{self.label}: the picture did not change") from error
        return self.picture()

    def nudge(self) -> tuple[str, str]:
        """Move a slider one step with the keyboard; return (text before, text after)."""
        picture, text = self.picture(), self.text()
        self.press()
        self.wait_for_new_picture(picture)
        deadline = time.monotonic() + UPDATE_TIMEOUT_MS / 1000
        after = self.text()
        while after == text and time.monotonic() < deadline:
            self.page.wait_for_timeout(100)
            after = self.text()
        return text, after
