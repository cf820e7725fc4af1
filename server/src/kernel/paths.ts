import path from 'node:path';

/** The repository root: relative paths in configuration are resolved against it. */
export const repoRoot = path.resolve(__dirname, '../../..');

export function fromRoot(p: string): string {
  return path.isAbsolute(p) ? p : path.join(repoRoot, p);
}
