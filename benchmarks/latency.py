"""Playground latency, in the browser and on the server, against a minimal Streamlit app.

    python benchmarks/latency.py            # full run (a few minutes)
    python benchmarks/latency.py --quick    # fewer repeats
    python benchmarks/latency.py --root /tmp/copy   # measure another checkout

A benchmark, not a test: it prints its measurements and one summary table. Targets
(issue 3, "Speed"):

- key press on the Learning rate slider → every chart shows the new run, median, in
  headless Chromium, divided by the same for ``benchmarks/minimal_app.py`` (one slider,
  one small plotly chart) measured in the same run: ≤ 1.5;
- server-side rerun of the default Playground: ≤ 30 ms;
- Play (client-side plotly animation of the decision regions): ≥ 20 frames/s.

Browser method. Both apps run as real servers (``streamlit run``, loopback). A
MutationObserver on the page timestamps (``performance.now()``) every DOM change inside
each chart (``[data-testid=stPlotlyChart]`` for ``st.plotly_chart``, ``.softmax-plot``
for the Playground's kept-mounted ``dashboard.ui.plotly_view``; by its ``st-key-*``
container, so a remounted chart is still the same chart); a capture-phase ``keydown``
listener timestamps the key press. After the press the page waits, by polling, not by
sleeping a fixed time, until the script state went running → notRunning (or, for a
rerun so fast that React never shows "running", every chart changed), no skeleton
remains and no chart has changed for ``SETTLE_MS``; the latency is the last chart
change minus the key press. ``st.plotly_chart`` (the minimal app) remounts a changed
chart (its element id hashes the spec) and then redraws it once more with the same
content, so the first complete draw of each new graph div (``plotly_afterplot``) is
reported too, for reference. Learning-rate presses alternate 1 ↔ 0.5: "cached" once
both runs are in the server's cache; "retrain" after setting a new init seed first (not
timed), so the press trains a run never seen. The minimal app's presses are interleaved
with the Playground's. The sample is only kept if every chart then differs from before
the press, both in its DOM (plotly's random per-plot uid stripped) and in its data
(``gd.data`` and the layout's images, shapes, annotations, title and meta, uids
dropped), and if the data of each chart is the same every time the same setting is
shown again (so no stale intermediate render was timed). Websocket frames are decoded
(``ForwardMsg``) to report bytes per chart.

Floor. The figures each chart showed (``gd.data`` / ``gd.layout`` for two settings, and
the minimal app's two) are captured during the presses and redrawn with ``Plotly.react``
on an empty page in the same browser, one chart at a time at its width on the page:
what plotly.js alone needs, whatever Streamlit does, reported as "plotly.js alone".

Server method. ``AppTest`` runs ``app.py`` in this process; ``ScriptRunner._run_script``
is timed (the whole rerun: app.py, navigation, the page, every element marshalled),
with the page body, training, figure building and the chart elements timed inside it,
and the run's ForwardMsgs hashed and serialized the way the server does before sending.
``cProfile`` (enabled in the script thread) then lists the top costs. AppTest compiles
the scripts anew on every run; a server does not, so one ScriptCache is shared here.

Play: the toggle on, then plotly's Play / Replay button; ``plotly_animatingframe`` events
are timestamped in the page, and the layout image actually shown is sampled on every
animation frame.

The machine may be shared: the load average is printed, browser figures are compared
within one run, and the server rows include the script thread's CPU time.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import cProfile
import functools
import io
import itertools
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

DEFAULT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(DEFAULT_ROOT))

from tests.browser.harness import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server  # noqa: E402

VIEWPORT = {"width": 1400, "height": 900}
SETTLE_MS = 400  # no chart change for this long after the rerun ended = drawn
TIMEOUT_MS = 60_000
# The Playground's charts today (a checkout given with --root may draw others: the count
# found on the page is used, and a difference is only reported).
PLAYGROUND_CHARTS = ("regions_chart", "loss_chart", "dw_chart", "error_chart", "w_chart")

# Streamlit's own plotly element, or the Playground's kept-mounted one
# (dashboard/plotly_view.py), counted by its element so one not yet drawn counts too.
CHART_SELECTOR = "[data-testid=stPlotlyChart], [data-testid=stBidiComponentRegular]"

MIN_SLIDER = ".st-key-frequency"  # the minimal app's one slider
TARGET_RATIO = 1.5
TARGET_RERUN_MS = 30.0
TARGET_FPS = 20.0


# ----------------------------------------------------------------------------- helpers


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def p90(xs):
    """90th percentile (linear interpolation between order statistics)."""
    if not xs:
        return float("nan")
    s = sorted(xs)
    if len(s) == 1:
        return s[0]
    pos = 0.9 * (len(s) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def fmt_ms(v):
    return "—" if v != v else f"{v:,.1f} ms"


def fmt_bytes(n):
    return f"{n / 1024:,.1f} kB" if n >= 1024 else f"{n} B"


# ----------------------------------------------------------------------------- servers


@contextlib.contextmanager
def streamlit_servers(root, scripts):
    """Start ``streamlit run`` for each script (loopback, free ports); yield base URLs.

    Every process started here is stopped on exit, also on error or Ctrl-C.
    """
    procs, bases = [], []
    try:
        for script in scripts:
            proc, base = start_server(script, root=root)
            procs.append(proc)
            bases.append(base)
        yield bases
    finally:
        for proc in procs:
            stop_server(proc)


# ----------------------------------------------------------------------------- browser

# Installed in every page before its scripts run. ``arm()`` before a key press,
# ``wait()`` after it; see the module docstring.
PAGE_JS = r"""
(() => {
  const S = {};
  const hash = (s, h) => {
    for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
    return h >>> 0;
  };
  const CHART = '[data-testid=stPlotlyChart], .softmax-plot';
  const charts = () => Array.from(document.querySelectorAll(CHART));
  const keyOf = (el) => {
    const c = el.closest('[class*="st-key-"]');
    const m = c && c.className.match(/st-key-([\w-]+)/);
    return m ? m[1] : '?';
  };
  const gdOf = (chart) => chart.matches('.js-plotly-plot') ? chart
      : chart.querySelector('.js-plotly-plot');
  const domFp = (chart) => {
    let s = chart.innerHTML;
    const gd = gdOf(chart);
    const uid = gd && gd._fullLayout && gd._fullLayout._uid;
    if (uid) s = s.split(uid).join('');  // plotly's random per-plot id (clip paths)
    return hash(s, 7);
  };
  const replacer = (k, v) => (k === 'uid' || k.startsWith('_')) ? undefined
      : (ArrayBuffer.isView(v) ? Array.from(v) : v);
  const dataFp = (chart) => {
    const gd = gdOf(chart);
    if (!gd || !gd.data) return null;
    const L = gd.layout || {};
    const parts = [gd.data, L.images, L.shapes, L.annotations, L.title, L.meta];
    return hash(JSON.stringify(parts, replacer), 11);
  };
  const snapshot = () => {
    const out = {};
    for (const c of charts()) out[keyOf(c)] = {dom: domFp(c), data: dataFp(c)};
    return out;
  };
  const app = () => document.querySelector('[data-testid=stApp]');
  const state = () => app() && app().getAttribute('data-test-script-state');

  const onKey = () => { if (S.t0 === null) S.t0 = performance.now(); };
  // The first complete draw of each new plotly graph div (plotly_afterplot), to tell
  // the first time a chart shows the new run from later redraws of the same content.
  const hook = (chart) => {
    const gd = gdOf(chart);
    if (!gd || !gd.on || S.hooked.has(gd)) return;
    S.hooked.add(gd);
    const key = keyOf(chart);
    gd.on('plotly_afterplot', () => {
      if (!S.firstDraw.has(gd)) S.firstDraw.set(gd, [key, performance.now()]);
    });
  };
  const onMutations = (records) => {
    const t = performance.now();
    for (const r of records) {
      const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      const chart = el && el.closest(CHART);
      if (chart) { S.last[keyOf(chart)] = t; hook(chart); continue; }
      for (const n of r.addedNodes) {  // a remounted chart arrives as a new subtree
        if (n.nodeType !== 1) continue;
        const cs = n.matches(CHART) ? [n] : n.querySelectorAll(CHART);
        for (const c of cs) { S.last[keyOf(c)] = t; hook(c); }
      }
    }
  };
  // Records, not the current value: a fast rerun can go running -> notRunning before
  // the observer's callback runs.
  const onState = (records) => {
    const t = performance.now();
    for (const r of records) {
      if (r.oldValue !== 'running' && S.tRunning === null) S.tRunning = t;  // -> running
      if (r.oldValue === 'running') { if (S.tRunning === null) S.tRunning = t; S.tNotRunning = t; }
    }
    if (state() === 'running' && S.tRunning === null) S.tRunning = t;
  };

  window.__lat = {
    snapshot,
    arm() {
      S.before = snapshot();
      S.last = {}; S.t0 = null; S.tRunning = null; S.tNotRunning = null;
      S.hooked = new WeakSet(); S.firstDraw = new Map();
      window.addEventListener('keydown', onKey, true);
      window.addEventListener('pointerdown', onKey, true);
      S.mo = new MutationObserver(onMutations);
      S.mo.observe(document.body,
                   {subtree: true, childList: true, attributes: true, characterData: true});
      S.mo2 = new MutationObserver(onState);
      S.mo2.observe(app(), {attributes: true, attributeOldValue: true,
                            attributeFilter: ['data-test-script-state']});
      return Object.keys(S.before).length;
    },
    wait({settleMs, timeoutMs}) {
      return new Promise((resolve) => {
        const start = performance.now();
        const finish = (timedOut) => {
          S.mo.disconnect(); S.mo2.disconnect();
          window.removeEventListener('keydown', onKey, true);
          window.removeEventListener('pointerdown', onKey, true);
          const after = snapshot();
          const keys = Object.keys(after);
          const lastAny = Math.max(-Infinity, ...keys.map(k => S.last[k] ?? -Infinity));
          // first draw of the graph div each chart shows now (null if not seen)
          const first = {};
          for (const c of charts()) {
            const fd = S.firstDraw.get(gdOf(c));
            first[keyOf(c)] = fd ? fd[1] - S.t0 : null;
          }
          resolve({
            firstDraw: first,
            timedOut, t0: S.t0,
            total: lastAny - S.t0,
            perChart: Object.fromEntries(keys.map(k => [k, (S.last[k] ?? NaN) - S.t0])),
            running: S.tRunning === null ? null : S.tRunning - S.t0,
            notRunning: S.tNotRunning === null ? null : S.tNotRunning - S.t0,
            before: S.before, after,
          });
        };
        // Every chart differs from before the press (checked only once things are quiet).
        const allChanged = () => {
          const now = snapshot(), keys = Object.keys(S.before);
          return keys.length > 0 && keys.every(k => now[k] && now[k].dom !== S.before[k].dom
                                                    && now[k].data !== S.before[k].data);
        };
        const tick = () => {
          const now = performance.now();
          if (now - start > timeoutMs) return finish(true);
          const changes = Object.values(S.last);
          const idle = S.t0 !== null && state() === 'notRunning'
              && !document.querySelector('[data-testid=stSkeleton]')
              && (S.tNotRunning !== null || changes.length > 0);
          if (idle) {
            const quietSince = Math.max(S.tNotRunning ?? -Infinity, ...changes);
            // A fast rerun may never show 'running' (React batches both states into one
            // render); then the charts' content is the evidence that the rerun happened.
            if (now - quietSince >= settleMs && (S.tNotRunning !== null || allChanged())) {
              return finish(false);
            }
          }
          setTimeout(tick, 25);
        };
        tick();
      });
    },
  };
})();
"""

# Play: plotly's own frame events, and the layout image actually shown, sampled on every
# animation frame.
PLAY_ARM_JS = r"""
() => {
  const gd = document.querySelector('.st-key-regions_chart .js-plotly-plot');
  if (!gd || !gd.on) return false;
  const P = window.__play = {frames: [], shown: [], done: null, stop: false};
  gd.on('plotly_animatingframe', (e) => P.frames.push([performance.now(), e && e.name]));
  gd.on('plotly_animated', () => { P.done = performance.now(); });
  let last = null;
  const sample = () => {
    const img = gd.querySelector('.imagelayer image');
    const href = img && (img.getAttribute('href') || img.getAttribute('xlink:href'));
    if (href !== last) { P.shown.push(performance.now()); last = href; }
    if (!P.stop) requestAnimationFrame(sample);
  };
  requestAnimationFrame(sample);
  return true;
}
"""

PLAY_RESET_JS = r"""
() => { const P = window.__play; P.frames = []; P.shown = []; P.done = null; return true; }
"""

PLAY_WAIT_JS = r"""
(timeoutMs) => new Promise((resolve) => {
  const P = window.__play, start = performance.now();
  const tick = () => {
    if (P.done !== null && performance.now() - P.done > 200) {
      const shown = P.shown.filter(t => t <= P.done + 50);
      return resolve({frames: P.frames, shown, done: P.done});
    }
    if (performance.now() - start > timeoutMs) {
      return resolve({frames: P.frames, shown: P.shown, done: null});
    }
    setTimeout(tick, 50);
  };
  tick();
})
"""


class WsRecorder:
    """Collects the ForwardMsgs a page receives, to report bytes per chart."""

    def __init__(self, page):
        self.frames = []
        page.on("websocket", self._on_ws)

    def _on_ws(self, ws):
        ws.on("framereceived", lambda payload: self.frames.append(payload))

    def take(self):
        frames, self.frames = self.frames, []
        return frames


def decode_chart_bytes(frames):
    """``({chart key: bytes}, total bytes, n refs)`` of the ForwardMsgs in ``frames``."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    per_chart, total, refs = {}, 0, 0
    for payload in frames:
        raw = payload if isinstance(payload, bytes) else payload.encode()
        total += len(raw)
        try:
            msg = ForwardMsg.FromString(raw)
        except Exception:  # not a ForwardMsg
            continue
        if msg.WhichOneof("type") == "ref_hash":
            refs += 1
            continue
        if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
            continue
        el = msg.delta.new_element
        kind = el.WhichOneof("type")
        if kind in ("plotly_chart", "bidi_component"):
            el_id = getattr(el, kind).id
            key = el_id.rsplit("-", 1)[-1] if el_id else "?"
            per_chart[key] = per_chart.get(key, 0) + len(raw)
    return per_chart, total, refs


def wait_for_idle(page, timeout=TIMEOUT_MS):
    page.wait_for_selector(
        "[data-testid=stApp][data-test-script-state=notRunning]", timeout=timeout
    )
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=stSkeleton]').length === 0",
        timeout=timeout,
    )


def settle(page, n_charts=None):
    """Wait until the charts (``n_charts``, or as many as the page has) are drawn and
    nothing changes for a while; returns the number of charts."""
    wait_for_idle(page)
    if n_charts is None:
        n_charts = page.locator(CHART_SELECTOR).count()
    page.wait_for_function(
        """([n, sel]) => { const cs = document.querySelectorAll(sel);
                    return cs.length === n
                        && Array.from(cs).every(c => c.querySelector('.main-svg')) }""",
        arg=[n_charts, CHART_SELECTOR],
        timeout=TIMEOUT_MS,
    )
    page.evaluate(
        """(ms) => new Promise((resolve) => {
             let last = performance.now();
             const mo = new MutationObserver(() => { last = performance.now(); });
             mo.observe(document.body,
                        {subtree: true, childList: true, attributes: true, characterData: true});
             const tick = () => performance.now() - last >= ms
                 ? (mo.disconnect(), resolve()) : setTimeout(tick, 25);
             tick();
           })""",
        SETTLE_MS,
    )
    return n_charts


class Sample:
    """One key press: latency, its breakdown, whether every chart really changed."""

    def __init__(self, result, chart_bytes, total_bytes, refs, label):
        self.label = label
        self.total = result["total"]
        self.per_chart = result["perChart"]
        fd = result["firstDraw"]
        # every chart's first complete draw of what it shows now (None if one was not seen)
        self.first_draw = (
            None if any(v is None for v in fd.values()) or not fd else max(fd.values())
        )
        self.running = result["running"]
        self.not_running = result["notRunning"]
        self.timed_out = result["timedOut"]
        self.before, self.after = result["before"], result["after"]
        self.chart_bytes, self.total_bytes, self.refs = chart_bytes, total_bytes, refs
        self.unchanged = sorted(
            k
            for k in self.after
            if k not in self.before
            or self.after[k]["dom"] == self.before[k]["dom"]
            or self.after[k]["data"] == self.before[k]["data"]
        )
        self.problems = []
        if self.timed_out:
            self.problems.append("timed out")
        if result["t0"] is None:
            self.problems.append("key press not seen")
        if self.unchanged:
            self.problems.append(f"unchanged: {', '.join(self.unchanged)}")
        if set(self.after) != set(self.before):
            self.problems.append(f"charts {sorted(self.before)} -> {sorted(self.after)}")

    @property
    def ok(self):
        return not self.problems


def press(page, ws, selector, key, label):
    """Press ``key`` on the focused ``selector``; return a Sample when all charts settled."""
    page.locator(selector).focus()
    ws.take()
    page.evaluate("() => window.__lat.arm()")
    page.keyboard.press(key)
    result = page.evaluate(
        "(o) => window.__lat.wait(o)", {"settleMs": SETTLE_MS, "timeoutMs": TIMEOUT_MS}
    )
    chart_bytes, total_bytes, refs = decode_chart_bytes(ws.take())
    return Sample(result, chart_bytes, total_bytes, refs, label)


def check_consistency(samples, name):
    """Each chart must show the same data every time the same setting is shown again."""
    seen, bad = {}, []
    for s in samples:
        for k, fp in s.after.items():
            prev = seen.setdefault((s.label, k), fp["data"])
            if prev != fp["data"]:
                bad.append(f"{name}: {k} at {s.label} drew different data on a repeat")
    return sorted(set(bad))


def lr_value(page):
    return page.locator(".st-key-learning_rate [data-testid=stSliderThumbValue]").inner_text()


def lr_key(page):
    """The arrow that moves the learning rate between 1 and 0.5 (the default is 1)."""
    value = lr_value(page)
    if value not in ("1", "0.5"):
        raise RuntimeError(f"learning rate is {value!r}, expected 1 or 0.5")
    return "ArrowLeft" if value == "1" else "ArrowRight"


def browser_measurements(bases, n, n_play):
    from playwright.sync_api import sync_playwright

    playground_base, minimal_base = bases
    out = {"problems": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            ctx_min = browser.new_context(viewport=VIEWPORT)
            ctx_pg = browser.new_context(viewport=VIEWPORT)
            for ctx in (ctx_min, ctx_pg):
                ctx.add_init_script(PAGE_JS)
            mp, pp = ctx_min.new_page(), ctx_pg.new_page()
            errors = []
            for pg in (mp, pp):
                pg.on("pageerror", lambda exc: errors.append(str(exc)))
            ws_min, ws_pg = WsRecorder(mp), WsRecorder(pp)

            mp.goto(minimal_base)
            settle(mp, 1)
            pp.goto(f"{playground_base}/playground")
            n_charts = settle(pp)
            keys_found = sorted(pp.evaluate("() => Object.keys(window.__lat.snapshot())"))
            out["charts"] = keys_found
            if keys_found != sorted(PLAYGROUND_CHARTS):
                out["notes"] = [
                    f"this checkout draws {keys_found}, not {sorted(PLAYGROUND_CHARTS)}"
                ]

            lr_sel = ".st-key-learning_rate input[type=range]"
            min_sel = f"{MIN_SLIDER} input[type=range]"
            minimal, cached, uncached = [], [], []
            arrows = ("ArrowLeft", "ArrowRight")

            shown = {"minimal": {}, "playground": {}}  # setting -> figures, for the floor

            def minimal_press(i):
                mp.bring_to_front()
                s = press(mp, ws_min, min_sel, arrows[i % 2], label=arrows[i % 2])
                minimal.append(s)
                value = mp.locator(f"{MIN_SLIDER} [data-testid=stSliderThumbValue]").inner_text()
                shown["minimal"].setdefault(value, mp.evaluate(CAPTURE_JS))

            # Warm-up: the first presses train lr 0.5 and build the browser's caches.
            for i in range(2):
                mp.bring_to_front()
                press(mp, ws_min, min_sel, arrows[i % 2], label="warm-up")
                pp.bring_to_front()
                press(pp, ws_pg, lr_sel, lr_key(pp), label="warm-up")
            # Cached: learning rate 1 <-> 0.5, both runs in the server's cache now.
            for i in range(n):
                minimal_press(i)
                pp.bring_to_front()
                s = press(pp, ws_pg, lr_sel, lr_key(pp), label="")
                s.label = f"lr={lr_value(pp)}"
                cached.append(s)
                shown["playground"].setdefault(lr_value(pp), pp.evaluate(CAPTURE_JS))
            # Uncached: a new init seed first (not timed), then the key press retrains.
            seed_input = pp.locator(".st-key-init_seed input")
            for i in range(n):
                minimal_press(n + i)
                pp.bring_to_front()
                seed_input.fill(str(1000 + i))
                seed_input.press("Enter")
                pp.wait_for_function(
                    "(v) => location.search.includes('init_seed=' + v)",
                    arg=str(1000 + i),
                    timeout=TIMEOUT_MS,
                )
                settle(pp, n_charts)
                s = press(pp, ws_pg, lr_sel, lr_key(pp), label="")
                s.label = f"seed={1000 + i} lr={lr_value(pp)}"
                uncached.append(s)
            out["minimal"], out["cached"], out["uncached"] = minimal, cached, uncached
            out["floor"] = plotly_floor(ctx_min.new_page(), shown, n)
            for name, samples in (("minimal", minimal), ("cached", cached)):
                out["problems"] += check_consistency(samples, name)
            for name, samples in (("minimal", minimal), ("cached", cached), ("uncached", uncached)):
                for s in samples:
                    out["problems"] += [f"{name} {s.label}: {p}" for p in s.problems]

            # Play, on a fresh session with the default settings.
            pp.goto(f"{playground_base}/playground")
            settle(pp, n_charts)
            pp.locator(".st-key-play label").first.click()
            pp.wait_for_selector(".st-key-regions_chart .updatemenu-button", timeout=TIMEOUT_MS)
            settle(pp, n_charts)
            out["play"] = play_measurements(pp, n_play, out["problems"])
            out["js_errors"] = errors
        finally:
            browser.close()
    return out


# Every chart's figure as drawn (gd.data / gd.layout, plotly's own uids dropped) and the
# width of its graph div, by chart key; the minimal app's one chart is "chart".
CAPTURE_JS = r"""
() => Object.fromEntries(Array.from(document.querySelectorAll('.js-plotly-plot')).map(gd => {
  const box = gd.closest('[class*="st-key-"]');
  const key = box ? Array.from(box.classList).find(c => c.startsWith('st-key-')).slice(7)
                  : 'chart';
  const data = gd.data.map(({uid, ...t}) => t);
  return [key, {width: gd.clientWidth,
                figure: JSON.parse(JSON.stringify({data, layout: gd.layout}))}];
}))
"""

# Plotly.react alternating between the two figures of each chart on a bare page: no
# Streamlit, one graph at a time, the chart's own width. Median ms of the call (JS) and
# to the next frame (JS + style, layout, paint).
FLOOR_JS = r"""
async ([charts, reps]) => {
  const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  const med = xs => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const out = {};
  for (const [key, [a, b]] of Object.entries(charts)) {
    const div = document.createElement('div');
    div.style.width = a.width + 'px';
    document.body.appendChild(div);
    await Plotly.newPlot(div, structuredClone(a.figure));
    await frame();
    const js = [], painted = [];
    for (let i = 0; i < reps; i++) {
      const fig = structuredClone((i % 2 ? a : b).figure);
      const t0 = performance.now();
      await Plotly.react(div, fig);
      const t1 = performance.now();
      await frame();
      js.push(t1 - t0); painted.push(performance.now() - t0);
    }
    out[key] = {js: med(js), painted: med(painted)};
    Plotly.purge(div);
    div.remove();
  }
  return out;
}
"""


def plotly_floor(page, shown, n):
    """What plotly.js alone needs to redraw each chart: the lower bound of the browser's
    share, whatever Streamlit does. ``shown`` holds two settings' figures per app."""
    import plotly

    charts = {}
    for app, by_setting in shown.items():
        if len(by_setting) < 2:
            return None
        a, b = list(by_setting.values())[:2]
        for key in a:
            charts[f"{app}:{key}"] = [a[key], b[key]]
    page.goto("about:blank")
    page.add_script_tag(path=str(Path(plotly.__file__).parent / "package_data/plotly.min.js"))
    page.wait_for_function("() => window.Plotly")
    return page.evaluate(FLOOR_JS, [charts, max(2 * n, 10)])


def play_measurements(page, repeats, problems):
    if not page.evaluate(PLAY_ARM_JS):
        problems.append("play: no plotly graph div in the regions chart")
        return []
    runs = []
    buttons = page.locator(".st-key-regions_chart .updatemenu-button")
    for r in range(repeats):
        page.evaluate(PLAY_RESET_JS)
        label = "Play" if r == 0 else "Replay"
        buttons.filter(has_text=label).first.click()
        res = page.evaluate(PLAY_WAIT_JS, TIMEOUT_MS)
        frames = [t for t, _ in res["frames"]]
        if res["done"] is None or len(frames) < 2:
            problems.append(f"play run {r}: animation did not finish ({len(frames)} frames)")
            continue
        intervals = [b - a for a, b in itertools.pairwise(frames)]
        shown = res["shown"]
        runs.append(
            dict(
                n_frames=len(frames),
                fps=(len(frames) - 1) / ((frames[-1] - frames[0]) / 1e3),
                intervals=intervals,
                n_shown=len(shown),
                shown_fps=(len(shown) - 1) / ((shown[-1] - shown[0]) / 1e3)
                if len(shown) > 1
                else float("nan"),
                names=[nm for _, nm in res["frames"]],
            )
        )
    return runs


# ----------------------------------------------------------------------------- server side


class Timers:
    """Accumulates wall time per label for the current rerun."""

    def __init__(self):
        self.now = {}
        self.runs = []

    def add(self, label, seconds):
        self.now[label] = self.now.get(label, 0.0) + seconds

    def wrap(self, label, fn):
        @functools.wraps(fn)
        def timed(*a, **kw):
            start = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                self.add(label, time.perf_counter() - start)

        return timed

    def close_run(self):
        run, self.now = self.now, {}
        self.runs.append(run)
        return run


def server_measurements(root, n, profile_runs):
    """Rerun times of the default Playground in-process (AppTest), with a breakdown."""
    os.chdir(root)
    sys.path.insert(0, str(root))
    import streamlit as st
    from streamlit.navigation.page import StreamlitPage
    from streamlit.runtime import forward_msg_cache, runtime_util
    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import AppTest, app_test, local_script_runner

    import dashboard.playground.cache
    import dashboard.playground.charts
    import dashboard.ui.controls
    from dashboard.playground.compute import PlaygroundRun

    T = Timers()
    msgs = []
    orig_run_script = script_runner.ScriptRunner._run_script
    orig_enqueue = script_runner.ScriptRunner._enqueue_forward_msg

    profiler = []  # a cProfile.Profile while profiling: it must run in the script thread

    def run_script(self, rerun_data):
        if profiler:
            profiler[0].enable()
        start, cpu = time.perf_counter(), time.thread_time()
        try:
            return orig_run_script(self, rerun_data)
        finally:
            T.add("rerun", time.perf_counter() - start)
            T.add("rerun, CPU time of the script thread", time.thread_time() - cpu)
            if profiler:
                profiler[0].disable()

    def enqueue(self, msg):
        msgs.append(msg)
        return orig_enqueue(self, msg)

    # AppTest builds a new ScriptCache (so recompiles app.py and the page, ~5-10 ms) on
    # every run; a server keeps one. Share one here, as a server does.
    shared_cache = ScriptCache()
    patches = [
        (local_script_runner, "ScriptCache", lambda: shared_cache),
        (app_test, "ScriptCache", lambda: shared_cache),
        (script_runner.ScriptRunner, "_run_script", run_script),
        (script_runner.ScriptRunner, "_enqueue_forward_msg", enqueue),
        (StreamlitPage, "run", T.wrap("page script", StreamlitPage.run)),
        (
            dashboard.ui.controls,
            "sidebar_controls",
            T.wrap("  sidebar controls", dashboard.ui.controls.sidebar_controls),
        ),
        (
            dashboard.playground.cache,
            "train_playground",
            T.wrap("  training (cache miss)", dashboard.playground.cache.train_playground),
        ),
        (PlaygroundRun, "regions_at", T.wrap("  probability grid", PlaygroundRun.regions_at)),
        (st, "plotly_chart", T.wrap("  st.plotly_chart", st.plotly_chart)),
    ]
    # A checkout given with --root may predate the kept-mounted charts.
    with contextlib.suppress(ImportError):
        import dashboard.ui.plotly_view

        patches.append(
            (
                dashboard.ui.plotly_view,
                "plotly_view",
                T.wrap("  plotly_view (5 charts)", dashboard.ui.plotly_view.plotly_view),
            )
        )
    if hasattr(dashboard.playground.cache, "payload"):
        patches.append(
            (
                dashboard.playground.cache,
                "payload",
                T.wrap("  figure JSON (cache miss)", dashboard.playground.cache.payload),
            )
        )
    for name in (
        "decision_regions_figure",
        "animated_regions_figure",
        "loss_curve_figure",
        "weights_heatmap_figure",
        "error_signal_figure",
    ):
        label = f"  figures.{name.removesuffix('_figure')}"
        charts = dashboard.playground.charts  # the module the Playground calls them through
        patches.append((charts, name, T.wrap(label, getattr(charts, name))))
    saved = [(obj, name, getattr(obj, name)) for obj, name, _ in patches]
    for obj, name, new in patches:
        setattr(obj, name, new)

    def serialize_cost():
        """Hash + serialize the run's messages as the server does before sending."""
        batch = [copy.deepcopy(m) for m in msgs]
        start = time.perf_counter()
        size = 0
        for m in batch:
            forward_msg_cache.populate_hash_if_needed(m)
            size += len(runtime_util.serialize_forward_msg(m))
        return time.perf_counter() - start, size

    try:
        at = AppTest.from_file(str(root / "app.py"), default_timeout=120)
        at.run()
        at.switch_page("dashboard/playground/page.py")
        at.run()
        if at.exception:
            raise RuntimeError(f"Playground raised: {at.exception}")
        steps = list(at.select_slider(key="step").options)
        lrs = ["1.0", "0.5"]
        assert str(at.select_slider(key="learning_rate").value) in ("1.0", "1"), "not default lr"

        def one(action):
            msgs.clear()
            T.now = {}
            action()
            if at.exception:
                raise RuntimeError(f"Playground raised: {at.exception}")
            ser, size = serialize_cost()
            run = T.close_run()
            run["serialize+hash"] = ser
            run["bytes"] = size
            return run

        results = {}

        def scrub(i):
            at.select_slider(key="step").set_value(steps[-1 - (i % 2)]).run()

        def lr_cached(i):
            at.select_slider(key="learning_rate").set_value(float(lrs[(i + 1) % 2])).run()

        def lr_uncached(i):
            at.number_input(key="init_seed").set_value(5000 + i)
            at.select_slider(key="learning_rate").set_value(float(lrs[(i + 1) % 2])).run()

        for label, action in (
            ("(a) step scrubber, cached run", scrub),
            ("(a') learning rate 1 <-> 0.5, cached", lr_cached),
            ("(b) learning rate change, retrain", lr_uncached),
        ):
            for i in range(2):  # warm-up (also trains lr 0.5 for the cached case)
                one(lambda i=i, action=action: action(100 + i))
            T.runs.clear()
            results[label] = [one(lambda i=i, action=action: action(i)) for i in range(n)]

        # cProfile over a few more reruns of each kind.
        profiles = {}
        for label, action, offset in (
            ("(a) step scrubber", scrub, 0),
            ("(b) retrain", lr_uncached, 9000),
        ):
            prof = cProfile.Profile()
            profiler[:] = [prof]
            for i in range(profile_runs):
                action(offset + i)
            profiler.clear()
            buf = io.StringIO()
            stats = pstats.Stats(prof, stream=buf)
            stats.sort_stats("cumulative").print_stats(28)
            stats.sort_stats("tottime").print_stats(14)
            profiles[label] = (buf.getvalue(), profile_runs)
        return results, profiles
    finally:
        for obj, name, old in saved:
            setattr(obj, name, old)


def summarize_server(results):
    """One row per component, one column per scenario: median ms per rerun."""
    names = list(results)
    labels = ["rerun"]
    for runs in results.values():
        for r in runs:
            labels += [k for k in r if k not in labels and k != "bytes"]
    order = [
        "rerun",
        "rerun, CPU time of the script thread",
        "page script",
        "  sidebar controls",
        "  training (cache miss)",
        "  probability grid",
        "  figures.decision_regions",
        "  figures.animated_regions",
        "  figures.loss_curve",
        "  figures.weights_heatmap",
        "  figures.error_signal",
        "  figure JSON (cache miss)",
        "  plotly_view (5 charts)",
        "  st.plotly_chart",
        "serialize+hash",
    ]
    labels = [k for k in order if k in labels] + [k for k in labels if k not in order]
    width = max(len(k) for k in labels) + 2
    lines = [
        "Server-side rerun, median ms per rerun (AppTest in-process, script cache shared as "
        "in a server):",
        f"{'':{width}}" + "".join(f"{n.split(')')[0] + ')':>8}" for n in names),
    ]
    for lab in labels:
        row = f"{lab:{width}}"
        for n in names:
            row += f"{median([r.get(lab, 0.0) * 1e3 for r in results[n]]):>8.1f}"
        lines.append(row)
    lines.append(
        "  (indented rows are parts of the page script; serialize+hash = what the server "
        "does to the messages before sending)"
    )
    for n in names:
        lines.append(
            f"{n}: {fmt_bytes(int(median([r['bytes'] for r in results[n]])))} of ForwardMsgs "
            "per rerun"
        )
    return "\n".join(lines)


# ----------------------------------------------------------------------------- report


def print_table(rows):
    cols = ["measurement", "median", "p90", "target", "verdict"]
    widths = [max(len(str(r[i])) for r in [cols, *rows]) for i in range(len(cols))]
    line = "  ".join("-" * w for w in widths)
    print(line)
    print("  ".join(str(c).ljust(w) for c, w in zip(cols, widths, strict=True)))
    print(line)
    for r in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)))
    print(line)


def describe_samples(name, samples):
    ok = [s for s in samples if s.ok]
    tot = [s.total for s in ok]
    print(
        f"\n{name}: {len(ok)}/{len(samples)} valid presses; "
        f"median {fmt_ms(median(tot))}, p90 {fmt_ms(p90(tot))}"
    )
    if not ok:
        return
    first = [s.first_draw for s in ok if s.first_draw is not None]
    print(
        f"  first complete draw (plotly_afterplot) of every chart's new graph: median "
        f"{fmt_ms(median(first))}, p90 {fmt_ms(p90(first))} ({len(first)} presses; later "
        "changes are redraws of the same content)"
    )
    keys = list(ok[0].per_chart)
    print(
        "  per chart, median ms from key press to its last change: "
        + ", ".join(f"{k} {median([s.per_chart[k] for s in ok]):.0f}" for k in keys)
    )
    run_start = [s.running for s in ok if s.running is not None]
    run_end = [s.not_running for s in ok if s.not_running is not None]
    print(
        f"  script state: running at {median(run_start):.0f} ms, notRunning at "
        f"{median(run_end):.0f} ms after the key press (median)"
    )
    cb = {}
    for s in ok:
        for k, b in s.chart_bytes.items():
            cb.setdefault(k, []).append(b)
    print(
        "  websocket bytes per press (median): total "
        f"{fmt_bytes(int(median([s.total_bytes for s in ok])))}; "
        + ", ".join(f"{k} {fmt_bytes(int(median(v)))}" for k, v in cb.items())
        + f"; cache references {median([s.refs for s in ok]):.0f}"
    )


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats")
    ap.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="the checkout to measure")
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--no-server", action="store_true")
    ap.add_argument("--presses", type=int, help="key presses per series (default 15, quick 5)")
    args = ap.parse_args(argv)
    root = args.root.resolve()
    n = args.presses or (5 if args.quick else 15)
    n_play = 1 if args.quick else 3
    n_rerun = 7 if args.quick else 25
    profile_runs = 5 if args.quick else 15
    rows = []
    print(
        f"Softmax Playground latency — {root} — {n} key presses per series, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}"
    )

    if not args.no_browser:
        if not Path(CHROMIUM).exists():
            sys.exit(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
        scripts = [root / "app.py", Path(__file__).resolve().parent / "minimal_app.py"]
        with streamlit_servers(root, scripts) as bases:
            b = browser_measurements(bases, n, n_play)
        for name in ("minimal", "cached", "uncached"):
            describe_samples(
                {
                    "minimal": "Minimal app (slider 5 <-> 6)",
                    "cached": "Playground, learning rate 1 <-> 0.5 (both runs cached)",
                    "uncached": "Playground, learning rate change that retrains "
                    "(new init seed each time)",
                }[name],
                b[name],
            )
        for note in b.get("notes", []):
            print("\nNote:", note)
        if b["problems"]:
            print("\nMEASUREMENT PROBLEMS (samples dropped):")
            for prob in b["problems"]:
                print("  -", prob)
        if b.get("js_errors"):
            print("\nJavaScript errors:", *b["js_errors"], sep="\n  ")
        mins = [s.total for s in b["minimal"] if s.ok]
        cached = [s.total for s in b["cached"] if s.ok]
        uncached = [s.total for s in b["uncached"] if s.ok]
        m_min = median(mins)
        rows.append(
            [
                "key press → chart redrawn, minimal app",
                fmt_ms(m_min),
                fmt_ms(p90(mins)),
                "(baseline)",
                "",
            ]
        )
        firsts = {
            name: [s.first_draw for s in b[name] if s.ok and s.first_draw is not None]
            for name in ("minimal", "cached", "uncached")
        }
        for name, xs in (("cached run", cached), ("retrain", uncached)):
            rows.append(
                [
                    f"key press → all {len(b['charts'])} charts redrawn, Playground, {name}",
                    fmt_ms(median(xs)),
                    fmt_ms(p90(xs)),
                    "",
                    "",
                ]
            )
            ratio = median(xs) / m_min
            ratio90 = p90(xs) / p90(mins)
            rows.append(
                [
                    f"  ratio Playground / minimal, {name}",
                    f"{ratio:.2f}",
                    f"{ratio90:.2f}",
                    f"≤ {TARGET_RATIO}",
                    "PASS" if ratio <= TARGET_RATIO else "FAIL",
                ]
            )
        for key, name in (("cached", "cached run"), ("uncached", "retrain")):
            f_pg, f_min = firsts[key], firsts["minimal"]
            if f_pg and f_min:
                rows.append(
                    [
                        f"  (first complete draw) ratio, {name}",
                        f"{median(f_pg) / median(f_min):.2f}",
                        f"{p90(f_pg) / p90(f_min):.2f}",
                        "(reference)",
                        "",
                    ]
                )
        floor = b.get("floor")
        if floor:
            print("\nplotly.js alone (bare page, Plotly.react between the two settings' figures,")
            print("median ms: the call / to the next frame):")
            for key, v in floor.items():
                print(f"  {key:28s} {v['js']:6.1f} / {v['painted']:6.1f}")
            pg = sum(v["painted"] for k, v in floor.items() if k.startswith("playground:"))
            mn = sum(v["painted"] for k, v in floor.items() if k.startswith("minimal:"))
            print(f"  Playground, all charts: {pg:.1f} ms, {pg / m_min:.2f} x the minimal app's "
                  f"whole key-press latency ({m_min:.1f} ms); the minimal app's chart: {mn:.1f} ms")
            rows.append(
                [
                    "  plotly.js alone, all Playground charts, bare page",
                    fmt_ms(pg),
                    "",
                    "(floor)",
                    "",
                ]
            )
        play = b.get("play") or []
        if play:
            intervals = [x for r in play for x in r["intervals"]]
            print(
                f"\nPlay: {len(play)} runs, frames per run {[r['n_frames'] for r in play]}, "
                f"fps per run {[round(r['fps'], 1) for r in play]}, "
                f"distinct images shown per run {[r['n_shown'] for r in play]} "
                f"({[round(r['shown_fps'], 1) for r in play]} /s)"
            )
            print(
                f"  frame interval median {median(intervals):.1f} ms, p90 {p90(intervals):.1f} ms, "
                f"max {max(intervals):.1f} ms"
            )
            fps_med = 1e3 / median(intervals)
            fps_p90 = 1e3 / p90(intervals)
            rows.append(
                [
                    "Play, frames/s (p90 = at the p90 frame interval)",
                    f"{fps_med:.1f}",
                    f"{fps_p90:.1f}",
                    f"≥ {TARGET_FPS:.0f}",
                    "PASS" if fps_med >= TARGET_FPS else "FAIL",
                ]
            )
            overall = [r["fps"] for r in play]
            rows.append(
                [
                    "Play, frames/s over a whole run (first → last frame)",
                    f"{median(overall):.1f}",
                    "",
                    f"≥ {TARGET_FPS:.0f}",
                    "PASS" if median(overall) >= TARGET_FPS else "FAIL",
                ]
            )
        else:
            rows.append(["Play, frames/s", "—", "—", f"≥ {TARGET_FPS:.0f}", "FAIL (no frames)"])

    if not args.no_server:
        results, profiles = server_measurements(root, n_rerun, profile_runs)
        print()
        print(summarize_server(results))
        for label, (text, k) in profiles.items():
            print(f"\ncProfile, {label}, {k} reruns:")
            print("\n".join(line for line in text.splitlines() if line.strip())[:6000])
        for label, runs in results.items():
            xs = [r["rerun"] * 1e3 for r in runs]
            rows.append(
                [
                    f"server rerun {label}",
                    fmt_ms(median(xs)),
                    fmt_ms(p90(xs)),
                    f"≤ {TARGET_RERUN_MS:.0f} ms",
                    "PASS" if median(xs) <= TARGET_RERUN_MS else "FAIL",
                ]
            )

    print()
    print_table(rows)


if __name__ == "__main__":
    main()
