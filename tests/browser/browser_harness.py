"""Pieces of the browser tests: Debian's Chromium, a Voila server for one notebook, a loopback-only guard.

Voila serves a notebook on 127.0.0.1 with the P1_* settings of a test's sandbox, so the notebook's
`Client.from_env()` talks to that sandbox; Playwright drives the page in headless Chromium (Debian's package,
never a browser download). The page uses `tests/browser/jupyter/voila/templates/p1-offline`, Voila's lab
template without the stylesheets it links from a public CDN, so every request the page makes stays on
127.0.0.1, and `LoopbackGuard` checks that.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Locator, Page, Route, WebSocket

from toolkit.sandbox import Sandbox

HERE = Path(__file__).parent
REPO = HERE.parents[1]
NOTEBOOKS = REPO / "notebooks"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
#: The Jupyter data folder that holds the p1-offline Voila template (found through JUPYTER_PATH).
TEMPLATES = HERE / "jupyter"
TEMPLATE = "p1-offline"

CHROMIUM_INSTALL_HINT = (
    "Chromium is not installed: the browser tests use Debian's package. Install it with "
    "`apt-get update && apt-get install -y chromium` (as root; .ci/run does this in CI). "
    "Do not run `playwright install`: it downloads a browser and fails on these machines."
)
#: Headless, and quiet: no first-run pages, no component updates, no background requests of its own.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VOILA_START_TIMEOUT = 60.0
LOOPBACK = "127.0.0.1"


def chromium_path() -> str | None:
    """Debian's Chromium, if installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def quiet_home_env(folder: Path) -> dict[str, str]:
    """Settings that keep Jupyter's, IPython's, matplotlib's and Chromium's state in `folder`."""
    names = {
        "JUPYTER_CONFIG_DIR": "jupyter-config",
        "JUPYTER_DATA_DIR": "jupyter-data",
        "JUPYTER_RUNTIME_DIR": "jupyter-runtime",
        "IPYTHONDIR": "ipython",
        "MPLCONFIGDIR": "matplotlib",
        "XDG_CONFIG_HOME": "xdg-config",
        "XDG_CACHE_HOME": "xdg-cache",
    }
    return {name: str(folder / sub) for name, sub in names.items()}


def sandbox_env(sandbox: Sandbox) -> dict[str, str]:
    """The P1_* settings that make `Client.from_env()` connect to `sandbox`."""
    return {
        "P1_BASE_URL": sandbox.base_url,
        "P1_ORG_ID": sandbox.org_id,
        "P1_API_KEY": sandbox.api_key,
        "P1_SHOP_URL": sandbox.shop_url,
    }


class VoilaServer:
    """`voila NOTEBOOK` on 127.0.0.1 until `stop()`; its log goes to a file.

    Each page load starts a kernel that runs the notebook while the page streams in (no pre-heated kernel
    pool: a pool refills after every page, which costs a kernel per test module for nothing).
    """

    def __init__(self, notebook: Path, sandbox: Sandbox, state: Path) -> None:
        self.port = _free_port()
        self.url = f"http://{LOOPBACK}:{self.port}/"
        self.log_path = state / "voila.log"
        env = {name: value for name, value in os.environ.items() if not name.startswith("P1_")}
        env.update(**quiet_home_env(state), **sandbox_env(sandbox), JUPYTER_PATH=str(TEMPLATES))
        env.pop("MPLBACKEND", None)
        command = [
            sys.executable,
            "-m",
            "voila",
            str(notebook),
            "--no-browser",
            f"--port={self.port}",
            f"--Voila.ip={LOOPBACK}",
            f"--template={TEMPLATE}",
            "--show_tracebacks=True",
        ]
        with self.log_path.open("wb") as log:
            self._process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, timeout: float = VOILA_START_TIMEOUT) -> None:
        """Until Voila accepts connections (it renders nothing before a page is asked for)."""
        deadline = time.monotonic() + timeout
        while True:
            if self._process.poll() is not None:
                raise RuntimeError(f"Voila exited with {self._process.returncode}:\n{self.log()[-3000:]}")
            try:
                socket.create_connection((LOOPBACK, self.port), timeout=1).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise TimeoutError(
                        f"Voila not listening after {timeout:.0f} s:\n{self.log()[-3000:]}"
                    ) from None
                time.sleep(0.2)

    def stop(self) -> None:
        self._process.terminate()
        try:
            self._process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


@dataclass
class LoopbackGuard:
    """Lets a page reach 127.0.0.1 only: every other request is blocked and recorded."""

    seen: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> None:
        page.route("**/*", self._route)
        page.on("websocket", self._websocket)

    def _route(self, route: Route) -> None:
        url = route.request.url
        self.seen.append(url)
        if leaves_loopback(url):
            self.foreign.append(url)
            route.abort("blockedbyclient")
        else:
            route.continue_()

    def _websocket(self, socket_: WebSocket) -> None:  # websockets bypass page.route: check them here
        self.seen.append(socket_.url)
        if leaves_loopback(socket_.url):
            self.foreign.append(socket_.url)


def leaves_loopback(url: str) -> bool:
    """Whether a request to `url` goes over the network to another host than 127.0.0.1 (data: URLs do not)."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https", "ws", "wss") and parts.hostname != LOOPBACK


def save_screenshot(form: Locator, name: str) -> Path:
    """A picture of a finished form, for people to look at (test-artifacts/screenshots/NAME.png).

    Voila's page scrolls inside a container, so a form taller than the window would be cut off: the window
    is made tall enough first.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    height = form.evaluate("element => element.scrollHeight")
    form.page.set_viewport_size({"width": form.page.viewport_size["width"], "height": height + 100})
    form.screenshot(path=path)
    return path
