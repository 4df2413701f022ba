"""One way to run the app for a browser: shared by tests/browser and benchmarks/.

No pytest here, so the benchmarks can import it too. Loopback only: the server binds
127.0.0.1 and nothing else is contacted.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without the networking flags Chromium keeps trying hosts this offline machine refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
# A drawn plotly graph, of st.plotly_chart or of dashboard.ui.plotly_view alike.
PLOTLY_GRAPH = ".js-plotly-plot"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(script="app.py", *, root=ROOT, timeout=60):
    """``streamlit run script`` on a free loopback port; ``(process, base URL)`` once healthy.

    Polls ``/_stcore/health``; raises RuntimeError (with the server's last stderr) if the
    process exits or is not healthy within ``timeout`` seconds.
    """
    port = free_port()
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.headless=true",
        "--browser.gatherUsageStats=false",
        "--server.fileWatcherType=none",
        "--server.address=127.0.0.1",
        f"--server.port={port}",
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.read() == b"ok":
                    return proc, base
        except OSError:
            time.sleep(0.2)  # polling the health endpoint, not waiting on a page
    stop_server(proc)
    raise RuntimeError(f"streamlit did not become healthy within {timeout} s")


def stop_server(proc):
    """Terminate, then kill if it lingers; always reaps the process."""
    if proc.poll() is None:
        proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
    if proc.stderr:
        proc.stderr.close()


def wait_for_idle(page, timeout=60_000):
    """Wait until Streamlit has finished its rerun and drawn everything (no skeletons)."""
    page.wait_for_selector(IDLE, timeout=timeout)
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=stSkeleton]').length === 0",
        timeout=timeout,
    )
