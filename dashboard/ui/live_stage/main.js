// Entry point: Streamlit calls this for each of the stage's three elements on every
// rerun. The element's view is mounted once and kept; new data goes to the shared
// store, which redraws the views at most once per animation frame.

const FRAME_MS = 33;  // Play: ~30 frames per second

function decodeServer(data, previous) {
  const out = { ...data };
  // Arrays the server sends as base64 float32; decoded once per distinct payload.
  for (const name of ['override', 'play']) {
    const part = data[name];
    if (!part) continue;
    const same = previous && previous[name] && previous[name].__source === part.W;
    out[name] = same ? previous[name] : {
      ...part, W: f32FromBase64(part.W), b: f32FromBase64(part.b), __source: part.W,
    };
  }
  return out;
}

function startPlay(store) {
  const play = store.server.play;
  if (!play) return;
  const frames = play.steps.length;
  let last = -Infinity;
  store.frame = 0;
  store.playing = true;
  // One recorded state per tick, at most one tick per FRAME_MS: every state is shown,
  // on a slow machine a little slower.
  const tick = (t) => {
    if (!store.playing || store.server.play !== play) { store.playing = false; return; }
    if (t - last >= FRAME_MS - 1) {
      last = t;
      if (store.frame >= frames - 1) { store.playing = false; return; }
      store.frame += 1;
      store.notify();
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

export default function ({ data, parentElement, setStateValue, setTriggerValue }) {
  const store = (window.__softmaxStage ??= createStore());
  const host = parentElement;
  if (!data || typeof data !== 'object') return;
  let view = host.__stageView;
  if (!view) {
    const root = document.createElement('div');
    root.className = 'stage-root';
    host.append(root);
    let draw;
    if (data.view === 'sliders') {
      draw = mountSliders(root, store, (cell) => setStateValue('cell', cell));
    } else if (data.view === 'regions') {
      draw = mountRegions(root, store, (click) => setTriggerValue('click', click));
      const replay = document.createElement('button');
      replay.type = 'button';
      replay.className = 'stage-save stage-replay';
      replay.textContent = '▶ Replay';
      replay.title = 'Play training again, in your browser';
      replay.onclick = () => startPlay(store);
      root.querySelector('.stage-bar').insertBefore(replay, root.querySelector('.stage-save'));
      const sync = draw;
      draw = () => { replay.hidden = !store.server.play; sync(); };
    } else {
      draw = mountLoss(root, store);
    }
    const times = (store.drawMs[data.view] ??= []);
    const safeDraw = () => {
      const t0 = performance.now();
      try {
        draw();
        const t1 = performance.now();
        times.push(t1 - t0);
        if (times.length > 200) times.shift();
        store.drawnAt[data.view] = t1;
      } catch (e) {
        root.dataset.error = String((e && e.message) || e);
        console.error('live stage', e);
      }
    };
    const unsubscribe = store.subscribe(safeDraw);
    const resize = new ResizeObserver(() => store.notify());
    resize.observe(root);
    view = host.__stageView = { unsubscribe, resize, kind: data.view };
    window.addEventListener('resize', () => store.notify());
  }
  store.accept(decodeServer(data, store.server));
  // Play starts once per new set of frames, whichever element receives them first.
  const play = store.server.play;
  if (play && store.playedSource !== play.__source) {
    store.playedSource = play.__source;
    startPlay(store);
  } else if (!play) {
    store.playedSource = null;
  }
  return () => {
    if (host.isConnected) return;
    view.unsubscribe();
    view.resize.disconnect();
    host.__stageView = null;
  };
}
