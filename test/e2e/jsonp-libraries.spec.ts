// Third-party JSONP clients, unmodified, asking the real server for the time from a page of
// another origin: the callback names and query shapes are the libraries' own. The clients
// installed here run for real; the names of those that are not (AngularJS, Dojo, YUI,
// qooxdoo…) are checked in test/server/callback.test.ts. Each library's own build is what the
// page loads; the call is the one its documentation shows.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build } from 'esbuild';
import { JQUERIES, jquerySource, mooTools } from '../support/host-libraries.js';
import { expect, html, test } from './widget-fixtures.js';

const require = createRequire(import.meta.url);

/** npm's `jsonp`, a CommonJS module, bundled as a page would get it: the global `jsonp`. */
async function npmJsonp(): Promise<string> {
  const out = await build({ entryPoints: [require.resolve('jsonp')], bundle: true, format: 'iife', globalName: 'jsonp', write: false, logLevel: 'silent' });
  return out.outputFiles[0].text;
}

interface Client {
  /** What the test shows, as its title. */
  title: string;
  /** The library's scripts, in order; none when it cannot run here (the line says why). */
  scripts: () => Promise<string[]> | string[];
  /** Why the client is skipped here, or null. */
  missing?: string | null;
  /** The call, given the widget server's URL as `W`; it hands the payload to `show`. */
  call: string;
  /** The one request the client makes, path and query. */
  request: RegExp;
  /** The zone the call asks for, which the payload names. */
  tz: string;
}

const CLIENTS: Client[] = [
  ...JQUERIES.flatMap(([version, pkg]): Client[] => [
    {
      title:
        pkg === 'jquery-4'
          ? "jQuery 4's $.getJSON with callback=? gets the time as plain JSON: jQuery 4 sends it as a CORS request, the ? left in place"
          : `jQuery ${version}'s $.getJSON with callback=? gets the time through the callback jQuery names`,
      scripts: () => [jquerySource(pkg)],
      call: `$.getJSON(W + '/v1/time?tz=Europe/Paris&callback=?', show)`,
      request: pkg === 'jquery-4' ? /^\/v1\/time\?tz=Europe\/Paris&callback=\?$/ : /^\/v1\/time\?tz=Europe\/Paris&callback=jQuery\d+_\d+&_=\d+$/,
      tz: 'Europe/Paris',
    },
    {
      title: `jQuery ${version}'s $.ajax JSONP with a fixed jsonpCallback, cache: true and data gets the time`,
      scripts: () => [jquerySource(pkg)],
      call: `$.ajax({url: W + '/v1/time', dataType: 'jsonp', jsonpCallback: 'onTime', cache: true, data: {tz: 'Asia/Tokyo', id: 'r1'}, success: show})`,
      request: /^\/v1\/time\?callback=onTime&tz=Asia%2FTokyo&id=r1$/,
      tz: 'Asia/Tokyo',
    },
  ]),
  {
    title: "fetch-jsonp's jsonp_<time>_<random> callback gets the time",
    scripts: () => [readFileSync(require.resolve('fetch-jsonp'), 'utf8')],
    call: `fetchJsonp(W + '/v1/time?tz=UTC').then(function (r) { return r.json(); }).then(show)`,
    request: /^\/v1\/time\?tz=UTC&callback=jsonp_\d+_\d+$/,
    tz: 'UTC',
  },
  {
    title: "npm jsonp's __jp0 callback gets the time",
    scripts: async () => [await npmJsonp()],
    call: `jsonp(W + '/v1/time?tz=UTC', {}, function (err, data) { if (!err) show(data); })`,
    request: /^\/v1\/time\?tz=UTC&callback=__jp0$/,
    tz: 'UTC',
  },
  {
    title: "MooTools More's Request.JSONP.request_map.request_0 callback gets the time",
    missing: mooTools.missing,
    scripts: () => mooTools.scripts().map(([, source]) => source),
    call: `new Request.JSONP({url: W + '/v1/time', data: {tz: 'UTC'}, onComplete: show}).send()`,
    request: /^\/v1\/time\?callback=Request\.JSONP\.request_map\.request_0&tz=UTC$/,
    tz: 'UTC',
  },
];

test.describe('third-party JSONP clients, unmodified, against the real server', () => {
  for (const client of CLIENTS) {
    test(client.title, async ({ page, widget, host, errors }) => {
      // Skipped with one line on a machine without the library; CI installs it and must run this.
      test.skip(!!client.missing && !process.env.CI, client.missing ?? '');
      const requests: string[] = [];
      page.on('request', (r) => {
        if (r.url().startsWith(widget.url)) requests.push(r.url().slice(widget.url.length));
      });
      const libraries = (await client.scripts()).map((s) => `<script>${s}</script>`).join('');
      const show = `function show(data) { document.getElementById('out').textContent = JSON.stringify(data); }`;
      const call = `<script>var W = ${JSON.stringify(widget.url)}; ${show} ${client.call};</script>`;
      const before = Date.now();
      await page.goto(host.page(`/client-${CLIENTS.indexOf(client)}`, { html: html(`<pre id="out"></pre>${libraries}${call}`) }));
      await expect(page.locator('#out')).not.toBeEmpty();
      const data = JSON.parse((await page.locator('#out').textContent()) ?? '');
      // The server and the test share the machine's clock: the time is the moment it answered.
      expect(data.t).toBeGreaterThanOrEqual(before);
      expect(data.t).toBeLessThanOrEqual(Date.now());
      expect(data.tz).toBe(client.tz);
      expect(requests).toEqual([expect.stringMatching(client.request)]);
      expect(errors).toEqual([]);
    });
  }
});
