/**
 * A touchpoint's printable files, rendered here (no service is asked): the scene QR as a PNG
 * at print resolution, and an A6 card (105 × 148 mm) as a PDF with the shop's name above the
 * code and the touchpoint's name below it. Chinese needs a CJK font: the first one found of (a collection names its face by PostScript name)
 * PRINT_FONT_CANDIDATES (WenQuanYi Micro Hei from Debian's fonts-wqy-microhei, Noto CJK).
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';

const PRINT_FONT_CANDIDATES: [file: string, family?: string][] = [
  ['/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', 'WenQuanYiMicroHei'],
  ['/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', 'NotoSansCJKsc-Regular'],
  ['/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf'],
];

/** A6 in PDF points (1 pt = 1/72 in): 105 mm × 148 mm. */
export const A6 = { width: 297.64, height: 419.53 };

/**
 * The QR code as a PNG: error correction M (a table sticker gets scratched), a 4-module quiet
 * zone, black on white, 8-bit grayscale. The modules come from `qrcode`; the PNG is written
 * here (one deflate of whole rows), which is much lighter than a generic image encoder.
 */
export async function qrPng(text: string, widthPx = 1024): Promise<Buffer> {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const margin = 4;
  const cells = modules.size + 2 * margin;
  const scale = Math.max(1, Math.floor(widthPx / cells));
  const side = cells * scale;
  const row = Buffer.alloc(1 + side); // filter byte 0 (None), then one byte per pixel
  const raw = Buffer.alloc((1 + side) * side);
  for (let y = 0; y < cells; y++) {
    row.fill(255, 1);
    const my = y - margin;
    if (my >= 0 && my < modules.size) {
      for (let mx = 0; mx < modules.size; mx++) {
        if (modules.get(my, mx)) row.fill(0, 1 + (mx + margin) * scale, 1 + (mx + margin + 1) * scale);
      }
    }
    for (let k = 0; k < scale; k++) row.copy(raw, (y * scale + k) * (1 + side));
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit, grayscale, deflate, adaptive filtering, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

function cjkFont(): [string, string | undefined] | null {
  for (const [file, family] of PRINT_FONT_CANDIDATES) if (fs.existsSync(file)) return [file, family];
  return null;
}

/** The A6 card: shop name, the code (about 70 mm wide), touchpoint name, a line of instruction. */
export async function a6Pdf(o: {
  shopName: string;
  touchpointName: string;
  qrText: string;
  hint?: string;
}): Promise<Buffer> {
  const png = await qrPng(o.qrText, 840);
  const doc = new PDFDocument({
    size: [A6.width, A6.height],
    margin: 0,
    info: { Title: `${o.shopName} · ${o.touchpointName}`, Creator: 'chatmall' },
  });
  const font = cjkFont();
  if (font) doc.registerFont('cjk', font[0], font[1]);
  const face = font ? 'cjk' : 'Helvetica';
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const qrSize = 198; // 70 mm
  const left = (A6.width - qrSize) / 2;
  doc.font(face).fontSize(18).fillColor('#111111');
  doc.text(o.shopName, 16, 40, { width: A6.width - 32, align: 'center' });
  doc.image(png, left, 92, { width: qrSize, height: qrSize });
  doc.fontSize(16).text(o.touchpointName, 16, 92 + qrSize + 18, { width: A6.width - 32, align: 'center' });
  doc
    .fontSize(10)
    .fillColor('#666666')
    .text(o.hint ?? '微信扫码关注，领取新人礼 Scan with WeChat to follow', 16, 92 + qrSize + 50, {
      width: A6.width - 32,
      align: 'center',
    });
  doc.end();
  return done;
}
