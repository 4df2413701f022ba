// The live stage's shared state in the page: the plane (fetched once per training
// setting), the cell under the sliders, and what the server last said. The three
// elements of the stage (sliders, regions, loss curve) are separate Streamlit elements;
// they meet here, so a slider can redraw the charts with no server round trip.

const PLANE_MAGIC = 'SMXP';
const TYPED = { f4: Float32Array, i4: Int32Array, u1: Uint8Array };

function decodePlane(buffer) {
  const head = new Uint8Array(buffer, 0, 8);
  if (String.fromCharCode(...head.subarray(0, 4)) !== PLANE_MAGIC) {
    throw new Error('not a plane file');
  }
  const n = new DataView(buffer).getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 8, n)));
  const base = 8 + n;
  const a = {};
  for (const [name, spec] of Object.entries(header.arrays)) {
    const count = spec.shape.reduce((x, y) => x * y, 1);
    a[name] = new TYPED[spec.dtype](buffer, base + spec.offset, count);
    a[name].shape = spec.shape;
  }
  const [nLr, nReg, D, C] = a.W.shape;
  return { meta: header.meta, a, nLr, nReg, D, C, K: a.record_steps.length,
           G: [a.grid_x.length, a.grid_y.length] };
}

function createStore() {
  const subs = new Set();
  const s = {
    planeUrl: null, want: null, plane: null, planeError: null,
    lr: 0, reg: 0,           // the cell shown: slider indices
    sentSeq: 0,              // releases sent to the server
    server: {},              // the last data the server sent (presenter, step, ...)
    dragging: false,
    frame: null,             // Play: index into server.play, or null
    last: null,              // what the regions view computed last (for tests)
    drawMs: {},              // recent draw times per view, ms (for the benchmark)
    drawnAt: {},             // when each view last finished drawing (performance.now())
  };
  let queued = false;
  const notify = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; for (const f of subs) f(s); });
  };
  s.subscribe = (f) => { subs.add(f); notify(); return () => subs.delete(f); };
  s.notify = notify;
  s.setCell = (lr, reg) => {
    if (lr === s.lr && reg === s.reg) return;
    s.lr = lr; s.reg = reg; s.frame = null; notify();
  };
  // Fetch the plane at ``url``; with ``next``, that is the neighbourhood shown while the
  // whole plane trains, and ``next`` is polled until its file appears.
  s.loadPlane = (url, next) => {
    const target = next || url;
    if (s.planeUrl === target || s.want === target) return;
    s.want = target;
    s.planeError = null;
    const show = (u, buf) => {
      if (s.want !== target) return;  // settings changed meanwhile
      s.plane = decodePlane(buf);
      s.planeUrl = u;
      notify();
    };
    const get = (u) => fetch(u).then((r) => (r.ok ? r.arrayBuffer() : Promise.reject(r.status)));
    let tries = 0;
    const poll = () => {
      if (s.want !== target) return;
      get(next).then((buf) => show(next, buf)).catch((status) => {
        if (status === 404 && ++tries < 600) setTimeout(poll, 400);
        else if (s.want === target) { s.planeError = `The whole plane did not arrive (${status}).`; notify(); }
      });
    };
    get(url)
      .then((buf) => { if (!next || s.planeUrl !== next) show(url, buf); })  // not over the whole
      .catch((status) => {
        if (s.want === target) { s.planeError = `The plane could not be loaded (${status}).`; notify(); }
      })
      .then(() => { if (next) poll(); });
  };
  // The server's data, as each element receives it (idempotent: three elements get it).
  s.accept = (data) => {
    s.server = data;
    if (data.plane_url) s.loadPlane(data.plane_url, data.next_url);
    // A release the server has not answered yet wins over what it still says.
    if (!s.dragging && (data.echo ?? 0) >= s.sentSeq) {
      s.lr = data.lr_index; s.reg = data.reg_index;
    }
    if (!data.play) s.frame = null;
    notify();
  };
  // The weights to draw: Play's frame or the scrubbed step of the server's cell, else
  // the cell's final state from the plane.
  s.model = () => {
    const p = s.plane, sv = s.server;
    if (!p) return null;
    const i = Math.min(s.lr, p.nLr - 1), j = Math.min(s.reg, p.nReg - 1);
    const atServerCell = !!sv.cell && i === sv.cell[0] && j === sv.cell[1];
    const DC = p.D * p.C;
    if (atServerCell && sv.play && s.frame !== null) {
      const f = sv.play;
      return { W: f.W.subarray(s.frame * DC, (s.frame + 1) * DC),
               b: f.b.subarray(s.frame * p.C, (s.frame + 1) * p.C),
               step: f.steps[s.frame], i, j, trained: true, diverged: false, source: 'play' };
    }
    if (atServerCell && sv.override) {
      return { W: sv.override.W, b: sv.override.b, step: sv.override.step, i, j,
               trained: true, diverged: false, source: 'step' };
    }
    const cell = i * p.nReg + j;
    return {
      W: p.a.W.subarray(cell * DC, (cell + 1) * DC),
      b: p.a.b.subarray(cell * p.C, (cell + 1) * p.C),
      step: p.a.final_step[cell], i, j,
      trained: p.a.trained[cell] === 1, diverged: p.a.diverged[cell] === 1, source: 'plane',
    };
  };
  return s;
}

// Float32 typed array from base64 (the server's small arrays: a scrubbed step, Play).
function f32FromBase64(text) {
  const bin = atob(text);
  const bytes = new Uint8Array(bin.length);
  for (let k = 0; k < bin.length; k++) bytes[k] = bin.charCodeAt(k);
  return new Float32Array(bytes.buffer);
}

// softmax(Φ W + b) for every row of Φ (rows × D, float32), in float64 arithmetic.
function probabilities(phi, rows, D, W, b, C, out) {
  const s = new Float64Array(C);
  for (let r = 0; r < rows; r++) {
    let max = -Infinity;
    const o = r * D;
    for (let c = 0; c < C; c++) {
      let v = b[c];
      for (let d = 0; d < D; d++) v += phi[o + d] * W[d * C + c];
      s[c] = v;
      if (v > max) max = v;
    }
    let total = 0;
    for (let c = 0; c < C; c++) { s[c] = Math.exp(s[c] - max); total += s[c]; }
    for (let c = 0; c < C; c++) out[r * C + c] = s[c] / total;  // NaN when not finite
  }
  return out;
}

function argmaxRows(P, rows, C) {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < C; c++) if (P[r * C + c] > P[r * C + best]) best = c;
    out[r] = best;
  }
  return out;
}

const fmt = (v) => {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-3 ? v.toExponential(1).replace('e+', 'e') : String(+v.toPrecision(3));
};

function niceTicks(lo, hi, count) {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const raw = span / Math.max(count, 1);
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((st) => st >= raw) || 10 * mag;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toFixed(10));
  return out;
}

// Canvas sized to its CSS box at the device's pixel ratio; returns the 2-D context.
function fitCanvas(canvas, width, height) {
  const ratio = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(width)), h = Math.max(1, Math.round(height));
  if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(h * ratio)) {
    canvas.width = Math.round(w * ratio);
    canvas.height = Math.round(h * ratio);
  }
  canvas.style.width = w + 'px';
  canvas.style.height = h + 'px';
  const ctx = canvas.getContext('2d');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}

function sizes(presenter) {
  return presenter
    ? { font: 19, title: 22, line: 3.5, marker: 11, outline: 1.5 }
    : { font: 13, title: 16, line: 2, marker: 7, outline: 1 };
}

// The height the stage's charts may take so both sliders and both charts fit in the
// window without scrolling (the stage sits at the top of the page).
function chartHeight(width, wrap, below) {
  const top = wrap.getBoundingClientRect().top + window.scrollY;
  const room = window.innerHeight - Math.max(top, 0) - (below ? below.offsetHeight : 0) - 14;
  return Math.max(220, Math.min(width, room));
}

function downloadCanvas(canvas, name) {
  canvas.toBlob((blob) => {
    if (!blob) return;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }, 'image/png');
}

// The first of the titles (longest first) that fits its bar without an ellipsis; the
// longest is always the tooltip. A narrow projector column keeps the numbers, not the word.
function setTitle(el, variants) {
  el.title = variants[0];
  for (const text of variants) {
    el.textContent = text;
    if (el.scrollWidth <= el.clientWidth) return;
  }
}

function chartFrame(host, cls, titleText) {
  const box = document.createElement('div');
  box.className = 'stage-chart ' + cls;
  const bar = document.createElement('div');
  bar.className = 'stage-bar';
  const title = document.createElement('div');
  title.className = 'stage-title';
  title.textContent = titleText;
  const save = document.createElement('button');
  save.type = 'button';
  save.className = 'stage-save';
  save.textContent = 'PNG';
  save.title = 'Download this chart as a PNG image';
  bar.append(title, save);
  const legend = document.createElement('div');
  legend.className = 'stage-legend';
  const wrap = document.createElement('div');
  wrap.className = 'stage-canvas';
  const canvas = document.createElement('canvas');
  const tip = document.createElement('div');
  tip.className = 'stage-tip';
  tip.hidden = true;
  const note = document.createElement('div');
  note.className = 'stage-note';
  note.hidden = true;
  wrap.append(canvas, tip, note);
  box.append(bar, wrap, legend);
  host.append(box);
  return { box, title, save, legend, wrap, canvas, tip, note };
}
