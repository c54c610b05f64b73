"""Key press to new picture, in JupyterLab in headless Chromium, for every explorer of every lesson.

    python benchmarks/bench_browser.py [--presses 20] [notebooks/03_outputs_and_states.ipynb ...]

Each notebook is opened from a temporary copy and run top to bottom; then, for each explorer (a
widget output with a slider and a picture), a slider handle gets `--presses` arrow-key presses
(right while it can move right, else left). The time of one press runs from the keydown event to
the first animation frame after the explorer's picture (an <img> src) changed: kernel round trip,
redraw, PNG encoding and transfer included. Prints a markdown table with the median and the 90th
percentile per explorer.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the harness lives with the browser tests

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser.lab import CHROMIUM_ARGS, JupyterLab, chromium_path  # noqa: E402
from tests.browser.notebook_page import Explorer, NotebookPage  # noqa: E402
from tests.browser.selftest import NAME as SELFTEST  # noqa: E402
from tests.browser.selftest import write_selftest_notebook  # noqa: E402

# Resolves with the milliseconds from keydown to the frame after the explorer's picture changed.
_TIMED_PRESS = """
([output, handle, key]) => new Promise((resolve) => {
  const start = performance.now();
  const timer = setTimeout(() => { observer.disconnect(); resolve(-1); }, 20000);
  const observer = new MutationObserver(() => {
    observer.disconnect();
    clearTimeout(timer);
    requestAnimationFrame(() => resolve(performance.now() - start));
  });
  observer.observe(output, {attributes: true, attributeFilter: ['src'], subtree: true});
  handle.focus();
  handle.dispatchEvent(new KeyboardEvent('keydown', {key, bubbles: true, cancelable: true}));
})
"""


def time_presses(explorer: Explorer, presses: int) -> list[float]:
    """Milliseconds of each of `presses` key presses on the explorer's first movable slider."""
    times = []
    for _ in range(presses):
        handle, key = explorer._movable_handle()
        label = explorer.output.element_handle()
        milliseconds = explorer.page.evaluate(_TIMED_PRESS, [label, handle.element_handle(), key])
        if milliseconds < 0:
            raise RuntimeError(f"{explorer.label}: the picture did not change within 20 s")
        times.append(milliseconds)
        explorer.page.wait_for_timeout(50)  # let the kernel settle between presses
    return times


def slider_name(explorer: Explorer) -> str:
    handle, _ = explorer._movable_handle()
    slider = handle.locator("xpath=ancestor::*[contains(@class, 'widget-slider')][1]")
    label = slider.locator(".widget-label").first
    return (label.inner_text() if label.count() else "").strip() or "slider"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--presses", type=int, default=20)
    parser.add_argument("--selftest", action="store_true", help="measure the harness notebook")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))

    with tempfile.TemporaryDirectory(prefix="rnnviz-bench-") as scratch:
        root = Path(scratch) / "notebooks"
        root.mkdir()
        names = []
        for path in paths:
            shutil.copy(path, root / path.name)
            names.append(path.name)
        if args.selftest or not names:
            write_selftest_notebook(root)
            names.insert(0, SELFTEST)
        lab = JupyterLab(root, Path(scratch) / "state").start()
        rows = []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium_path(), args=CHROMIUM_ARGS
                )
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                for name in names:
                    page = context.new_page()
                    notebook = NotebookPage(page, lab, name).open()
                    notebook.run_all()
                    for index, explorer in enumerate(notebook.explorers()):
                        times = time_presses(explorer, args.presses)
                        p90 = statistics.quantiles(times, n=10)[-1] if len(times) > 1 else times[0]
                        rows.append((name, index, slider_name(explorer), times, p90))
                        print(f"  {name} explorer {index}: {statistics.median(times):.0f} ms")
                    page.close()
                    lab.shutdown_kernels()
                browser.close()
        finally:
            lab.stop()

    print(f"\nKey press to new picture, {args.presses} presses each (ms)\n")
    print("| notebook | explorer | slider | median | p90 | min | max |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: |")
    for name, index, slider, times, p90 in rows:
        print(
            f"| {name} | {index} | {slider} | {statistics.median(times):.0f} | {p90:.0f} "
            f"| {min(times):.0f} | {max(times):.0f} |"
        )
    if not rows:
        print("| (no explorer found) | | | | | | |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
