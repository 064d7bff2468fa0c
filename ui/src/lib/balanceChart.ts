// Geometry of the balance history chart: one polyline per kind of balance, oldest on the left.
// Amounts are converted to numbers for drawing only; the figures shown stay the exact text.
import type { BalanceSnapshot } from "../bindings";

export interface Series {
  kind: string;
  points: string;
  last: string;
}

export interface Chart {
  series: Series[];
  min: number;
  max: number;
  from: string;
  to: string;
}

export function balanceChart(snapshots: BalanceSnapshot[], width: number, height: number, pad = 6): Chart | null {
  const rows = [...snapshots].sort((a, b) => a.taken_at.localeCompare(b.taken_at) || a.id - b.id);
  if (rows.length === 0) return null;
  const times = rows.map((r) => Date.parse(r.taken_at));
  const values = rows.map((r) => Number(r.amount));
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const x = (t: number) => (t1 === t0 ? width / 2 : pad + ((width - 2 * pad) * (t - t0)) / (t1 - t0));
  const y = (v: number) => (max === min ? height / 2 : pad + (height - 2 * pad) * (1 - (v - min) / (max - min)));
  const kinds = [...new Set(rows.map((r) => r.kind))];
  const series = kinds.map((kind) => {
    const own = rows.filter((r) => r.kind === kind);
    return {
      kind,
      points: own.map((r) => `${x(Date.parse(r.taken_at)).toFixed(1)},${y(Number(r.amount)).toFixed(1)}`).join(" "),
      last: own.at(-1)?.amount ?? "",
    };
  });
  return { series, min, max, from: rows.at(0)?.taken_at ?? "", to: rows.at(-1)?.taken_at ?? "" };
}
