import { describe, expect, it } from "vitest";
import { fileTotalText, issueText, pageOf, rowState, shownRows } from "./batch";
import type { PreviewRow } from "../bindings";
import type { PageOf } from "./pager";

function row(line: number, errors: string[] = [], warnings: string[] = []): PreviewRow {
  const issue = (code: string) => ({ column: code.startsWith("amount") ? "amount" : "phone", code, message: `why ${code}`, value: "" });
  return {
    line,
    phone: "+2250707123456",
    amount: 5000,
    name: "Awa",
    reference: "",
    reason: "",
    operator: "OM",
    errors: errors.map(issue),
    warnings: warnings.map(issue),
    new_contact: false,
    retry_of: null,
  };
}

describe("batch review rows", () => {
  it("gives each row its state, errors first", () => {
    expect(rowState(row(2))).toBe("ready");
    expect(rowState(row(3, [], ["duplicate_in_file"]))).toBe("warning");
    expect(rowState(row(4, ["amount_multiple"], ["duplicate_recent"]))).toBe("error");
    // A number never paid is said in the row; a number paid under another name is a warning.
    expect(rowState(row(5, [], ["new_beneficiary"]))).toBe("ready");
    expect(rowState(row(6, [], ["new_beneficiary", "duplicate_in_file"]))).toBe("warning");
    expect(rowState(row(7, [], ["name_changed"]))).toBe("warning");
  });

  it("keys rows by line and keeps only the problems when asked", () => {
    const rows = [row(2), row(3, ["phone"]), row(4, [], ["duplicate_recent"])];
    expect(shownRows(rows, false).map((r) => [r.id, r.state])).toEqual([[2, "ready"], [3, "error"], [4, "warning"]]);
    expect(shownRows(rows, true).map((r) => r.line)).toEqual([3, 4]);
  });

  it("serves every row once, page by page, in file order", () => {
    const rows = Array.from({ length: 250 }, (_, i) => i);
    const seen: number[] = [];
    let cursor: number | null = null;
    do {
      const page: PageOf<number> = pageOf(rows, cursor, 100);
      seen.push(...page.rows);
      cursor = page.next;
    } while (cursor !== null);
    expect(seen).toEqual(rows);
    expect(pageOf([], null, 100)).toEqual({ rows: [], next: null });
  });

  it("says which column and why, in the merchant's language, never with the core's English", () => {
    // They read "CinetPay transfers are between 200 and 1500000 francs" inside French screens.
    const bounds = { column: "amount", code: "amount_bounds", message: "CinetPay transfers are between 200 and 1500000 francs; 1600000 is not", value: "1600000" };
    expect(issueText("fr", bounds)).toBe("Colonne « montant » : 1\u202f600\u202f000\u00a0FCFA : les transferts CinetPay vont de 200 FCFA à 1 500 000 FCFA");
    const multiple = { column: "amount", code: "amount_multiple", message: "1 001 is not a multiple of 5", value: "1001" };
    expect(issueText("en", multiple)).toBe("Column “amount”: 1\u202f001\u00a0FCFA: CinetPay transfers are multiples of 5 FCFA");
    // They read "phone: `07 08 12 34` has 8 digits".
    const phone = { column: "phone", code: "phone_length_ci", message: "`07 08 12 34` has 8 digits", value: "07 08 12 34" };
    expect(issueText("fr", phone)).toBe("Colonne « téléphone » : « 07 08 12 34 » a 8 chiffres ; un numéro de Côte d'Ivoire en a 10 (ex. 07 07 12 34 56)");
    // A code the UI does not know yet: the column and a French sentence, not the core's English.
    expect(issueText("fr", { column: "iban", code: "new_rule", message: "no such thing", value: "" })).toBe("Colonne « iban » : valeur refusée");
  });

  it("words a refused amount whole, without English in French", () => {
    const i = { column: "amount", code: "amount_not_whole", message: "1\u202f229,125 is not a whole number of francs", value: "1\u202f229,125" };
    expect(issueText("fr", i)).toBe("Colonne « montant » : 1\u202f229,125 n'est pas un nombre entier de francs : un montant calculé n'est jamais arrondi");
    expect(issueText("en", i)).toBe("Column “amount”: 1\u202f229,125 is not a whole number of francs: a computed amount is never rounded");
  });

  it("says a number was paid before under another name, with that name and month, in both languages", () => {
    // A swapped number in a payroll sheet: they read the earlier name before money leaves.
    const i = { column: "name", code: "name_changed", message: "paid to KONÉ Awa in November 2026, here: KONAN Aya", value: "KONAN Aya", paid_before: { name: "KONÉ Awa", at: "2026-11-28T09:00:00Z" } };
    expect(issueText("fr", i)).toBe("Colonne « nom » : payé à KONÉ Awa en novembre 2026, ici : KONAN Aya");
    expect(issueText("en", i)).toBe("Column “name”: paid to KONÉ Awa in November 2026, here: KONAN Aya");
    const fresh = { column: "phone", code: "new_beneficiary", message: "+2250101999999 was never paid from this account", value: "+2250101999999" };
    expect(issueText("fr", fresh)).toBe("Colonne « téléphone » : numéro jamais payé depuis ce compte");
    expect(issueText("en", fresh)).toBe("Column “phone”: number never paid from this account");
  });

  it("shows the file's own total beside what is paid and left out", () => {
    const ft = { line: 55, label: "TOTAL", stated: 3622500, to_pay: 3502500, left_out: 120000, matches: true, message: "" };
    expect(fileTotalText("fr", ft)).toBe(
      "Total du fichier (ligne 55, TOTAL) : 3\u202f622\u202f500\u00a0FCFA = à payer 3\u202f502\u202f500\u00a0FCFA + écartées 120\u202f000\u00a0FCFA",
    );
    expect(fileTotalText("en", { ...ft, stated: 3622600, matches: false })).toContain("≠ to pay");
    expect(fileTotalText("fr", { ...ft, stated: null, matches: false })).toContain("illisible");
  });
});
