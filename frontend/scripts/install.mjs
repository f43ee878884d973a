// `npm ci`, unless node_modules was installed after the last change of package.json and
// package-lock.json (npm writes node_modules/.package-lock.json on every install): a rebuild should
// not reinstall everything, a changed lock file always does.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// the npm project to install: frontend (the workspace), or the folder given (docs-site has its own)
const root = resolve(process.argv[2] ?? resolve(dirname(fileURLToPath(import.meta.url)), '..'));
const installed = resolve(root, 'node_modules', '.package-lock.json');
const changed = (name) => statSync(resolve(root, name)).mtimeMs;

if (existsSync(installed) && statSync(installed).mtimeMs >= Math.max(changed('package.json'), changed('package-lock.json'))) {
  console.log('node_modules is newer than package-lock.json: npm ci skipped');
} else {
  const run = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  process.exit(run.status ?? 1);
}
