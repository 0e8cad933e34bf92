// Drawing on the overlay canvas, which has the image's own pixel size and is scaled by CSS: masks
// as translucent fills with an opaque outline, automatic masks each in its own colour, and the
// prompts (green foreground points, red background points, the box). Knows nothing of the API.

export const SELECTED = [30, 144, 255];
export const HOVER = [255, 200, 40];

function layer(w, h) {
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  return canvas;
}

// Fills `data` (RGBA of w x h) where mask is 1: alpha for the inside, opaque on the edge.
function fill(data, mask, w, h, rgb, alpha) {
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!mask[i]) continue;
      const edge = x === 0 || y === 0 || x === w - 1 || y === h - 1
        || !mask[i - 1] || !mask[i + 1] || !mask[i - w] || !mask[i + w];
      const o = 4 * i;
      data[o] = rgb[0];
      data[o + 1] = rgb[1];
      data[o + 2] = rgb[2];
      data[o + 3] = edge ? 255 : alpha;
    }
  }
}

export function maskLayer(mask, w, h, rgb, alpha) {
  const canvas = layer(w, h);
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(w, h);
  fill(image.data, mask, w, h, rgb, alpha);
  ctx.putImageData(image, 0, 0);
  return canvas;
}

// A distinct colour for the i-th automatic mask (golden-angle hues).
export function colour(i) {
  const hue = (i * 137.508) % 360;
  const f = (n) => {
    const k = (n + hue / 30) % 12;
    return Math.round(255 * (0.55 - 0.45 * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

export function manyLayer(masks, w, h) {
  const canvas = layer(w, h);
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(w, h);
  masks.forEach((mask, i) => fill(image.data, mask, w, h, colour(i), 140));
  ctx.putImageData(image, 0, 0);
  return canvas;
}

// Points and boxes, sized for the screen: `scale` is image pixels per CSS pixel.
export function drawPrompts(ctx, points, box, scale) {
  ctx.lineWidth = 2 * scale;
  if (box) {
    ctx.setLineDash([6 * scale, 4 * scale]);
    ctx.strokeStyle = '#ffffff';
    ctx.strokeRect(box[0], box[1], box[2] - box[0], box[3] - box[1]);
    ctx.setLineDash([]);
    ctx.strokeStyle = 'rgba(0,0,0,0.6)';
    ctx.lineWidth = scale;
    ctx.strokeRect(box[0] - scale, box[1] - scale, box[2] - box[0] + 2 * scale, box[3] - box[1] + 2 * scale);
  }
  for (const p of points) {
    ctx.beginPath();
    ctx.arc(p.x, p.y, 6 * scale, 0, 2 * Math.PI);
    ctx.fillStyle = p.label === 1 ? '#22c55e' : '#ef4444';
    ctx.fill();
    ctx.lineWidth = 2 * scale;
    ctx.strokeStyle = '#ffffff';
    ctx.stroke();
  }
}
