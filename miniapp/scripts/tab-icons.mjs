// Draws the tab-bar icons (81×81 PNG, as WeChat recommends) from simple strokes: nothing is
// downloaded. Run `node miniapp/scripts/tab-icons.mjs`; the PNGs are committed under src/assets/tab.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const SIZE = 81;
const STROKE = 5;
const colours = { normal: [0x9a, 0x96, 0x8c], active: [0x5b, 0x7a, 0x3a] };
const outDir = path.resolve(import.meta.dirname, '../src/assets/tab');

/** Distance from p to the segment a–b. */
function segment(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}
const polyline = (points) => (x, y) =>
  Math.min(...points.slice(1).map((p, i) => segment(x, y, points[i], p))) - STROKE / 2;
const ring = (cx, cy, r) => (x, y) => Math.abs(Math.hypot(x - cx, y - cy) - r) - STROKE / 2;
const disc = (cx, cy, r) => (x, y) => Math.hypot(x - cx, y - cy) - r;
/** The upper half of a ring (shoulders). */
const arcTop = (cx, cy, r) => (x, y) =>
  y <= cy
    ? ring(cx, cy, r)(x, y)
    : Math.min(segment(x, y, [cx - r, cy], [cx - r, cy]), segment(x, y, [cx + r, cy], [cx + r, cy])) - STROKE / 2;
const roundedBox = (x0, y0, x1, y1, r) =>
  polyline([
    [x0 + r, y0],
    [x1 - r, y0],
    [x1, y0 + r],
    [x1, y1 - r],
    [x1 - r, y1],
    [x0 + r, y1],
    [x0, y1 - r],
    [x0, y0 + r],
    [x0 + r, y0],
  ]);

const icons = {
  home: [
    polyline([
      [12, 38],
      [40.5, 13],
      [69, 38],
    ]),
    polyline([
      [20, 33],
      [20, 67],
      [61, 67],
      [61, 33],
    ]),
    polyline([
      [34, 67],
      [34, 49],
      [47, 49],
      [47, 67],
    ]),
  ],
  category: [
    roundedBox(13, 13, 36, 36, 5),
    roundedBox(45, 13, 68, 36, 5),
    roundedBox(13, 45, 36, 68, 5),
    ring(56.5, 56.5, 11.5),
  ],
  cart: [
    polyline([
      [8, 16],
      [18, 16],
      [26, 52],
      [62, 52],
      [70, 26],
      [21, 26],
    ]),
    disc(30, 64, 5),
    disc(58, 64, 5),
  ],
  me: [ring(40.5, 28, 13), arcTop(40.5, 70, 24)],
};

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(shapes, [r, g, b]) {
  const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
  for (let y = 0; y < SIZE; y++) {
    raw[y * (SIZE * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < SIZE; x++) {
      const d = Math.min(...shapes.map((s) => s(x + 0.5, y + 0.5)));
      const alpha = Math.max(0, Math.min(1, 0.5 - d)); // one pixel of anti-aliasing
      const o = y * (SIZE * 4 + 1) + 1 + x * 4;
      raw[o] = r;
      raw[o + 1] = g;
      raw[o + 2] = b;
      raw[o + 3] = Math.round(alpha * 255);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(SIZE, 0);
  ihdr.writeUInt32BE(SIZE, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

fs.mkdirSync(outDir, { recursive: true });
for (const [name, shapes] of Object.entries(icons)) {
  for (const [state, colour] of Object.entries(colours)) {
    const file = path.join(outDir, `${name}${state === 'active' ? '-active' : ''}.png`);
    fs.writeFileSync(file, png(shapes, colour));
  }
}
console.log(`tab icons written to ${path.relative(process.cwd(), outDir)}`);
