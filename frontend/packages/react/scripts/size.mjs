// The package's size budget: dist/index.js bundled and minified as a host app's bundler would (esbuild,
// @notify/client and openapi-fetch included, react and react-dom left to the host), then gzipped.
// esbuild is the workspace's own (Vite's); no size-limit install of a second copy.
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const LIMIT_BYTES = 40 * 1024;
const { outputFiles } = await build({
  entryPoints: ['dist/index.js'],
  bundle: true,
  minify: true,
  format: 'esm',
  write: false,
  external: ['react', 'react-dom', 'react/jsx-runtime'],
});
const bytes = gzipSync(outputFiles[0].contents).length;
console.log(`@notify/react: ${(bytes / 1024).toFixed(1)} kB min+gzip without React (limit ${LIMIT_BYTES / 1024} kB)`);
if (bytes > LIMIT_BYTES) {
  process.exit(1);
}
