// Builds the map client into dist/, which the Go server embeds (web/assets.go):
// dist/index.html, dist/app.js and dist/app.css (with maplibre-gl.css), source
// maps and MapLibre's licence. Run with `npm run build`.
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, 'dist');

// Empty dist/ but keep .gitkeep, so that go:embed always finds the directory.
await mkdir(dist, { recursive: true });
for (const name of await readdir(dist)) {
  if (name !== '.gitkeep') await rm(join(dist, name), { recursive: true, force: true });
}

await esbuild.build({
  entryPoints: { app: join(root, 'src/app.js') },
  outdir: dist,
  bundle: true,
  format: 'esm',
  target: ['es2022'],
  minify: true,
  sourcemap: true,
  legalComments: 'eof',
  logLevel: 'warning',
});
await esbuild.build({
  entryPoints: { app: join(root, 'src/app.css') },
  outdir: dist,
  bundle: true,
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
});
await copyFile(join(root, 'src/index.html'), join(dist, 'index.html'));
// MapLibre's BSD licence asks that its text goes along with every copy.
await copyFile(join(root, 'node_modules/maplibre-gl/LICENSE.txt'), join(dist, 'LICENSE-maplibre-gl.txt'));
console.log(`built ${(await readdir(dist)).filter((n) => n !== '.gitkeep').sort().join(', ')} in ${dist}`);
