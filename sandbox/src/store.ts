/**
 * Sandbox state that survives a restart: one JSON document per surface under the state
 * directory (`.data/sandbox/` by default), written atomically (temp file + rename) shortly
 * after each change. The sandbox is a single process, so an in-memory document is the truth
 * and the file is its durable copy.
 */
import fs from 'node:fs';
import path from 'node:path';

export class JsonStore<T extends object> {
  private data: T;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly file: string,
    initial: () => T,
  ) {
    this.data = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as T) : initial();
  }

  /** The live document. Call `changed()` (or use `update`) after mutating it. */
  get state(): T {
    return this.data;
  }

  update<R>(fn: (state: T) => R): R {
    const result = fn(this.data);
    this.changed();
    return result;
  }

  changed(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), 50);
    this.timer.unref();
  }

  /** Writes now (also called on shutdown). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.data, null, 1));
    fs.renameSync(tmp, this.file);
  }
}
