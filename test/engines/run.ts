/**
 * The cross-engine suite (`npm run test:engines`): every test in features/*.js runs once in
 * each engine, Chromium, Firefox and WebKit, each browser started once and reused. An engine
 * that is not installed is skipped with one line saying how to install it; under `CI=true`
 * its tests fail instead, so CI always drives all three. `ENGINES=firefox,webkit` runs only
 * those (while working on one engine); the others are reported as skipped.
 */
import { readdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { WidgetServer } from '../support/widget-server.js';
import { checkBrowsersDoc, type EngineRun } from './browsers-doc.js';
import { chromiumEngine } from './chromium.js';
import { plan, type Engine, type EngineLauncher } from './engine.js';
import { firefoxEngine } from './firefox.js';
import { SHIFT_MS, startHost, startShiftedWidget, startWidget, type HostSite, type ShiftedWidget } from './site.js';
import type { Context, Feature } from './suite.js';
import { webkitEngine } from './webkit.js';

const ENGINES: EngineLauncher[] = [chromiumEngine, firefoxEngine, webkitEngine];

// A new feature is a new file in features/: nothing to register.
const featureDir = new URL('./features/', import.meta.url);
const features: Feature[] = [];
for (const file of readdirSync(featureDir).filter((f) => f.endsWith('.js')).sort()) {
  features.push(((await import(new URL(file, featureDir).href)) as { feature: Feature }).feature);
}

const env = process.env;
const runs: EngineRun[] = [];
let widget: WidgetServer;
let baked: Promise<WidgetServer> | undefined;
let shifted: Promise<ShiftedWidget> | undefined;

before(async () => {
  // Started now but awaited only by the tests that use them: they come up while the
  // browsers launch. A failed start fails those tests, not the run.
  baked = startWidget({ publicUrl: true });
  shifted = startShiftedWidget(SHIFT_MS);
  for (const p of [baked, shifted]) p.catch(() => {});
  widget = await startWidget();
});
after(async () => {
  await Promise.all([widget?.kill(), ...[baked, shifted].map((p) => p?.then((s) => s.kill(), () => {}))]);
});

const selected = env.ENGINES?.split(',').map((e) => e.trim());
// The engines run side by side, each its tests one after another: most of a test's time is
// spent waiting for seconds to tick, not on the CPU. Each engine has a host site of its own
// (its pages and the requests it records are the engine's alone); the widget servers only
// answer, and are shared.
describe('engines', { concurrency: ENGINES.length }, () => {
  for (const launcher of ENGINES) {
    if (selected && !selected.includes(launcher.name)) {
      test(launcher.name, { skip: `not in ENGINES=${env.ENGINES}` }, () => {});
      continue;
    }
    const todo = plan(launcher.missing(env), env);
    if ('skip' in todo) {
      // A skipped test, not an empty suite, so the summary's `skipped` counts the engine.
      test(launcher.name, { skip: todo.skip }, () => {});
      continue;
    }
    describe(launcher.name, { concurrency: 1 }, () => {
      let engine: Engine | undefined;
      let host: HostSite;
      const owned: WidgetServer[] = [];
      const run: EngineRun = { engine: launcher.name, version: '', features: [] };
      before(async () => {
        if ('fail' in todo) throw new Error(todo.fail);
        [engine, host] = await Promise.all([launcher.launch(env), startHost()]);
        run.version = engine.version;
        runs.push(run);
      });
      after(async () => {
        await Promise.all([engine?.close(), host?.close()]);
      });
      for (const feature of features) {
        describe(feature.name, () => {
          let passed = 0;
          for (const t of feature.tests) {
            const need = plan(t.missing ?? null, env);
            if ('skip' in need) {
              test(t.title, { skip: need.skip }, () => {});
              continue;
            }
            test(t.title, { todo: t.todo }, async () => {
              if ('fail' in need) throw new Error(need.fail);
              const ctx: Context = {
                engine: engine!,
                host,
                widget,
                async ownWidget() {
                  const server = await startWidget();
                  owned.push(server);
                  return server;
                },
                baked: () => baked!,
                shifted: () => shifted!,
              };
              try {
                await t.run(ctx);
                if (!t.todo) passed++;
              } finally {
                await Promise.all(owned.splice(0).map((s) => s.kill()));
              }
            });
          }
          after(() => {
            // A feature counts as covered in this engine only when all its tests passed.
            if (passed === feature.tests.filter((t) => !t.todo).length) run.features.push(feature.name);
          });
        });
      }
    });
  }
});

describe('docs/browsers.md', () => {
  test('names the engine versions this run drove and what passed in each', (t) => {
    for (const run of runs) t.diagnostic(`${run.engine} ${run.version}`);
    checkBrowsersDoc(runs, features, env.UPDATE_BROWSERS_DOC === '1');
  });
});
