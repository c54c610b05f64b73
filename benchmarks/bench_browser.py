"""Key press to new picture, in JupyterLab in headless Chromium, for every explorer of every lesson.

    python benchmarks/bench_browser.py [--presses 20] [notebooks/03_outputs_and_states.ipynb ...]

Each notebook is opened from a temporary copy and run top to bottom; then, for each explorer (a
widget output with a slider and a picture), a slider handle gets `--presses` arrow-key presses
(right while it can move right, else left). The time of one press runs from the keydown event to
the first animation frame after the explorer's picture (an <img> src) changed: kernel round trip,
redraw, PNG encoding and transfer included.

Where the time goes, per explorer: "kernel" is `Explorer.refresh()` timed inside the kernel (a
second client attaches to the notebook's kernel and wraps the method: compute, draw, PNG encoding
and sending the messages); "rest" is total minus kernel (slider event, websocket both ways,
message decoding, blob URL, image decoding, layout and the frame); "PNGs" and "KiB" are how many
pictures one press re-sends and their size; "decode" is the browser's `createImageBitmap` time for
the pictures shown. Prints a markdown table with medians, p90 and the machine's load.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the harness lives with the browser tests

from jupyter_client import BlockingKernelClient  # noqa: E402
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
# Milliseconds the browser takes to decode the pictures an output shows now (all of them).
_DECODE = """
async (output) => {
  const blobs = [];
  for (const img of output.querySelectorAll('img')) blobs.push(await (await fetch(img.src)).blob());
  const start = performance.now();
  for (const blob of blobs) (await createImageBitmap(blob)).close();
  return performance.now() - start;
}
"""
# Run inside the notebook's kernel: wrap Explorer.refresh to log (ms, PNGs re-sent, their bytes).
_PROBE = """
import time as _bench_time
from rnnviz.widgets import base as _bench_base

if not hasattr(_bench_base.Explorer, "_bench_refresh"):
    _bench_base.Explorer._bench_refresh = _bench_base.Explorer.refresh
    _bench_base._bench_log = []

    def _bench_timed_refresh(self):
        before = {name: image.value for name, image in self.images.items()}
        start = _bench_time.perf_counter()
        self._bench_refresh()
        milliseconds = (_bench_time.perf_counter() - start) * 1000
        sent = [len(i.value) for n, i in self.images.items() if i.value is not before[n]]
        _bench_base._bench_log.append((milliseconds, len(sent), sum(sent)))

    _bench_base.Explorer.refresh = _bench_timed_refresh
_bench_base._bench_log.clear()
"""
_READ_LOG = "__import__('json').dumps(_bench_base._bench_log)"


class KernelProbe:
    """A second client of the one kernel the lab runs now, to time `refresh()` where it runs."""

    def __init__(self, lab: JupyterLab) -> None:
        kernels = lab._api("GET", "kernels")
        if len(kernels) != 1:
            raise RuntimeError(f"expected one running kernel, found {len(kernels)}")
        path = lab.state_dir / "runtime" / f"kernel-{kernels[0]['id']}.json"
        self.client = BlockingKernelClient()
        self.client.load_connection_file(str(path))
        self.client.start_channels()
        self.client.wait_for_ready(timeout=60)

    def run(self, code: str, expression: str = "None") -> object:
        """Run `code` silently; return the value of `expression` (a JSON string) decoded."""
        msg_id = self.client.execute(
            code, silent=True, store_history=False, user_expressions={"value": expression}
        )
        while True:
            reply = self.client.get_shell_msg(timeout=60)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        content = reply["content"]
        if content["status"] != "ok":
            raise RuntimeError(f"kernel probe failed: {content.get('evalue', content)}")
        value = content["user_expressions"]["value"]
        if value["status"] != "ok":
            raise RuntimeError(f"kernel probe failed: {value.get('evalue', value)}")
        text = ast.literal_eval(value["data"]["text/plain"])
        return json.loads(text) if isinstance(text, str) else text

    def start(self) -> None:
        """Install the timing wrapper (once) and clear its log."""
        self.run(_PROBE)

    def log(self) -> list[tuple[float, int, int]]:
        """(ms, PNGs re-sent, bytes) of each refresh since `start()`."""
        return [tuple(row) for row in self.run("", _READ_LOG)]

    def close(self) -> None:
        self.client.stop_channels()


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


def measure(explorer: Explorer, probe: KernelProbe, presses: int) -> dict:
    """One explorer's row: total, kernel and rest (ms), PNGs and KiB per press, decode ms."""
    name = slider_name(explorer)
    probe.start()
    times = time_presses(explorer, presses)
    log = probe.log()
    kernel = [row[0] for row in log] or [float("nan")]
    decode = [explorer.output.evaluate(_DECODE) for _ in range(3)]
    return {
        "slider": name,
        "median": statistics.median(times),
        "p90": statistics.quantiles(times, n=10)[-1] if len(times) > 1 else times[0],
        "kernel": statistics.median(kernel),
        "rest": statistics.median(times) - statistics.median(kernel),
        "refreshes": len(log) / presses,
        "pngs": statistics.median(row[1] for row in log) if log else 0,
        "kib": statistics.median(row[2] for row in log) / 1024 if log else 0.0,
        "decode": statistics.median(decode),
    }


def conditions() -> str:
    """The machine and its load, for the table's caption."""
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs, load average {load} (1, 5, 15 min), Python "
        f"{platform.python_version()}, headless Chromium, {time.strftime('%Y-%m-%d %H:%M')}"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--presses", type=int, default=20)
    parser.add_argument("--selftest", action="store_true", help="measure the harness notebook")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    before = conditions()

    with tempfile.TemporaryDirectory(prefix="rnnviz-bench-") as scratch:
        root = Path(scratch) / "notebooks"
        root.mkdir()
        names = []
        for path in paths:
            shutil.copy(path, root / path.name)
            names.append(path.name)
        if args.selftest:
            write_selftest_notebook(root)
            names.insert(0, SELFTEST)
        lab = JupyterLab(root, Path(scratch) / "state").start()
        rows = []
        failures: list[str] = []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium_path(), args=CHROMIUM_ARGS
                )
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                for name in names:
                    page = context.new_page()
                    try:
                        notebook = NotebookPage(page, lab, name).open()
                        notebook.run_all()
                    except AssertionError as error:  # e.g. a cell that never finished
                        print(f"  {name}: FAILED, {error}", flush=True)
                        failures.append(f"{name}: {error}")
                        page.close()
                        lab.shutdown_kernels()
                        continue
                    explorers = notebook.explorers()
                    if explorers and name != SELFTEST:
                        probe = KernelProbe(lab)
                        for index, explorer in enumerate(explorers):
                            row = measure(explorer, probe, args.presses)
                            rows.append({"notebook": name, "explorer": index, **row})
                            print(f"  {name} explorer {index}: {row['median']:.0f} ms", flush=True)
                        probe.close()
                    elif explorers:  # the self-test has no rnnviz explorer to probe
                        for index, explorer in enumerate(explorers):
                            times = time_presses(explorer, args.presses)
                            rows.append(
                                {
                                    "notebook": name,
                                    "explorer": index,
                                    "slider": slider_name(explorer),
                                    "median": statistics.median(times),
                                    "p90": statistics.quantiles(times, n=10)[-1],
                                }
                            )
                    else:
                        print(f"  {name}: no explorer", flush=True)
                    page.close()
                    lab.shutdown_kernels()
                browser.close()
        finally:
            lab.stop()

    print(f"\nKey press to new picture in JupyterLab, {args.presses} presses per explorer (ms)\n")
    print(f"Before: {before}  ")
    print(f"After: {conditions()}\n")
    print(
        "| notebook | # | slider | median | p90 | kernel | rest | refreshes/press "
        "| PNGs/press | KiB/press | decode |"
    )
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        extra = (
            f"{row['kernel']:.0f} | {row['rest']:.0f} | {row['refreshes']:.1f} | {row['pngs']:.0f} "
            f"| {row['kib']:.0f} | {row['decode']:.1f}"
            if "kernel" in row
            else "| | | | |"
        )
        print(
            f"| {row['notebook']} | {row['explorer']} | {row['slider']} | {row['median']:.0f} "
            f"| {row['p90']:.0f} | {extra} |"
        )
    if not rows:
        print("| (no explorer found) | | | | | | | | | | |")
    for failure in failures:
        print(f"\nNOT MEASURED: {failure}")
    print(
        "\nkernel: Explorer.refresh() in the kernel (compute, draw, PNG, send); rest: total minus "
        "kernel (events, websocket, decoding, frame); decode: createImageBitmap of the pictures."
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
