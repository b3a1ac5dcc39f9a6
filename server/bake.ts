/**
 * Writes the server's public URL into the widget bundle it serves, so the bundle never has
 * to guess its server from the page (where markup can clobber `document.currentScript`). It
 * writes the base the bundle requests from, `…/v1/`, so the bundle has nothing to append.
 * Done once at start-up, before hashing: the versioned name, the SRI hash and the manifest
 * all describe the bytes actually served.
 */

/** The bare identifier the built bundle reads its server's `…/v1/` from (see widget/src/globals.d.ts). */
export const BUNDLE_URL_PLACEHOLDER = 'CROSSCLOCK_URL';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes one line of source-map `mappings` into its segments' VLQ fields (each relative, as stored). */
export function decodeLine(line: string): number[][] {
  const segments: number[][] = [];
  for (const text of line ? line.split(',') : []) {
    const fields: number[] = [];
    let value = 0;
    let shift = 0;
    for (const ch of text) {
      const digit = BASE64.indexOf(ch);
      if (digit < 0) throw new Error(`bad source map character ${ch}`);
      value += (digit & 31) << shift;
      if (digit & 32) shift += 5;
      else {
        fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
        value = shift = 0;
      }
    }
    segments.push(fields);
  }
  return segments;
}

/** The inverse of `decodeLine`. */
export function encodeLine(segments: number[][]): string {
  return segments
    .map((fields) =>
      fields
        .map((n) => {
          let v = n < 0 ? (-n << 1) | 1 : n << 1;
          let out = '';
          do {
            const digit = v & 31;
            v >>>= 5;
            out += BASE64[digit | (v ? 32 : 0)];
          } while (v);
          return out;
        })
        .join(''),
    )
    .join(',');
}

/**
 * The bundle with `publicUrl` + `/v1/` (`''` when none is configured: the bundle then trusts
 * only its own verified `<script>` element) written in place of the placeholder, and its source
 * map moved to match: every generated column after the placeholder, on its line, shifts by
 * the length difference. Generated columns are stored relative to the previous segment on
 * the line, so only the first segment past the placeholder changes. A bundle without the
 * placeholder (not built from widget/src) is returned as it is.
 */
export function bakeBundle(bundle: string, map: string | null, publicUrl: string | null): { bundle: string; map: string | null } {
  const at = bundle.indexOf(BUNDLE_URL_PLACEHOLDER);
  if (at < 0) return { bundle, map };
  if (bundle.indexOf(BUNDLE_URL_PLACEHOLDER, at + 1) >= 0) throw new Error(`the bundle names ${BUNDLE_URL_PLACEHOLDER} twice`);
  const literal = JSON.stringify(publicUrl ? publicUrl + '/v1/' : '');
  const baked = bundle.slice(0, at) + literal + bundle.slice(at + BUNDLE_URL_PLACEHOLDER.length);
  if (!map) return { bundle: baked, map };
  const lineStart = bundle.lastIndexOf('\n', at) + 1;
  const line = bundle.slice(0, lineStart).split('\n').length - 1;
  const column = at - lineStart;
  const json = JSON.parse(map) as { mappings: string };
  const lines = json.mappings.split(';');
  const segments = decodeLine(lines[line] ?? '');
  let absolute = 0;
  for (const fields of segments) {
    absolute += fields[0];
    if (absolute > column) {
      fields[0] += literal.length - BUNDLE_URL_PLACEHOLDER.length;
      break;
    }
  }
  lines[line] = encodeLine(segments);
  json.mappings = lines.join(';');
  return { bundle: baked, map: JSON.stringify(json) };
}
