"""What ships besides the code: pinned environments that agree, Binder, CI, and saved notebooks.

Static checks only (no kernel, no network): they read the files a newcomer, Binder or CI uses.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from pathlib import Path

import nbformat
import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
FIRST_LESSON = "notebooks/01_sequences_as_tensors.ipynb"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
HTTP_IMAGE = re.compile(
    r"!\[[^\]]*\]\(\s*<?(https?:)?//|<img[^>]+src\s*=\s*[\"']?(https?:)?//", re.IGNORECASE
)


def pins(lines: list[str]) -> dict[str, str]:
    """name -> pinned version from requirement lines (`name==version`); other lines ignored."""
    found = {}
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        requirement = Requirement(line)
        specifiers = list(requirement.specifier)
        assert len(specifiers) == 1 and specifiers[0].operator == "==", f"not pinned: {line!r}"
        found[canonicalize_name(requirement.name)] = specifiers[0].version
    return found


def file_pins(path: Path) -> dict[str, str]:
    """The pins of a requirements file, following its `-r other.txt` includes."""
    lines = path.read_text().splitlines()
    found = pins(lines)
    for line in lines:
        if line.strip().startswith("-r "):
            found.update(file_pins(path.parent / line.split(maxsplit=1)[1].strip()))
    return found


def environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def environment_pip_lines() -> list[str]:
    for dependency in environment()["dependencies"]:
        if isinstance(dependency, dict):
            return [str(line) for line in dependency["pip"]]
    raise AssertionError("environment.yml has no pip: section")


def test_requirements_are_exact_pins_that_satisfy_pyproject():
    lessons = file_pins(ROOT / "requirements.txt")
    testing = file_pins(ROOT / "requirements-test.txt")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + [
        line for extra in project.get("optional-dependencies", {}).values() for line in extra
    ]

    assert lessons.items() <= testing.items(), "requirements-test.txt must include requirements.txt"
    for line in declared:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in lessons, f"pyproject needs {name} but requirements.txt does not pin it"
        assert requirement.specifier.contains(lessons[name]), (
            f"requirements.txt pins {name}=={lessons[name]}, outside pyproject's {line!r}"
        )
    assert "tensorflow" not in lessons, "pin tensorflow-cpu (no CUDA wheels), not tensorflow"


def test_environment_yml_has_python_311_and_exactly_the_tested_pins():
    env = environment()
    conda = [dependency for dependency in env["dependencies"] if isinstance(dependency, str)]
    pip_lines = environment_pip_lines()

    assert env["channels"][0] == "conda-forge"
    assert "python=3.11" in conda and "pip" in conda
    assert pins(pip_lines) == file_pins(ROOT / "requirements-test.txt")
    assert "-e ." in pip_lines, "environment.yml should install the local rnnviz"


def test_binder_installs_the_pinned_lessons_and_the_local_package():
    binder = ROOT / "binder"
    post_build = binder / "postBuild"

    assert file_pins(binder / "requirements.txt") == file_pins(ROOT / "requirements.txt")
    assert (binder / "runtime.txt").read_text().strip() == "python-3.11"
    assert os.access(post_build, os.X_OK), "binder/postBuild must be executable"
    assert re.search(r"pip install .*--no-deps .*\.$", post_build.read_text(), re.MULTILINE)
    assert not (binder / "environment.yml").exists(), "one Binder recipe: requirements.txt"
    start = binder / "start"
    if start.exists():
        assert os.access(start, os.X_OK) and 'exec "$@"' in start.read_text()


def test_make_venv_and_binder_install_the_lab_settings_that_save_widget_state():
    """jupyter/lab/settings/overrides.d/rnnviz.json turns on saving widget state (so a lesson a
    learner ran, saved and reopened shows its explorers); `make venv` and Binder install it."""
    relative = "lab/settings/overrides.d/rnnviz.json"
    settings = json.loads((ROOT / "jupyter" / relative).read_text())
    makefile = (ROOT / "Makefile").read_text()
    post_build = (ROOT / "binder" / "postBuild").read_text()

    assert settings["@jupyter-widgets/jupyterlab-manager:plugin"]["saveState"] is True
    assert f"LAB_SETTINGS := {relative}" in makefile
    assert re.search(r"^venv: .*\$\(LAB_SETTINGS_INSTALLED\)", makefile, re.MULTILINE)
    assert re.search(r"^lab: venv\b", makefile, re.MULTILINE), "`make lab` must install it"
    assert f"install -D -m 644 jupyter/{relative} " in post_build
    assert "get_app_dir()" in post_build, "Binder installs it into JupyterLab's application dir"


def test_readme_links_binder_to_the_first_lesson_in_jupyterlab():
    readme = (ROOT / "README.md").read_text()
    links = re.findall(r"https://mybinder\.org/v2/[^\s)\"'>]+", readme)

    assert links, "README.md has no Binder link (https://mybinder.org/v2/gh/OWNER/REPO/HEAD?...)"
    for link in links:
        target = link.replace("%2F", "/").replace("%2f", "/")
        assert f"?urlpath=lab/tree/{FIRST_LESSON}" in target, (
            f"Binder link {link} does not open {FIRST_LESSON} in JupyterLab"
        )
    assert (ROOT / FIRST_LESSON).exists()


def test_ci_runs_the_readme_test_command():
    script = (ROOT / ".ci" / "run").read_text()

    assert re.search(r"^\s*make test\s*$", script, re.MULTILINE)
    assert "set -euo pipefail" in script


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.name for path in NOTEBOOKS])
def test_notebook_is_saved_run_clean_and_offline(path: Path):
    nb = nbformat.read(path, as_version=4)
    code = [cell for cell in nb.cells if cell.cell_type == "code" and cell.source.strip()]
    counts = [cell.execution_count for cell in code]
    outputs = [output for cell in code for output in cell.outputs]
    markdown = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")
    html = "\n".join(output.get("data", {}).get("text/html", "") for output in outputs)

    assert counts == list(range(1, len(code) + 1)), "save it with `make notebooks` (top to bottom)"
    assert not [o for o in outputs if o.output_type == "error"], "a cell raised"
    stderr = [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    assert not stderr, f"a cell wrote to stderr: {stderr[:2]}"
    assert not HTTP_IMAGE.search(markdown + html), "images must be drawn locally, not fetched"
    widgets = [o for o in outputs if WIDGET_VIEW in o.get("data", {})]
    assert all("image/png" in o.data for o in widgets), "a widget output has no image/png fallback"
    assert "widgets" not in nb.metadata, "saved widget state: re-save with `make notebooks`"


def test_there_are_notebooks_or_none_is_expected_yet():
    """Every notebook in notebooks/ is numbered `NN_name.ipynb` (teaching order)."""
    for path in NOTEBOOKS:
        assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name), path.name
