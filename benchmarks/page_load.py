"""Fresh page load: the Derivation page against a minimal Streamlit app, two browsers.

    python benchmarks/page_load.py                    # 5 loads each, Chromium and WebKit
    python benchmarks/page_load.py --loads 9 --browsers chromium
    python benchmarks/page_load.py --root /tmp/copy   # measure another checkout
    python benchmarks/page_load.py --path playground  # another page of the app

A benchmark, not a test: it prints one line per load and a summary table. Target
(issue 11, "The page's weight"): a fresh load of ``/derivation`` settles within 1.5x
the time of ``benchmarks/minimal_app.py`` (one slider, one small plotly chart) in
headless Chromium and within 2x in WebKitGTK, both measured in the same run. Both
ratios are printed: of the medians, and the median of each round's ratio (more robust
when the machine's load drifts; the load average is printed beside it).

What "settles" means. Time is the page's own clock, ``performance.now()``, whose zero
is the start of the navigation. A probe is in the page from its first script (Chromium:
an init script; WebKit: installed by polling right after the navigation starts, within
a few ms, well before Streamlit has drawn anything). It records

- the time of every DOM mutation (a MutationObserver on the whole document, attributes
  and text included);
- every animation frame (a requestAnimationFrame loop): a gap above 50 ms between two
  frames is a frame the main thread was too busy to draw, a "long frame" (the same
  threshold as a long task), and its end counts as activity;
- the end of every web-font load (``document.fonts`` ``loadingdone``; KaTeX's fonts).

The page has settled at the last activity (mutation, long-frame end, font load) after
which, for ``--quiet`` ms (default 1000), nothing happened and all of these hold:
Streamlit's script state is ``notRunning`` with something drawn in the main area (the
harness's idle recipe), no ``stSkeleton`` remains, every ``stPlotlyChart`` holds a
plotly graph that has finished drawing (``_fullLayout`` set, no pending ``_promises``,
``.main-svg`` present), ``document.fonts.status`` is ``loaded``. The polling (every
100 ms, a read-only script) cannot delay that time: it is read back from the page.

Also reported: the longest frame gap ("frozen", the longest time the page could not
repaint nor respond) and the total blocking time (the sum of each long frame's excess
over 50 ms), from navigation start to settling.

Fresh load: Chromium opens a new browser context per load (empty HTTP cache, no
cookies, a new Streamlit session); WebKit a new WebDriver session (a new MiniBrowser).
Both servers run throughout (``tests/browser/harness.py``); the first load of each app
in each browser is a warm-up, not counted (it fills the server's caches: the Derivation
page's model is trained once per server, as for every later visitor). Loads alternate
minimal, page, minimal, page, ... so drift on a shared machine hits both. The median
of ``--loads`` loads is compared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

DEFAULT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(DEFAULT_ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import webkit_driver  # noqa: E402

from tests.browser.harness import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server  # noqa: E402

VIEWPORT = {"width": 1400, "height": 900}
TARGETS = {"chromium": 1.5, "webkit": 2.0}
LONG_FRAME_MS = 50

# Installed once per document; idempotent.
PROBE = """
(() => {
  if (window.__settle) return;
  const S = window.__settle = {
    installed: performance.now(), lastMutation: 0, mutations: 0, lastFonts: 0,
    lastFrame: performance.now(), maxGap: 0, blocking: 0, longFrames: 0, lastLong: 0,
  };
  new MutationObserver(() => { S.lastMutation = performance.now(); S.mutations++; })
    .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  if (document.fonts) {
    document.fonts.addEventListener('loadingdone', () => { S.lastFonts = performance.now(); });
  }
  const tick = () => {
    const now = performance.now();
    const gap = now - S.lastFrame;
    if (gap > S.maxGap) S.maxGap = gap;
    if (gap > LONG) { S.blocking += gap - LONG; S.longFrames++; S.lastLong = now; }
    S.lastFrame = now;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();
""".replace("LONG", str(LONG_FRAME_MS))

# Read-only snapshot of the page's state (a function body for WebDriver).
STATE = """
const S = window.__settle;
if (!S) return null;
const idle = !!document.querySelector(
  '[data-testid=stApp][data-test-script-state=notRunning]');
const drawnMain = document.querySelectorAll(
  '[data-testid=stMain] [data-testid=stElementContainer]').length;
const skeletons = document.querySelectorAll('[data-testid=stSkeleton]').length;
const charts = [...document.querySelectorAll('[data-testid=stPlotlyChart]')];
const drawn = charts.filter(c => {
  const gd = c.querySelector('.js-plotly-plot');
  return gd && gd._fullLayout && gd.querySelector('.main-svg')
    && !(gd._promises && gd._promises.length) && !gd._transitioning;
}).length;
const fonts = document.fonts ? document.fonts.status : 'loaded';
return {
  now: performance.now(),
  ready: idle && drawnMain > 0 && skeletons === 0 && drawn === charts.length
    && fonts === 'loaded',
  idle, skeletons, charts: charts.length, drawn, fonts,
  katex: document.querySelectorAll('.katex-display, .katex').length,
  last: Math.max(S.lastMutation, S.lastLong, S.lastFonts),
  maxGap: S.maxGap, blocking: S.blocking, longFrames: S.longFrames,
  installed: S.installed, exceptions: document.querySelectorAll(
    '[data-testid=stException]').length,
};
"""


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def wait_settled(read, quiet_ms, timeout_s):
    """Poll ``read()`` (the STATE snapshot) until the page has settled; the last snapshot.

    Settled: ``ready`` and nothing happened for ``quiet_ms``. The settle time is the
    snapshot's ``last`` (the last activity), unless the page was seen not ready after
    that activity (a condition that turned true without any DOM change, e.g. a plotly
    promise resolving): then it is the first poll that saw it ready (an upper bound).
    """
    deadline = time.monotonic() + timeout_s
    not_ready_at = -1.0  # page time of the latest poll that saw the page not ready
    ready_at = None
    st = None
    while time.monotonic() < deadline:
        st = read()
        if st is not None:
            if not st["ready"]:
                not_ready_at, ready_at = st["now"], None
            else:
                ready_at = st["now"] if ready_at is None else ready_at
                if st["now"] - st["last"] >= quiet_ms and st["now"] - ready_at >= 100:
                    st["settled"] = ready_at if not_ready_at > st["last"] else st["last"]
                    return st
        time.sleep(0.1)  # the poll interval; the settle time is read from the page
    raise TimeoutError(f"the page did not settle within {timeout_s} s: {st}")


# ----------------------------------------------------------------------------- browsers


def chromium_loads(urls, n, quiet_ms, timeout_s, log):
    from playwright.sync_api import sync_playwright

    results = {name: [] for name in urls}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            for rep in range(n + 1):
                for name, url in urls.items():
                    context = browser.new_context(viewport=VIEWPORT)
                    context.add_init_script(PROBE)
                    page = context.new_page()
                    page.goto(url, wait_until="commit")
                    st = wait_settled(
                        lambda page=page: page.evaluate(f"() => {{{STATE}}}"), quiet_ms, timeout_s
                    )
                    context.close()
                    log("chromium", name, rep, st)
                    if rep > 0:
                        results[name].append(st)
        finally:
            browser.close()
    return results


def webkit_loads(urls, n, quiet_ms, timeout_s, log):
    results = {name: [] for name in urls}
    with webkit_driver.WebKit() as wk:
        for rep in range(n + 1):
            for name, url in urls.items():
                # A new MiniBrowser per load; its start is not timed (the clock is the
                # page's), but on a busy machine it can take a while: one retry.
                try:
                    session = wk.new_session(width=VIEWPORT["width"], height=VIEWPORT["height"])
                except (OSError, RuntimeError):
                    session = wk.new_session(width=VIEWPORT["width"], height=VIEWPORT["height"])
                try:
                    session.navigate(url)
                    # The probe goes in as soon as the new document exists (before that,
                    # the script runs in the blank page and is thrown away with it).
                    deadline = time.monotonic() + 30
                    while time.monotonic() < deadline:
                        try:
                            if session.execute(
                                "if (location.href.startsWith('http') && document.documentElement)"
                                f" {{ {PROBE} return true; }} return false;"
                            ):
                                break
                        except RuntimeError:  # the blank page unloaded under the script
                            continue
                    st = wait_settled(lambda s=session: s.execute(STATE), quiet_ms, timeout_s)
                finally:
                    session.close()
                log("webkit", name, rep, st)
                if rep > 0:
                    results[name].append(st)
    return results


# ----------------------------------------------------------------------------- main


def log_line(browser, name, rep, st):
    tag = "warm-up" if rep == 0 else f"load {rep}"
    print(
        f"  {browser:8s} {name:12s} {tag:8s} settled {st['settled'] / 1e3:6.2f} s"
        f"  frozen {st['maxGap']:6.0f} ms  blocking {st['blocking']:6.0f} ms"
        f"  charts {st['drawn']}/{st['charts']}  KaTeX {st['katex']:3d}"
        f"  probe at {st['installed']:5.0f} ms"
        + (f"  EXCEPTIONS {st['exceptions']}" if st["exceptions"] else ""),
        flush=True,
    )


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--loads", type=int, default=5, help="counted loads per app and browser")
    ap.add_argument("--browsers", default="chromium,webkit")
    ap.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="checkout to serve")
    ap.add_argument("--path", default="derivation", help="the app page to load (URL path)")
    ap.add_argument("--quiet", type=float, default=1000.0, help="quiet window, ms")
    ap.add_argument("--timeout", type=float, default=120.0, help="per load, s")
    args = ap.parse_args(argv)
    browsers = [b.strip() for b in args.browsers.split(",") if b.strip()]
    if "webkit" in browsers:
        ok, why = webkit_driver.available()
        if not ok:
            print(f"note: WebKit skipped: {why}")
            browsers.remove("webkit")

    print(
        f"root {args.root}; page /{args.path}; {args.loads} loads + 1 warm-up per app;"
        f" load average {os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs)"
    )
    servers = []
    try:
        minimal = start_server(DEFAULT_ROOT / "benchmarks" / "minimal_app.py", root=args.root)
        servers.append(minimal[0])
        app = start_server("app.py", root=args.root)
        servers.append(app[0])
        urls = {"minimal app": minimal[1] + "/", args.path: f"{app[1]}/{args.path}"}
        table = []
        for browser in browsers:
            run = {"chromium": chromium_loads, "webkit": webkit_loads}[browser]
            res = run(urls, args.loads, args.quiet, args.timeout, log_line)
            row = {"browser": browser}
            for name, samples in res.items():
                row[name] = {
                    key: median([s[key] for s in samples])
                    for key in ("settled", "maxGap", "blocking", "katex", "charts")
                }
            # Each round loads the minimal app then the page: the ratio within a round
            # is the least exposed to a machine whose load drifts during the run.
            minimal_s, page_s = (res[name] for name in urls)
            row["paired"] = median(
                [p["settled"] / m["settled"] for m, p in zip(minimal_s, page_s, strict=True)]
            )
            row["load"] = os.getloadavg()[0]
            table.append(row)
    finally:
        for proc in servers:
            stop_server(proc)

    print()
    print(f"Fresh load until settled (median of {args.loads}; quiet window {args.quiet:g} ms)")
    head = (
        f"{'browser':9s} {'minimal app':>12s} {'/' + args.path:>13s} {'ratio':>6s}"
        f" {'target':>7s}  {'frozen (page)':>13s} {'blocking (page)':>15s}"
        f" {'charts':>6s} {'KaTeX':>6s} {'paired':>7s} {'load':>5s}"
    )
    print(head)
    print("-" * len(head))
    for row in table:
        m, d = row["minimal app"], row[args.path]
        ratio = d["settled"] / m["settled"]
        target = TARGETS[row["browser"]]
        print(
            f"{row['browser']:9s} {m['settled'] / 1e3:10.2f} s {d['settled'] / 1e3:11.2f} s"
            f" {ratio:6.2f} {'≤ ' + format(target, 'g'):>7s}  {d['maxGap']:10.0f} ms"
            f" {d['blocking']:12.0f} ms {d['charts']:6.0f} {d['katex']:6.0f}"
            f" {row['paired']:7.2f} {row['load']:5.1f}"
            f"  {'ok' if max(ratio, row['paired']) <= target else 'OVER'}"
        )
    print(
        "ratio: median page / median minimal app; paired: median over rounds of page /"
        " minimal app of the same round; load: the load average when the browser was done."
    )


if __name__ == "__main__":
    main()
