// Browser end-to-end run: the real suite (PostgreSQL, Kafka, the packaged services and the one-origin
// proxy serving frontend/dist) started through local-infra's launcher on free ports with a temporary
// data dir, driven by Debian's Chromium through playwright-core. Screenshots go to target/e2e/.
// Waits on conditions only; the suite is always stopped (the process this script started, by PID).
import { existsSync, mkdirSync, readFileSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumPath, frontend, need, repo, startSuite } from './suite.mjs';

const shots = join(frontend, 'target', 'e2e');
const STEP_TIMEOUT_MS = 30_000;
// axe-core, evaluated in each page through the DevTools protocol (not a <script>: the CSP stays as served)
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

need(existsSync(join(frontend, 'dist', 'index.html')), 'frontend/dist is missing: run the build first (npm run build).');
mkdirSync(shots, { recursive: true });

// ---- the suite (e2e/suite.mjs: free ports, a temporary data dir, always stopped) -------------
const { origin, stop: stopSuite } = await startSuite();

// ---- helpers ---------------------------------------------------------------------------------
async function api(path, { token, body, method } = {}) {
  const response = await fetch(origin + path, {
    method: method ?? (body ? 'POST' : 'GET'),
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${method ?? 'POST'} ${path} → ${response.status} ${text}`);
  }
  return text ? JSON.parse(text) : undefined;
}
const tokenOf = async (username, password) => (await api('/api/auth/login', { body: { username, password } })).access_token;

async function signIn(context, username, password) {
  const page = await context.newPage();
  await page.goto(origin + '/');
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Notifications' }).waitFor();
  await live(page);
  return page;
}
const live = (page) => page.locator('[data-testid="connection"][data-status="connected"]').waitFor();
const article = (page, title) => page.getByRole('article', { name: new RegExp(title) });
const toastWith = (page, title) => page.getByTestId('toast').filter({ hasText: title });
async function badgeAtLeast(page, n) {
  await page.waitForFunction(
    (min) => Number((document.querySelector('[data-testid="unread-badge"]')?.textContent ?? '0').replace('+', '')) >= min,
    n,
  );
}
const badge = async (page) => Number((await page.getByTestId('unread-badge').textContent({ timeout: 2000 }).catch(() => '0')) || 0);
/** the bell: its name says how many are new (unseen), the badge shows it */
const bellButton = (page) => page.getByRole('button', { name: /^(No new notifications|\d+\+? new notifications?)/ });
/** the inbox page's unread count ("3 unread", "All caught up"), which seeing does not change */
const unreadCount = async (page) => Number((await page.getByTestId('unread-summary').textContent()).match(/\d+/)?.[0] ?? 0);
async function unreadIs(page, n) {
  await page.waitForFunction(
    (want) => Number(document.querySelector('[data-testid="unread-summary"]')?.textContent?.match(/\d+/)?.[0] ?? 0) === want,
    n,
  );
}

// Every page is watched for Content-Security-Policy violations (the event, and Chromium's "Refused to ..."
// console lines): the run fails on any, so that the app is proven to work under the policy it is served with.
const cspViolations = [];
async function watchCsp(context) {
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  context.on('page', (page) => {
    page.on('console', (message) => {
      const text = message.text();
      if (text.startsWith('CSP violation:') || /Refused to .*Content Security Policy/.test(text)) {
        cspViolations.push(`${page.url()}: ${text}`);
      }
    });
  });
}

const results = [];
async function scenario(name, run) {
  const started = Date.now();
  try {
    await run();
    results.push({ name, ok: true });
    console.log(`  ✓ ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    results.push({ name, ok: false });
    const slug = name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
    for (const [who, page] of Object.entries({ user1, user2, admin })) {
      await page?.screenshot({ path: join(shots, `failed-${slug}-${who}.png`) }).catch(() => undefined);
    }
    console.log(`  ✗ ${name}\n    ${String(error?.stack ?? error).split('\n').slice(0, 30).join('\n    ')}`);
  }
}

// ---- the flows a person does -----------------------------------------------------------------
const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox'] });
const viewport = { width: 1280, height: 860 };
const stamp = Date.now().toString(36);
const forCompanyA = `Standup moved ${stamp}`;
let user1;
let user2;
let admin;
let user1Context;
try {
  const adminToken = await tokenOf('admin', 'wkwkwk');
  // some history, so that the inbox shows more than one kind
  const seed = [
    { title: 'Invoice INV-1001 approved', message: 'Approved by finance, payment runs Friday.', type: 'approval', priority: 'normal', link: '/invoices/1001' },
    { title: 'Weekly report ready', message: 'The report for week 47 is ready to read.', type: 'info', priority: 'low' },
    { title: 'Database failover in progress', message: 'Writes may fail for a minute; retry what fails.', type: 'warning', priority: 'urgent' },
  ];
  for (const n of seed) {
    await api('/api/notifications', { token: adminToken, body: { audience: { type: 'company', company: 'company_a' }, ...n } });
  }

  user1Context = await browser.newContext({ viewport });
  const user2Context = await browser.newContext({ viewport });
  const adminContext = await browser.newContext({ viewport });
  for (const c of [user1Context, user2Context, adminContext]) {
    c.setDefaultTimeout(STEP_TIMEOUT_MS);
    await watchCsp(c);
  }

  await scenario('the dashboard is served with its Content-Security-Policy and the browser security headers', async () => {
    const page = await user2Context.newPage();
    const headers = (await page.goto(origin + '/preferences')).headers();
    await page.getByLabel('Username', { exact: true }).waitFor();
    const csp = headers['content-security-policy'] ?? '';
    for (const directive of ["script-src 'self'", "object-src 'none'", "frame-ancestors 'none'"]) {
      if (!csp.includes(directive)) throw new Error(`Content-Security-Policy lacks ${directive}: '${csp}'`);
    }
    if (headers['x-frame-options'] !== 'DENY') throw new Error(`X-Frame-Options: ${headers['x-frame-options']}`);
    if (!headers['referrer-policy']) throw new Error('no Referrer-Policy');
    await page.close();
  });

  await scenario('user1 signs in and sees the inbox, newest first, priority at a glance', async () => {
    user1 = await signIn(user1Context, 'user1', 'wkwkwk');
    await article(user1, 'Database failover in progress').waitFor();
    const titles = await user1.getByRole('article').evaluateAll((els) => els.map((e) => e.querySelector('h3')?.textContent ?? ''));
    const order = ['Database failover', 'Weekly report', 'Invoice INV-1001'].map((t) => titles.findIndex((x) => x.includes(t)));
    if (!(order[0] < order[1] && order[1] < order[2])) throw new Error(`not newest first: ${titles.join(' | ')}`);
    if ((await article(user1, 'Database failover').getAttribute('data-priority')) !== 'urgent') throw new Error('urgent not marked');
    // opening the inbox made them seen, not read: the bell's badge is gone, the unread count stays
    await user1.waitForFunction(() => Number(document.querySelector('[data-testid="unread-summary"]')?.textContent?.match(/\d+/)?.[0] ?? 0) >= 3);
    await user1.getByTestId('unread-badge').waitFor({ state: 'detached' });
    await user1.getByRole('button', { name: 'No new notifications' }).waitFor();
  });

  await scenario('a wrong password is shown clearly', async () => {
    const page = await user2Context.newPage();
    await page.goto(origin + '/');
    await page.getByLabel('Username', { exact: true }).fill('user2');
    await page.getByLabel('Password', { exact: true }).fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong username or password.' }).waitFor();
    await page.close();
  });

  await scenario('admin sends to company_a from the compose form; user1 gets the toast and the badge, live', async () => {
    user2 = await signIn(user2Context, 'user2', 'password2');
    admin = await signIn(adminContext, 'admin', 'wkwkwk');
    const before = await badge(user1);
    await admin.getByRole('link', { name: 'Send' }).click();
    await admin.getByRole('radio', { name: 'Company' }).check();
    await admin.getByRole('combobox', { name: 'Company', exact: true }).selectOption('company_a');
    await admin.getByTestId('reach').filter({ hasText: /Reaches \d+ (person|people) in / }).waitFor();
    await admin.getByLabel('Type', { exact: true }).fill('meeting');
    await admin.getByLabel('Priority', { exact: true }).selectOption('high');
    await admin.getByLabel('Title', { exact: true }).fill(forCompanyA);
    await admin.getByLabel('Message', { exact: true }).fill('Daily standup is at 10:30 today, room Atrium.');
    await admin.getByLabel('Link (optional)', { exact: true }).fill('/meetings/42');
    await admin.getByLabel('Data (optional JSON object)', { exact: true }).fill('{"meeting_id": 42}');
    await admin.getByRole('region', { name: 'Preview' }).getByRole('article').filter({ hasText: forCompanyA }).waitFor();
    await admin.getByRole('button', { name: 'Send', exact: true }).click();
    await admin.getByTestId('send-result').filter({ hasText: forCompanyA }).waitFor();
    if ((await admin.getByLabel('Title', { exact: true }).inputValue()) !== '') throw new Error('the form was not cleared after sending');

    await toastWith(user1, forCompanyA).waitFor();
    await article(user1, forCompanyA).waitFor();
    await badgeAtLeast(user1, before + 1);
    // an urgent one is still unread: the badge is red and pulses a few times, not forever
    const iterations = await user1.getByTestId('unread-badge').evaluate((b) => b.getAnimations().map((x) => x.effect.getTiming().iterations));
    if (iterations.length === 0 || iterations.some((n) => !Number.isFinite(n))) throw new Error(`urgent badge animations: ${iterations}`);
    await user1.screenshot({ path: join(shots, 'dashboard.png') });
    // the bell's popover lists it too, live; Escape closes it and gives the focus back to the bell
    await bellButton(user1).click();
    await user1.getByRole('dialog', { name: 'Latest notifications' }).getByText(forCompanyA).waitFor();
    await user1.keyboard.press('Escape');
    await user1.getByRole('dialog', { name: 'Latest notifications' }).waitFor({ state: 'detached' });
  });

  await scenario('user2 (company_b) does not get company_a notification', async () => {
    // a barrier: something sent to company_b AFTER it; once that arrived, the other would have too
    await api('/api/notifications', {
      token: adminToken,
      body: { audience: { type: 'company', company: 'company_b' }, title: `For company_b ${stamp}`, message: 'Only company_b', type: 'info' },
    });
    await toastWith(user2, `For company_b ${stamp}`).waitFor();
    await article(user2, `For company_b ${stamp}`).waitFor();
    if ((await toastWith(user2, forCompanyA).count()) !== 0) throw new Error('user2 got a toast for company_a');
    if ((await article(user2, forCompanyA).count()) !== 0) throw new Error('user2 lists company_a notification');
    await user2.reload();
    await article(user2, `For company_b ${stamp}`).waitFor();
    if ((await article(user2, forCompanyA).count()) !== 0) throw new Error('user2 inbox holds company_a notification');
    await user2.screenshot({ path: join(shots, 'user2.png') });
  });

  await scenario('two tabs of user1 stay in sync when one marks read', async () => {
    const tab2 = await user1Context.newPage(); // same browser profile: already signed in
    await tab2.goto(origin + '/');
    await live(tab2);
    await article(tab2, forCompanyA).waitFor();
    if ((await article(tab2, forCompanyA).getAttribute('data-read')) !== 'false') throw new Error('expected unread in tab 2');
    const before = await unreadCount(tab2);
    await user1.getByRole('button', { name: `Mark "${forCompanyA}" read` }).click();
    await tab2.locator(`article[data-read="true"]`).filter({ hasText: forCompanyA }).waitFor();
    await unreadIs(tab2, before - 1);
    await tab2.screenshot({ path: join(shots, 'second-tab-synced.png') });
    await tab2.close();
  });

  await scenario('two tabs of user1: one archives, the other follows and lists it under Archived; opening the bell clears the badge in both, the unread count stays', async () => {
    const tab2 = await user1Context.newPage();
    await tab2.goto(origin + '/');
    await live(tab2);
    const archived = 'Weekly report ready';
    await article(tab2, archived).waitFor();
    await user1.getByRole('button', { name: `Archive "${archived}"` }).click();
    await article(user1, archived).waitFor({ state: 'detached' });
    await article(tab2, archived).waitFor({ state: 'detached' });
    await tab2.getByRole('button', { name: 'Archived', exact: true }).click();
    await tab2.getByRole('list', { name: 'Archived notifications' }).getByRole('article', { name: new RegExp(archived) }).waitFor();
    await tab2.screenshot({ path: join(shots, 'archived-view.png') });
    await tab2.getByRole('button', { name: 'Inbox', exact: true }).click();

    // something new: both tabs' badges count it
    const title = `Seen check ${stamp}`;
    await api('/api/notifications', {
      token: adminToken,
      body: { audience: { type: 'company', company: 'company_a' }, title, message: 'New, then seen in one tab.', type: 'info' },
    });
    await article(user1, title).waitFor();
    await article(tab2, title).waitFor();
    await badgeAtLeast(user1, 1);
    await badgeAtLeast(tab2, 1);
    const unread = await unreadCount(user1);
    await bellButton(user1).click();
    await user1.getByRole('dialog', { name: 'Latest notifications' }).getByText(title).waitFor();
    await user1.getByTestId('unread-badge').waitFor({ state: 'detached' });
    await tab2.getByTestId('unread-badge').waitFor({ state: 'detached' });
    await tab2.getByRole('button', { name: 'No new notifications' }).waitFor();
    await user1.keyboard.press('Escape');
    // seen, not read
    if ((await unreadCount(user1)) !== unread) throw new Error(`opening the bell changed the unread count: ${unread} → ${await unreadCount(user1)}`);
    await unreadIs(tab2, unread);
    if ((await article(tab2, title).getAttribute('data-read')) !== 'false') throw new Error('opening the bell marked it read');
    await tab2.close();
  });

  await scenario('two tabs of user1: one snoozes a row from its menu and both lose it; snoozed for 2 s instead, it comes back unread in both', async () => {
    const tab2 = await user1Context.newPage();
    await tab2.goto(origin + '/');
    await live(tab2);
    const title = `Snooze check ${stamp}`;
    const sent = await api('/api/notifications', {
      token: adminToken,
      body: { audience: { type: 'company', company: 'company_a' }, title, message: 'Snoozed, then back.', type: 'info' },
    });
    await article(user1, title).waitFor();
    await article(tab2, title).waitFor();
    await user1.getByRole('button', { name: `Snooze "${title}"` }).click();
    await user1.getByRole('menuitem', { name: 'In 1 hour' }).click();
    await article(user1, title).waitFor({ state: 'detached' });
    await article(tab2, title).waitFor({ state: 'detached' });
    // snoozing again moves the time: in 2 s it resurfaces, pushed to both tabs, unread
    const user1Token = await tokenOf('user1', 'wkwkwk');
    await api(`/api/notifications/${sent.id}/snooze`, { token: user1Token, body: { until: new Date(Date.now() + 2000).toISOString() } });
    await article(user1, title).waitFor();
    await article(tab2, title).waitFor();
    for (const tab of [user1, tab2]) {
      if ((await article(tab, title).getAttribute('data-read')) !== 'false') throw new Error('a resurfaced one is unread');
    }
    await user1.getByText(`Back: ${title}`).first().waitFor();
    await tab2.screenshot({ path: join(shots, 'resurfaced.png') });
    await tab2.close();
  });

  await scenario("two tabs of user1: Approve pressed in one shows done in the other without a reload; a reload still shows it; Reject is no longer possible", async () => {
    const tab2 = await user1Context.newPage();
    await tab2.goto(origin + '/');
    await live(tab2);
    await tab2.evaluate(() => (window.notReloaded = true));
    const user1Token = await tokenOf('user1', 'wkwkwk');
    const me = await api('/api/auth/me', { token: user1Token });
    const actions = [
      { id: 'approve', label: 'Approve', style: 'primary' },
      { id: 'reject', label: 'Reject', style: 'danger' },
    ];
    const send = (title) =>
      api('/api/notifications', {
        token: adminToken,
        body: { audience: { type: 'user', user_ids: [me.id] }, title, message: 'Expense EX-7 (120 EUR) waits for your answer.', type: 'approval', actions },
      });
    const title = `Expense approval ${stamp}`;
    const sent = await send(title);
    // another one left unanswered: the layout check below sees its buttons at every width, light and dark
    await send(`Expense pending ${stamp}`);
    const choices = (page) => article(page, title).getByRole('button', { name: new RegExp(`^(Approve|Reject) "${title}"$`) });
    await article(tab2, title).getByRole('button', { name: `Reject "${title}"` }).waitFor();
    await article(user1, title).getByRole('button', { name: `Approve "${title}"` }).click();
    // the tab that pressed it announces it; the other follows from the live frame
    await article(user1, title).getByRole('status').filter({ hasText: 'Done: Approve' }).waitFor();
    await article(tab2, title).getByTestId('action-done').filter({ hasText: 'Approve' }).waitFor();
    if (!(await tab2.evaluate(() => window.notReloaded === true))) throw new Error('tab 2 reloaded');
    for (const tab of [user1, tab2]) {
      if ((await choices(tab).count()) !== 0) throw new Error('the buttons are still offered once one was pressed');
    }
    await tab2.screenshot({ path: join(shots, 'action-completed.png') });
    await tab2.reload();
    await live(tab2);
    await article(tab2, title).getByTestId('action-done').filter({ hasText: 'Approve' }).waitFor();
    if ((await choices(tab2).count()) !== 0) throw new Error('the buttons are offered again after a reload');
    // and the server holds to it: Reject now is a 409 naming the one chosen
    const reject = await fetch(`${origin}/api/notifications/${sent.id}/actions/reject`, { method: 'POST', headers: { authorization: `Bearer ${user1Token}` } });
    const problem = await reject.json().catch(() => ({}));
    if (reject.status !== 409 || problem.action_id !== 'approve') throw new Error(`Reject after Approve: ${reject.status} ${JSON.stringify(problem)}`);
    await tab2.close();
  });

  await scenario('the session survives a reload, from an HttpOnly cookie: no token in storage or within reach of a script', async () => {
    await user1.reload();
    await user1.getByRole('heading', { name: 'Notifications' }).waitFor();
    await live(user1);
    const cookies = await user1Context.cookies(origin + '/api/auth/session'); // the cookie is scoped to that path
    const session = cookies.find((c) => c.name === 'notify_refresh');
    if (!session) throw new Error(`no session cookie: ${cookies.map((c) => c.name).join(', ')}`);
    if (!session.httpOnly || session.sameSite !== 'Strict' || session.path !== '/api/auth/session') {
      throw new Error(`session cookie not HttpOnly/SameSite=Strict/scoped: ${JSON.stringify({ ...session, value: '…' })}`);
    }
    const reachable = await user1.evaluate(() => ({
      cookie: document.cookie,
      storage: JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
    }));
    if (reachable.cookie.includes('notify_refresh') || reachable.cookie.includes(session.value)) {
      throw new Error('a script can read the session cookie');
    }
    if (/eyJ[\w-]+\.[\w-]+\./.test(reachable.storage) || reachable.storage.includes(session.value)) {
      throw new Error(`a token is in web storage: ${reachable.storage.slice(0, 200)}`);
    }
  });

  await scenario("the admin compose form shows the server's validation error", async () => {
    await admin.getByRole('combobox', { name: 'Company', exact: true }).selectOption('company_a');
    await admin.getByLabel('Type', { exact: true }).fill('Not A Type!');
    await admin.getByLabel('Title', { exact: true }).fill('Should not be sent');
    await admin.getByLabel('Message', { exact: true }).fill('The type is invalid');
    await admin.getByRole('button', { name: 'Send', exact: true }).click();
    await admin.getByTestId('send-error').filter({ hasText: 'type' }).waitFor();
    if ((await admin.getByLabel('Type', { exact: true }).getAttribute('aria-invalid')) !== 'true') throw new Error('type field not marked invalid');
    await admin.screenshot({ path: join(shots, 'admin-validation.png'), fullPage: true });
  });

  await scenario("the sender watches the delivery live: delivered once user2's open dashboard acked it, read once user2 read it", async () => {
    const title = `Delivery check ${stamp}`;
    await live(user2);
    await admin.getByRole('link', { name: 'Send' }).click();
    await admin.getByRole('radio', { name: 'Users' }).check();
    await admin.getByRole('checkbox', { name: /\(user2, / }).check();
    await admin.getByLabel('Type', { exact: true }).fill('info');
    await admin.getByLabel('Title', { exact: true }).fill(title);
    await admin.getByLabel('Message', { exact: true }).fill('Did it arrive? The sender sees it.');
    await admin.getByLabel('Link (optional)', { exact: true }).fill('');
    await admin.getByLabel('Data (optional JSON object)', { exact: true }).fill('');
    await admin.getByRole('button', { name: 'Send', exact: true }).click();
    const sent = admin.getByTestId('send-result').filter({ hasText: title });
    await sent.waitFor();
    const id = await sent.getAttribute('data-notification-id');
    if (!/^[0-9a-f-]{36}$/.test(id ?? '')) throw new Error(`no id on the send result: ${id}`);
    // say plainly when the backend is older than the card (notification-service without the delivery endpoint)
    const probe = await fetch(`${origin}/api/notifications/${id}/delivery`, { headers: { authorization: `Bearer ${adminToken}` } });
    if (probe.status === 404) {
      throw new Error(`GET /api/notifications/${id}/delivery answered 404: this notification-service has no delivery endpoint yet`);
    }
    const card = admin.locator(`[data-testid="delivery-stats"][data-notification-id="${id}"]`);
    await card.waitFor();
    // the card asks only while on screen: follow the result's link to it, as a sender would
    await sent.getByRole('link', { name: 'See its delivery' }).click();
    await toastWith(user2, title).waitFor();
    // user2's dashboard acked the frame; the gateway's receipt reached the store; the card's poll shows it
    await card.getByTestId('stat-delivered-value').filter({ hasText: /^1$/ }).waitFor({ timeout: 15_000 });
    await card.getByTestId('stat-audience-value').filter({ hasText: /^1$/ }).waitFor();
    await user2.getByRole('button', { name: `Mark "${title}" read` }).click();
    await card.getByTestId('stat-read-value').filter({ hasText: /^1$/ }).waitFor({ timeout: 15_000 });
    await admin.getByRole('region', { name: 'Recently sent' }).getByRole('button', { name: new RegExp(title) }).waitFor();
    await card.screenshot({ path: join(shots, 'delivery-stats.png') });
  });

  await scenario('admin schedules a send to user2 ~5 s ahead: listed under Scheduled; a second one is cancelled; the first reaches user2 when due and leaves the list, the cancelled one never arrives', async () => {
    const later = `Scheduled check ${stamp}`;
    const cancelled = `Cancelled check ${stamp}`;
    const scheduledRow = (title) => admin.getByTestId('scheduled-sends').getByRole('listitem').filter({ hasText: title });
    await live(user2);
    await admin.goto(origin + '/admin');
    await admin.getByRole('heading', { name: 'Send a notification' }).waitFor();
    await admin.getByRole('radio', { name: 'Users' }).check();
    await admin.getByRole('checkbox', { name: /\(user2, / }).check();
    // a datetime-local value in the browser's own time zone, `ms` from now, to the second (never :00, which Chromium shortens)
    const sendLater = async (ms) => {
      const value = await admin.evaluate((ahead) => {
        const at = new Date(Date.now() + ahead);
        if (at.getSeconds() === 0) at.setSeconds(1);
        const pad = (n) => String(n).padStart(2, '0');
        return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
      }, ms);
      await admin.getByLabel('Send later (optional)', { exact: true }).fill(value);
      await admin.getByRole('button', { name: 'Schedule', exact: true }).click();
    };
    const schedule = async (title, ms) => {
      await admin.getByLabel('Type', { exact: true }).fill('info');
      await admin.getByLabel('Title', { exact: true }).fill(title);
      await admin.getByLabel('Message', { exact: true }).fill('Sent later by the dashboard.');
      await sendLater(ms); // last, so that ~5 s is counted from the click
      await admin.getByTestId('send-result').filter({ hasText: 'Scheduled for' }).filter({ hasText: title }).waitFor();
      await scheduledRow(title).waitFor();
    };
    await schedule(later, 5_000);
    await schedule(cancelled, 5_000);
    await admin.getByRole('button', { name: `Cancel "${cancelled}"` }).click();
    await scheduledRow(cancelled).waitFor({ state: 'detached' });
    await admin.getByTestId('scheduled-notice').filter({ hasText: `Cancelled “${cancelled}”` }).waitFor();
    if ((await scheduledRow(later).count()) !== 1) throw new Error('cancelling one took the other out of the list');
    await admin.screenshot({ path: join(shots, 'scheduled.png') });

    // due: it reaches user2's open dashboard live, and the sender's list lets it go
    await toastWith(user2, later).waitFor({ timeout: 20_000 });
    await article(user2, later).waitFor();
    await scheduledRow(later).waitFor({ state: 'detached', timeout: 20_000 });
    // a barrier: a send due after the cancelled one would have been; once it arrived, the cancelled one would have too
    const barrier = `After the cancelled one ${stamp}`;
    await schedule(barrier, 3_000);
    await article(user2, barrier).waitFor({ timeout: 20_000 });
    if ((await article(user2, cancelled).count()) !== 0 || (await toastWith(user2, cancelled).count()) !== 0) throw new Error('the cancelled send arrived');
    // one still pending an hour ahead, so that the layout check below sees the Scheduled list at every width
    await api('/api/notifications', {
      token: adminToken,
      body: {
        audience: { type: 'company', company: 'company_a' },
        title: `Quarterly planning review with every team lead and the board ${stamp}`,
        message: 'Pending during the layout check.',
        type: 'meeting',
        send_at: new Date(Date.now() + 3600_000).toISOString(),
      },
    });
    // a long title is cut, never the Cancel button, on a phone (a send made elsewhere shows on the next load)
    await admin.setViewportSize({ width: 390, height: 844 });
    try {
      await admin.reload();
      const cancel = admin.getByRole('button', { name: /^Cancel "Quarterly planning review/ });
      await cancel.waitFor();
      const box = await cancel.boundingBox();
      const width = await admin.evaluate(() => window.innerWidth);
      if (!box || box.x < 0 || box.x + box.width > width) throw new Error(`Cancel is off-screen at 390 px: ${JSON.stringify(box)}`);
    } finally {
      await admin.setViewportSize(viewport);
    }
  });

  await scenario("user1 follows project-42 on Topics (another tab's list follows live); the admin sends to that topic from Send; user1's open inbox gets it live; unfollowed, it leaves the inbox of every tab", async () => {
    const topic = 'project-42';
    const title = `Project 42 kickoff ${stamp}`;
    await user1.goto(origin + '/');
    await live(user1);
    const topicsTab = await user1Context.newPage();
    const watching = await user1Context.newPage();
    for (const tab of [topicsTab, watching]) {
      await tab.goto(origin + '/topics');
      await live(tab);
      await tab.getByTestId('no-topics').waitFor();
    }
    const followed = (tab) => tab.getByRole('list', { name: 'Following' }).locator(`li[data-topic="${topic}"]`);

    await topicsTab.getByRole('textbox', { name: 'Topic' }).fill(topic);
    await topicsTab.getByRole('button', { name: 'Follow', exact: true }).click();
    await topicsTab.getByTestId('topics-status').filter({ hasText: `Following “${topic}”` }).waitFor();
    await followed(topicsTab).waitFor();
    await followed(watching).waitFor(); // the subscription_changed push, no reload
    await topicsTab.screenshot({ path: join(shots, 'topics.png') });

    await admin.goto(origin + '/');
    await live(admin);
    await admin.getByRole('link', { name: 'Send' }).click();
    await admin.getByRole('radio', { name: 'Topic' }).check();
    await admin.getByRole('textbox', { name: 'Topic' }).fill(topic);
    await admin.getByRole('combobox', { name: 'Company', exact: true }).selectOption('company_a');
    await admin.getByLabel('Type', { exact: true }).fill('project');
    await admin.getByLabel('Title', { exact: true }).fill(title);
    await admin.getByLabel('Message', { exact: true }).fill('Kickoff at 14:00 in room Atrium, for those who follow the project.');
    await admin.getByRole('button', { name: 'Send', exact: true }).click();
    await admin.getByTestId('send-result').filter({ hasText: `to topic ${topic} in company_a` }).waitFor();

    await toastWith(user1, title).waitFor();
    await article(user1, title).waitFor();

    await topicsTab.getByRole('button', { name: `Unfollow "${topic}"` }).click();
    await topicsTab.getByTestId('topics-status').filter({ hasText: `Unfollowed “${topic}”` }).waitFor();
    await followed(watching).waitFor({ state: 'detached' });
    await watching.getByTestId('no-topics').waitFor();
    await article(user1, title).waitFor({ state: 'detached' }); // its notifications left the inbox, without a reload
    await user1.reload();
    await live(user1);
    await article(user1, forCompanyA).waitFor();
    if ((await article(user1, title).count()) !== 0) throw new Error('the topic notification is back in the inbox after a reload');
    await topicsTab.close();
    await watching.close();
  });

  await scenario('every page fits 1280, 390 and 360 px wide, every action within reach, no serious axe violation, light and dark', async () => {
    const pages = [
      { who: user1, path: '/', heading: 'Notifications', name: 'dashboard' },
      { who: user1, path: '/preferences', heading: 'Preferences', name: 'preferences' },
      { who: user1, path: '/topics', heading: 'Topics', name: 'topics' },
      { who: admin, path: '/topics', heading: 'Subscribers', name: 'topics-admin' },
      { who: admin, path: '/admin', heading: 'Send a notification', name: 'compose' },
    ];
    const problems = [];
    for (const width of [1280, 390, 360]) {
      for (const colorScheme of ['light', 'dark']) {
        for (const { who, path, heading, name } of pages) {
          const where = `${path} at ${width} px, ${colorScheme}`;
          // one page's failure is reported with the others rather than ending the check
          try {
            await who.setViewportSize({ width, height: width > 600 ? 860 : 844 });
            await who.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
            await who.goto(origin + path);
            await who.getByText(heading, { exact: true }).first().waitFor();
            await live(who);
            await who.locator('[role="status"]').filter({ hasText: 'Loading' }).waitFor({ state: 'detached' });
            const { scrollWidth, innerWidth } = await who.evaluate(() => ({
              scrollWidth: document.documentElement.scrollWidth,
              innerWidth: window.innerWidth,
            }));
            if (scrollWidth > innerWidth) problems.push(`${where}: ${scrollWidth} px wide in a ${innerWidth} px window (scrolls sideways)`);
            if (path === '/') {
              // every action is on screen horizontally (reachable by scrolling down only)
              const actions = who.getByRole('button', { name: /^(Mark all read|Mark ".*" read|Archive ".*"|Snooze ".*"|Delete ".*"|Approve ".*"|Reject ".*")$/ });
              const count = await actions.count();
              if (count < 3) problems.push(`${where}: only ${count} actions found`);
              for (let i = 0; i < count; i++) {
                const box = await actions.nth(i).boundingBox();
                if (!box || box.x < 0 || box.x + box.width > innerWidth) {
                  problems.push(`${where}: "${(await actions.nth(i).getAttribute('aria-label')) ?? (await actions.nth(i).textContent())}" is off-screen at x=${box?.x}`);
                }
              }
              // an open filter stays within the window too
              for (const filter of ['filter-type', 'filter-priority']) {
                if ((await who.getByTestId(filter).count()) === 0) {
                  problems.push(`${where}: no ${filter}`);
                  continue;
                }
                await who.getByTestId(filter).locator('summary').click();
                const panel = await who.getByTestId(filter).getByRole('group').boundingBox();
                const wide = await who.evaluate(() => document.documentElement.scrollWidth);
                if (filter === 'filter-type') await who.screenshot({ path: join(shots, `dashboard-filter-${width}-${colorScheme}.png`) });
                if (!panel || panel.x < 0 || panel.x + panel.width > innerWidth || wide > innerWidth) {
                  problems.push(`${where}: the open ${filter} spills out of the window (${JSON.stringify(panel)}, page ${wide} px)`);
                }
                await who.getByTestId(filter).locator('summary').click();
              }
              // the bell's popover opens within the window; it stays open for the axe scan below
              await bellButton(who).click();
              const popover = await who.getByRole('dialog', { name: 'Latest notifications' }).boundingBox();
              if (!popover || popover.x < 0 || popover.x + popover.width > innerWidth) {
                problems.push(`${where}: the bell's popover spills out of the window (${JSON.stringify(popover)})`);
              }
              await who.screenshot({ path: join(shots, `bell-${width}-${colorScheme}.png`) });
            }
            await who.screenshot({ path: join(shots, `${name}-${width}-${colorScheme}.png`), fullPage: name === 'compose' });
            await who.evaluate(axeSource);
            const violations = await who.evaluate(async () => {
              const result = await window.axe.run(document, { resultTypes: ['violations'] });
              return result.violations
                .filter((v) => v.impact === 'serious' || v.impact === 'critical')
                .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
            });
            for (const v of violations) problems.push(`${where}: axe ${v}`);
          } catch (error) {
            problems.push(`${where}: ${String(error?.message ?? error).split('\n')[0]}`);
          }
        }
      }
    }
    for (const who of [user1, admin]) {
      await who.setViewportSize(viewport);
      await who.emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' });
    }
    if (problems.length > 0) throw new Error(`${problems.length} problem(s):\n${problems.join('\n')}`);
  });

  await scenario('no Content-Security-Policy violation in any page of the run', async () => {
    if (cspViolations.length > 0) throw new Error(`${cspViolations.length} violation(s):\n${cspViolations.join('\n')}`);
  });
} finally {
  await browser.close().catch(() => undefined);
  await stopSuite();
}

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
if (failed === 0 && process.env.NOTIFY_E2E_UPDATE_SCREENSHOT) {
  copyFileSync(join(shots, 'dashboard.png'), join(repo, 'docs', 'screenshots', 'dashboard.png'));
  copyFileSync(join(shots, 'dashboard-390-dark.png'), join(repo, 'docs', 'screenshots', 'dashboard-mobile-dark.png'));
}
console.log(`\ne2e: screenshots in ${shots}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && results.length > 0 ? 0 : 1);
