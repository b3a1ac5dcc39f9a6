import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import * as webdriver from 'selenium-webdriver';
import { within, type Engine, type EngineLauncher, type Key } from './engine.js';
import { freePort } from '../support/system.js';

/** What the WebKit tests need: the WebDriver server, MiniBrowser, and Xvfb unless a display is given. */
export interface WebKitPaths {
  driver: string;
  miniBrowser: string;
  /** `null` when `DISPLAY` is set: that display is used. */
  xvfb: string | null;
}

/** Finds WebKitGTK's WebDriver, its MiniBrowser (under /usr/lib/<arch>/webkit2gtk-4.1/) and Xvfb, or `null`. */
export function findWebKit(env: Record<string, string | undefined>, exists: (path: string) => boolean = existsSync, libDirs: () => string[] = archLibDirs): WebKitPaths | null {
  const driver = [env.WEBKIT_WEBDRIVER_PATH, '/usr/bin/WebKitWebDriver'].find((p): p is string => !!p && exists(p));
  const miniBrowser = [env.WEBKIT_MINIBROWSER_PATH, ...libDirs().map((d) => `${d}/webkit2gtk-4.1/MiniBrowser`)].find(
    (p): p is string => !!p && exists(p),
  );
  const xvfb = env.DISPLAY ? null : ['/usr/bin/Xvfb'].find(exists);
  if (!driver || !miniBrowser || xvfb === undefined) return null;
  return { driver, miniBrowser, xvfb };
}

function archLibDirs(): string[] {
  try {
    return readdirSync('/usr/lib').filter((d) => /-linux-gnu/.test(d)).map((d) => '/usr/lib/' + d);
  } catch {
    return [];
  }
}

/** The one line printed when the WebKit tests are skipped. */
export const NO_WEBKIT =
  'no WebKit found: install it (Debian: apt-get install -y webkit2gtk-driver xvfb, as .ci/run does) or set WEBKIT_WEBDRIVER_PATH and WEBKIT_MINIBROWSER_PATH';

/** WebDriver's code points for the named keys. */
const WEBDRIVER_KEYS: Record<Key['key'], string> = {
  Enter: webdriver.Key.ENTER,
  ArrowDown: webdriver.Key.ARROW_DOWN,
  ArrowUp: webdriver.Key.ARROW_UP,
  Tab: webdriver.Key.TAB,
};

/** How long a WebDriver session may take to open before the suite gives up on it. */
const SESSION_TIMEOUT = 30_000;
/** How many times the suite starts WebKit before it reports the engine as failing. */
const LAUNCH_ATTEMPTS = 3;
/** How long a stopped process may take to exit before it is killed outright. */
const STOP_GRACE = 5_000;

/** The pids of the processes `pid` started (Linux's `/proc/<pid>/task/<tid>/children`), or none where unreadable. */
function childPids(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) => readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
  } catch {
    return [];
  }
}

/**
 * Stops `child`, with the processes it started when `children` is set (the driver's
 * MiniBrowser, which a session that never opened leaves running), and resolves once it
 * exited; one that ignores SIGTERM for `STOP_GRACE` is killed, so tearing an engine down never
 * hangs the suite. The driver stays in the suite's process group, so a Ctrl-C stops it too.
 */
async function stopProcess(child: ChildProcess | undefined, children = false): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  const started = children ? childPids(child.pid!) : [];
  const signal = (sig: NodeJS.Signals) => {
    for (const pid of started) {
      try {
        process.kill(pid, sig);
      } catch {
        // Gone already.
      }
    }
    child.kill(sig);
  };
  signal('SIGTERM');
  await within(exited, STOP_GRACE, 'still running').catch(() => (signal('SIGKILL'), exited));
}

/** Starts Xvfb on a display number it picks itself (`-displayfd`), so parallel runs never collide. */
async function startXvfb(xvfb: string): Promise<{ display: string; process: ChildProcess }> {
  const child = spawn(xvfb, ['-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', '1280x800x24'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr += c));
  const line = await within(
    new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdio[3] as NodeJS.ReadableStream }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`Xvfb exited with code ${code}: ${stderr}`)));
    }),
    10_000,
    'Xvfb named no display within 10 s',
  ).catch(async (err) => {
    await stopProcess(child);
    throw err;
  });
  return { display: ':' + line.trim(), process: child };
}

/** Starts WebKitWebDriver on a free port and resolves once it answers `/status`. */
async function startDriver(driver: string, display: string): Promise<{ url: string; process: ChildProcess }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const child = spawn(driver, [`--port=${port}`], { stdio: 'ignore', env: { ...process.env, DISPLAY: display } });
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 10_000;
    while (child.exitCode === null && Date.now() < deadline) {
      try {
        const res = await fetch(url + '/status', { signal: AbortSignal.timeout(1000) });
        if (res.ok) return { url, process: child };
      } catch {
        // Not listening yet.
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    // Exited (port taken by another process meanwhile) or never answered: try another port.
    await stopProcess(child, true);
  }
  throw new Error('WebKitWebDriver did not start in 5 attempts');
}

/**
 * WebKit (WebKitGTK's MiniBrowser, the engine of Safari) through classic WebDriver with
 * selenium-webdriver. MiniBrowser has no headless mode: it runs on an Xvfb display, and
 * without one the session request hangs silently, so it is bounded.
 */
export const webkitEngine: EngineLauncher = {
  name: 'webkit',
  missing: (env) => (findWebKit(env) ? null : NO_WEBKIT),
  launch: (env) => launchWebKit(env),
};

/**
 * Starts Xvfb (unless `DISPLAY` is set), WebKitWebDriver and a MiniBrowser session bounded by
 * `sessionTimeoutMs`, up to `attempts` times. Now and then (twice in about 50 launches on a busy
 * 2-core machine) MiniBrowser never answers the session request on a display that works; a
 * fresh Xvfb, driver and browser are started instead. The last attempt's error is thrown.
 */
export async function launchWebKit(env: Record<string, string | undefined>, sessionTimeoutMs = SESSION_TIMEOUT, attempts = LAUNCH_ATTEMPTS): Promise<Engine> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await launchOnce(env, sessionTimeoutMs);
    } catch (err) {
      if (attempt >= attempts) throw err;
    }
  }
}

async function launchOnce(env: Record<string, string | undefined>, sessionTimeoutMs: number): Promise<Engine> {
  const paths = findWebKit(env)!;
  const xvfb = paths.xvfb ? await startXvfb(paths.xvfb) : undefined;
  const display = xvfb?.display ?? env.DISPLAY!;
  let driverProcess: ChildProcess | undefined;
  const stop = async () => {
    await stopProcess(driverProcess, true);
    await stopProcess(xvfb?.process);
  };
  let session: webdriver.WebDriver;
  try {
    const driver = await startDriver(paths.driver, display);
    driverProcess = driver.process;
    const building = new webdriver.Builder()
      .usingServer(driver.url)
      .withCapabilities({
        browserName: 'MiniBrowser',
        'webkitgtk:browserOptions': { binary: paths.miniBrowser, args: ['--automation'] },
      })
      .build();
    session = building;
    const opened = building.getSession();
    // Given up on after the timeout, the request fails later when the driver is stopped:
    // that late failure is expected, not an unhandled rejection.
    opened.catch(() => {});
    building.catch(() => {});
    await within(
      opened,
      sessionTimeoutMs,
      `webkit: no WebDriver session within ${sessionTimeoutMs / 1000} s on DISPLAY=${display}: MiniBrowser has no headless mode and hangs without a working display (is Xvfb running?)`,
    );
    await session.manage().setTimeouts({ script: 30_000, pageLoad: 30_000 });
  } catch (err) {
    await stop();
    throw err;
  }
  const version = String((await session.getCapabilities()).get('browserVersion'));
  return {
    name: 'webkit',
    version,
    goto: (url) => session.get(url),
    async evaluate(fn, arg) {
      // Classic WebDriver's async script: the last argument is the callback. Errors travel
      // back as data so the test sees the page's own message.
      const result = (await session.executeAsyncScript(
        `const done = arguments[arguments.length - 1], arg = arguments[0];
         Promise.resolve().then(() => (${fn.toString()})(arg)).then(
           (v) => done({ v }),
           (e) => done({ e: String((e && e.stack) || e) }));`,
        arg,
      )) as { v?: any; e?: string };
      if (result.e !== undefined) throw new Error(`webkit: the page function threw: ${result.e}`);
      return result.v;
    },
    async click(selector) {
      await session.findElement(webdriver.By.css(selector)).click();
    },
    async press(keys) {
      await session.actions().sendKeys(typeof keys === 'string' ? keys : WEBDRIVER_KEYS[keys.key]).perform();
    },
    // The driver's own Back, which returns once the page is shown. Started from the page, a
    // script the test sent as it left could land in the page going into the back/forward
    // cache and never answer: WebKitWebDriver's script timeout never fired for it, and the
    // suite hung.
    back: () => session.navigate().back(),
    async close() {
      await session.quit().catch(() => {});
      await stop();
    },
  };
}
