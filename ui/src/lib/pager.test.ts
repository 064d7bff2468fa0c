import { describe, expect, it } from "vitest";
import { moveActive, Pager, scrollToShow, visibleRange, wantsMore, type PageOf } from "./pager";

type Row = { id: number; v: string };

// A table of `n` rows (ids 1..n) served newest first, like the store's keyset pages.
function server(n: number) {
  let rows: Row[] = Array.from({ length: n }, (_, i) => ({ id: i + 1, v: "old" }));
  const calls: (number | null)[] = [];
  return {
    calls,
    add(row: Row) {
      rows = rows.concat(row);
    },
    update(id: number, v: string) {
      rows = rows.map((r) => (r.id === id ? { ...r, v } : r));
    },
    async fetch(beforeId: number | null, limit: number): Promise<PageOf<Row>> {
      calls.push(beforeId);
      const older = rows.filter((r) => beforeId === null || r.id < beforeId).sort((a, b) => b.id - a.id);
      const page = older.slice(0, limit);
      return { rows: page, next: older.length > limit ? page[page.length - 1]!.id : null };
    },
  };
}

describe("Pager", () => {
  it("follows the cursor page by page to the end, each row once", async () => {
    const s = server(250);
    const p = new Pager<Row>((b, l) => s.fetch(b, l), 100);
    await p.loadMore();
    expect(p.rows.length).toBe(100);
    expect(p.done).toBe(false);
    await p.loadMore();
    await p.loadMore();
    expect(p.rows.map((r) => r.id)).toEqual(Array.from({ length: 250 }, (_, i) => 250 - i));
    expect(p.done).toBe(true);
    expect(s.calls).toEqual([null, 151, 51]);
    await p.loadMore();
    expect(s.calls.length).toBe(3);
  });

  it("does not load the same page twice when asked while loading", async () => {
    const s = server(250);
    const p = new Pager<Row>((b, l) => s.fetch(b, l), 100);
    await Promise.all([p.loadMore(), p.loadMore()]);
    expect(s.calls).toEqual([null]);
    expect(p.rows.length).toBe(100);
  });

  it("drops a page that arrives after the filters changed", async () => {
    let release: (page: PageOf<Row>) => void = () => {};
    let first = true;
    const p = new Pager<Row>(
      (b) =>
        first
          ? ((first = false), new Promise((r) => (release = r)))
          : Promise.resolve({ rows: [{ id: 7, v: "new filter" }], next: null }),
      10,
    );
    const stale = p.loadMore();
    await p.reset();
    release({ rows: [{ id: 99, v: "old filter" }], next: 98 });
    await stale;
    expect(p.rows).toEqual([{ id: 7, v: "new filter" }]);
    expect(p.done).toBe(true);
  });

  it("puts newer rows on top and refreshes shown rows on refreshHead", async () => {
    const s = server(5);
    const changes: number[] = [];
    const p = new Pager<Row>((b, l) => s.fetch(b, l), 3, (x) => changes.push(x.rows.length));
    await p.loadMore();
    s.add({ id: 6, v: "new" });
    s.update(5, "paid");
    await p.refreshHead();
    expect(p.rows.map((r) => [r.id, r.v])).toEqual([
      [6, "new"],
      [5, "paid"],
      [4, "old"],
      [3, "old"],
    ]);
    // The cursor is unchanged: the next page starts below what was loaded.
    await p.loadMore();
    expect(p.rows.map((r) => r.id)).toEqual([6, 5, 4, 3, 2, 1]);
    expect(changes.length).toBeGreaterThan(0);
  });

  it("patches a loaded row and says when a row is not loaded", async () => {
    const s = server(3);
    const p = new Pager<Row>((b, l) => s.fetch(b, l), 10);
    await p.loadMore();
    expect(p.patch({ id: 2, v: "paid" })).toBe(true);
    expect(p.rows.find((r) => r.id === 2)?.v).toBe("paid");
    expect(p.patch({ id: 42, v: "x" })).toBe(false);
  });

  it("reports a failed page and can try again", async () => {
    let fail = true;
    const p = new Pager<Row>(async () => {
      if (fail) throw new Error("database busy");
      return { rows: [{ id: 1, v: "x" }], next: null };
    }, 10);
    await expect(p.loadMore()).rejects.toThrow("database busy");
    expect(p.busy).toBe(false);
    fail = false;
    await p.loadMore();
    expect(p.rows.length).toBe(1);
  });
});

describe("Pager with a sort-key cursor (the contact list, by name)", () => {
  type Contact = { id: number; name: string };
  type Cursor = { name: string; id: number };
  const after = (c: Contact, k: Cursor) => c.name > k.name || (c.name === k.name && c.id > k.id);

  it("follows the cursor the server gives, ties on the name included, each row once", async () => {
    const names = ["Yao", "Koné", "Aka", "Koné", "Bamba", "Koné", "Aka"];
    let all: Contact[] = names.map((name, i) => ({ id: i + 1, name }));
    all = all.sort((a, b) => (a.name === b.name ? a.id - b.id : a.name < b.name ? -1 : 1));
    const cursors: (Cursor | null)[] = [];
    const p = new Pager<Contact, Cursor>(async (cursor, limit) => {
      cursors.push(cursor);
      const rest = all.filter((c) => cursor === null || after(c, cursor));
      const rows = rest.slice(0, limit);
      const last = rows[rows.length - 1];
      return { rows, next: rest.length > limit && last ? { name: last.name, id: last.id } : null };
    }, 2);
    while (!p.done) await p.loadMore();
    expect(p.rows.map((r) => r.id)).toEqual(all.map((r) => r.id));
    expect(cursors).toEqual([null, { name: "Aka", id: 7 }, { name: "Koné", id: 2 }, { name: "Koné", id: 6 }]);
  });

  it("takes a deleted row out without reloading", async () => {
    const p = new Pager<Contact, Cursor>(async () => ({ rows: [{ id: 1, name: "Aka" }, { id: 2, name: "Bamba" }], next: null }), 10);
    await p.loadMore();
    expect(p.remove(1)).toBe(true);
    expect(p.remove(9)).toBe(false);
    expect(p.rows).toEqual([{ id: 2, name: "Bamba" }]);
  });
});

describe("virtual scrolling", () => {
  it("draws only the rows in view plus the overscan", () => {
    expect(visibleRange(0, 360, 36, 1_000_000, 5)).toEqual({ start: 0, end: 16 });
    expect(visibleRange(36_000, 360, 36, 1_000_000, 5)).toEqual({ start: 995, end: 1016 });
    expect(visibleRange(36_000, 360, 36, 1003, 5)).toEqual({ start: 995, end: 1003 });
    expect(visibleRange(-50, 360, 36, 3, 5)).toEqual({ start: 0, end: 3 });
  });

  it("asks for the next page near the end of what is loaded, never when done", () => {
    expect(wantsMore(60, 100, false, 30)).toBe(false);
    expect(wantsMore(75, 100, false, 30)).toBe(true);
    expect(wantsMore(100, 100, true, 30)).toBe(false);
  });

  it("moves the selection with the keyboard within bounds", () => {
    expect(moveActive(0, "ArrowDown", 10, 5)).toBe(1);
    expect(moveActive(0, "ArrowUp", 10, 5)).toBe(0);
    expect(moveActive(2, "PageDown", 10, 5)).toBe(6);
    expect(moveActive(8, "PageDown", 10, 5)).toBe(9);
    expect(moveActive(6, "PageUp", 10, 5)).toBe(2);
    expect(moveActive(4, "Home", 10, 5)).toBe(0);
    expect(moveActive(4, "End", 10, 5)).toBe(9);
    expect(moveActive(4, "a", 10, 5)).toBe(null);
    expect(moveActive(0, "ArrowDown", 0, 5)).toBe(null);
  });

  it("scrolls just enough to show the selected row", () => {
    expect(scrollToShow(5, 0, 360, 36)).toBe(null);
    expect(scrollToShow(10, 0, 360, 36)).toBe(36);
    expect(scrollToShow(2, 200, 360, 36)).toBe(72);
  });
});
