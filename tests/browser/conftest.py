"""Fixtures of the browser suite: one JupyterLab and one Chromium for the whole session.

JupyterLab serves a temporary copy of notebooks/ plus the harness notebooks, so the suite never
writes into the checkout. Each test gets a new page in one shared browser context (JupyterLab's
scripts stay cached). On failure a screenshot, the browser console and the end of the server log
are written to the session's temporary folder (the path is printed).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .lab import CHROMIUM_ARGS, JupyterLab, chromium_path
from .selftest import write_broken_notebook, write_selftest_notebook

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything in tests/browser carries the `browser` marker (select with -m browser)."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Keep each phase's report on the item, so fixtures can see whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def lab_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A temporary copy of notebooks/ with the self-test notebook added (and saved with outputs)."""
    root = tmp_path_factory.mktemp("lab") / "notebooks"
    if NOTEBOOKS.is_dir():
        shutil.copytree(NOTEBOOKS, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    else:
        root.mkdir()
    selftest = write_selftest_notebook(root)
    write_broken_notebook(root)
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "save_notebooks.py"), str(root), selftest.name],
        check=True,
        capture_output=True,
    )
    return root


@pytest.fixture(scope="session")
def lab(lab_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterLab]:
    """A JupyterLab server over `lab_root`, stopped at the end of the session."""
    server = JupyterLab(lab_root, tmp_path_factory.mktemp("lab-state")).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """Headless Debian Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def browser_context(browser) -> Iterator:
    """One browser context for the session: its cache keeps JupyterLab's scripts between tests."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(60_000)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def page(browser_context, lab: JupyterLab, request: pytest.FixtureRequest, tmp_path_factory):
    """A fresh page; on failure, a screenshot, the browser console and the server log are saved."""
    browser_page = browser_context.new_page()
    console: list[str] = []
    browser_page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    try:
        yield browser_page
    finally:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            folder = tmp_path_factory.getbasetemp() / "browser-failures"
            folder.mkdir(exist_ok=True)
            stem = "".join(c if c.isalnum() or c in "-_." else "_" for c in request.node.name)
            browser_page.screenshot(path=str(folder / f"{stem}.png"), full_page=True)
            (folder / f"{stem}.console.txt").write_text("\n".join(console))
            (folder / f"{stem}.server.log").write_text(lab.log()[-20_000:])
            print(f"screenshot, browser console and server log: {folder}/{stem}.*")
        browser_page.close()
        lab.shutdown_kernels()
