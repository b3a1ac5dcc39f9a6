import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../../server/app.js';
import { serve, type Served } from '../support/http.js';
import { request, type RawResponse } from './request.js';

let srv: Served;
before(async () => {
  srv = await serve(createApp({ now: () => 0 }));
});
after(() => srv.close());

const withCallback = (name: string, path = '/v1/time') => request(srv.url, `${path}?callback=${encodeURIComponent(name)}`);

function assertAccepted(res: RawResponse, name: string): void {
  assert.equal(res.status, 200, res.text);
  assert.ok(res.text.startsWith('/**/ ') && res.text.includes(`typeof ${name} === 'function' && ${name}(`), res.text);
}

function assertRefused(res: RawResponse): void {
  assert.equal(res.status, 400, res.text);
  assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
  assert.equal(JSON.parse(res.text).error.code, 'invalid_callback');
}

// The names real JSONP clients generate, as each library builds them (clients marked * also
// run for real in test/e2e/jsonp-libraries.spec.ts).
const CLIENT_NAMES: [client: string, name: string][] = [
  ['jQuery 1.5 to 4 *', 'jQuery37109876543210987654_1732550000000'],
  ['jQuery 1.2 to 1.4', 'jsonp1732550000000'],
  ["jquery-jsonp (Julian Aubourg's plugin)", '_jqjsp'],
  ['AngularJS 1.x $http.jsonp', 'angular.callbacks._0'],
  ['AngularJS 1.x $http.jsonp, 36th request', 'angular.callbacks._10'],
  ['Angular 4.3+ HttpClient.jsonp', 'ng_jsonp_callback_0'],
  ['Angular 2 to 7 @angular/http Jsonp', '__ng_jsonp__.__req0.finished'],
  ['Dojo 1.8+ dojo/request/script', 'dojo_request_script_callbacks.dojo_request_script0'],
  ['Dojo dojo.io.script', 'dojo.io.script.jsonp_dojoIoScript1._jsonpCallback'],
  ['YUI 3 Y.jsonp', 'YUI.Env.JSONP.yui_3_18_1_1_1732550000000_12'],
  ['YUI 3.3+ DataSource.Get', 'YUI.Env.DataSource.callbacks.yui_3_18_1_1_1732550000000_12'],
  ['YUI 3.0 to 3.2 DataSource.Get', 'YUI.Env.DataSource.callbacks[0]'],
  ['YUI 2 ScriptNodeDataSource', 'YAHOO.util.ScriptNodeDataSource.callbacks[0]'],
  ['qooxdoo qx.bom.request.Jsonp', 'qx.bom.request.Jsonp[1732550000000123].callback'],
  ['MooTools More Request.JSONP *', 'Request.JSONP.request_map.request_0'],
  ['Ext JS 4+ and Sencha Touch Ext.data.JsonP', 'Ext.data.JsonP.callback1'],
  ['Ext JS 3 ScriptTagProxy', 'stcCallback1001'],
  ['Zepto 1.1+ $.ajaxJSONP', 'Zepto1732550000000'],
  ['Zepto 1.0 $.ajaxJSONP', 'jsonp1'],
  ['Google Closure goog.net.Jsonp', '_callbacks_._0lx2abc'],
  ['Google Closure goog.net.Jsonp, later releases', '_callbacks____0lx2abc'],
  ['Polymer 0.5 polymer-jsonp', '_polymer_jsonp_callback_0'],
  ['Polymer iron-jsonp-library', 'https___clock_example_com_getTime_callback___callback___api_loaded'],
  ['GWT JsonpRequestBuilder', '__gwt_jsonp__.P0.onSuccess'],
  ['fetch-jsonp *', 'jsonp_1732550000000_12345'],
  ['jsonp (npm) *', '__jp0'],
  ['vue-jsonp', 'jsonp_1a5bfbe01a81550'],
  ['vue-resource', '_jsonp4fzyo82mvyr'],
  ['axios-jsonp', 'axiosJsonpCallback1'],
  ['browser-jsonp', 'jsonp_6ykr9edsi39ffis'],
  ['superagent-jsonp', 'superagentCallback1732550000000123'],
  ['Mithril 1 to 2.2 m.jsonp', '_mithril_1234567890123456_0'],
  ['reqwest', 'reqwest_1732550000000'],
  ['OpenLayers ol.net.jsonp', 'olc_12'],
  ['leaflet-ajax L.Util.jsonp', 'L.Util.jsonp.cb._123456'],
];

describe('callback names real JSONP clients generate', () => {
  for (const [client, name] of CLIENT_NAMES) {
    it(`should accept ${client}'s ${name}`, async () => {
      assertAccepted(await withCallback(name), name);
    });
  }

  it("limitation: Dojo's frameDoc option names a callback in the parent window, which is refused", async () => {
    // `parent.` reaches another window: the same-origin method execution the roots rule closes.
    assertRefused(await withCallback('parent.dojo_request_script_callbacks.dojo_request_script0'));
  });

  it("limitation: Polymer iron-jsonp-library's name is its URL made an identifier, refused past 100 characters", async () => {
    // `https://time.crossclock.example/v1/time?tz=America/Argentina/Buenos_Aires&callback=%%callback%%`
    assertRefused(await withCallback('https___time_crossclock_example_v1_time_tz_America_Argentina_Buenos_Aires_callback___callback___api_loaded'));
  });
});

describe('callback names', () => {
  it('should accept a plain identifier', async () => {
    assertAccepted(await withCallback('cb'), 'cb');
  });

  it('should accept a dotted name', async () => {
    assertAccepted(await withCallback('app.clock.onTime'), 'app.clock.onTime');
  });

  it('should accept names made of $, _ and digits after the first character', async () => {
    assertAccepted(await withCallback('$_9.x_$1'), '$_9.x_$1');
  });

  it("should accept jQuery's generated names", async () => {
    assertAccepted(await withCallback('jQuery36005211380958542634_1732550000000', '/getTime'), 'jQuery36005211380958542634_1732550000000');
  });

  it('should accept a name of exactly 100 characters', async () => {
    const name = 'c'.repeat(100);
    assertAccepted(await withCallback(name), name);
  });

  it('should refuse a name longer than 100 characters', async () => {
    assertRefused(await withCallback('c'.repeat(101)));
  });

  it('should refuse an empty name', async () => {
    assertRefused(await request(srv.url, '/v1/time?callback='));
  });

  it('should refuse a name starting with a digit', async () => {
    assertRefused(await withCallback('1cb'));
  });

  it("should accept digit indexes, as YUI 2's ScriptNodeDataSource and qooxdoo's Jsonp send", async () => {
    for (const name of [
      'YAHOO.util.ScriptNodeDataSource.callbacks[0]',
      'YUI.Env.DataSource.callbacks[12]',
      'qx.bom.request.Jsonp[1732550000000123].callback',
      'cb[0][10]',
    ]) {
      assertAccepted(await withCallback(name), name);
    }
  });

  it('should accept digit indexes unencoded, as YUI 2 puts them in the URL', async () => {
    const name = 'YAHOO.util.ScriptNodeDataSource.callbacks[0]';
    assertAccepted(await request(srv.url, `/v1/time?tz=UTC&callback=${name}`), name);
  });

  it('should refuse anything but decimal digits in brackets', async () => {
    for (const name of ['cb[a]', 'cb["a"]', "cb['a']", 'cb[-1]', 'cb[01]', 'cb[1e3]', 'cb[0x1]', 'cb[1.5]', 'cb[ 0]', 'cb[]', '[0]', 'cb[0', 'cb0]', 'cb[0]]', 'cb.[0]', 'cb[0].', 'cb[0]x', 'cb[٠]']) {
      assertRefused(await withCallback(name));
    }
  });

  it('should refuse an indexed window object and prototype plumbing after an index', async () => {
    for (const name of ['frames[0].cb', 'window[0]', 'self[0].cb', 'top[0]', 'parent[0].cb', 'a[0].constructor', 'a[0].__proto__.x', 'a[0].delete']) {
      assertRefused(await withCallback(name));
    }
  });

  it('should refuse an empty segment', async () => {
    assertRefused(await withCallback('app..cb'));
  });

  it('should refuse a reserved word in any segment', async () => {
    for (const name of ['delete', 'app.new', 'app.this.cb', 'eval']) assertRefused(await withCallback(name));
  });

  it('should refuse a first segment naming a window or document object', async () => {
    for (const root of ['window', 'self', 'top', 'parent', 'opener', 'frames', 'document', 'location', 'globalThis']) {
      assertRefused(await withCallback(`${root}.cb`));
    }
  });

  it('should allow those words after the first segment', async () => {
    assertAccepted(await withCallback('app.document.onTime'), 'app.document.onTime');
  });

  it('should refuse prototype plumbing', async () => {
    for (const name of ['__proto__', 'a.__proto__.b', 'a.constructor', 'a.prototype.b', '__defineGetter__', 'a.__lookupSetter__']) {
      assertRefused(await withCallback(name));
    }
  });

  it("should accept other names with underscores, as Angular 2 to 7's @angular/http Jsonp sends", async () => {
    for (const name of ['__ng_jsonp__.__req0.finished', '__cb', 'cb__', 'app.___', 'app.____', 'app.__cb.x']) {
      assertAccepted(await withCallback(name), name);
    }
  });

  it('should accept a segment that only begins with a listed word', async () => {
    for (const name of ['windowClock', 'app.constructorFn', 'app.deleteLater', 'documentation.cb']) {
      assertAccepted(await withCallback(name), name);
    }
  });

  it('should judge each name on its own, whatever was accepted just before', async () => {
    // The last accepted name is remembered: a refused name between two accepted ones, and one
    // that only extends an accepted name, must still be refused.
    for (const [name, ok] of [['crossclock.t', true], ['crossclock.t', true], ['crossclock.t.constructor', false], ['window.crossclock', false], ['crossclock.t', true], ['crossclock', true], ['crossclock.t.__proto__', false]] as const) {
      const res = await withCallback(name);
      if (ok) assertAccepted(res, name);
      else assertRefused(res);
    }
  });

  it('should refuse a repeated callback parameter', async () => {
    assertRefused(await request(srv.url, '/v1/time?callback=a&callback=b'));
  });

  it('should refuse a repeated callback parameter even when one spelling is percent-encoded', async () => {
    assertRefused(await request(srv.url, '/v1/time?callback=a&c%61llback=b'));
  });

  it('should answer a refusal as JSON with nosniff, so it can never run as a script', async () => {
    const res = await withCallback('alert(1)');
    assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
  });
});

// Names an attacker would try; none may come back in any form.
const HOSTILE = [
  'alert(1);//', '();', '!!!', 'frames[0].alert', 'a[0]()', 'a[-1]', 'a[b]', 'a["b"]', "a['b']", '__proto__', 'a.__proto__.polluted',
  'constructor', 'a.constructor.constructor', 'x'.repeat(10 * 1024), '\\u0061lert', 'a\u2028b', 'a\u2029b',
  'caf\u00e9', '\u0430lert', 'opener.document.body.click', 'window.alert', 'self.close', 'top.location.reload',
  'parent.postMessage', 'frames.x', 'document.write', 'location.assign', 'globalThis.eval', 'content.x',
  'a\nb', 'a\r\nSet-Cookie: x=1', '[a,b]', '[]', 'eval', 'function', 'app.delete', 'new', '9lives', '.hidden',
  'trailing.', 'a..b', 'a b', 'a;b', '<script>', '</script><script>alert(1)</script>', 'a=1', 'a-b',
  'a/**/b', "'quoted'", 'a,b', '`tpl`', 'f(1)', 'this.x', 'a.0', '\u0000', 'a\u0000', '{}', '@a', '#a',
  'undefined', 'a\tb', 'x'.repeat(101), '%3Cscript%3E', 'a%2Eb', 'Infinity',
];

describe('hostile callback names', () => {
  it(`holds at least 40 of them`, () => {
    assert.ok(HOSTILE.length >= 40);
  });

  for (const name of HOSTILE) {
    const label = JSON.stringify(name.length > 40 ? name.slice(0, 20) + `…(${name.length} chars)` : name);
    it(`should refuse ${label} on both time routes without echoing it`, async () => {
      for (const path of ['/getTime', '/v1/time']) {
        const res = await withCallback(name, path);
        // 414 is how a name too long for any URL we accept is refused.
        assert.ok(res.status === 400 || res.status === 414, `${path}: ${res.status}`);
        assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
        assert.ok(!res.text.includes(name), `${path} echoed ${label}: ${res.text}`);
      }
    });
  }
});
