// What the merchant console's sign-in route costs: the gzipped JavaScript a browser loads for
// console/dist/index.html before any lazy route — the entry chunk, every chunk it imports
// statically (from Vite's manifest, followed to the end) and every <link rel="modulepreload">.
// `node scripts/console-size.mjs` prints the table; scripts/test.mjs fails above the limit.
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

/** Acceptance: the sign-in route loads at most 350 KB of gzipped JavaScript. */
export const SIGN_IN_LIMIT_BYTES = 350 * 1000;

/** { files: [{ file, raw, gzip }], total } for the built console in `distDir`. */
export function signInScripts(distDir) {
  const html = fs.readFileSync(path.join(distDir, 'index.html'), 'utf8');
  const base = '/console/';
  const local = (url) => (url.startsWith(base) ? url.slice(base.length) : url.replace(/^\//, ''));
  const files = new Set();
  for (const m of html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)) files.add(local(m[1]));
  for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)) files.add(local(m[1]));
  if (files.size === 0) throw new Error(`no module script in ${distDir}/index.html`);

  const manifestFile = path.join(distDir, '.vite/manifest.json');
  if (fs.existsSync(manifestFile)) {
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    const byFile = new Map(Object.entries(manifest).map(([key, chunk]) => [chunk.file, { key, chunk }]));
    const queue = [...files];
    while (queue.length) {
      const entry = byFile.get(queue.pop());
      for (const key of entry?.chunk.imports ?? []) {
        const file = manifest[key]?.file;
        if (file && !files.has(file)) {
          files.add(file);
          queue.push(file);
        }
      }
    }
  }

  const rows = [...files]
    .filter((f) => f.endsWith('.js'))
    .map((file) => {
      const bytes = fs.readFileSync(path.join(distDir, file));
      return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    })
    .sort((a, b) => b.gzip - a.gzip);
  return { files: rows, total: rows.reduce((n, r) => n + r.gzip, 0) };
}

export function formatSignInScripts({ files, total }) {
  const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
  const lines = files.map((r) => `    ${r.file.padEnd(44)} ${kb(r.raw).padStart(10)}  gzip ${kb(r.gzip).padStart(9)}`);
  return `console sign-in route: ${kb(total)} of gzipped JavaScript (limit ${kb(SIGN_IN_LIMIT_BYTES)})\n${lines.join('\n')}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../console/dist');
  const size = signInScripts(dist);
  console.log(formatSignInScripts(size));
  process.exit(size.total <= SIGN_IN_LIMIT_BYTES ? 0 : 1);
}
