// Geometry for the small inline-SVG balance charts (no chart library, no remote content).

/** The SVG path of `values` drawn in a `width`×`height` box with `pad` pixels of margin. */
export function sparklinePath(values: number[], width: number, height: number, pad = 2): string {
  if (values.length === 0) return "";
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const stepX = values.length > 1 ? (width - 2 * pad) / (values.length - 1) : 0;
  const y = (v: number) => (max === min ? height / 2 : pad + (height - 2 * pad) * (1 - (v - min) / span));
  const x = (i: number) => (values.length > 1 ? pad + i * stepX : width / 2);
  return values.map((v, i) => `${i === 0 ? "M" : "L"}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
}

/** What a sparkline's scale says: its lowest and highest values and its first and last times. */
export interface SparkScale {
  min: number;
  max: number;
  from: string;
  to: string;
}

export function sparkScale(points: { taken_at: string; francs: number }[]): SparkScale | null {
  const times = points.map((p) => p.taken_at).sort();
  const [from, to] = [times[0], times[times.length - 1]];
  if (from === undefined || to === undefined) return null;
  const values = points.map((p) => p.francs);
  return { min: Math.min(...values), max: Math.max(...values), from, to };
}
