// The real suite for a browser run: PostgreSQL, Kafka, the packaged services and the one-origin proxy,
// started through local-infra's launcher (LocalMain) on free ports with a temporary data dir. `stop()`
// ends the process this started (by its PID; LocalMain's shutdown hook stops what it launched).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const frontend = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repo = resolve(frontend, '..');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const READY_TIMEOUT_MS = 300_000;

export function need(condition, message) {
  if (!condition) {
    console.error(`e2e: ${message}`);
    process.exit(1);
  }
}

/** Checks what the run needs, starts the suite, and answers its origin and stop(). */
export async function startSuite({ staticDir = join(frontend, 'dist') } = {}) {
  need(existsSync(chromiumPath), `Chromium not found at ${chromiumPath}: install it with 'apt-get install -y chromium' (or set CHROMIUM_PATH).`);
  const classpathFile = join(repo, 'local-infra', 'target', 'classpath.txt');
  need(existsSync(classpathFile), 'local-infra is not built: ./mvnw -DskipTests package -pl local-infra');
  for (const service of ['auth-service', 'notification-service', 'gateway-service']) {
    need(existsSync(join(repo, service, 'target', 'quarkus-app', 'quarkus-run.jar')), `${service} is not packaged: ./mvnw -DskipTests package -pl ${service}`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'notify-e2e-'));
  const ports = ['NOTIFY_PORT', 'AUTH_PORT', 'NOTIFICATION_PORT', 'GATEWAY_PORT', 'KAFKA_PORT', 'POSTGRES_PORT'];
  const suite = spawn(
    'java',
    [
      `-Dnotify.repo.root=${repo}`,
      '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
      '-cp',
      `${join(repo, 'local-infra', 'target', 'classes')}:${readFileSync(classpathFile, 'utf8').trim()}`,
      'io.notify.infra.launch.LocalMain',
    ],
    {
      cwd: repo,
      env: { ...process.env, ...Object.fromEntries(ports.map((p) => [p, '0'])), NOTIFY_DATA_DIR: dataDir, NOTIFY_STATIC_DIR: staticDir, NOTIFY_LAUNCH_STARTED_MS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const stop = async () => {
    if (suite.exitCode === null && suite.signalCode === null) {
      const exited = new Promise((r) => suite.once('exit', r));
      suite.kill('SIGTERM');
      const killer = setTimeout(() => suite.kill('SIGKILL'), 90_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => void stop().then(() => process.exit(130)));
  }
  try {
    const origin = await new Promise((resolveOrigin, reject) => {
      const timer = setTimeout(() => reject(new Error(`suite not ready within ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);
      const read = (chunk) => {
        output += chunk;
        const ready = output.match(/Notify is ready in [\d.]+ s\s+→\s+(http:\/\/127\.0\.0\.1:\d+)/);
        if (ready) {
          clearTimeout(timer);
          resolveOrigin(ready[1]);
        }
      };
      suite.stdout.on('data', read);
      suite.stderr.on('data', read);
      suite.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the suite exited (${code}) before it was ready`));
      });
    });
    console.log(`e2e: suite ready at ${origin} (data in ${dataDir})`);
    return { origin, stop };
  } catch (error) {
    console.error(`e2e: ${error.message}\n${output.split('\n').slice(-40).join('\n')}`);
    await stop();
    process.exit(1);
  }
}
