// Mask forms used by the page: the API's uncompressed RLE (column-major runs, starting with 0s)
// decoded to a row-major 0/1 array, and the COCO compressed RLE string (pycocotools' rleToString)
// for downloads. Pure functions over arrays; no drawing and no network here.

export function decodeRle(rle) {
  const [h, w] = rle.size;
  const out = new Uint8Array(h * w);
  let pos = 0;
  let value = 0;
  for (const run of rle.counts) {
    if (value) {
      for (let i = pos; i < pos + run; i++) {
        out[(i % h) * w + ((i / h) | 0)] = 1;
      }
    }
    pos += run;
    value ^= 1;
  }
  return out;
}

export function cocoString(counts) {
  let s = '';
  for (let i = 0; i < counts.length; i++) {
    let x = counts[i];
    if (i > 2) x -= counts[i - 2];
    let more = true;
    while (more) {
      let c = x & 0x1f;
      x >>= 5;
      more = (c & 0x10) ? x !== -1 : x !== 0;
      if (more) c |= 0x20;
      s += String.fromCharCode(c + 48);
    }
  }
  return s;
}

// The bounding box [x, y, w, h] of a row-major 0/1 mask, or [0, 0, 0, 0] when empty.
export function bbox(mask, w, h) {
  let x0 = w, y0 = h, x1 = -1, y1 = -1;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      if (mask[row + x]) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        y1 = y;
      }
    }
  }
  return x1 < 0 ? [0, 0, 0, 0] : [x0, y0, x1 - x0 + 1, y1 - y0 + 1];
}
