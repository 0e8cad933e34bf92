// The page's behaviour: open an image (picker or drop), upload it and wait for its embedding, turn
// clicks, right/shift-clicks and drags into prompts, show the answers' masks over the image with
// their IoU predictions, preview the mask under the pointer, undo/clear, "segment everything"
// (automatic masks, each in its own colour), download masks as PNG or COCO RLE JSON, and with an
// HQ-SAM model (/api/info's "hq") switch its "HQ mask only" (hqTokenOnly) on and off.
// A photo is drawn in the frame the server reads it in: upright by its EXIF orientation, or as
// stored when the server ignores the tag (/api/info says which), so clicks and masks line up;
// the page turns it itself (orientation.js) rather than trusting the browser's handling of the tag.

import * as api from './api.js';
import { decodeRle, cocoString, bbox } from './rle.js';
import { SELECTED, HOVER, maskLayer, manyLayer, drawPrompts } from './draw.js';
import { findOrientation, orientationValue, withoutOrientation, uprightTransform } from './orientation.js';

const $ = (id) => document.getElementById(id);
const picture = $('picture');
const overlay = $('overlay');
const ctx = overlay.getContext('2d');

const state = {
  id: null, name: 'image', width: 0, height: 0,
  points: [], box: null, history: [],
  answer: null, selected: 0, maskLayer: null,
  hoverLayer: null, drag: null, seq: 0,
  everything: null, everythingLayer: null, everythingRuns: 0,
};

// The server's settings (null if it does not answer): its model, limits and EXIF orientation switch.
const serverInfo = api.info().catch(() => null);

const hover = new api.HoverQueue(50, async (job) => {
  try {
    const answer = await api.predict(job.id, job.prompt);
    if (job.id !== state.id || job.seq !== state.seq || !$('hover').checked) return;
    const best = bestIndex(answer.masks);
    state.hoverLayer = maskLayer(decodeRle(answer.masks[best].rle), state.width, state.height, HOVER, 90);
    render();
  } catch (e) {
    // A failed preview is not worth a message: the next pointer move asks again.
  }
});

function status(text, error = false) {
  $('status').textContent = text;
  $('status').classList.toggle('error', error);
}

function busy(text) {
  $('busy').hidden = text === null;
  if (text !== null) $('busy-text').textContent = text;
}

function bestIndex(masks) {
  let best = 0;
  masks.forEach((m, i) => { if (m.iou > masks[best].iou) best = i; });
  return best;
}

function scale() {
  const r = overlay.getBoundingClientRect();
  return r.width > 0 ? state.width / r.width : 1;
}

function toImage(event) {
  const r = overlay.getBoundingClientRect();
  const x = (event.clientX - r.left) * state.width / r.width;
  const y = (event.clientY - r.top) * state.height / r.height;
  return { x: Math.max(0, Math.min(state.width - 1, x)), y: Math.max(0, Math.min(state.height - 1, y)) };
}

function render() {
  ctx.clearRect(0, 0, overlay.width, overlay.height);
  if (state.everythingLayer) ctx.drawImage(state.everythingLayer, 0, 0);
  if (state.maskLayer) ctx.drawImage(state.maskLayer, 0, 0);
  if (state.hoverLayer && !state.drag) ctx.drawImage(state.hoverLayer, 0, 0);
  const d = state.drag;
  const box = d && d.moved ? boxOf(d.start, d.end) : state.box;
  drawPrompts(ctx, state.points, box, scale());
}

function boxOf(a, b) {
  return [Math.min(a.x, b.x), Math.min(a.y, b.y), Math.max(a.x, b.x), Math.max(a.y, b.y)];
}

function prompt(extraPoint) {
  const points = extraPoint ? [...state.points, extraPoint] : state.points;
  const body = { multimask: true };
  if ($('hq-only').checked) body.hqTokenOnly = true;
  if (points.length) {
    body.points = points.map((p) => [p.x, p.y]);
    body.labels = points.map((p) => p.label);
  }
  if (state.box) body.box = state.box;
  return body;
}

async function openFile(file) {
  if (!file) return;
  hover.cancel();
  state.id = null;
  state.seq++;
  let bitmap;
  let turn = 1;
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const found = findOrientation(bytes);
    const info = await serverInfo;
    if (info === null || info.exifOrientation !== false) turn = orientationValue(found);
    bitmap = await createImageBitmap(new Blob([found ? withoutOrientation(bytes, found) : bytes], { type: file.type }));
  } catch (e) {
    status(file.name + ' is not an image this browser can show.', true);
    return;
  }
  const started = performance.now();
  const tick = setInterval(() => busy('Computing the image embedding… ' + ((performance.now() - started) / 1000).toFixed(1) + ' s'), 100);
  busy('Uploading…');
  status('Computing the embedding of ' + file.name + '…');
  try {
    const up = await api.upload(file);
    Object.assign(state, { id: up.id, name: file.name.replace(/\.[^.]*$/, '') || 'image', width: up.width, height: up.height });
    for (const c of [picture, overlay]) { c.width = up.width; c.height = up.height; }
    const g = picture.getContext('2d');
    g.setTransform(...uprightTransform(turn, bitmap.width, bitmap.height));
    g.drawImage(bitmap, 0, 0);
    g.setTransform(1, 0, 0, 1, 0, 0);
    $('frame').hidden = false;
    $('drop').hidden = true;
    $('stage').classList.remove('empty');
    clearPrompts();
    status(file.name + ' · ' + up.width + ' × ' + up.height + ' · embedding computed in '
      + (up.encodeMillis / 1000).toFixed(1) + ' s. Click the image to segment.');
    const [shownW, shownH] = turn >= 5 ? [bitmap.height, bitmap.width] : [bitmap.width, bitmap.height];
    if (shownW !== up.width || shownH !== up.height) {
      status(file.name + ': this browser decodes it as ' + shownW + ' × ' + shownH + ' but the server as ' + up.width
        + ' × ' + up.height + '; masks will not line up with the picture.', true);
    }
  } catch (e) {
    status('Could not open ' + file.name + ': ' + e.message, true);
  } finally {
    clearInterval(tick);
    busy(null);
  }
}

function clearPrompts() {
  Object.assign(state, { points: [], box: null, history: [], answer: null, maskLayer: null, hoverLayer: null,
    everything: null, everythingLayer: null });
  $('amg-summary').textContent = '';
  state.seq++;
  showOutputs();
  render();
}

async function update() {
  state.seq++;
  state.hoverLayer = null;
  hover.cancel();
  const seq = state.seq;
  if (!state.points.length && !state.box) {
    state.answer = null;
    state.maskLayer = null;
    showOutputs();
    render();
    return;
  }
  render();
  try {
    const answer = await api.predict(state.id, prompt());
    if (seq !== state.seq) return;
    answer.masks.forEach((m) => { m.bits = decodeRle(m.rle); });
    state.answer = answer;
    select(bestIndex(answer.masks));
  } catch (e) {
    if (seq !== state.seq) return;
    status(e.status === 404 ? 'The server has forgotten this image; open it again.' : 'Prediction failed: ' + e.message, true);
  }
}

function select(i) {
  if (!state.answer || i >= state.answer.masks.length) return;
  state.selected = i;
  state.maskLayer = maskLayer(state.answer.masks[i].bits, state.width, state.height, SELECTED, 120);
  showOutputs();
  render();
}

function showOutputs() {
  const list = $('outputs');
  list.replaceChildren();
  const masks = state.answer ? state.answer.masks : [];
  if (!masks.length) {
    const li = document.createElement('li');
    li.className = 'muted';
    li.textContent = state.id ? 'Click the image to prompt.' : 'Open an image first.';
    list.append(li);
  }
  masks.forEach((m, i) => {
    const li = document.createElement('li');
    li.className = 'mask' + (i === state.selected ? ' selected' : '');
    li.dataset.index = i;
    const bar = document.createElement('span');
    bar.className = 'bar';
    const fillBar = document.createElement('span');
    fillBar.style.width = Math.max(0, Math.min(1, m.iou)) * 100 + '%';
    bar.append(fillBar);
    const pct = (100 * m.area / (state.width * state.height)).toFixed(1);
    li.append('Mask ' + (i + 1), bar, 'IoU ' + m.iou.toFixed(3) + ' · ' + pct + '%');
    li.addEventListener('click', () => select(i));
    list.append(li);
  });
  $('undo').disabled = !state.history.length;
  $('clear').disabled = !state.history.length && !state.everything;
  $('png').disabled = !masks.length;
  $('json').disabled = !masks.length && !state.everything;
  $('everything').disabled = !state.id || state.everythingRuns > 0;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function segmentEverything() {
  const id = state.id;
  const started = performance.now();
  state.everythingRuns++;
  showOutputs();
  $('amg-progress').hidden = false;
  try {
    let job;
    try {
      job = await api.startEverything(id);
    } catch (e) {
      if (e.status !== 409) throw e;
      job = await api.everything(id);
    }
    while (job.state === 'queued' || job.state === 'running') {
      $('amg-progress').firstElementChild.style.width = (100 * job.done / job.total) + '%';
      const step = job.state === 'queued' ? 'Waiting for the server' : job.done === 0 ? 'Encoding the image'
        : 'Point batches done: ' + (job.done - 1) + ' of ' + (job.total - 1);
      $('amg-summary').textContent = step + ' · ' + ((performance.now() - started) / 1000).toFixed(0) + ' s';
      await sleep(400);
      if (state.id !== id) return;
      job = await api.everything(id);
    }
    if (job.state !== 'done') throw new Error(job.error || job.state);
    if (state.id !== id) return;
    state.everything = job.masks.map((m) => ({ ...m, bits: decodeRle(m.segmentation) }));
    state.everythingLayer = manyLayer(state.everything.map((m) => m.bits), state.width, state.height);
    const n = state.everything.length;
    $('amg-summary').textContent = n + (n === 1 ? ' mask' : ' masks') + ' in ' + (job.millis / 1000).toFixed(1)
      + ' s. Esc clears them.';
    render();
  } catch (e) {
    if (state.id === id) $('amg-summary').textContent = 'Segment everything failed: ' + e.message;
  } finally {
    state.everythingRuns--;
    $('amg-progress').hidden = true;
    showOutputs();
  }
}

function undo() {
  const last = state.history.pop();
  if (!last) return;
  if (last.kind === 'point') state.points.pop();
  else state.box = last.previous;
  update();
}

function save(blob, name) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

function downloadPng() {
  const m = state.answer && state.answer.masks[state.selected];
  if (!m) return;
  const c = document.createElement('canvas');
  c.width = state.width;
  c.height = state.height;
  const g = c.getContext('2d');
  const image = g.createImageData(state.width, state.height);
  for (let i = 0; i < m.bits.length; i++) {
    const v = m.bits[i] ? 255 : 0;
    image.data.set([v, v, v, 255], 4 * i);
  }
  g.putImageData(image, 0, 0);
  c.toBlob((blob) => save(blob, state.name + '-mask' + (state.selected + 1) + '.png'), 'image/png');
}

// The automatic masks when there are some, else the prompt's masks, in the reference's
// annotation form with COCO compressed RLE strings.
function downloadJson() {
  let records;
  if (state.everything) {
    records = state.everything.map(({ bits, segmentation, ...rest }) => ({
      segmentation: { size: segmentation.size, counts: cocoString(segmentation.counts) }, ...rest,
    }));
  } else {
    records = (state.answer ? state.answer.masks : []).map((m) => ({
      segmentation: { size: m.rle.size, counts: cocoString(m.rle.counts) },
      area: m.area,
      bbox: bbox(m.bits, state.width, state.height),
      predicted_iou: m.iou,
    }));
  }
  save(new Blob([JSON.stringify(records)], { type: 'application/json' }), state.name + '-masks.json');
}

overlay.addEventListener('contextmenu', (e) => e.preventDefault());
overlay.addEventListener('mousedown', (e) => {
  if (!state.id) return;
  state.drag = { start: toImage(e), end: toImage(e), sx: e.clientX, sy: e.clientY, moved: false,
    label: e.button === 2 || e.shiftKey ? 0 : 1 };
});
window.addEventListener('mousemove', (e) => {
  const d = state.drag;
  if (d) {
    d.end = toImage(e);
    d.moved = d.moved || Math.hypot(e.clientX - d.sx, e.clientY - d.sy) > 5;
    render();
  }
});
window.addEventListener('mouseup', () => {
  const d = state.drag;
  if (!d) return;
  state.drag = null;
  if (d.moved && d.label === 1) {
    state.history.push({ kind: 'box', previous: state.box });
    state.box = boxOf(d.start, d.end).map(Math.round);
  } else {
    state.points.push({ x: Math.round(d.start.x), y: Math.round(d.start.y), label: d.label });
    state.history.push({ kind: 'point' });
  }
  update();
});
overlay.addEventListener('mousemove', (e) => {
  if (state.drag || !state.id || !$('hover').checked || e.buttons) return;
  const p = toImage(e);
  hover.offer({ id: state.id, seq: state.seq, prompt: prompt({ x: Math.round(p.x), y: Math.round(p.y), label: 1 }) });
});
overlay.addEventListener('mouseleave', () => {
  hover.cancel();
  state.seq++;
  state.hoverLayer = null;
  render();
});
$('hover').addEventListener('change', () => { state.hoverLayer = null; render(); });
$('hq-only').addEventListener('change', () => { if (state.id) update(); });
$('undo').addEventListener('click', undo);
$('clear').addEventListener('click', clearPrompts);
$('png').addEventListener('click', downloadPng);
$('json').addEventListener('click', downloadJson);
$('everything').addEventListener('click', segmentEverything);
for (const input of [$('file'), $('file2')]) {
  input.addEventListener('change', () => { openFile(input.files[0]); input.value = ''; });
}
window.addEventListener('keydown', (e) => {
  if (e.target instanceof HTMLInputElement && e.target.type !== 'checkbox') return;
  if (e.key === 'z' || e.key === 'Z') undo();
  else if (e.key === 'Escape') clearPrompts();
  else if (['1', '2', '3'].includes(e.key)) select(Number(e.key) - 1);
});
const stage = $('stage');
stage.addEventListener('dragover', (e) => { e.preventDefault(); stage.classList.add('dragover'); });
stage.addEventListener('dragleave', () => stage.classList.remove('dragover'));
stage.addEventListener('drop', (e) => {
  e.preventDefault();
  stage.classList.remove('dragover');
  openFile(e.dataTransfer.files[0]);
});
window.addEventListener('resize', render);

serverInfo.then((i) => {
  if (i) $('model').textContent = 'model: ' + i.model;
  if (i && i.hq) $('hq-row').hidden = false;
  else status('The server does not answer.', true);
});
