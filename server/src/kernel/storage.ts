/**
 * Where uploaded files live. The API serves MEDIA_DIR at `/media/`, so the local-disk
 * implementation answers `/media/<key>`; an object-store implementation (OSS, COS, S3)
 * would answer its CDN URL instead, and nothing else changes.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';

export interface MediaStorage {
  /** Stores the bytes under `key` (e.g. `uploads/ab/abcdef….png`) and answers the URL to show them at. */
  put(key: string, bytes: Buffer, contentType: string): Promise<string>;
}

const safeKey = /^[a-z0-9][a-z0-9_\-/]*\.[a-z0-9]+$/;

export class LocalDiskStorage implements MediaStorage {
  constructor(
    private readonly dir: string,
    private readonly urlPrefix = '/media/',
  ) {}

  async put(key: string, bytes: Buffer): Promise<string> {
    if (!safeKey.test(key) || key.split('/').includes('..')) throw new Error(`unsafe media key: ${key}`);
    const file = path.join(this.dir, key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    // Write then rename: a reader never sees half a file, and a crash leaves only a temp file.
    const tmp = `${file}.${randomUUID()}.tmp`;
    try {
      await fs.writeFile(tmp, bytes);
      await fs.rename(tmp, file);
    } catch (err) {
      await fs.rm(tmp, { force: true });
      throw err;
    }
    return this.urlPrefix + key;
  }
}
