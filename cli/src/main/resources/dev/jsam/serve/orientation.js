// The EXIF orientation tag of an uploaded file, found by the rules the server's reader follows:
// in a JPEG the first APP1 "Exif" segment before the first scan, in a PNG the first eXIf chunk
// (before or after the image data), in either the first Orientation entry of the first directory,
// values outside 1..8 meaning none. The page draws a copy of the file with the tag set to 1 and
// turns the picture itself, so what it shows never depends on how a browser treats the tag
// (Chromium ignores imageOrientation: 'none', and a PNG's eXIf after the image data).

const ORIENTATION = 274;
const PNG_EXIF = 0x65584966; // "eXIf"
const PNG_IEND = 0x49454e44; // "IEND"

// The Orientation entry of the TIFF structure in bytes [start, end): { value, at, little } or null.
function tiffOrientation(view, start, end) {
  if (end - start < 8) return null;
  const mark = view.getUint8(start);
  if (mark !== view.getUint8(start + 1) || (mark !== 0x49 && mark !== 0x4d)) return null;
  const little = mark === 0x49;
  if (view.getUint16(start + 2, little) !== 42) return null;
  const ifd = view.getUint32(start + 4, little);
  if (ifd > end - start - 2) return null;
  const entries = view.getUint16(start + ifd, little);
  for (let i = 0; i < entries; i++) {
    const entry = start + ifd + 2 + 12 * i;
    if (entry + 12 > end) return null;
    if (view.getUint16(entry, little) === ORIENTATION) {
      return { value: view.getUint16(entry + 8, little), at: entry + 8, little };
    }
  }
  return null;
}

function startsWith(bytes, at, ascii) {
  for (let i = 0; i < ascii.length; i++) {
    if (bytes[at + i] !== ascii.charCodeAt(i)) return false;
  }
  return true;
}

function jpegOrientation(bytes, view) {
  let p = 2;
  while (p + 4 <= bytes.length && bytes[p] === 0xff) {
    let marker = bytes[p + 1];
    p += 2;
    while (marker === 0xff && p < bytes.length) marker = bytes[p++];
    if (marker === 0xda || marker === 0xd9 || marker === 0) return null;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue;
    if (p + 2 > bytes.length) return null;
    const length = view.getUint16(p);
    if (length < 2) return null;
    const end = Math.min(p + length, bytes.length);
    if (marker === 0xe1 && end - (p + 2) >= 6 && startsWith(bytes, p + 2, 'Exif\0\0')) {
      return tiffOrientation(view, p + 8, end);
    }
    p += length;
  }
  return null;
}

function pngOrientation(bytes, view) {
  let p = 8;
  while (p + 8 <= bytes.length) {
    const length = view.getUint32(p);
    const type = view.getUint32(p + 4);
    if (length > 0x7fffffff || type === PNG_IEND) return null;
    if (type === PNG_EXIF) {
      const found = tiffOrientation(view, p + 8, Math.min(p + 8 + length, bytes.length));
      return found && { ...found, chunk: p, length };
    }
    p += 12 + length;
  }
  return null;
}

// The file's Orientation entry ({ value, at, little, and for a PNG chunk, length }) or null.
export function findOrientation(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return jpegOrientation(bytes, view);
  if (startsWith(bytes, 0, '\x89PNG\r\n\x1a\n')) return pngOrientation(bytes, view);
  return null;
}

// The orientation (1..8) an entry stands for: 1 for none or a value outside 1..8.
export function orientationValue(found) {
  return found && found.value >= 1 && found.value <= 8 ? found.value : 1;
}

function crc32(bytes, from, to) {
  let crc = 0xffffffff;
  for (let i = from; i < to; i++) {
    crc ^= bytes[i];
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

// A copy of the file with the entry's value set to 1 (and a PNG chunk's CRC made right again).
export function withoutOrientation(bytes, found) {
  const copy = bytes.slice();
  const view = new DataView(copy.buffer);
  view.setUint16(found.at, 1, found.little);
  if (found.chunk !== undefined) {
    const crcAt = found.chunk + 8 + found.length;
    if (crcAt + 4 <= copy.length) view.setUint32(crcAt, crc32(copy, found.chunk + 4, crcAt));
  }
  return copy;
}

// The canvas transform [a, b, c, d, e, f] that draws a w x h stored picture upright under
// orientation v: 2-4 mirror and turn it half-way, 5-8 transpose it, then mirror as the tag says.
export function uprightTransform(v, w, h) {
  switch (v) {
    case 2: return [-1, 0, 0, 1, w, 0];
    case 3: return [-1, 0, 0, -1, w, h];
    case 4: return [1, 0, 0, -1, 0, h];
    case 5: return [0, 1, 1, 0, 0, 0];
    case 6: return [0, 1, -1, 0, h, 0];
    case 7: return [0, -1, -1, 0, h, w];
    case 8: return [0, -1, 1, 0, 0, w];
    default: return [1, 0, 0, 1, 0, 0];
  }
}
