/**
 * Image uploads are trusted only when their bytes say what their Content-Type says.
 * SVG is never accepted: it is XML that can carry scripts, served from our own origin.
 */
import type { UploadImageType } from '@chatmall/shared';

const signatures: Record<UploadImageType, { ext: string; matches: (b: Buffer) => boolean }> = {
  'image/png': {
    ext: 'png',
    matches: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  'image/jpeg': { ext: 'jpg', matches: (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  'image/gif': { ext: 'gif', matches: (b) => ['GIF87a', 'GIF89a'].includes(b.subarray(0, 6).toString('latin1')) },
  'image/webp': {
    ext: 'webp',
    matches: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  },
};

export function isUploadImageType(type: string): type is UploadImageType {
  return Object.hasOwn(signatures, type);
}

/** True when the bytes start with the signature of the declared type. */
export function bytesMatchType(bytes: Buffer, type: UploadImageType): boolean {
  return signatures[type].matches(bytes);
}

export function extensionFor(type: UploadImageType): string {
  return signatures[type].ext;
}
