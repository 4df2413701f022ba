// The decision-regions view: class colours blended by probability (muddy = uncertain),
// the boundaries, the training points (filled) and validation points (hollow), rings on
// misclassified points. Draws whatever cell the store holds; computes nothing but
// softmax(Φ W + b) on the grid and points the engine sent.

const INK = '#1a1a1a';
const STRENGTH = 0.6;  // blend toward white, as the server's regions chart

function hexToRgb(h) {
  return [1, 3, 5].map((k) => parseInt(h.slice(k, k + 2), 16));
}

// One marker path per class symbol (the server's chart uses the same symbol order).
function markerPath(ctx, symbol, x, y, r) {
  ctx.beginPath();
  const poly = (n, rot, rr = r) => {
    for (let k = 0; k < n; k++) {
      const a = rot + (2 * Math.PI * k) / n;
      const px = x + rr * Math.cos(a), py = y + rr * Math.sin(a);
      if (k === 0) ctx.moveTo(px, py); else ctx.lineTo(px, py);
    }
    ctx.closePath();
  };
  switch (symbol) {
    case 'square': ctx.rect(x - r * 0.85, y - r * 0.85, 1.7 * r, 1.7 * r); break;
    case 'diamond': poly(4, 0, r * 1.15); break;
    case 'triangle-up': poly(3, -Math.PI / 2, r * 1.15); break;
    case 'triangle-down': poly(3, Math.PI / 2, r * 1.15); break;
    case 'pentagon': poly(5, -Math.PI / 2, r * 1.05); break;
    case 'hexagon': poly(6, 0, r * 1.05); break;
    case 'star': {
      for (let k = 0; k < 10; k++) {
        const a = -Math.PI / 2 + (Math.PI * k) / 5, rr = k % 2 ? r * 0.5 : r * 1.2;
        const px = x + rr * Math.cos(a), py = y + rr * Math.sin(a);
        if (k === 0) ctx.moveTo(px, py); else ctx.lineTo(px, py);
      }
      ctx.closePath();
      break;
    }
    case 'cross': {
      const t = r * 0.38;
      ctx.moveTo(x - t, y - r); ctx.lineTo(x + t, y - r); ctx.lineTo(x + t, y - t);
      ctx.lineTo(x + r, y - t); ctx.lineTo(x + r, y + t); ctx.lineTo(x + t, y + t);
      ctx.lineTo(x + t, y + r); ctx.lineTo(x - t, y + r); ctx.lineTo(x - t, y + t);
      ctx.lineTo(x - r, y + t); ctx.lineTo(x - r, y - t); ctx.lineTo(x - t, y - t);
      ctx.closePath();
      break;
    }
    case 'x': {
      ctx.save(); ctx.translate(x, y); ctx.rotate(Math.PI / 4); ctx.translate(-x, -y);
      markerPath(ctx, 'cross', x, y, r * 1.1);
      ctx.restore();
      return;
    }
    default: ctx.arc(x, y, r, 0, 2 * Math.PI);
  }
}

const SYMBOLS = ['circle', 'square', 'diamond', 'triangle-up', 'triangle-down', 'pentagon',
                 'hexagon', 'star', 'cross', 'x'];

// Boundary segments: the zero level of m_k = p_k − max_{j≠k} p_j for every class k,
// by marching squares on the grid (the server's boundary_polylines does the same).
function boundarySegments(P, gx, gy, C, xs, ys) {
  const m = new Float32Array(C * gx * gy);
  for (let r = 0; r < gx * gy; r++) {
    let first = -Infinity, second = -Infinity, top = 0;
    for (let c = 0; c < C; c++) {
      const v = Number.isFinite(P[r * C + c]) ? P[r * C + c] : 0;
      if (v > first) { second = first; first = v; top = c; } else if (v > second) second = v;
    }
    for (let c = 0; c < C; c++) {
      const v = Number.isFinite(P[r * C + c]) ? P[r * C + c] : 0;
      m[c * gx * gy + r] = v - (c === top ? second : first);
    }
  }
  const segs = [];
  const cross = (a, b) => a / (a - b);
  for (let c = 0; c < C; c++) {
    const f = (i, j) => m[c * gx * gy + i * gx + j];
    for (let i = 0; i + 1 < gy; i++) {
      for (let j = 0; j + 1 < gx; j++) {
        const f00 = f(i, j), f01 = f(i, j + 1), f10 = f(i + 1, j), f11 = f(i + 1, j + 1);
        const b00 = f00 > 0, b01 = f01 > 0, b10 = f10 > 0, b11 = f11 > 0;
        if (b00 === b01 && b00 === b10 && b00 === b11) continue;
        const x0 = xs[j], x1 = xs[j + 1], y0 = ys[i], y1 = ys[i + 1];
        const pts = [];  // edges: bottom, right, top, left
        if (b00 !== b01) pts.push([x0 + cross(f00, f01) * (x1 - x0), y0]);
        else pts.push(null);
        if (b01 !== b11) pts.push([x1, y0 + cross(f01, f11) * (y1 - y0)]);
        else pts.push(null);
        if (b10 !== b11) pts.push([x0 + cross(f10, f11) * (x1 - x0), y1]);
        else pts.push(null);
        if (b00 !== b10) pts.push([x0, y0 + cross(f00, f10) * (y1 - y0)]);
        else pts.push(null);
        const crossed = pts.filter((p) => p);
        if (crossed.length === 2) segs.push(crossed[0], crossed[1]);
        else if (crossed.length === 4) {
          const centre = f00 + f01 + f10 + f11 > 0;
          if (b00 !== centre) segs.push(pts[0], pts[3], pts[2], pts[1]);
          else segs.push(pts[0], pts[1], pts[2], pts[3]);
        }
      }
    }
  }
  return segs;
}

function mountRegions(host, store, sendClick) {
  const v = chartFrame(host, 'stage-regions', 'Decision regions');
  const bg = document.createElement('canvas');  // the grid's pixels, scaled onto the plot
  let geometry = null;
  let legendFor = null;
  v.save.onclick = () => downloadCanvas(v.canvas, 'decision_regions.png');

  const draw = () => {
    const p = store.plane, sv = store.server;
    const S = sizes(!!sv.presenter);
    v.box.classList.toggle('presenter', !!sv.presenter);
    if (p && legendFor !== p) { legendFor = p; drawLegend(v.legend, p.meta); }
    const width = v.wrap.clientWidth || host.clientWidth || 400;
    const height = chartHeight(width, v.wrap, v.legend);
    const ctx = fitCanvas(v.canvas, width, height);
    ctx.clearRect(0, 0, width, height);
    const editing = !!(sv.edit && sv.edit.on);
    v.box.classList.toggle('editing', editing);
    if (!p) {
      v.note.hidden = false;
      v.note.textContent = store.planeError || 'Training every learning rate × regularization…';
      geometry = null;
      return;
    }
    const { a, meta, D, C } = p;
    const [gx, gy] = p.G;
    const model = store.model();
    const lrText = Number.isNaN(a.learning_rates[0]) ? 'L-BFGS' : 'lr ' + fmt(a.learning_rates[model.i]);
    const cellText = `step ${model.step} · ${lrText} · reg ${fmt(a.regs[model.j])}` +
      (model.diverged ? ' · diverged' : '');
    setTitle(v.title, editing
      ? [`Click: add class ${sv.edit.class_name} · on a point: remove it`,
         `Click: add ${sv.edit.class_name} · point: remove`]
      : [`Regions · ${cellText}`, cellText]);

    // Plot area: equal aspect, centred, with room for tick labels.
    const left = S.font * 3.4, bottom = S.font * 2.9, top = 6, right = 8;
    const [x0, x1] = meta.x_range, [y0, y1] = meta.y_range;
    const scale = Math.min((width - left - right) / (x1 - x0), (height - top - bottom) / (y1 - y0));
    const pw = scale * (x1 - x0), ph = scale * (y1 - y0);
    const ox = left + (width - left - right - pw) / 2, oy = top;
    const X = (x) => ox + (x - x0) * scale, Y = (y) => oy + ph - (y - y0) * scale;
    geometry = { X, Y, x0, y0, scale, ox, oy, pw, ph };

    v.note.hidden = model.trained;
    if (!model.trained) {
      v.note.textContent = 'Not trained yet for this setting: release the slider and the ' +
                           'server trains it.';
    }
    // Probabilities on the grid -> blended colours (as the server's proba_to_rgb).
    const P = probabilities(a.grid_features, gx * gy, D, model.W, model.b, C,
                            new Float32Array(gx * gy * C));
    const rgb = meta.colors.map(hexToRgb);
    bg.width = gx; bg.height = gy;
    const bctx = bg.getContext('2d');
    const img = bctx.createImageData(gx, gy);
    for (let i = 0; i < gy; i++) {
      for (let j = 0; j < gx; j++) {
        const r = i * gx + j, o = ((gy - 1 - i) * gx + j) * 4;  // row 0 of the image = top
        let R = 0, G = 0, B = 0;
        for (let c = 0; c < C; c++) {
          const q = Number.isFinite(P[r * C + c]) ? P[r * C + c] : 0;
          R += q * rgb[c][0]; G += q * rgb[c][1]; B += q * rgb[c][2];
        }
        img.data[o] = Math.round(255 - STRENGTH * (255 - R));
        img.data[o + 1] = Math.round(255 - STRENGTH * (255 - G));
        img.data[o + 2] = Math.round(255 - STRENGTH * (255 - B));
        img.data[o + 3] = 255;
      }
    }
    bctx.putImageData(img, 0, 0);
    // Pixel centres on the grid nodes: the picture reaches half a pixel past each end.
    const dx = (a.grid_x[gx - 1] - a.grid_x[0]) / (gx - 1), dy = (a.grid_y[gy - 1] - a.grid_y[0]) / (gy - 1);
    ctx.save();
    ctx.beginPath(); ctx.rect(ox, oy, pw, ph); ctx.clip();
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(bg, X(a.grid_x[0] - dx / 2), Y(a.grid_y[gy - 1] + dy / 2),
                  dx * gx * scale, dy * gy * scale);
    if (!model.trained) { ctx.fillStyle = 'rgba(240,240,240,0.85)'; ctx.fillRect(ox, oy, pw, ph); }
    // Boundaries.
    if (C > 1 && model.trained) {
      const segs = boundarySegments(P, gx, gy, C, a.grid_x, a.grid_y);
      ctx.strokeStyle = INK; ctx.lineWidth = S.line; ctx.lineCap = 'round';
      ctx.beginPath();
      for (let k = 0; k < segs.length; k += 2) {
        ctx.moveTo(X(segs[k][0]), Y(segs[k][1])); ctx.lineTo(X(segs[k + 1][0]), Y(segs[k + 1][1]));
      }
      ctx.stroke();
    }
    // Points: predictions from the same model, misclassified ones ringed.
    const drawPoints = (Xs, ys, phi, hollow) => {
      const n = ys.length;
      if (!n) return;
      const pred = argmaxRows(probabilities(phi, n, D, model.W, model.b, C, new Float32Array(n * C)), n, C);
      for (let k = 0; k < n; k++) {
        const px = X(Xs[2 * k]), py = Y(Xs[2 * k + 1]), c = ys[k];
        if (model.trained && pred[k] !== c) {
          ctx.beginPath(); ctx.arc(px, py, S.marker * 1.55, 0, 2 * Math.PI);
          ctx.strokeStyle = INK; ctx.lineWidth = S.outline * 1.4; ctx.stroke();
        }
        markerPath(ctx, SYMBOLS[c % SYMBOLS.length], px, py, S.marker * 0.62);
        if (hollow) {
          ctx.fillStyle = '#fff'; ctx.fill();
          ctx.strokeStyle = meta.colors[c]; ctx.lineWidth = 2 * S.outline + 0.5; ctx.stroke();
        } else {
          ctx.fillStyle = meta.colors[c]; ctx.fill();
          ctx.strokeStyle = INK; ctx.lineWidth = S.outline; ctx.stroke();
        }
      }
    };
    drawPoints(a.X_train, a.y_train, a.train_features, false);
    drawPoints(a.X_val, a.y_val, a.val_features, true);
    ctx.restore();
    // Axes.
    ctx.strokeStyle = '#444'; ctx.lineWidth = 1;
    ctx.strokeRect(ox + 0.5, oy + 0.5, pw - 1, ph - 1);
    ctx.fillStyle = '#222'; ctx.font = `${S.font}px Arial, Helvetica, sans-serif`;
    ctx.textAlign = 'center'; ctx.textBaseline = 'top';
    for (const t of niceTicks(x0, x1, Math.max(3, Math.floor(pw / (S.font * 5))))) {
      ctx.beginPath(); ctx.moveTo(X(t), oy + ph); ctx.lineTo(X(t), oy + ph + 5); ctx.stroke();
      ctx.fillText(fmt(t), X(t), oy + ph + 7);
    }
    ctx.fillText(meta.feature_labels[0], ox + pw / 2, oy + ph + S.font * 1.55);
    ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
    for (const t of niceTicks(y0, y1, Math.max(3, Math.floor(ph / (S.font * 3.5))))) {
      ctx.beginPath(); ctx.moveTo(ox, Y(t)); ctx.lineTo(ox - 5, Y(t)); ctx.stroke();
      ctx.fillText(fmt(t), ox - 7, Y(t));
    }
    ctx.save(); ctx.translate(ox - S.font * 2.7, oy + ph / 2); ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center'; ctx.fillText(meta.feature_labels[1], 0, 0); ctx.restore();
    store.last = { cell: [model.i, model.j], step: model.step, source: model.source, proba: P,
                   grid: [gx, gy], classes: C, plot: [ox, oy, pw, ph] };
    v.box.dataset.cell = `${model.i},${model.j}`;
    v.box.dataset.step = String(model.step);
    host.dataset.drawn = String((+host.dataset.drawn || 0) + 1);
  };

  v.canvas.addEventListener('mousemove', (e) => {
    const p = store.plane;
    if (!p || !geometry || !store.last) return;
    const rect = v.canvas.getBoundingClientRect();
    const g = geometry, mx = e.clientX - rect.left, my = e.clientY - rect.top;
    if (mx < g.ox || mx > g.ox + g.pw || my < g.oy || my > g.oy + g.ph) { v.tip.hidden = true; return; }
    const x = g.x0 + (mx - g.ox) / g.scale, y = g.y0 + (g.oy + g.ph - my) / g.scale;
    const [gx, gy] = p.G, a = p.a;
    const j = Math.round(((x - a.grid_x[0]) / (a.grid_x[gx - 1] - a.grid_x[0])) * (gx - 1));
    const i = Math.round(((y - a.grid_y[0]) / (a.grid_y[gy - 1] - a.grid_y[0])) * (gy - 1));
    if (i < 0 || j < 0 || i >= gy || j >= gx) { v.tip.hidden = true; return; }
    const r = i * gx + j, P = store.last.proba;
    const lines = p.meta.class_names.map((n, c) => `${n}: ${(100 * P[r * p.C + c]).toFixed(1)}%`);
    v.tip.textContent = `${p.meta.feature_labels[0]} = ${fmt(x)}, ${p.meta.feature_labels[1]} = ${fmt(y)}\n` +
                        lines.join('\n');
    v.tip.style.left = Math.min(mx + 14, v.canvas.clientWidth - 150) + 'px';
    v.tip.style.top = Math.max(my - 10, 0) + 'px';
    v.tip.hidden = false;
  });
  v.canvas.addEventListener('mouseleave', () => { v.tip.hidden = true; });
  // Draw mode: a click on a point removes it, elsewhere adds a point of the chosen class
  // (the server checks the click, edits the data and retrains).
  v.canvas.addEventListener('click', (e) => {
    const p = store.plane, edit = store.server.edit;
    if (!p || !geometry || !edit || !edit.on || !sendClick) return;
    const rect = v.canvas.getBoundingClientRect();
    const g = geometry, mx = e.clientX - rect.left, my = e.clientY - rect.top;
    if (mx < g.ox || mx > g.ox + g.pw || my < g.oy || my > g.oy + g.ph) return;
    const S = sizes(!!store.server.presenter);
    let hit = null, best = S.marker * 1.3;
    for (const Xs of [p.a.X_train, p.a.X_val]) {
      for (let k = 0; k < Xs.length / 2; k++) {
        const d = Math.hypot(g.X(Xs[2 * k]) - mx, g.Y(Xs[2 * k + 1]) - my);
        if (d <= best) { best = d; hit = [Xs[2 * k], Xs[2 * k + 1]]; }
      }
    }
    const click = hit
      ? { op: 'remove', x: hit[0], y: hit[1] }
      : { op: 'add', x: g.x0 + (mx - g.ox) / g.scale, y: g.y0 + (g.oy + g.ph - my) / g.scale };
    v.tip.hidden = true;  // its numbers are the model before this edit
    store.clicks = (store.clicks || 0) + 1;
    v.box.dataset.clicks = String(store.clicks);
    sendClick({ ...click, seq: store.clicks });
  });
  return draw;
}

function drawLegend(el, meta) {
  el.replaceChildren();
  meta.class_names.forEach((name, c) => {
    const item = document.createElement('span');
    item.className = 'stage-key';
    const swatch = document.createElement('canvas');
    const ctx = fitCanvas(swatch, 16, 16);
    markerPath(ctx, SYMBOLS[c % SYMBOLS.length], 8, 8, 5);
    ctx.fillStyle = meta.colors[c]; ctx.fill();
    ctx.strokeStyle = INK; ctx.lineWidth = 1; ctx.stroke();
    item.append(swatch, document.createTextNode(name));
    el.append(item);
  });
  const hollow = document.createElement('span');
  hollow.className = 'stage-key stage-key-note';
  hollow.textContent = 'hollow: validation · ring: misclassified · shade: probabilities';
  el.append(hollow);
}
