// The seed article's jQuery client, unmodified, against the real server from a page of another
// origin, with each jQuery a host page may still load: 1.12 (the article's era, on countless
// old pages), 3 (the seed demo site's) and 4 (the current release, which rewrote parts of its
// script transport). Only jQuery's own script is served by the host; the call is the article's.
import { JQUERIES, jquerySource } from '../support/host-libraries.js';
import { expect, html, test } from './widget-fixtures.js';

for (const [version, pkg] of JQUERIES) {
  test(`the seed article's $.ajax JSONP call gets strTime from /getTime with jQuery ${version}`, async ({ page, widget, host, errors }) => {
    const source = jquerySource(pkg);
    // The article's call, with the widget server's URL for its `http://localhost:3000`.
    const call = `$.ajax({url: '${widget.url}/getTime', dataType: 'jsonp', jsonp: 'callback',
      success: function (data) { document.getElementById('time').textContent = data.strTime; }});`;
    const requests: string[] = [];
    page.on('request', (r) => {
      if (r.url().startsWith(widget.url)) requests.push(new URL(r.url()).pathname + new URL(r.url()).search);
    });
    const before = Date.now();
    await page.goto(host.page(`/jquery-${pkg}`, { html: html(`<p id="time"></p><script>${source}</script><script>${call}</script>`) }));
    await expect(page.locator('#time')).not.toBeEmpty();
    const shown = Date.parse((await page.locator('#time').textContent()) ?? '');
    // The server and the test share the machine's clock; Date#toString drops the milliseconds.
    expect(shown).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(shown).toBeLessThanOrEqual(Date.now());
    expect(await page.evaluate(() => (window as any).jQuery.fn.jquery)).toMatch(new RegExp('^' + version.replace(/\./g, '\\.')));
    expect(requests).toEqual([expect.stringMatching(/^\/getTime\?callback=jQuery\w+&_=\d+$/)]);
    expect(errors).toEqual([]);
  });
}
