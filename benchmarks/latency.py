"""The Playground's live stage against a minimal Streamlit app, in one run.

    python benchmarks/latency.py            # full run (a few minutes)
    python benchmarks/latency.py --quick    # fewer repeats

A benchmark, not a test: it prints its measurements as tables. What it measures
(issue 13, "Measure"):

1. **Key press → regions changed.** Headless Chromium (software rendering), 1400 × 900.
   A capture-phase ``keydown`` listener stamps the press (``event.timeStamp``). On the
   Playground the press goes to the stage's Learning rate slider and the stop is the
   moment the regions view has drawn the new cell (the stage records
   ``performance.now()`` after each draw). On ``benchmarks/minimal_app.py`` (one slider,
   one small ``st.plotly_chart``) the press goes to its slider and the stop is the
   first DOM mutation after which the chart's title shows the new value (a
   MutationObserver, so no polling interval is added). Presses alternate between the two
   apps; ratio = median Playground / median minimal app (target ≤ 0.5).
2. **Drag.** ``page.mouse`` down on the Learning rate slider, moved across it in small
   steps, released. Reported: slider values the pointer passed (``input`` events),
   distinct cells the regions view drew, frames per second while dragging
   (``requestAnimationFrame`` count), messages sent to the server before and after the
   release (``WebSocket.send`` counted from the page's start).
3. **Play**: distinct recorded steps drawn per second while Play animates.
4. **The plane** (in this process): training time, file size, and the share of each
   array, for the default settings and the largest the page allows.
5. **The server following a release** (in this process, AppTest): the rerun after a
   released slider, cached plane, new single run.

The machine may be shared: the load average is printed, and ratios are taken within one
run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.harness import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    start_server,
    stop_server,
    wait_for_idle,
)

VIEWPORT = {"width": 1400, "height": 900}
TARGET_RATIO = 0.5
TARGET_FPS = 30.0
TARGET_PLAY_FPS = 20.0

# Installed before the page's scripts: stamps key presses, counts messages to the server.
PAGE_JS = r"""
(() => {
  window.__bench = { keyAt: null, sent: 0 };
  addEventListener('keydown', (e) => { window.__bench.keyAt = e.timeStamp; }, true);
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (...args) { window.__bench.sent += 1;
                                                  return send.apply(this, args); };
})();
"""

# The stage has drawn from the whole plane (not the neighbourhood shown while it trains).
WHOLE_PLANE = """() => { const s = window.__softmaxStage || {};
  return s.plane && s.last && (!s.server.next_url || s.planeUrl === s.server.next_url); }"""

# The minimal app: resolves with the time of the mutation that shows ``want`` in the title.
MINIMAL_WAIT = r"""
(want) => new Promise((resolve) => {
  // The whole page is observed: st.plotly_chart remounts a changed chart.
  const shows = () => Array.from(document.querySelectorAll('.st-key-chart .gtitle'))
                           .some((t) => t.textContent.includes(want));
  const mo = new MutationObserver(() => {
    if (shows()) { mo.disconnect(); resolve(performance.now()); }
  });
  mo.observe(document.body,
             { subtree: true, childList: true, attributes: true, characterData: true });
  setTimeout(() => { mo.disconnect(); resolve(null); }, 30000);
})
"""

# The stage: resolves when the regions view has drawn a cell other than ``old``.
STAGE_WAIT = r"""
(old) => new Promise((resolve) => {
  const s = window.__softmaxStage;
  const t0 = performance.now();
  const tick = () => {
    if (s.last && s.last.cell.join(',') !== old) resolve(s.drawnAt.regions);
    else if (performance.now() - t0 > 30000) resolve(null);
    else requestAnimationFrame(tick);
  };
  tick();
})
"""


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def table(title, rows):
    print(f"\n{title}")
    widths = [max(len(str(r[k])) for r in rows) for k in range(len(rows[0]))]
    for n, r in enumerate(rows):
        print("  " + "  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)))
        if n == 0:
            print("  " + "  ".join("-" * w for w in widths))


# ----------------------------------------------------------------------------- browser


def open_page(browser, url, ready):
    page = browser.new_context(viewport=VIEWPORT).new_page()
    page.add_init_script(PAGE_JS)
    page.goto(url)
    wait_for_idle(page)
    page.wait_for_function(ready, timeout=60_000)
    return page


def minimal_press(page, key):
    slider = page.get_by_role("slider").first
    slider.focus()
    before = int(float(slider.input_value()))
    want = before + (1 if key == "ArrowRight" else -1)
    # The waiter is armed before the press (evaluate would await its promise here).
    page.evaluate(f"(want) => {{ window.__wait = ({MINIMAL_WAIT})(want); }}", f"2π · {want} · x")
    page.keyboard.press(key)
    done = page.evaluate("() => window.__wait")
    wait_for_idle(page)
    key_at = page.evaluate("() => window.__bench.keyAt")
    return None if done is None else done - key_at


def stage_press(page, key):
    page.get_by_role("slider", name="Learning rate", exact=True).focus()
    old = page.evaluate("() => window.__softmaxStage.last.cell.join(',')")
    page.evaluate(f"(old) => {{ window.__wait = ({STAGE_WAIT})(old); }}", old)
    page.keyboard.press(key)
    done = page.evaluate("() => window.__wait")
    key_at = page.evaluate("() => window.__bench.keyAt")
    wait_for_idle(page)  # let the server follow before the next press
    return None if done is None else done - key_at


def drag(page, steps, leftward=True):
    """A drag across the slider; alternate ``leftward`` so each release changes the value
    (a range input sends no ``change`` when it ends where it started)."""
    box = page.get_by_role("slider", name="Learning rate", exact=True).bounding_box()
    y = box["y"] + box["height"] / 2
    page.evaluate(
        """() => { const b = window.__bench, s = window.__softmaxStage;
                   b.inputs = new Set(); b.cells = new Set(); b.frames = 0; b.watch = true;
                   document.querySelector('input[aria-label="Learning rate"]')
                     .addEventListener('input', (e) => b.inputs.add(e.target.value));
                   const f = () => { b.frames += 1; b.cells.add(s.last.cell.join(','));
                                     if (b.watch) requestAnimationFrame(f); };
                   requestAnimationFrame(f); }"""
    )
    a, b = (0.97, 0.03) if leftward else (0.03, 0.97)
    page.mouse.move(box["x"] + box["width"] * a, y)
    sent0 = page.evaluate("() => window.__bench.sent")
    page.mouse.down()
    t0 = page.evaluate("() => performance.now()")
    for k in range(steps):
        page.mouse.move(box["x"] + box["width"] * (a + (b - a) * k / (steps - 1)), y)
    t1 = page.evaluate("() => performance.now()")
    during = page.evaluate(
        """() => { const b = window.__bench; b.watch = false;
                   return { inputs: b.inputs.size, cells: b.cells.size, frames: b.frames,
                            sent: b.sent }; }"""
    )
    page.mouse.up()
    page.wait_for_function("(n) => window.__bench.sent > n", arg=during["sent"], timeout=10_000)
    wait_for_idle(page)
    after = page.evaluate("() => window.__bench.sent")
    return dict(
        passed=during["inputs"],
        drawn=during["cells"],
        fps=1000 * during["frames"] / (t1 - t0),
        sent_during=during["sent"] - sent0,
        sent_after=after - during["sent"],
        seconds=(t1 - t0) / 1000,
    )


def play(page):
    page.evaluate(
        """() => { const s = window.__softmaxStage; window.__bench.play = [];
                   const f = () => { const l = s.last;
                     if (l.source === 'play') window.__bench.play.push([performance.now(), l.step]);
                     if (!window.__bench.playDone) requestAnimationFrame(f); };
                   requestAnimationFrame(f); }"""
    )
    page.locator(".st-key-play label").click()
    page.wait_for_function(
        "() => { const p = window.__bench.play; return p.length &&"
        " p.at(-1)[1] === window.__softmaxStage.plane.meta.steps; }",
        timeout=30_000,
    )
    shown = page.evaluate("() => { window.__bench.playDone = true; return window.__bench.play; }")
    page.locator(".st-key-play label").click()
    wait_for_idle(page)
    firsts = {}
    for t, step in shown:
        firsts.setdefault(step, t)
    times = sorted(firsts.values())
    return (len(times) - 1) / ((times[-1] - times[0]) / 1000), len(times)


def browser_measurements(playground, minimal, presses, drags):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        stage = open_page(
            browser,
            f"{playground}/playground",
            "() => (window.__softmaxStage || {}).plane && window.__softmaxStage.last",
        )
        mini = open_page(browser, minimal, "() => document.querySelector('.st-key-chart .gtitle')")
        stage_ms, mini_ms = [], []
        for n in range(presses):
            key = "ArrowLeft" if n % 2 == 0 else "ArrowRight"
            mini_ms.append(minimal_press(mini, key))
            stage_ms.append(stage_press(stage, key))
        drag_rows = [drag(stage, 60, leftward=n % 2 == 0) for n in range(drags)]
        play_fps, play_frames = play(stage)
        draw_ms = stage.evaluate("() => window.__softmaxStage.drawMs")
        browser.close()
    return dict(
        stage=[v for v in stage_ms if v is not None],
        minimal=[v for v in mini_ms if v is not None],
        missed=sum(v is None for v in stage_ms + mini_ms),
        drags=drag_rows,
        play_fps=play_fps,
        play_frames=play_frames,
        draw_ms={k: median(v) for k, v in draw_ms.items()},
    )


# ----------------------------------------------------------------------------- server


def plane_measurements():
    from dashboard.playground.plane import MAX_PLANE_BYTES, build_plane, decode_plane, encode_plane
    from dashboard.settings import Settings

    cases = {
        "default (spiral, 240 train, RBF D=40, C=3, 300 steps)": Settings(),
        "Adam, mini-batch 32": Settings(optimizer="adam", learning_rate=0.05, batch_size=32),
        "L-BFGS (regularization path)": Settings(optimizer="lbfgs"),
        "largest: 2000 samples, 5000 steps, C=10": Settings(
            n_samples=2000, steps=5000, n_classes=10, dataset="blobs"
        ),
    }
    rows = [("setting", "cells trained", "train s", "build s", "file bytes", "≤ budget",
             "largest arrays")]  # fmt: skip
    for name, settings in cases.items():
        t0 = time.perf_counter()
        plane = build_plane(settings)
        blob = encode_plane(plane)
        build = time.perf_counter() - t0
        _, arrays = decode_plane(blob)
        big = sorted(arrays.items(), key=lambda kv: -kv[1].nbytes)[:3]
        rows.append((
            name, f"{int(plane.trained.sum())}/{plane.trained.size}", f"{plane.seconds:.2f}",
            f"{build:.2f}", f"{len(blob):,}", "yes" if len(blob) <= MAX_PLANE_BYTES else "NO",
            ", ".join(f"{k} {v.nbytes / 1e3:.0f} kB" for k, v in big),
        ))  # fmt: skip
    return rows


def rerun_measurements(n):
    """Rerun after a release: cached plane, a new single run each time (new init seed)."""
    from streamlit.testing.v1 import AppTest

    from tests.chartspec import release

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("dashboard/playground/page.py")
    at.run()
    times = []
    for k in range(n):
        t0 = time.perf_counter()
        release(at, {"lr_index": 9 + k % 4, "reg_index": 7, "seq": k + 1})
        times.append(1e3 * (time.perf_counter() - t0))
    return times


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats")
    args = ap.parse_args(argv)
    presses, drags, reruns = (8, 1, 5) if args.quick else (20, 3, 15)
    print(f"load average at start: {os.getloadavg()}")
    playground, base_p = start_server("app.py")
    minimal, base_m = start_server("benchmarks/minimal_app.py")
    try:
        b = browser_measurements(base_p, base_m, presses, drags)
    finally:
        stop_server(playground)
        stop_server(minimal)

    stage, mini = median(b["stage"]), median(b["minimal"])
    table(
        f"Key press → regions changed (median of {presses}, same run)",
        [
            ("app", "median", "min", "max", "n"),
            ("minimal app (one slider, one plotly chart)", f"{mini:.1f} ms",
             f"{min(b['minimal']):.1f} ms", f"{max(b['minimal']):.1f} ms", len(b["minimal"])),
            ("Playground stage: Learning rate → regions", f"{stage:.1f} ms",
             f"{min(b['stage']):.1f} ms", f"{max(b['stage']):.1f} ms", len(b["stage"])),
            ("ratio (target ≤ 0.5)", f"{stage / mini:.3f}", "", "", ""),
        ],
    )  # fmt: skip
    if b["missed"]:
        print(f"  ({b['missed']} presses saw no change within 30 s and were left out)")
    table(
        "Drag across the Learning rate slider (60 pointer moves)",
        [("values passed", "cells drawn", "frames/s while dragging", "messages during drag",
          "messages after release", "seconds")]
        + [(d["passed"], d["drawn"], f"{d['fps']:.1f}", d["sent_during"], d["sent_after"],
            f"{d['seconds']:.2f}") for d in b["drags"]],
    )  # fmt: skip
    table(
        "Drawing in the browser",
        [("measure", "value"),
         ("Play: recorded steps drawn per second",
          f"{b['play_fps']:.1f} ({b['play_frames']} frames)"),
         *[(f"median draw time, {k}", f"{v:.2f} ms") for k, v in b["draw_ms"].items()]],
    )  # fmt: skip
    table("The plane (server, this process)", plane_measurements())
    times = rerun_measurements(reruns)
    table(
        "Server rerun after a release (AppTest, cached plane, new single run)",
        [("median", "min", "max"),
         (f"{median(times):.1f} ms", f"{min(times):.1f} ms", f"{max(times):.1f} ms")],
    )  # fmt: skip
    print(json.dumps({"ratio": stage / mini, "load_end": os.getloadavg()}))


if __name__ == "__main__":
    main()
