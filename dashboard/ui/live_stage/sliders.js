// The Learning rate and Regularization sliders: native <input type=range> (a slider to
// assistive technology; arrows, Home and End from the browser). While the pointer moves
// one, the charts follow through the store and nothing goes to the server; on release
// (or a key press) the cell is sent once, and the server follows.

function mountSliders(host, store, send) {
  const box = document.createElement('div');
  box.className = 'stage-sliders';
  const make = (label, name) => {
    const row = document.createElement('label');
    row.className = 'stage-slider';
    const text = document.createElement('span');
    text.className = 'stage-slider-label';
    text.textContent = label;
    const value = document.createElement('output');
    value.className = 'stage-slider-value';
    const input = document.createElement('input');
    input.type = 'range';
    input.min = '0';
    input.step = '1';
    input.setAttribute('aria-label', label);
    input.dataset.name = name;
    const head = document.createElement('span');
    head.className = 'stage-slider-head';
    head.append(text, value);
    row.append(head, input);
    box.append(row);
    return { input, value, row };
  };
  const lr = make('Learning rate', 'learning_rate');
  const reg = make('Regularization', 'reg');
  const status = document.createElement('div');
  status.className = 'stage-status';
  status.setAttribute('role', 'status');  // read out when the whole plane arrives
  box.append(status);
  host.append(box);

  const values = () => [store.server.lr_values || [], store.server.reg_values || []];
  const show = () => {
    const [lrs, regs] = values();
    const lrOff = !!store.server.lr_disabled;
    lr.input.max = String(Math.max(lrs.length - 1, 0));
    reg.input.max = String(Math.max(regs.length - 1, 0));
    if (document.activeElement !== lr.input || !store.dragging) lr.input.value = String(store.lr);
    if (document.activeElement !== reg.input || !store.dragging) reg.input.value = String(store.reg);
    lr.input.disabled = lrOff;
    lr.row.classList.toggle('disabled', lrOff);
    lr.value.textContent = lrOff ? 'n/a' : fmt(lrs[store.lr] ?? NaN);
    reg.value.textContent = fmt(regs[store.reg] ?? NaN);
    lr.input.setAttribute('aria-valuetext', lrOff ? 'not used by L-BFGS' : lr.value.textContent);
    reg.input.setAttribute('aria-valuetext', reg.value.textContent);
    box.classList.toggle('presenter', !!store.server.presenter);
    const sv = store.server, p = store.plane;
    let text = '';
    if (store.planeError) text = store.planeError;
    else if (sv.next_url && store.planeUrl !== sv.next_url) text = sv.pending || '';
    else if (sv.next_url && p) {
      let n = 0;
      for (const t of p.a.trained) n += t;
      text = `Live: all ${n} models, ready.`;
    }
    status.textContent = text;
    status.hidden = !text;
  };

  for (const s of [lr, reg]) {
    s.input.addEventListener('pointerdown', () => { store.dragging = true; });
    // Every value the pointer passes is drawn (the store coalesces to one draw a frame).
    s.input.addEventListener('input', () => {
      store.setCell(+lr.input.value, +reg.input.value);
      show();
    });
    // Released, or changed with the keyboard: the server follows, once.
    s.input.addEventListener('change', () => {
      store.dragging = false;
      store.setCell(+lr.input.value, +reg.input.value);
      store.sentSeq += 1;
      send({ lr_index: store.lr, reg_index: store.reg, seq: store.sentSeq });
      show();
    });
  }
  // A pointer released outside the slider still ends the drag.
  window.addEventListener('pointerup', () => { store.dragging = false; });
  return show;
}
