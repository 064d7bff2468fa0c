// Geometry of the balance history chart: one polyline per kind of balance, oldest on the left,
// with a value axis (whole francs), a time axis, and the low-balance threshold as a line.
// Amounts are converted to numbers for drawing only; the figures shown stay the exact text.
import type { BalanceSnapshot } from "../bindings";

export interface Series {
  kind: string;
  points: string;
  last: string;
}

export interface Tick {
  at: number;
  value: number;
}

export interface Chart {
  series: Series[];
  min: number;
  max: number;
  from: string;
  to: string;
  /** Value axis: where each round amount sits (y) and the amount. */
  yTicks: Tick[];
  /** Time axis: where each reading time sits (x) and the time (ms). */
  xTicks: Tick[];
  /** Where the threshold line is drawn, if there is one. */
  thresholdY: number | null;
}

export interface Frame {
  width: number;
  height: number;
  /** Room left for the amounts and below for the dates. */
  left?: number;
  bottom?: number;
  pad?: number;
  threshold?: number | null;
}

/** A round step giving about `count` ticks between `min` and `max` (1, 2, 5 × 10^n). */
export function niceStep(min: number, max: number, count = 4): number {
  // A flat line still gets an axis of round amounts around it, not 1 FCFA apart.
  const span = Math.max(1, max - min, Math.abs(max) / 5);
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  return Math.max(1, step);
}

export function balanceChart(snapshots: BalanceSnapshot[], frame: Frame): Chart | null {
  const { width, height, left = 0, bottom = 0, pad = 6, threshold = null } = frame;
  const rows = [...snapshots].sort((a, b) => a.taken_at.localeCompare(b.taken_at) || a.id - b.id);
  if (rows.length === 0) return null;
  const times = rows.map((r) => Date.parse(r.taken_at));
  const values = rows.map((r) => Number(r.amount));
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const seen = threshold === null ? values : [...values, threshold];
  const step = niceStep(Math.min(...seen), Math.max(...seen));
  // The value axis runs between round amounts around every reading and the threshold.
  const min = Math.floor(Math.min(...seen) / step) * step;
  const max = Math.max(min + step, Math.ceil(Math.max(...seen) / step) * step);
  const x = (t: number) => (t1 === t0 ? left + (width - left) / 2 : left + pad + ((width - left - 2 * pad) * (t - t0)) / (t1 - t0));
  const y = (v: number) => pad + (height - bottom - 2 * pad) * (1 - (v - min) / (max - min));
  const kinds = [...new Set(rows.map((r) => r.kind))];
  const series = kinds.map((kind) => {
    const own = rows.filter((r) => r.kind === kind);
    return {
      kind,
      points: own.map((r) => `${x(Date.parse(r.taken_at)).toFixed(1)},${y(Number(r.amount)).toFixed(1)}`).join(" "),
      last: own.at(-1)?.amount ?? "",
    };
  });
  const yTicks: Tick[] = [];
  for (let v = min; v <= max; v += step) yTicks.push({ at: y(v), value: v });
  const xTicks: Tick[] = t1 === t0 ? [{ at: x(t0), value: t0 }] : [t0, (t0 + t1) / 2, t1].map((t) => ({ at: x(t), value: t }));
  return {
    series,
    min,
    max,
    from: rows.at(0)?.taken_at ?? "",
    to: rows.at(-1)?.taken_at ?? "",
    yTicks,
    xTicks,
    thresholdY: threshold === null ? null : y(threshold),
  };
}

/** The readings of the last `days` days (all of them when `days` is null). */
export function withinDays(snapshots: BalanceSnapshot[], days: number | null, now = Date.now()): BalanceSnapshot[] {
  if (days === null) return snapshots;
  const since = now - days * 86_400_000;
  return snapshots.filter((s) => Date.parse(s.taken_at) >= since);
}
