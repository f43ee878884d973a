// Browser check of the API docs on the one origin: /docs (Swagger UI) shows both services' documents
// (switching with its selector) and /redoc (ReDoc) renders each, with no Content-Security-Policy
// violation. Starts the suite itself (e2e/suite.mjs, the built frontend with its docs pages), or checks a running
// origin: NOTIFY_ORIGIN=http://127.0.0.1:8080 npm run e2e:docs (./run-local.sh).
// Debian's Chromium through playwright-core; waits on conditions only. Screenshots go to target/e2e/.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumPath, frontend, need, startSuite } from './suite.mjs';

const shots = join(frontend, 'target', 'e2e');
need(existsSync(chromiumPath), `Chromium not found at ${chromiumPath}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
const suite = process.env.NOTIFY_ORIGIN ? { origin: process.env.NOTIFY_ORIGIN, stop: async () => {} } : await startSuite();
const origin = suite.origin;
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({ executablePath: chromiumPath });
const failures = [];
async function check(name, steps) {
  const page = await browser.newPage();
  page.setDefaultTimeout(30_000);
  const violations = [];
  // both the DOM event and Chromium's console report, so that no kind of violation (worker, style, script) slips by
  await page.exposeFunction('reportViolation', (v) => violations.push(v));
  await page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) =>
      window.reportViolation(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`),
    ),
  );
  page.on('console', (m) => /Content.Security.Policy/i.test(m.text()) && violations.push(m.text()));
  page.on('pageerror', (e) => violations.push(`page error: ${e.message}`));
  try {
    await steps(page);
    await page.screenshot({ path: join(shots, `${name}.png`), fullPage: false });
    if (violations.length > 0) {
      throw new Error(`CSP violations or errors:\n  ${violations.join('\n  ')}`);
    }
    console.log(`  ✓ ${name}`);
  } catch (error) {
    failures.push(name);
    console.error(`  ✗ ${name}: ${error.message}`);
    await page.screenshot({ path: join(shots, `${name}-failed.png`) }).catch(() => {});
  } finally {
    await page.close();
  }
}
const operation = (page, path) => page.locator('.opblock-summary-path', { hasText: new RegExp(`^${path}$`) }).first();

try {
  await check('docs-swagger-ui-both-documents', async (page) => {
    await page.goto(`${origin}/docs`);
    await page.getByRole('heading', { name: /Notify auth-service/ }).waitFor();
    await operation(page, '/api/auth/login').waitFor();
    await page.locator('.topbar select').selectOption({ label: 'notification-service' });
    await page.getByRole('heading', { name: /Notify notification-service/ }).waitFor();
    await operation(page, '/api/notifications').waitFor();
  });
  await check('docs-redoc-both-documents', async (page) => {
    await page.goto(`${origin}/redoc`);
    await page.getByRole('heading', { name: /Notify auth-service/ }).waitFor();
    await page.locator('[data-section-id^="operation/"]').first().waitFor();
    await page.getByRole('link', { name: 'notification-service' }).click();
    await page.getByRole('heading', { name: /Notify notification-service/ }).waitFor();
    // ReDoc's search runs in its worker (a blob: worker the docs CSP allows)
    await page.getByPlaceholder('Search...').fill('unread');
    await page.locator('[role="search"] li, .search-result, [data-role="search:results"] li').first().waitFor();
  });
} finally {
  await browser.close();
  await suite.stop();
}
console.log(failures.length === 0 ? 'e2e:docs: all passed' : `e2e:docs: ${failures.length} failed`);
process.exit(failures.length === 0 ? 0 : 1);
