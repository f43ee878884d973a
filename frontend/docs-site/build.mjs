// The API docs pages into the built app (frontend/dist), after `vite build` (which empties dist):
// dist/docs (Swagger UI) and dist/redoc (ReDoc), this folder's pages plus the library files they load,
// taken from this folder's own node_modules (installed here, never committed).
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(here, '..', 'dist');
if (!existsSync(join(dist, 'index.html'))) {
  console.error('docs-site: frontend/dist is missing: run the app build (vite build) first');
  process.exit(1);
}
const install = spawnSync('node', [resolve(here, '..', 'scripts', 'install.mjs'), here], { stdio: 'inherit' });
if (install.status !== 0) {
  process.exit(install.status ?? 1);
}
const modules = join(here, 'node_modules');
const pages = {
  docs: ['swagger-ui-dist/swagger-ui.css', 'swagger-ui-dist/swagger-ui-bundle.js', 'swagger-ui-dist/swagger-ui-standalone-preset.js'],
  redoc: ['redoc/bundles/redoc.standalone.js'],
};
for (const [page, libraries] of Object.entries(pages)) {
  const out = join(dist, page);
  mkdirSync(out, { recursive: true });
  cpSync(join(here, page), out, { recursive: true });
  for (const library of libraries) {
    copyFileSync(join(modules, library), join(out, library.split('/').pop()));
  }
}
// ReDoc's sidebar attribution loads its logo from cdn.redoc.ly: a third-party request the docs CSP (img-src
// 'self' data:) blocks, reported as a violation. Emptied here, the image fails and ReDoc drops it (its onError);
// the text link stays. An upgrade that moves the URL fails this build instead of leaking the request.
const redoc = join(dist, 'redoc', 'redoc.standalone.js');
const cdnLogo = '"https://cdn.redoc.ly/redoc/logo-mini.svg"';
const bundle = readFileSync(redoc, 'utf8');
if (bundle.split(cdnLogo).length !== 2) {
  console.error(`docs-site: ${cdnLogo} is not in redoc.standalone.js exactly once: check ReDoc's attribution after the upgrade`);
  process.exit(1);
}
writeFileSync(redoc, bundle.replace(cdnLogo, '""'));
console.log(`docs-site: ${Object.keys(pages).map((p) => `/${p}`).join(', ')} written into ${dist}`);
