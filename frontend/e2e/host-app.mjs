// Browser end-to-end run of examples/host-app, the third-party page embedding the bell: the built page is
// served on an origin of its own that forwards /api (HTTP and the WebSocket) to the suite's one origin,
// as an integrator's reverse proxy would, under a strict Content-Security-Policy. A user signs in
// through the page's own login call, a notification sent over REST shows up live in the bell, is marked
// read, and axe-core finds no serious or critical violation, light and dark. Screenshots: target/e2e-host-app/.
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { connect } from 'node:net';
import { createRequire } from 'node:module';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumPath, frontend, need, repo, startSuite } from './suite.mjs';

const dist = join(frontend, 'examples', 'host-app', 'dist');
const shots = join(frontend, 'target', 'e2e-host-app');
const USER1_ID = '00000000-0000-4000-8000-00000000a002';
// no inline script or style allowed: the bell must work without either
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
need(existsSync(join(dist, 'index.html')), 'examples/host-app/dist is missing: run `npm run react` first (builds @notify/react and the host app).');
mkdirSync(shots, { recursive: true });

const { origin, stop } = await startSuite();
const upstream = new URL(origin);

// ---- the host app's origin: its files, and /api forwarded to Notify ------------------------------
const host = createServer((req, res) => {
  if (req.url.startsWith('/api/')) {
    const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
    return;
  }
  const path = normalize(req.url.split('?')[0]).replace(/^(\.\.[/\\])+/, '');
  const file = join(dist, path === '/' ? 'index.html' : path);
  if (!file.startsWith(dist) || !existsSync(file)) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-security-policy': CSP }).end(readFileSync(file));
});
host.on('upgrade', (req, socket, head) => {
  const to = connect(Number(upstream.port), upstream.hostname, () => {
    const headers = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    to.write(`${req.method} ${req.url} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`);
    to.write(head);
    to.pipe(socket);
    socket.pipe(to);
  });
  to.on('error', () => socket.destroy());
  socket.on('error', () => to.destroy());
});
await new Promise((r) => host.listen(0, '127.0.0.1', r));
const hostOrigin = `http://127.0.0.1:${host.address().port}`;
console.log(`e2e: host app at ${hostOrigin}, /api forwarded to ${origin}`);

async function api(path, { token, body }) {
  const response = await fetch(origin + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${path} → ${response.status} ${await response.text()}`);
  return response.json();
}

const results = [];
async function step(name, run) {
  const started = Date.now();
  try {
    await run();
    results.push(true);
    console.log(`  ✓ ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    results.push(false);
    await page?.screenshot({ path: join(shots, `failed-${results.length}.png`) }).catch(() => undefined);
    console.log(`  ✗ ${name}\n    ${String(error?.stack ?? error).split('\n').slice(0, 6).join('\n    ')}`);
  }
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
async function axe(scheme) {
  await page.emulateMedia({ colorScheme: scheme });
  await page.evaluate(axeSource); // not addScriptTag: the page's CSP refuses an inline script, rightly
  const { violations } = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length > 0) {
    throw new Error(`${scheme}: ${bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('; ')}`);
  }
}

/** The page is no wider than the viewport, and the open popover lies within it. */
async function fitsIn(width) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (overflow > 0) throw new Error(`${overflow} px wider than the ${width} px viewport`);
  const box = await page.getByRole('dialog', { name: 'Notifications' }).boundingBox();
  if (box.x < 0 || box.x + box.width > width) throw new Error(`the popover is off screen at ${width} px: ${JSON.stringify(box)}`);
}

const cspViolations = [];
const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox'] });
let page;
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: false });
  page = await context.newPage();
  page.on('console', (m) => /Content Security Policy/.test(m.text()) && cspViolations.push(m.text()));
  const bell = page.getByRole('button', { name: /^Notifications/ });
  const popover = page.getByRole('dialog', { name: 'Notifications' });
  const title = `Host app check ${Date.now().toString(36)}`;

  await step('the page signs in with its own login call and shows the bell, connected', async () => {
    await page.goto(hostOrigin + '/');
    await page.getByLabel('Username').fill('user1');
    await page.getByLabel('Password').fill('wkwkwk');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await bell.click();
    await popover.locator('.notify-status[data-status="connected"]').waitFor();
  });

  await step('a notification sent over REST shows up live: the badge counts it and the open popover lists it', async () => {
    const before = Number((await page.getByTestId('notify-badge').textContent({ timeout: 1000 }).catch(() => '0')) || 0);
    const admin = (await api('/api/auth/login', { body: { username: 'admin', password: 'wkwkwk' } })).access_token;
    await api('/api/notifications', {
      token: admin,
      body: { title, message: 'Sent to user1 over REST while the bell is open.', type: 'info', priority: 'normal', audience: { type: 'users', user_ids: [USER1_ID] } },
    });
    await popover.getByRole('article', { name: `Unread: ${title}` }).waitFor();
    await page.getByTestId('notify-badge').filter({ hasText: String(before + 1) }).waitFor();
    await page.screenshot({ path: join(shots, 'host-app.png'), clip: { x: 0, y: 0, width: 1280, height: 300 } });
  });

  await step('no horizontal overflow at 1280 px with the popover open', () => fitsIn(1280));

  await step('axe-core: no serious or critical violation with the popover open, light and dark', async () => {
    await axe('light');
    await axe('dark');
    await page.screenshot({ path: join(shots, 'host-app-dark.png') });
    // data-theme="dark" on the host's <html> darkens the bell in a light system theme too
    await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
    await axe('light');
    const background = await popover.evaluate((p) => getComputedStyle(p).backgroundColor);
    if (background !== 'rgb(15, 23, 42)') throw new Error(`data-theme="dark" left the popover ${background}`);
    await page.evaluate(() => delete document.documentElement.dataset.theme);
  });

  await step('marking it read updates the item and the badge; Escape closes and returns focus', async () => {
    const before = Number(await page.getByTestId('notify-badge').textContent());
    await popover.getByRole('button', { name: `Mark read "${title}"` }).click();
    await popover.getByRole('article', { name: title, exact: true }).waitFor();
    if (before === 1) await page.getByTestId('notify-badge').waitFor({ state: 'detached' });
    else await page.getByTestId('notify-badge').filter({ hasText: String(before - 1) }).waitFor();
    await page.keyboard.press('Escape');
    await popover.waitFor({ state: 'hidden' });
    if (!(await bell.evaluate((b) => b === document.activeElement))) throw new Error('focus did not return to the bell');
  });

  await step('no horizontal overflow at 390 px with the popover open', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    await bell.click();
    await popover.waitFor();
    await fitsIn(390);
    await page.screenshot({ path: join(shots, 'host-app-390.png') });
  });

  await step('no Content-Security-Policy violation', async () => {
    if (cspViolations.length > 0) throw new Error(cspViolations.join('\n'));
  });
} finally {
  await browser.close().catch(() => undefined);
  host.close();
  await stop();
}

const failed = results.filter((ok) => !ok).length;
if (failed === 0 && process.env.NOTIFY_E2E_UPDATE_SCREENSHOT) {
  copyFileSync(join(shots, 'host-app.png'), join(repo, 'docs', 'screenshots', 'host-app.png'));
}
console.log(`\ne2e host app: screenshots in ${shots}\n${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 && results.length > 0 ? 0 : 1);
