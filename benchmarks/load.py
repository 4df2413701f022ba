"""Many users: N concurrent browser sessions moving sliders against one Playground server.

    python benchmarks/load.py                          # 20 sessions, 60 s
    python benchmarks/load.py --sessions 10 --seconds 30

A benchmark, not a test (issue 6, "Many users"): it prints one table at the end.

One ``streamlit run app.py`` on 127.0.0.1 (a free port), one headless Chromium (Debian's,
never ``playwright install``) and N browser contexts in it, driven concurrently with the
async Playwright API. Each session opens ``/playground?init_seed=<i+1>`` (so every session
trains its own models and no session is served from another one's cache), waits until
the app is idle and the live stage has its plane, then, until the time is up, moves the
stage's Learning rate slider (even sessions) or Regularization slider (odd sessions):
key presses (ArrowLeft / ArrowRight) and real pointer drags of two positions, in turn, a
seeded random walk that turns around at the ends of a range in which every step changes
the loss.

Two latencies, measured in the page (``performance.now()``):

- key press → regions redrawn: from the key press (a capture-phase ``keydown``
  listener) until the stage's regions view has drawn the new cell (the browser's part:
  no server round trip);
- press or release → server followed: from the key press or the pointer release until
  the "Loss" metric's text has changed AND the app is idle again
  (``[data-testid=stApp]`` reports ``data-test-script-state=notRunning`` and no
  ``[data-testid=stSkeleton]`` remains), evaluated on every DOM mutation, so no polling
  interval is added. Every wait is bounded (``--timeout``); a move that times out is an
  error.

Errors: ``[data-testid=stException]`` elements, page errors (``pageerror``), timeouts,
moves after which the run finished but nothing changed, websocket closes during the run,
``Connection error`` banners (``[data-testid=stConnectionStatus]`` or the text), HTTP
responses ≥ 400 and failed requests.

The server's memory (VmRSS of the server and its children, from /proc) is sampled every
second. The load average is printed: the machine may be shared, and with N Chromium
contexts on a few cores the browser itself is much of the load being measured.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.harness import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server  # noqa: E402

VIEWPORT = {"width": 1000, "height": 700}
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"

# The live stage's sliders (their positions are indices into the Playground's values).
# Walks stay inside ranges where one step always changes the printed loss: learning rate
# 0.01 … 5, regularization 1e-4 … 1.
SLIDERS = {
    "Learning rate": (6, 14),
    "Regularization": (4, 16),
}


# ----------------------------------------------------------------------------- helpers


def percentile(xs, q):
    """q-th percentile (linear interpolation between order statistics)."""
    if not xs:
        return float("nan")
    s = sorted(xs)
    pos = q / 100 * (len(s) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def fmt_ms(v):
    return "—" if v != v else f"{v:,.0f} ms"


def rss_kib(pid):
    """VmRSS of ``pid`` and all its descendants, in KiB (0 for a process that is gone)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            continue
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return total


def tree(pid):
    """``pid`` and all its descendants (a process that is gone is skipped)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return out


def cpu_seconds(pids):
    """User + system CPU time of ``pids``, in seconds."""
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            continue
    return total / os.sysconf("SC_CLK_TCK")


def cpu_split(server_pid):
    """(server CPU s, client CPU s): the server's tree, and this process's other children
    (Playwright's driver and Chromium)."""
    server = set(tree(server_pid))
    client = [p for p in tree(os.getpid()) if p not in server and p != os.getpid()]
    return cpu_seconds(server), cpu_seconds(client)


# ----------------------------------------------------------------------------- server


# ----------------------------------------------------------------------------- page

# Installed before the page's scripts run. ``arm()`` before a key press (the keydown
# listener stamps the press); ``wait(timeoutMs)`` resolves when the loss changed and the
# app is idle again, checked on every DOM mutation.
PAGE_JS = r"""
(() => {
  const L = {};
  const lossText = () => {
    for (const m of document.querySelectorAll('[data-testid=stMetric]')) {
      const t = (m.innerText || '').trim();
      if (t.startsWith('Loss')) return t;
    }
    return null;
  };
  // The cell the live stage's regions view drew last, and when (performance.now()).
  const stageCell = () => {
    const st = window.__softmaxStage;
    return st && st.last ? st.last.cell.join(',') : null;
  };
  const idle = () => !!document.querySelector(
      '[data-testid=stApp][data-test-script-state=notRunning]')
    && document.querySelectorAll('[data-testid=stSkeleton]').length === 0;
  const running = () => !!document.querySelector(
      '[data-testid=stApp][data-test-script-state=running]');
  let armed = null;
  const stamp = () => { if (armed && armed.t0 === null) armed.t0 = performance.now(); };
  window.addEventListener('keydown', stamp, true);    // a key press
  window.addEventListener('pointerup', stamp, true);  // the release that ends a drag
  L.arm = () => {
    armed = {t0: null, loss: lossText(), cell: stageCell(), sawRun: false, done: null};
  };
  // The browser's part: resolves with ms from the press to the regions' redraw.
  L.stage = (timeoutMs) => new Promise((resolve) => {
    const a = armed, t = performance.now();
    const tick = () => {
      const st = window.__softmaxStage;
      if (stageCell() !== a.cell && a.t0 !== null) resolve(st.drawnAt.regions - a.t0);
      else if (performance.now() - t > timeoutMs) resolve(null);
      else requestAnimationFrame(tick);
    };
    tick();
  });
  L.wait = (timeoutMs) => new Promise((resolve) => {
    const a = armed;
    let unchangedTimer = null;
    const finish = (status) => {
      if (a.done) return;
      a.done = status;
      obs.disconnect();
      clearTimeout(timer);
      clearTimeout(unchangedTimer);
      resolve({status, ms: a.t0 === null ? null : performance.now() - a.t0});
    };
    const check = () => {
      if (a.done) return;
      if (running()) a.sawRun = true;
      if (!idle()) { clearTimeout(unchangedTimer); unchangedTimer = null; return; }
      if (lossText() !== a.loss) { finish('ok'); return; }
      // The run finished and nothing changed: give late DOM updates 3 s, then report.
      if (a.sawRun && unchangedTimer === null) {
        unchangedTimer = setTimeout(() => finish('unchanged'), 3000);
      }
    };
    const obs = new MutationObserver(check);
    obs.observe(document.body, {subtree: true, childList: true, attributes: true,
                                characterData: true});
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    check();
  });
  window.__load = L;
})();
"""


async def wait_idle(page, timeout_ms):
    await page.wait_for_selector(IDLE, timeout=timeout_ms)
    await page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=stSkeleton]').length === 0",
        timeout=timeout_ms,
    )


async def page_problems(page):
    """Exception elements and connection banners currently on the page."""
    return await page.evaluate(
        """() => {
          const out = [];
          const ex = document.querySelectorAll('[data-testid=stException]');
          if (ex.length) out.push('exception: ' + (ex[0].innerText || '').slice(0, 200));
          if (document.querySelector('[data-testid=stConnectionStatus]'))
            out.push('connection status banner');
          if ((document.body.innerText || '').includes('Connection error'))
            out.push('"Connection error" text');
          return out;
        }"""
    )


class Session:
    def __init__(self, index, base, args):
        self.index = index
        self.base = base
        self.args = args
        self.slider = "Learning rate" if index % 2 == 0 else "Regularization"
        self.rng = random.Random(1000 + index)
        self.direction = self.rng.choice(("ArrowLeft", "ArrowRight"))
        self.latencies = []  # press or release -> the server has followed (Loss metric)
        self.stage_ms = []  # key press -> the regions redrawn in the browser
        self.drags = 0
        self.errors = []
        self.external = []  # failed requests to other hosts (not errors of the app)
        self.probes = []  # expected 404s of the frontend's base-path probe
        self.plane_polls = []  # expected 404s: the whole plane's file is not written yet
        self.moves = 0
        self.closing = False
        self.page = None
        self.context = None

    def error(self, kind, detail=""):
        self.errors.append((kind, detail[:300]))

    def on_request_failed(self, req):
        if not req.url.startswith(self.base + "/"):
            # Streamlit's favicon for a ``:material/…:`` page icon comes from
            # fonts.gstatic.com; this machine is offline. Not the server's doing.
            self.external.append(req.url)
        elif not self.closing:
            self.error("requestfailed", f"{req.failure} {req.url}")

    def on_response(self, r):
        if r.status < 400:
            return
        path = r.url[len(self.base) :] if r.url.startswith(self.base) else r.url
        if r.status == 404 and path.endswith(".bin") and "softmax_planes" in path:
            # The stage polls for the whole plane's file while the worker trains it.
            self.plane_polls.append(path)
            return
        if r.status == 404 and path.startswith("/playground/_stcore/"):
            # Opened at /playground, the frontend first probes /playground/_stcore/health
            # and host-config (a possible base path), gets 404, then uses /_stcore/.
            self.probes.append(path)
            return
        self.error("http", f"{r.status} {r.url}")

    async def open(self, browser):
        self.context = await browser.new_context(viewport=VIEWPORT)
        await self.context.add_init_script(PAGE_JS)
        page = self.page = await self.context.new_page()
        page.on("pageerror", lambda exc: self.error("pageerror", str(exc)))
        page.on("requestfailed", self.on_request_failed)
        page.on("response", self.on_response)

        def on_ws(ws):
            ws.on("close", lambda _ws: None if self.closing else self.error("ws-close", ws.url))

        page.on("websocket", on_ws)
        open_ms = int(self.args.open_timeout * 1000)
        await page.goto(f"{self.base}/playground?init_seed={self.index + 1}", timeout=open_ms)
        await page.wait_for_selector(self.selector, timeout=open_ms)
        await wait_idle(page, open_ms)
        await page.wait_for_function(
            "() => (window.__softmaxStage || {}).plane && window.__softmaxStage.last",
            timeout=open_ms,
        )
        for p in await page_problems(page):
            self.error("page", p)

    @property
    def selector(self):
        return f'.st-key-stage_sliders input[aria-label="{self.slider}"]'

    async def value(self):
        return int(await self.page.locator(self.selector).input_value(timeout=self.args.timeout_ms))

    async def move(self):
        """A key press (even moves) or a short drag (odd moves) on the session's slider."""
        page = self.page
        low, high = SLIDERS[self.slider]
        v = await self.value()
        if v <= low:
            self.direction = "ArrowRight"
        elif v >= high:
            self.direction = "ArrowLeft"
        elif self.rng.random() < 0.2:
            self.direction = "ArrowLeft" if self.direction == "ArrowRight" else "ArrowRight"
        step = 1 if self.direction == "ArrowRight" else -1
        await page.evaluate("() => window.__load.arm()")
        if self.moves % 2 == 0:
            await page.locator(self.selector).focus(timeout=self.args.timeout_ms)
            await page.keyboard.press(self.direction)
            stage = await page.evaluate("(t) => window.__load.stage(t)", self.args.timeout_ms)
            if stage is None:
                self.error("stage-timeout", f"{self.slider} {v} {self.direction}")
            else:
                self.stage_ms.append(stage)
        else:
            await self.drag(v, v + 2 * step)
            self.drags += 1
        r = await page.evaluate("(t) => window.__load.wait(t)", self.args.timeout_ms)
        self.moves += 1
        if r["status"] == "ok" and r["ms"] is not None:
            self.latencies.append(r["ms"])
        else:
            self.error(r["status"], f"{self.slider} {v} {self.direction}")
        for p in await page_problems(page):
            self.error("page", p)

    async def drag(self, start, end):
        """A real pointer drag from position ``start`` to ``end`` (clamped to the range)."""
        low, high = SLIDERS[self.slider]
        end = min(max(end, low), high)
        box = await self.page.locator(self.selector).bounding_box(timeout=self.args.timeout_ms)
        top = int(await self.page.locator(self.selector).get_attribute("max"))
        thumb = 16  # px: the range input's thumb; its centre runs over width - thumb

        def x(value):
            return box["x"] + thumb / 2 + (box["width"] - thumb) * value / top

        y = box["y"] + box["height"] / 2
        mouse = self.page.mouse
        await mouse.move(x(start), y)
        await mouse.down()
        await mouse.move(x(end), y, steps=6)
        await mouse.up()

    async def run(self, stop_at):
        while time.monotonic() < stop_at:
            try:
                await self.move()
            except Exception as exc:  # a Playwright timeout or a dead page
                self.error(type(exc).__name__, str(exc).splitlines()[0] if str(exc) else "")
                if self.page.is_closed():
                    return


# ----------------------------------------------------------------------------- run


async def sample_memory(pid, samples, stop):
    while not stop.is_set():
        samples.append(rss_kib(pid))
        try:
            await asyncio.wait_for(stop.wait(), timeout=1.0)
        except TimeoutError:
            pass


async def drive(base, server_pid, args):
    from playwright.async_api import async_playwright

    mem, stop_mem = [], asyncio.Event()
    mem_task = asyncio.create_task(sample_memory(server_pid, mem, stop_mem))
    sessions = [Session(i, base, args) for i in range(args.sessions)]
    out = {"sessions": sessions, "mem": mem}
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            t = time.monotonic()
            # Users arrive a few at a time: at most --open-concurrency first page loads at
            # once (each bounded by --open-timeout); sessions already open start moving.
            gate = asyncio.Semaphore(args.open_concurrency)

            async def open_one(s):
                async with gate:
                    await asyncio.wait_for(s.open(browser), args.open_timeout)

            opened = await asyncio.gather(*(open_one(s) for s in sessions), return_exceptions=True)
            out["open_s"] = time.monotonic() - t
            live = []
            for s, r in zip(sessions, opened, strict=True):
                if isinstance(r, BaseException):
                    s.error(
                        "open", f"{type(r).__name__}: {str(r).splitlines()[0] if str(r) else ''}"
                    )
                else:
                    live.append(s)
            out["mem_before_moves"] = rss_kib(server_pid)
            cpu0 = cpu_split(server_pid)
            t0 = time.monotonic()
            stop_at = t0 + args.seconds
            grace = args.timeout_ms / 1000 + 30
            pending = ()
            if live:
                _done, pending = await asyncio.wait(
                    [asyncio.create_task(s.run(stop_at)) for s in live],
                    timeout=args.seconds + grace,
                )
            for task in pending:
                task.cancel()
            if pending:
                sessions[0].error("hard-stop", f"{len(pending)} sessions still busy after grace")
            out["duration_s"] = time.monotonic() - t0
            cpu1 = cpu_split(server_pid)
            out["cpu"] = (cpu1[0] - cpu0[0], cpu1[1] - cpu0[1])
            out["load"] = os.getloadavg()
        finally:
            for s in sessions:
                s.closing = True
            for s in sessions:
                if s.context is not None:
                    try:
                        await asyncio.wait_for(s.context.close(), 10)
                    except Exception:  # closing anyway
                        pass
            await browser.close()
            stop_mem.set()
            await mem_task
    return out


def report(args, out, load_start):
    sessions = out["sessions"]
    lat = [x for s in sessions for x in s.latencies]
    stage = [x for s in sessions for x in s.stage_ms]
    errors = [(s.index, k, d) for s in sessions for k, d in s.errors]
    mem = out["mem"] or [0]
    per_session = [s.moves for s in sessions]
    rows = [
        (
            "sessions",
            f"{args.sessions} (Chromium contexts, {VIEWPORT['width']}×{VIEWPORT['height']})",
        ),
        ("opening all sessions", f"{out.get('open_s', float('nan')):.1f} s"),
        (
            "duration of moves",
            f"{out.get('duration_s', float('nan')):.1f} s (asked {args.seconds} s)",
        ),
        (
            "slider moves",
            f"{sum(per_session)} (per session min {min(per_session)}, max {max(per_session)})",
        ),
        ("of which drags", str(sum(s.drags for s in sessions))),
        ("moves timed (server followed)", str(len(lat))),
        ("errors", str(len(errors))),
        (
            "not counted: external",
            f"{sum(len(s.external) for s in sessions)} failed requests "
            "to other hosts (offline machine)",
        ),
        (
            "not counted: 404 probes",
            f"{sum(len(s.probes) for s in sessions)} (/playground/_stcore/* base-path probe)",
        ),
        (
            "not counted: plane polls",
            f"{sum(len(s.plane_polls) for s in sessions)} (404 until the whole plane is written)",
        ),
        ("key press → regions redrawn p50", fmt_ms(percentile(stage, 50))),
        ("key press → regions redrawn p95", fmt_ms(percentile(stage, 95))),
        ("press/release → server followed p50", fmt_ms(percentile(lat, 50))),
        ("press/release → server followed p95", fmt_ms(percentile(lat, 95))),
        ("press/release → server followed max", fmt_ms(max(lat) if lat else float("nan"))),
        ("server RSS start", f"{mem[0] / 1024:,.0f} MiB"),
        ("server RSS after opening", f"{out.get('mem_before_moves', 0) / 1024:,.0f} MiB"),
        ("server RSS peak", f"{max(mem) / 1024:,.0f} MiB"),
        ("server RSS end", f"{mem[-1] / 1024:,.0f} MiB"),
        (
            "CPU during moves",
            "server {:.0f} s, browser+driver {:.0f} s (of {:.0f} core-s)".format(
                *out.get("cpu", (float("nan"),) * 2),
                (os.cpu_count() or 1) * out.get("duration_s", float("nan")),
            ),
        ),
        ("load average at start", " ".join(f"{x:.2f}" for x in load_start)),
        ("load average at end", " ".join(f"{x:.2f}" for x in out.get("load", (0, 0, 0)))),
        ("CPUs", str(os.cpu_count())),
    ]
    if errors:
        print("\nErrors (session, kind, detail):")
        kinds = {}
        for _i, k, _d in errors:
            kinds[k] = kinds.get(k, 0) + 1
        for i, k, d in errors[:40]:
            print(f"  {i:>3}  {k:<14} {d}")
        if len(errors) > 40:
            print(f"  … {len(errors) - 40} more")
        print("  by kind: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    width = max(len(r[0]) for r in rows)
    print("\nLoad benchmark (benchmarks/load.py)\n")
    print(f"| {'measure':<{width}} | value")
    print(f"|{'-' * (width + 2)}|------")
    for k, v in rows:
        print(f"| {k:<{width}} | {v}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--timeout", type=float, default=30, help="seconds per wait (default 30)")
    ap.add_argument(
        "--open-concurrency", type=int, default=4, help="first page loads at once (default 4)"
    )
    ap.add_argument(
        "--open-timeout", type=float, default=120, help="seconds to open one session (120)"
    )
    ap.add_argument("--root", type=Path, default=ROOT, help="checkout to serve")
    args = ap.parse_args(argv)
    if args.sessions < 1 or args.seconds <= 0:
        ap.error("--sessions ≥ 1 and --seconds > 0")
    args.timeout_ms = int(args.timeout * 1000)
    if not Path(CHROMIUM).exists():
        sys.exit(f"Chromium not found at {CHROMIUM}")
    load_start = os.getloadavg()
    proc, base = start_server(root=args.root)
    try:
        print(f"server {base} (pid {proc.pid}); {args.sessions} sessions for {args.seconds} s")
        out = asyncio.run(drive(base, proc.pid, args))
    finally:
        stop_server(proc)
    report(args, out, load_start)
    n_errors = sum(len(s.errors) for s in out["sessions"])
    return 1 if n_errors else 0


if __name__ == "__main__":
    sys.exit(main())
