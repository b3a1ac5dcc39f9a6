/** Seconds in an ISO 8601 duration as a countdown badge writes it (`P2DT3H4M5S`, `PT0H4M`). */
export function durationSeconds(d: string): number {
  const m = /^P(?:(\d+)D)?T(\d+)H(\d+)M(?:(\d+)S)?$/.exec(d);
  if (!m) throw new Error(`not a badge duration: "${d}"`);
  return ((Number(m[1] ?? 0) * 24 + Number(m[2])) * 60 + Number(m[3])) * 60 + Number(m[4] ?? 0);
}
