import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { BUNDLE_MAX_AGE, loadWidgetFiles } from '../../server/cdn.js';
import { DEFAULTS } from '../../server/config.js';
import { MAX_HEADER_BYTES } from '../../server/connections.js';
import { builtPath } from '../support/built.js';
import { readDoc, tableRows } from '../support/docs.js';
import { EDGE_DEFAULTS, EdgeConfigError, parseEdgeArgs, readTemplate, renderNginxConf } from '../../server/deploy/nginx-conf.js';

const BASE = { listen: '8080', upstreams: ['10.0.0.11:3000', '10.0.0.12:3000'], stateDir: '/var/cache/crossclock-edge' };
const RENDER = fileURLToPath(new URL('../../server/deploy/render.js', import.meta.url));

describe('renderNginxConf (server/deploy/nginx.conf)', () => {
  it('fills every placeholder of the shipped template', () => {
    const conf = renderNginxConf(readTemplate(), BASE);
    assert.doesNotMatch(conf, /\$\{/);
    assert.match(conf, /listen 8080;/);
    assert.match(conf, /proxy_cache_path \/var\/cache\/crossclock-edge\/cache /);
  });

  it('lists each instance in the upstream, taken out after one failure', () => {
    const conf = renderNginxConf(readTemplate(), BASE);
    assert.match(conf, /server 10\.0\.0\.11:3000 max_fails=1 fail_timeout=10s;\n\s+server 10\.0\.0\.12:3000 max_fails=1/);
  });

  it('keeps the loader at the edge as long as the instances tell browsers to, unless told otherwise', () => {
    assert.match(renderNginxConf(readTemplate(), BASE), new RegExp(`proxy_cache_valid 200 ${BUNDLE_MAX_AGE}s;`));
    assert.match(renderNginxConf(readTemplate(), { ...BASE, loaderEdgeTtl: '1m' }), /proxy_cache_valid 200 1m;/);
  });

  it('counts only transport failures against an instance, never an application answer', () => {
    const conf = renderNginxConf(readTemplate(), BASE);
    const lists = [...conf.matchAll(/^\s*proxy_next_upstream (.*);$/gm)].map((m) => m[1].split(' '));
    assert.ok(lists.length >= 2);
    for (const list of lists) {
      assert.deepEqual(list.filter((c) => /^http_5/.test(c)), ['http_502', 'http_504'], list.join(' '));
      assert.ok(list.includes('error') && list.includes('timeout'));
    }
  });

  it('sets every header for the instances at the server level, which a location with one of its own would not inherit', () => {
    const conf = renderNginxConf(readTemplate(), BASE);
    const locations = [...conf.matchAll(/^\s*location [^{]*\{([^}]*)\}/gm)];
    assert.ok(locations.length >= 5);
    for (const [block, body] of locations) assert.doesNotMatch(body, /^\s*proxy_set_header /m, block.split('\n')[0]);
    assert.match(conf, /^\s*proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;$/m);
  });

  it('retries a 404 only for names shaped like the bundle this build serves', () => {
    const conf = renderNginxConf(readTemplate(), BASE);
    // The one location whose proxy_next_upstream lists http_404: the rollout retry.
    const retrying = [...conf.matchAll(/^\s*location ~ "([^"]+)" \{([^}]*)\}/gm)].filter((m) => /proxy_next_upstream [^;]*http_404/.test(m[2]));
    assert.equal(retrying.length, 1);
    assert.equal([...conf.matchAll(/http_404/g)].length, 1, 'no other location retries a 404');
    const shape = new RegExp(retrying[0][1]);
    const bundle = loadWidgetFiles(builtPath('widget')).manifest!.bundle;
    assert.match(bundle, shape, 'the name of this build\'s bundle');
    for (const junk of ['/v1/crossclock.junk.js', '/v1/crossclock.min.js', '/v1/crossclock.0123456789ABCDEF.js', '/v1/crossclock.0123456789abcdef0.js', '/v1/crossclock.0123456789abcde.js']) {
      assert.doesNotMatch(junk, shape);
    }
  });

  it('limits each client address by rate and by requests in progress, answering 429', () => {
    const conf = renderNginxConf(readTemplate(), BASE);
    assert.match(conf, /limit_req_zone \$crossclock_client zone=crossclock_rate:10m rate=20r\/s;/);
    assert.match(conf, /limit_conn_zone \$crossclock_client zone=crossclock_conn:10m;/);
    assert.match(conf, /map \$binary_remote_addr \$crossclock_client \{/);
    assert.match(conf, /limit_req zone=crossclock_rate burst=40 nodelay;/);
    assert.match(conf, /limit_conn crossclock_conn 64;/);
    assert.match(conf, /limit_req_status 429;/);
    assert.match(conf, /client_header_timeout 5s;\n\s+client_body_timeout 5s;/);
    const custom = renderNginxConf(readTemplate(), { ...BASE, limitReqRate: '600r/m', limitReqBurst: 5, limitConn: 3, clientTimeout: '2s' });
    assert.match(custom, /rate=600r\/m;/);
    assert.match(custom, /burst=5 nodelay;/);
    assert.match(custom, /limit_conn crossclock_conn 3;/);
    assert.match(custom, /client_header_timeout 2s;/);
  });

  it('turns a limit off with an empty key, which nginx never counts', () => {
    const conf = renderNginxConf(readTemplate(), { ...BASE, limitReqRate: 'off', limitConn: 0 });
    assert.match(conf, /limit_req_zone "" zone=crossclock_rate/);
    assert.match(conf, /limit_conn_zone "" zone=crossclock_conn/);
  });

  it('refuses a rate, burst or connection limit nginx would not take', () => {
    assert.throws(() => renderNginxConf(readTemplate(), { ...BASE, limitReqRate: '20' }), /nginx rate/);
    assert.throws(() => renderNginxConf(readTemplate(), { ...BASE, limitReqRate: '20r/s; allow all' }), /nginx rate/);
    assert.throws(() => renderNginxConf(readTemplate(), { ...BASE, limitReqBurst: -1 }), /burst/);
    assert.throws(() => renderNginxConf(readTemplate(), { ...BASE, limitConn: -1 }), /connection limit/);
    assert.throws(() => renderNginxConf(readTemplate(), { ...BASE, limitConn: 65_536 }), /connection limit/);
  });

  it('refuses an upstream without a port', () => {
    assert.throws(() => renderNginxConf(readTemplate(), { ...BASE, upstreams: ['10.0.0.11'] }), /upstream must be host:port/);
  });

  it('refuses an empty upstream list', () => {
    assert.throws(() => renderNginxConf(readTemplate(), { ...BASE, upstreams: [] }), EdgeConfigError);
  });

  it('refuses a value that would end an nginx directive early', () => {
    assert.throws(() => renderNginxConf(readTemplate(), { ...BASE, stateDir: '/tmp/x; include /etc/passwd' }), /state folder/);
    assert.throws(() => renderNginxConf(readTemplate(), { ...BASE, loaderEdgeTtl: '1s; proxy_cache off' }), /nginx time/);
  });

  it('refuses a template placeholder it does not know, instead of leaving it in', () => {
    assert.throws(() => renderNginxConf('listen ${CROSSCLOCK_PORT};', BASE), /unknown placeholder \$\{CROSSCLOCK_PORT\}/);
  });
});

describe('parseEdgeArgs', () => {
  it('collects repeated --upstream flags in order', () => {
    const settings = parseEdgeArgs(['--upstream', 'a:1', '--upstream=b:2', '--listen', '127.0.0.1:8080']);
    assert.deepEqual(settings.upstreams, ['a:1', 'b:2']);
    assert.equal(settings.listen, '127.0.0.1:8080');
  });

  it('reads the client limits', () => {
    const settings = parseEdgeArgs(['--upstream', 'a:1', '--limit-req-rate', '5r/s', '--limit-req-burst=7', '--limit-conn', '9', '--client-timeout', '3s']);
    assert.deepEqual(
      [settings.limitReqRate, settings.limitReqBurst, settings.limitConn, settings.clientTimeout],
      ['5r/s', 7, 9, '3s'],
    );
    assert.throws(() => parseEdgeArgs(['--limit-conn', 'many']), /--limit-conn must be a whole number/);
  });

  it('refuses an unknown flag', () => {
    assert.throws(() => parseEdgeArgs(['--upstreams', 'a:1']), /unknown flag --upstreams/);
  });

  it('refuses --help as the unknown flag it is, not as one missing its value', () => {
    assert.throws(() => parseEdgeArgs(['--help']), { message: 'unknown flag --help' });
  });
});

// docs/deployment.md states these of the rendered config; this pins them so a change to the
// template cannot leave the docs behind.
describe('the request headers the edge passes on', () => {
  it('never exceed what an instance takes: all its header buffers, the Host repeated as X-Forwarded-Host, and its own headers', () => {
    const conf = renderNginxConf(readTemplate(), BASE);
    const m = /^\s*large_client_header_buffers (\d+) (\d+)k;$/m.exec(conf);
    assert.ok(m, 'the template states its header buffers');
    const buffer = Number(m[2]) * 1024;
    // X-Forwarded-Proto, X-Request-Id, Accept-Encoding and the address appended to X-Forwarded-For.
    const edgeOwn = 1024;
    assert.ok(Number(m[1]) * buffer + buffer + edgeOwn <= MAX_HEADER_BYTES, `${m[1]} × ${m[2]}k against ${MAX_HEADER_BYTES}`);
  });
});

describe('numbers docs/deployment.md states of the edge', () => {
  const conf = renderNginxConf(readTemplate(), BASE);
  it('keeps 32 idle connections to the instances and closes them after 50 s, before the instances\' 65 s', () => {
    assert.match(conf, /^\s*keepalive 32;\n\s*keepalive_timeout 50s;$/m);
    assert.ok(50_000 < DEFAULTS.keepAliveTimeout);
  });

  it('raises its workers\' open-file limit to 16384, four times their 4096 connections', () => {
    assert.match(conf, /^worker_rlimit_nofile 16384;$/m);
    assert.match(conf, /^\s*worker_connections 4096;$/m);
  });

  it('tries a request on every instance, however many, within 10 s in all', () => {
    assert.match(conf, /^\s*proxy_next_upstream_tries 0;\n\s*proxy_next_upstream_timeout 10s;$/m);
  });

  // Not client_max_body_size: every body is refused before that limit is looked at (the
  // integration test in nginx-limits.test.ts holds that), so no body size is stated.
  it('discards a refused body for at most the client timeout (5 s), stops sending after 10 s without progress, and keeps a bundle 7 days after its last request', () => {
    assert.equal(EDGE_DEFAULTS.clientTimeout, '5s');
    assert.match(conf, /^\s*lingering_time 5s;$/m);
    assert.match(conf, /^\s*send_timeout 10s;$/m);
    assert.match(conf, /keys_zone=crossclock_bundle:10m\s+max_size=256m inactive=7d /);
  });

  it('allows a client 20 requests a second by default, the instances\' own default of 1200 a minute', () => {
    assert.equal(EDGE_DEFAULTS.limitReqRate, '20r/s');
    assert.equal(20 * 60, DEFAULTS.rateLimit);
  });

  it('takes a request line and a header line of up to 8 kB, 4 × 8 kB of headers in all, and keeps an idle client 65 s', () => {
    assert.match(conf, /^\s*large_client_header_buffers 4 8k;$/m);
    assert.match(conf, /^\s*keepalive_timeout 65s;$/m);
  });
});

// An operator renders the edge from docs/deployment.md: every flag render.js takes must be
// there, with the default it has.
describe('the render.js flags docs/deployment.md gives', () => {
  const doc = readDoc('docs/deployment.md');
  const flat = doc.replace(/\s+/g, ' ');
  const camel = (flag: string) => flag.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

  it('names every flag of render.js\'s usage', () => {
    const usage = spawnSync(process.execPath, [RENDER], { encoding: 'utf8' }).stderr;
    const flags = new Set([...usage.matchAll(/\[?(--[a-z-]+) [A-Z]/g)].map((m) => m[1]));
    assert.ok(flags.has('--upstream') && flags.has('--client-timeout'), usage);
    for (const flag of flags) assert.ok(doc.includes(`\`${flag} `), `docs/deployment.md does not name ${flag}`);
  });

  it('gives the defaults of --listen, --state-dir, --loader-edge-ttl and --fail-timeout', () => {
    const { listen, stateDir } = parseEdgeArgs([]);
    assert.ok(flat.includes(`\`--listen PORT|ADDR:PORT\` (default \`${listen}\`)`));
    assert.ok(flat.includes(`\`--state-dir DIR\` (cache, temp files and the access log; default \`${stateDir}\`)`));
    assert.ok(flat.includes(`default the server's own \`max-age\`, ${BUNDLE_MAX_AGE} s)`));
    assert.ok(flat.includes(`left out; default \`${EDGE_DEFAULTS.failTimeout}\`)`));
  });

  it('gives the defaults of the limit options in its table', () => {
    const rows = tableRows(doc, '| option | default | meaning |').map(([option, fallback]) => [camel(/`(--[a-z-]+)/.exec(option)![1]), fallback.replaceAll('`', '')]);
    const limits = Object.entries(EDGE_DEFAULTS).filter(([key]) => key !== 'failTimeout');
    assert.deepEqual(Object.fromEntries(rows), Object.fromEntries(limits.map(([key, value]) => [key, String(value)])));
  });
});

describe('node dist/server/deploy/render.js', () => {
  it('prints the config for the instances given', () => {
    const run = spawnSync(process.execPath, [RENDER, '--upstream', '10.0.0.11:3000'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /server 10\.0\.0\.11:3000 /);
  });

  it('exits with code 2 and the usage on bad input', () => {
    const run = spawnSync(process.execPath, [RENDER, '--listen', '80'], { encoding: 'utf8' });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /at least one upstream[\s\S]*usage: render\.js --upstream/);
  });
});
