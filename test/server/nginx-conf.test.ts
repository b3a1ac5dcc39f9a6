import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { BUNDLE_MAX_AGE } from '../../server/cdn.js';
import { EdgeConfigError, parseEdgeArgs, readTemplate, renderNginxConf } from '../../server/deploy/nginx-conf.js';

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

  it('refuses an unknown flag', () => {
    assert.throws(() => parseEdgeArgs(['--upstreams', 'a:1']), /unknown flag --upstreams/);
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
