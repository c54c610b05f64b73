"""Run lesson notebooks from fresh kernels and save their outputs in place.

    python tools/save_notebooks.py notebooks               # every notebooks/*.ipynb
    python tools/save_notebooks.py notebooks 03 05_inside   # names, name prefixes or file names

Each notebook runs top to bottom in a new `python3` kernel (this interpreter's environment) with
the notebook's folder as working directory. Volatile metadata is dropped so that a re-run changes
only what really changed: execution timings, the widget state (JupyterLab shows the `image/png`
that every explorer puts beside its widget view instead) and notebook-level clutter. A cell error,
a line on stderr or a cell that did not run is reported with the notebook and cell named; that
notebook is left untouched on disk, the others are still run, and the exit status is 1.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

KERNEL_NAME = "python3"
KERNELSPEC = {"name": KERNEL_NAME, "display_name": "Python 3 (ipykernel)", "language": "python"}
CELL_TIMEOUT = 900  # seconds; training cells on a slow laptop are the longest
STARTUP_TIMEOUT = 180
# Cell metadata that a run or an editor adds and that says nothing about the lesson.
VOLATILE_CELL_KEYS = ("execution", "ExecuteTime", "collapsed", "scrolled", "jupyter", "trusted")
KERNEL_ENV = {
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "TF_ENABLE_ONEDNN_OPTS": "0",
    "PYTHONHASHSEED": "0",
    "KERAS_BACKEND": "tensorflow",
}


class NotebookFailed(RuntimeError):
    """A notebook raised, wrote to stderr or produced a broken output."""


def kernel_environment() -> None:
    """Set the environment the kernels inherit: quiet TensorFlow, inline matplotlib.

    MPLBACKEND is removed: a non-inline backend (the Makefile exports Agg for unit tests) would stop
    ipykernel from showing matplotlib figures inline, so notebooks would save without pictures.
    """
    for name, value in KERNEL_ENV.items():
        os.environ.setdefault(name, value)
    os.environ.pop("MPLBACKEND", None)


def find_notebooks(folder: Path, names: list[str]) -> list[Path]:
    """The notebooks in `folder` chosen by `names` (all when empty), in file-name order."""
    every = sorted(folder.glob("*.ipynb"))
    if not names:
        return every
    chosen: list[Path] = []
    for name in names:
        stem = Path(name).name.removesuffix(".ipynb")
        matches = [path for path in every if path.stem == stem or path.stem.startswith(stem)]
        if not matches:
            listed = ", ".join(path.name for path in every) or "none"
            raise SystemExit(f"no notebook in {folder} matches {name!r}; there are: {listed}")
        chosen.extend(path for path in matches if path not in chosen)
    return chosen


def problems(nb: nbformat.NotebookNode) -> list[str]:
    """What is wrong with an executed notebook's outputs: errors and stderr, by cell."""
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for output in cell.outputs:
            if output.output_type == "error":
                found.append(f"cell {index}: {output.ename}: {output.evalue}")
            elif output.output_type == "stream" and output.name == "stderr":
                found.append(f"cell {index} wrote to stderr: {output.text.strip()[:300]}")
        if cell.source.strip() and cell.execution_count is None:
            found.append(f"cell {index} did not run")
    return found


def clean(nb: nbformat.NotebookNode) -> None:
    """Drop volatile metadata in place; give cells without an id a stable one."""
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    language = nb.metadata.get("language_info", {})
    language.pop("version", None)  # the patch release of whoever ran it last
    used = {cell.get("id") for cell in nb.cells}
    for index, cell in enumerate(nb.cells):
        for key in VOLATILE_CELL_KEYS:
            cell.metadata.pop(key, None)
        if not cell.get("id"):
            candidate = f"cell-{index:02d}"
            while candidate in used:
                candidate += "x"
            cell["id"] = candidate
            used.add(candidate)
        for output in cell.get("outputs", ()):
            if output.output_type in ("display_data", "execute_result"):
                output.metadata.pop("transient", None)


def run(path: Path) -> float:
    """Execute `path` from a fresh kernel, save it in place and return the seconds it took."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name=KERNEL_NAME,
        timeout=CELL_TIMEOUT,
        startup_timeout=STARTUP_TIMEOUT,
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
        store_widget_state=False,
        # Keep the kernel's own start-up notices (e.g. "running over TCP") out of the terminal.
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
    )
    start = time.perf_counter()
    try:
        client.execute()
    except CellExecutionError as error:
        raise NotebookFailed(f"{path.name}: {error}") from None
    seconds = time.perf_counter() - start
    found = problems(nb)
    if found:
        raise NotebookFailed(f"{path.name}:\n  " + "\n  ".join(found))
    clean(nb)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path, help="folder with the notebooks, e.g. notebooks")
    parser.add_argument("names", nargs="*", help="notebooks to run (default: all)")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        parser.error(f"folder {str(args.folder)!r} does not exist")
    kernel_environment()
    paths = find_notebooks(args.folder, args.names)
    if not paths:
        print(f"no notebooks in {args.folder}: nothing to do")
        return 0
    total = 0.0
    failed = []
    for path in paths:
        print(f"{path.name:<45}", end=" ", flush=True)
        try:
            seconds = run(path)
        except NotebookFailed as error:
            print("FAILED (left unchanged)")
            print(error, file=sys.stderr, flush=True)
            failed.append(path.name)
            continue
        total += seconds
        print(f"{seconds:6.1f} s")
    print(f"{'total':<45} {total:6.1f} s")
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
