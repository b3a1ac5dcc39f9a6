import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { safeJson } from '../../server/jsonp.js';
import { canonicalZone, timePayload, timePayloadJson } from '../../server/time-payload.js';

describe('the time payload as JSON text', () => {
  const instants = [0, 1_795_723_925_378, Date.UTC(2026, 2, 29, 1, 0, 0), -86_400_000];

  it('should be exactly the serialised payload in every zone the runtime knows', () => {
    const zones = Intl.supportedValuesOf('timeZone').map((z) => canonicalZone(z)).filter((z): z is string => z !== null);
    assert.ok(zones.length > 300, `only ${zones.length} zones`);
    for (const zone of zones) {
      for (const t of instants) assert.equal(timePayloadJson(t, zone), safeJson(timePayload(t, zone)), `${zone} at ${t}`);
    }
  });

  it('should carry a request id exactly as the serialised payload does', () => {
    for (const id of ['a', 'req-42_x', 'x'.repeat(64)]) {
      assert.equal(timePayloadJson(1000, 'Europe/Paris', id), safeJson(timePayload(1000, 'Europe/Paris', id)));
    }
  });

  it('should escape what is not plain, by the general way', () => {
    // Callers validate ids first; the text must still be safe when they did not.
    const id = '</script><script>alert(1)</script>"\\';
    const json = timePayloadJson(1000, 'UTC', id);
    assert.equal(json, safeJson(timePayload(1000, 'UTC', id)));
    assert.ok(!json.includes('<'), json);
    assert.equal(JSON.parse(json).id, id);
  });
});
