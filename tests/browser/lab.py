"""Start and stop a private JupyterLab server for the browser suite and the browser benchmark.

The server runs from this interpreter's environment on 127.0.0.1, on a free port, with a token
generated here, over a root folder given by the caller (a temporary copy of the notebooks). Its
config, data, runtime, settings and workspace folders are temporary too, so the suite neither sees
nor changes the user's JupyterLab, and saved notebooks stay untrusted exactly as on a fresh clone.
The application folder is this environment's own, with the default settings that `make venv`
installs from jupyter/ (so the suite sees what a learner's `make lab` shows).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

# Lab settings that make the page predictable for a robot: every cell in the DOM (no windowing),
# no autosave over the saved outputs, no news or update pop-ups.
SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}
KERNEL_ENV = {
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "TF_ENABLE_ONEDNN_OPTS": "0",
    "PYTHONHASHSEED": "0",
    "KERAS_BACKEND": "tensorflow",
}
# Chromium flags for a headless run inside a container.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str:
    """Debian's chromium (Playwright cannot download its own browser here)."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        raise RuntimeError("the browser tests need Debian's chromium: apt-get install chromium")
    return path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class JupyterLab:
    """A JupyterLab server over `root_dir`; `start()` waits until it answers, `stop()` ends it.

    `state_dir` holds the server's private config, data, settings and log (server.log).
    """

    def __init__(self, root_dir: Path, state_dir: Path, *, startup_timeout: float = 120) -> None:
        self.root_dir = Path(root_dir)
        self.state_dir = Path(state_dir)
        self.startup_timeout = startup_timeout
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.process: subprocess.Popen | None = None
        self.log_path = self.state_dir / "server.log"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "lab") -> str:
        """The address of `path` (e.g. "lab/tree/01.ipynb") with the token."""
        separator = "&" if "?" in path else "?"
        return f"{self.base_url}/{path}{separator}token={self.token}"

    def _environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(KERNEL_ENV)
        env.pop("MPLBACKEND", None)  # kernels must keep matplotlib's inline backend
        settings = self.state_dir / "settings"
        for name in ("config", "data", "runtime", "workspaces"):
            (self.state_dir / name).mkdir(parents=True, exist_ok=True)
        for relative, values in SETTINGS.items():
            path = settings / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        env.update(
            JUPYTER_CONFIG_DIR=str(self.state_dir / "config"),
            JUPYTER_DATA_DIR=str(self.state_dir / "data"),
            JUPYTER_RUNTIME_DIR=str(self.state_dir / "runtime"),
            JUPYTERLAB_SETTINGS_DIR=str(settings),
            JUPYTERLAB_WORKSPACES_DIR=str(self.state_dir / "workspaces"),
        )
        return env

    def start(self) -> JupyterLab:
        command = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--ServerApp.root_dir={self.root_dir}",
            f"--IdentityProvider.token={self.token}",
            "--ServerApp.open_browser=False",
            "--ServerApp.terminals_enabled=False",
            "--LabApp.extension_manager=readonly",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers and CI run as root
            command.append("--allow-root")
        self.state_dir.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("w")
        self.process = subprocess.Popen(
            command,
            cwd=self.root_dir,
            env=self._environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self._wait_until_ready()
        return self

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        status_url = f"{self.base_url}/api/status?token={self.token}"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited at start-up:\n{self.log()}")
            try:
                with urllib.request.urlopen(status_url, timeout=5) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"JupyterLab did not answer in {self.startup_timeout} s:\n{self.log()}")

    def _api(self, method: str, path: str, *, prefix: str = "api") -> object:
        request = urllib.request.Request(
            f"{self.base_url}/{prefix}/{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def setting_defaults(self, plugin: str) -> dict[str, object]:
        """The default of each setting of `plugin` as this server hands them out, overrides
        (`{app dir}/settings/overrides.d/*.json`) applied, e.g. for
        "@jupyter-widgets/jupyterlab-manager:plugin": {"saveState": True}."""
        answer = self._api("GET", f"settings/{plugin}", prefix="lab/api")
        properties = answer["schema"].get("properties", {})
        return {name: spec.get("default") for name, spec in properties.items()}

    def last_modified(self, name: str) -> str:
        """When the file `name` (relative to the root folder) was last written, per the server."""
        return self._api("GET", f"contents/{name}?content=0")["last_modified"]

    def shutdown_kernels(self, attempts: int = 20) -> None:
        """End every session and kernel (between tests, so kernels do not pile up).

        A kernel that is already shutting down can make the API answer 404 or 500 for a moment,
        so each step is retried until no kernel is left.
        """
        for _ in range(attempts):
            try:
                for session in self._api("GET", "sessions"):
                    self._api("DELETE", f"sessions/{session['id']}")
                kernels = self._api("GET", "kernels")
                if not kernels:
                    return
                for kernel in kernels:
                    self._api("DELETE", f"kernels/{kernel['id']}")
            except urllib.error.HTTPError:
                pass
            time.sleep(0.25)
        raise RuntimeError(
            f"kernels still running after {attempts} attempts:\n{self.log()[-3000:]}"
        )

    def log(self) -> str:
        """The server's output so far (for failure messages)."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        """Shut the server (and with it every kernel it started) down."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
