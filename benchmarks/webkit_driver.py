"""WebKitGTK (Safari's engine) over plain W3C WebDriver: Xvfb + ``WebKitWebDriver``.

No new dependency: the WebDriver protocol is JSON over HTTP, spoken here with urllib.
Debian's ``webkit2gtk-driver`` provides ``WebKitWebDriver``, which starts WebKitGTK's
``MiniBrowser`` in automation mode for each session; it needs an X display, so an Xvfb
is started on a free display number unless ``DISPLAY`` is already set. Loopback only.

    with WebKit() as wk:
        session = wk.new_session(width=1400, height=900)
        session.navigate("http://127.0.0.1:8501/")   # returns at once (pageLoadStrategy none)
        session.execute("return document.title")
        session.close()
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.browser.harness import stop_server

DRIVER = shutil.which("WebKitWebDriver")
XVFB = shutil.which("Xvfb")
MINIBROWSER_CANDIDATES = (
    "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
    "/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
    "/usr/libexec/webkit2gtk-4.1/MiniBrowser",
)


def minibrowser():
    """Path of WebKitGTK's MiniBrowser, or None."""
    return next((p for p in MINIBROWSER_CANDIDATES if Path(p).exists()), None)


def available():
    """``(True, "")`` if WebKit can be driven here, else ``(False, why)``."""
    if DRIVER is None:
        return False, "WebKitWebDriver not found (apt-get install webkit2gtk-driver)"
    if minibrowser() is None:
        return False, "WebKitGTK's MiniBrowser not found"
    if not os.environ.get("DISPLAY") and XVFB is None:
        return False, "no DISPLAY and no Xvfb (apt-get install xvfb)"
    return True, ""


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _free_display():
    for n in range(90, 200):
        if not Path(f"/tmp/.X{n}-lock").exists() and not Path(f"/tmp/.X11-unix/X{n}").exists():
            return n
    raise RuntimeError("no free X display number in :90-:199")


def _stop(proc):
    if proc is not None:
        stop_server(proc)  # terminate, kill if it lingers, reap: as for the app's server


class Session:
    """One WebDriver session: one MiniBrowser window."""

    def __init__(self, base, session_id):
        self.base, self.id = base, session_id

    def _call(self, method, path, body=None, timeout=120):
        return _request(self.base, method, f"/session/{self.id}{path}", body, timeout)

    def navigate(self, url):
        """Start loading ``url``; returns at once (the session uses pageLoadStrategy none)."""
        self._call("POST", "/url", {"url": url})

    def execute(self, script, *args, timeout=120):
        """Run ``script`` (a function body: ``return ...``) in the page; its JSON result."""
        return self._call("POST", "/execute/sync", {"script": script, "args": list(args)}, timeout)

    def screenshot(self, path):
        import base64

        Path(path).write_bytes(base64.b64decode(self._call("GET", "/screenshot")))

    def close(self):
        try:
            self._call("DELETE", "", timeout=30)
        except (OSError, RuntimeError):
            pass


def _request(base, method, path, body=None, timeout=120):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(
        base + path, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return json.loads(r.read() or b"{}").get("value")
    except urllib.error.HTTPError as exc:
        raise RuntimeError(f"WebDriver {method} {path}: {exc.read().decode()[:500]}") from exc


class WebKit:
    """Xvfb (if needed) and one ``WebKitWebDriver`` process; a context manager."""

    def __init__(self):
        self.xvfb = self.driver = None
        self.env = dict(os.environ)
        self.base = None

    def __enter__(self):
        ok, why = available()
        if not ok:
            raise RuntimeError(why)
        if not self.env.get("DISPLAY"):
            n = _free_display()
            self.xvfb = subprocess.Popen(
                [XVFB, f":{n}", "-screen", "0", "1920x1200x24", "-nolisten", "tcp"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            self.env["DISPLAY"] = f":{n}"
            deadline = time.monotonic() + 10
            while not Path(f"/tmp/.X11-unix/X{n}").exists():
                if time.monotonic() > deadline or self.xvfb.poll() is not None:
                    self.__exit__()
                    raise RuntimeError("Xvfb did not start")
                time.sleep(0.05)  # waiting for the X socket to appear
        port = _free_port()
        self.driver = subprocess.Popen(
            [DRIVER, f"--port={port}", "--host=127.0.0.1"],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                _request(self.base, "GET", "/status", timeout=2)
                break
            except (OSError, RuntimeError):
                if time.monotonic() > deadline or self.driver.poll() is not None:
                    self.__exit__()
                    raise RuntimeError("WebKitWebDriver did not start") from None
                time.sleep(0.1)  # polling the driver's status endpoint
        return self

    def new_session(self, *, width=1400, height=900):
        caps = {
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "MiniBrowser",
                    "pageLoadStrategy": "none",
                    "webkitgtk:browserOptions": {
                        "binary": minibrowser(),
                        "args": ["--automation"],
                    },
                }
            }
        }
        value = _request(self.base, "POST", "/session", caps, timeout=180)
        session = Session(self.base, value["sessionId"])
        session._call("POST", "/window/rect", {"width": width, "height": height})
        return session

    def __exit__(self, *exc):
        _stop(self.driver)
        _stop(self.xvfb)
        self.driver = self.xvfb = None
