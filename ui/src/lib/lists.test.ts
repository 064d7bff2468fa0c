import { describe, expect, it } from "vitest";
import { changesText, editsOf, nextRow, rowsOf } from "./lists";

const people = [
  { phone: "+2250707123456", name: "KONÉ Awa", amount: 15000, reason: "Prime", operator: "", operator_name: "Orange Money" },
  { phone: "+2250505123456", name: "Kouassi Jean", amount: 20000, reason: "Prime", operator: "", operator_name: "MTN MoMo" },
];

describe("the amounts table", () => {
  it("sends only what differs from the list", () => {
    const rows = rowsOf(people);
    expect(editsOf(rows)).toEqual([]);
    rows[0]!.amount = "17 500";
    rows[1]!.name = "KONAN Aya";
    rows.push({ phone: "0708999999", listName: null, defaultAmount: null, name: "Yao Paul", amount: "7500" });
    expect(editsOf(rows)).toEqual([
      { phone: "+2250707123456", amount: "17 500", name: "", line: 0 },
      { phone: "+2250505123456", amount: "20000", name: "KONAN Aya", line: 0 },
      { phone: "0708999999", amount: "7500", name: "Yao Paul", line: 0 },
    ]);
  });

  it("moves down on Enter and Tab, up on Shift+Tab, and stops at the ends", () => {
    expect(nextRow("Enter", false, 0, 3)).toBe(1);
    expect(nextRow("Tab", false, 1, 3)).toBe(2);
    expect(nextRow("Tab", true, 1, 3)).toBe(0);
    expect(nextRow("Enter", false, 2, 3)).toBeNull();
    expect(nextRow("a", false, 0, 3)).toBeNull();
  });

  it("says the differences with the list in French and English", () => {
    const c = { list: "Agents terrain", added: [{ phone: "+2250708999999", name: "Yao" }], removed: [], amounts_changed: 2 };
    expect(changesText("fr", c)).toBe("Depuis la liste « Agents terrain » : 1 ajouté, 0 retiré, 2 montants changés");
    expect(changesText("en", c)).toBe("From list “Agents terrain”: 1 added, 0 removed, 2 amounts changed");
  });
});
