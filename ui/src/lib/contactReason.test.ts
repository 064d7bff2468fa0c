import { describe, expect, it } from "vitest";
import { rowReason } from "./contactReason";
import type { RowReason } from "../bindings";

describe("contact import reasons", () => {
  it("word the number's problem in French and English, with the column", () => {
    const why: RowReason = { code: "phone", column: "Téléphone (C)", problem: { problem: "wrong_length_ci", args: ["07 07", 4] } };
    expect(rowReason("fr", why)).toBe(
      "Téléphone (C) : « 07 07 » a 4 chiffres ; un numéro de Côte d'Ivoire en a 10 (ex. 07 07 12 34 56)",
    );
    expect(rowReason("en", why)).toBe(
      "Téléphone (C): `07 07` has 4 digits; a Côte d'Ivoire number has 10 (e.g. 07 07 12 34 56)",
    );
    const other: RowReason = { code: "phone", column: "B", problem: { problem: "other_country", args: ["+237 677", "CM", "CI"] } };
    expect(rowReason("fr", other)).toBe("B : « +237 677 » est un numéro CM, mais le compte paie en CI");
    expect(rowReason("en", { code: "phone", column: "B", problem: { problem: "empty" } })).toBe("B: no phone number");
  });

  it("word cell problems, names, e-mails, duplicates", () => {
    expect(rowReason("fr", { code: "cell", column: "Téléphone (C)", problem: { problem: "csv_formula", text: "=A2" } })).toBe(
      "Téléphone (C) : contient une formule (`=A2`), pas une valeur",
    );
    expect(rowReason("en", { code: "cell", column: "A", problem: { problem: "error_value", error: "#REF!" } })).toBe(
      "A: shows the spreadsheet error #REF!",
    );
    expect(rowReason("fr", { code: "no_name" })).toBe("pas de nom : CinetPay demande un nom pour chaque contact");
    expect(rowReason("fr", { code: "bad_email", column: "E-mail (D)", email: "lea@" })).toBe(
      "E-mail (D) : « lea@ » n'est pas une adresse e-mail",
    );
    expect(rowReason("fr", { code: "duplicate", row: 2 })).toBe("même numéro que la ligne 2");
    expect(rowReason("en", { code: "already_contact" })).toBe("already a contact");
  });
});
