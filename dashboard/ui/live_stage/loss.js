// The loss-curve view: total, data and regularization loss (left axis) and train and
// validation accuracy (right axis, 0-100 %) of the cell under the sliders, as the engine
// recorded them; the selected step marked. Axes are fixed for the whole plane, so moving
// a slider moves the curves, never the axes.

const LOSS_SERIES = [
  // [label, colour, dash, axis, value(curves, k)]
  ['total loss', '#000000', [], 'loss', (c, k) => c[k * 4]],
  ['data loss', '#0072B2', [], 'loss', (c, k) => c[k * 4 + 1]],
  ['reg. loss', '#E69F00', [8, 5], 'loss', (c, k) => c[k * 4] - c[k * 4 + 1]],
  ['train accuracy', '#009E73', [2, 4], 'acc', (c, k) => c[k * 4 + 2]],
  ['val. accuracy', '#D55E00', [9, 4, 2, 4], 'acc', (c, k) => c[k * 4 + 3]],
];

function lossAxisMax(p) {
  if (p.lossMax !== undefined) return p.lossMax;
  // The largest starting loss of any trained cell, with headroom: curves of diverging
  // cells leave through the top instead of squashing every other cell's curve.
  let top = 0;
  const { curves, trained } = p.a, K = p.K;
  for (let cell = 0; cell < p.nLr * p.nReg; cell++) {
    if (!trained[cell]) continue;
    const v = curves[cell * K * 4];
    if (Number.isFinite(v) && v > top) top = v;
  }
  p.lossMax = top > 0 ? top * 1.15 : 1;
  return p.lossMax;
}

const PIN_INK = 'rgba(90, 90, 90, 0.45)';
const PIN_TEXT = 'rgba(60, 60, 60, 0.9)';

// Pinned runs' total loss (the server sends the engine's recorded values), faint, each
// labelled at its last point by what differs from the current run; labels pushed apart
// so they never overlap.
function drawPins(ctx, pins, X, YL, lossTop, S, rightEdge) {
  if (!pins.length) return;
  const ends = [];
  ctx.strokeStyle = PIN_INK; ctx.lineWidth = Math.max(1.2, S.line * 0.8); ctx.setLineDash([]);
  for (const q of pins) {
    ctx.beginPath();
    let pen = false, end = null;
    for (let k = 0; k < q.steps.length; k++) {
      const y = q.loss[k];
      if (y === null || !Number.isFinite(y)) { pen = false; continue; }
      const px = X(q.steps[k]), py = YL(Math.min(y, lossTop * 4));
      if (pen) ctx.lineTo(px, py); else ctx.moveTo(px, py);
      pen = true; end = [px, py];
    }
    ctx.stroke();
    if (end) ends.push({ label: q.label, x: end[0], y: end[1] });
  }
  const size = Math.round(S.font * 0.85);
  ctx.font = `${size}px Arial, Helvetica, sans-serif`;
  ctx.fillStyle = PIN_TEXT; ctx.textAlign = 'right'; ctx.textBaseline = 'bottom';
  ends.sort((p, q) => p.y - q.y);
  let floor = -Infinity;
  for (const e of ends) {
    const y = Math.max(e.y - 3, floor + size + 2, size + 10);
    floor = y;
    ctx.fillText(e.label, Math.min(e.x, rightEdge - 4), y);
  }
}

function mountLoss(host, store) {
  const v = chartFrame(host, 'stage-loss', 'Loss and accuracy');
  let geometry = null;
  let legendFor = null, legendPins = 0;
  v.save.onclick = () => downloadCanvas(v.canvas, 'loss_curve.png');

  const draw = () => {
    const p = store.plane, sv = store.server;
    const S = sizes(!!sv.presenter);
    v.box.classList.toggle('presenter', !!sv.presenter);
    const width = v.wrap.clientWidth || host.clientWidth || 400;
    // As tall as the regions chart beside it, so the two read as one stage.
    const regions = host.ownerDocument.querySelector('.stage-regions canvas');
    const height = regions && regions.clientHeight ? regions.clientHeight
                                                   : chartHeight(width, v.wrap, v.legend);
    const ctx = fitCanvas(v.canvas, width, height);
    ctx.clearRect(0, 0, width, height);
    if (!p) {
      v.note.hidden = false;
      v.note.textContent = store.planeError || 'Training every learning rate × regularization…';
      geometry = null;
      return;
    }
    const pins = Array.isArray(sv.pins) ? sv.pins : [];
    if (legendFor !== p || legendPins !== pins.length) {
      legendFor = p; legendPins = pins.length;
      v.legend.replaceChildren(...LOSS_SERIES.map(([label, color, dash]) => {
        const item = document.createElement('span');
        item.className = 'stage-key';
        const sw = document.createElement('canvas');
        const c = fitCanvas(sw, 26, 12);
        c.strokeStyle = color; c.lineWidth = 2.5; c.setLineDash(dash);
        c.beginPath(); c.moveTo(1, 6); c.lineTo(25, 6); c.stroke();
        item.append(sw, document.createTextNode(label));
        return item;
      }));
      if (pins.length) {
        const item = document.createElement('span');
        item.className = 'stage-key stage-key-note';
        item.textContent = `faint: ${pins.length} pinned run${pins.length > 1 ? 's' : ''} (total loss)`;
        v.legend.append(item);
      }
    }
    const model = store.model();
    const { a, K } = p;
    const cell = model.i * p.nReg + model.j;
    const curves = a.curves.subarray(cell * K * 4, (cell + 1) * K * 4);
    const steps = a.record_steps;
    // Pinned runs may be longer: the axis covers them (it changes with a pin, never a drag).
    const T = Math.max(steps[K - 1], 1, ...pins.map((q) => (q.steps.length ? q.steps[q.steps.length - 1] : 0)));
    const lossTop = lossAxisMax(p);
    const lrText = Number.isNaN(a.learning_rates[0]) ? 'L-BFGS' : 'lr ' + fmt(a.learning_rates[model.i]);
    const cellText = `${lrText} · reg ${fmt(a.regs[model.j])}`;
    setTitle(v.title, [`Loss · ${cellText}`, cellText]);

    const left = S.font * 3.6, right = S.font * 3.4, top = 8, bottom = S.font * 2.9;
    const pw = width - left - right, ph = height - top - bottom;
    const X = (s) => left + (s / T) * pw;
    const YL = (y) => top + ph - (y / lossTop) * ph;
    const YA = (y) => top + ph - y * ph;
    geometry = { X, left, pw, top, ph, T };

    v.note.hidden = model.trained;
    if (!model.trained) v.note.textContent = 'Not trained yet: release the slider to train it.';
    // Grid and axes.
    ctx.strokeStyle = '#e3e3e3'; ctx.lineWidth = 1;
    const lossTicks = niceTicks(0, lossTop, Math.max(3, Math.floor(ph / (S.font * 3.2))));
    for (const t of lossTicks) { ctx.beginPath(); ctx.moveTo(left, YL(t)); ctx.lineTo(left + pw, YL(t)); ctx.stroke(); }
    ctx.strokeStyle = '#444';
    ctx.strokeRect(left + 0.5, top + 0.5, pw - 1, ph - 1);
    ctx.fillStyle = '#222'; ctx.font = `${S.font}px Arial, Helvetica, sans-serif`;
    ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
    for (const t of lossTicks) ctx.fillText(fmt(t), left - 6, YL(t));
    ctx.textAlign = 'left';
    for (const t of [0, 0.25, 0.5, 0.75, 1]) ctx.fillText(Math.round(t * 100) + '%', left + pw + 6, YA(t));
    ctx.textAlign = 'center'; ctx.textBaseline = 'top';
    for (const t of niceTicks(0, T, Math.max(3, Math.floor(pw / (S.font * 5))))) {
      ctx.beginPath(); ctx.moveTo(X(t), top + ph); ctx.lineTo(X(t), top + ph + 5); ctx.stroke();
      ctx.fillText(fmt(t), X(t), top + ph + 7);
    }
    ctx.fillText('step', left + pw / 2, top + ph + S.font * 1.55);
    ctx.save(); ctx.translate(S.font * 0.9, top + ph / 2); ctx.rotate(-Math.PI / 2);
    ctx.fillText('loss', 0, 0); ctx.restore();
    // Curves, clipped to the plot.
    ctx.save();
    ctx.beginPath(); ctx.rect(left, top, pw, ph); ctx.clip();
    drawPins(ctx, pins, X, YL, lossTop, S, left + pw);
    if (model.trained) {
      for (const [, color, dash, axis, value] of LOSS_SERIES) {
        ctx.strokeStyle = color; ctx.lineWidth = S.line; ctx.setLineDash(dash.map((d) => d * S.line / 2));
        ctx.beginPath();
        let pen = false;
        for (let k = 0; k < K; k++) {
          const y = value(curves, k);
          if (!Number.isFinite(y)) { pen = false; continue; }
          const py = axis === 'loss' ? YL(Math.min(y, lossTop * 4)) : YA(y);
          if (pen) ctx.lineTo(X(steps[k]), py); else ctx.moveTo(X(steps[k]), py);
          pen = true;
        }
        ctx.stroke();
      }
    }
    ctx.setLineDash([]);
    // The selected step (the scrubber's, or Play's frame, of the server's cell).
    if (model.source !== 'plane' || (sv.cell && model.i === sv.cell[0] && model.j === sv.cell[1])) {
      const step = model.source === 'plane' ? (sv.step ?? model.step) : model.step;
      ctx.strokeStyle = '#444'; ctx.lineWidth = S.line * 0.7; ctx.setLineDash([2, 4]);
      ctx.beginPath(); ctx.moveTo(X(step), top); ctx.lineTo(X(step), top + ph); ctx.stroke();
      ctx.setLineDash([]);
    }
    ctx.restore();
    v.box.dataset.cell = `${model.i},${model.j}`;
    v.box.dataset.pins = String(pins.length);
    store.lastPins = pins.map((q) => q.label);
    host.dataset.drawn = String((+host.dataset.drawn || 0) + 1);
  };

  v.canvas.addEventListener('mousemove', (e) => {
    const p = store.plane;
    if (!p || !geometry) return;
    const rect = v.canvas.getBoundingClientRect(), mx = e.clientX - rect.left;
    const g = geometry;
    if (mx < g.left || mx > g.left + g.pw) { v.tip.hidden = true; return; }
    const want = ((mx - g.left) / g.pw) * g.T, steps = p.a.record_steps;
    let k = 0;
    for (let q = 1; q < p.K; q++) if (Math.abs(steps[q] - want) < Math.abs(steps[k] - want)) k = q;
    const model = store.model(), cell = model.i * p.nReg + model.j;
    const curves = p.a.curves.subarray(cell * p.K * 4, (cell + 1) * p.K * 4);
    const rows = LOSS_SERIES.map(([label, , , axis, value]) => {
      const y = value(curves, k);
      if (!Number.isFinite(y)) return null;
      return `${label}: ${axis === 'acc' ? (100 * y).toFixed(1) + '%' : y.toPrecision(4)}`;
    }).filter(Boolean);
    v.tip.textContent = `step ${steps[k]}\n` + rows.join('\n');
    v.tip.style.left = Math.min(mx + 14, v.canvas.clientWidth - 170) + 'px';
    v.tip.style.top = '8px';
    v.tip.hidden = false;
  });
  v.canvas.addEventListener('mouseleave', () => { v.tip.hidden = true; });
  return draw;
}
