// Keyset pagination on the UI side: rows are loaded a page at a time by passing the previous
// page's `next` cursor. Pure logic (no Svelte), used by VirtualTable.svelte.
// Most lists are newest first and their cursor is the last row's id (`Page<T>` in the
// bindings); the contact list is in name order and its cursor is the last row's sort key
// (`ContactPage`, `ContactCursor`).

/** One page as the list commands return it: its rows and the cursor of the next one. */
export interface PageOf<T, C = number> {
  rows: T[];
  next: C | null;
}

/** Loads the page after `cursor` (the first page when `null`). */
export type FetchPage<T, C = number> = (cursor: C | null, limit: number) => Promise<PageOf<T, C>>;

/** A column of VirtualTable: its header, width and the text of each cell. */
export interface Column<R> {
  label: string;
  /** A CSS grid track: `8rem`, `1fr`, `minmax(6rem, 1fr)`. */
  width: string;
  value: (row: R) => string;
  align?: "right";
  /** Long text (a row's reason) wraps onto the row's lines instead of being cut. */
  wrap?: boolean;
}

export interface Keyed {
  id: number;
}

/**
 * The rows loaded so far and the cursor of the next page. `onChange` is called after every
 * change; a page that arrives after `reset()` (the filters changed meanwhile) is dropped.
 */
export class Pager<T extends Keyed, C = number> {
  rows: T[] = [];
  done = false;
  private cursor: C | null = null;
  private loading: Promise<void> | null = null;
  private generation = 0;

  constructor(
    private fetch: FetchPage<T, C>,
    private pageSize: number,
    private onChange: (p: Pager<T, C>) => void = () => {},
  ) {}

  get busy(): boolean {
    return this.loading !== null;
  }

  /** Loads the next page unless everything is loaded or a load is under way. */
  loadMore(): Promise<void> {
    if (this.done) return Promise.resolve();
    if (this.loading) return this.loading;
    const generation = this.generation;
    this.loading = this.fetch(this.cursor, this.pageSize)
      .then((page) => {
        if (generation !== this.generation) return;
        const known = new Set(this.rows.map((r) => r.id));
        this.rows = this.rows.concat(page.rows.filter((r) => !known.has(r.id)));
        this.cursor = page.next;
        this.done = page.next === null;
      })
      .finally(() => {
        if (generation === this.generation) this.loading = null;
        this.onChange(this);
      });
    this.onChange(this);
    return this.loading;
  }

  /** Forgets every row (new filters) and loads the first page again. */
  reset(): Promise<void> {
    this.generation += 1;
    this.rows = [];
    this.cursor = null;
    this.done = false;
    this.loading = null;
    this.onChange(this);
    return this.loadMore();
  }

  /**
   * Reads the first page again and merges it: newer rows go on top, rows already shown are
   * replaced by their fresh version. Older pages stay as they are. For lists newest first.
   */
  async refreshHead(): Promise<void> {
    const generation = this.generation;
    const page = await this.fetch(null, this.pageSize);
    if (generation !== this.generation) return;
    const fresh = new Map(page.rows.map((r) => [r.id, r]));
    const top = this.rows[0]?.id ?? -Infinity;
    const newer = page.rows.filter((r) => r.id > top);
    this.rows = newer.concat(this.rows.map((r) => fresh.get(r.id) ?? r));
    if (this.rows.length === newer.length) {
      // Nothing was loaded before: this is now the first page.
      this.cursor = page.next;
      this.done = page.next === null;
    }
    this.onChange(this);
  }

  /** Takes a loaded row out (it was deleted); returns whether it was loaded. */
  remove(id: number): boolean {
    const i = this.rows.findIndex((r) => r.id === id);
    if (i < 0) return false;
    this.rows = this.rows.slice(0, i).concat(this.rows.slice(i + 1));
    this.onChange(this);
    return true;
  }

  /** Replaces a loaded row by its new version; returns whether it was loaded. */
  patch(row: T): boolean {
    const i = this.rows.findIndex((r) => r.id === row.id);
    if (i < 0) return false;
    this.rows = this.rows.slice();
    this.rows[i] = row;
    this.onChange(this);
    return true;
  }
}

/** Which rows to draw: those in view plus `overscan` on each side. `end` is exclusive. */
export function visibleRange(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  count: number,
  overscan = 8,
): { start: number; end: number } {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const shown = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  return {
    start: Math.max(0, first - overscan),
    end: Math.min(count, first + shown + overscan),
  };
}

/** Whether to load the next page: the drawn rows come within `threshold` of the loaded end. */
export function wantsMore(end: number, count: number, done: boolean, threshold = 30): boolean {
  return !done && count - end <= threshold;
}

/** The row a key moves the selection to, or `null` for keys the table does not handle. */
export function moveActive(current: number, key: string, count: number, pageRows: number): number | null {
  if (count === 0) return null;
  const clamp = (i: number) => Math.min(count - 1, Math.max(0, i));
  switch (key) {
    case "ArrowDown":
      return clamp(current + 1);
    case "ArrowUp":
      return clamp(current - 1);
    case "PageDown":
      return clamp(current + Math.max(1, pageRows - 1));
    case "PageUp":
      return clamp(current - Math.max(1, pageRows - 1));
    case "Home":
      return 0;
    case "End":
      return count - 1;
    default:
      return null;
  }
}

/** The scroll position that keeps row `index` fully in view, or `null` if it already is. */
export function scrollToShow(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number | null {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewportHeight) return top + rowHeight - viewportHeight;
  return null;
}

/** Widths that hold a whole key value with the cell's padding, at any window size: a date with
 * its time (`06/12/2026 14:05`), a phone (`+225 07 08 12 34 56`), an amount
 * (`1 500 000 000 FCFA`). Key columns are never cut; free text columns share the rest. */
export const KEY_WIDTH = {
  date: "calc(16ch + 1.6rem)",
  phone: "calc(19ch + 1.6rem)",
  amount: "calc(18ch + 1.6rem)",
} as const;
