/**
 * Request targets a scanner, a confused proxy or an attacker sends: every served path in
 * other cases, with trailing and doubled slashes, dot segments, percent-encodings (also
 * malformed ones), `;` parameters, array-style queries and overlong paths. Every one must be
 * answered without a 5xx and without naming a file on the server.
 */
export const SERVED_PATHS = [
  '/',
  '/v1/time',
  '/getTime',
  '/healthz',
  '/readyz',
  '/v1/snippet',
  '/v1/manifest.json',
  '/v1/crossclock.js',
  '/v1/crossclock.js.map',
  '/v1/crossclock.d.ts',
  '/configurator/configurator.js',
  '/configurator/zoned.js',
  '/configurator/configurator.css',
];

function variants(path: string): string[] {
  const last = path.lastIndexOf('/');
  const dir = path.slice(0, last);
  const name = path.slice(last + 1);
  const pct = (s: string) => s.replace(/[a-z]/, (c) => '%' + c.charCodeAt(0).toString(16));
  return [
    path.toUpperCase(),
    path.replace(/^\/./, (s) => s.toUpperCase()),
    path + '/',
    path + '//',
    '/' + path,
    path.replace(/\//g, '//'),
    `${dir}/./${name}`,
    `${dir}/x/../${name}`,
    `/..${path}`,
    `${dir}/%2e%2e/${name}`,
    `${dir}%2F${name}`,
    pct(path),
    path + '%',
    path + '%zz',
    path + '%E0%A4%A',
    path + '%00',
    path + ';jsessionid=1',
    `${dir};x/${name}`,
    path + '.',
    path + '~',
    path + '?callback[]=x',
    path + '?callback[a]=x&callback=y',
    path + '?tz[]=UTC&id[]=1',
    path + '?form[]=tag',
    path + '?form=tag&form=sri',
    path + '?callback=%',
    path + '?callback=%E0%A4%A',
    path + '?' + '&'.repeat(1500),
    path + '/' + 'a'.repeat(1900),
  ];
}

/** The odd request targets, deduplicated; all at most 2048 characters except the last. */
export const ODD_PATHS: string[] = [
  ...new Set([
    ...SERVED_PATHS.flatMap(variants),
    '//',
    '/%2F',
    '/\\',
    '/..%2f..%2fetc%2fpasswd',
    '/v1/crossclock.deadbeefdeadbeef.js',
    '/v1/crossclock..js',
    '/v1/',
    '/v1',
    '/configurator/',
    '/configurator',
    '/' + 'x'.repeat(5000),
  ]),
];
