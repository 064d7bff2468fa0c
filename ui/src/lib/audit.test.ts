import { describe, expect, it } from "vitest";
import type { AuditFacts } from "../bindings";
import { auditSentence } from "./audit";

const facts = (f: Partial<AuditFacts>): AuditFacts => ({
  count: null, total: null, amount: null, name: null, reason: null, role: null, failures: null, rows: null,
  approve_above: null, batch_approve_above: null, approvals: null, ...f,
});
const nb = "\u202f";
const core = { sentence_fr: "", sentence_en: "" };

describe("the audit log in sentences", () => {
  it("words a prepared batch in both languages", () => {
    const e = { action: "batch.prepared", subject: "12", user_name: "Awa", facts: facts({ count: 48, total: 1250000 }), ...core };
    expect(auditSentence("fr", e)).toBe(`Awa a préparé le lot n° 12 : 48 paiements, 1${nb}250${nb}000\u00a0FCFA`);
    expect(auditSentence("en", e)).toBe(`Awa prepared batch #12: 48 payments, 1${nb}250${nb}000\u00a0FCFA`);
  });

  it("takes the singular for one payment", () => {
    const e = { action: "batch.sent", subject: "3", user_name: "Awa", facts: facts({ count: 1, total: 5000 }), ...core };
    expect(auditSentence("fr", e)).toBe(`Le lot n° 3 est parti : 1 paiement, 5${nb}000\u00a0FCFA`);
    expect(auditSentence("en", e)).toBe(`Batch #3 was sent: 1 payment, 5${nb}000\u00a0FCFA`);
  });

  it("names the owner alone, a rejection's reason and a person's role", () => {
    expect(auditSentence("fr", { action: "user.added", subject: "Moussa", user_name: null, facts: facts({ name: "Moussa", role: "preparer" }), ...core })).toBe(
      "Le propriétaire a ajouté Moussa (préparateur)",
    );
    expect(auditSentence("en", { action: "user.added", subject: "Moussa", user_name: "Awa", facts: facts({ name: "Moussa", role: "approver" }), ...core })).toBe(
      "Awa added Moussa (approver)",
    );
    expect(auditSentence("fr", { action: "batch.rejected", subject: "4", user_name: "Awa", facts: facts({ reason: "montants faux" }), ...core })).toBe(
      "Awa a refusé le lot n° 4 : « montants faux »",
    );
  });

  it("says the approval policy as it was set", () => {
    const e = { action: "policy.changed", subject: "Boutique", user_name: "Awa", facts: facts({ batch_approve_above: 100000, approvals: 2 }), ...core };
    expect(auditSentence("fr", e)).toBe(`Awa a fixé la règle d'approbation du compte Boutique : lots au-dessus de 100${nb}000\u00a0FCFA, 2 approbations`);
    expect(auditSentence("en", e)).toBe(`Awa set the approval policy of account Boutique: batches above 100${nb}000\u00a0FCFA, 2 approvals`);
    expect(auditSentence("en", { ...e, facts: facts({ approvals: 1 }) })).toBe("Awa set the approval policy of account Boutique: no approval needed");
  });

  it("keeps the core's words for an action it does not word", () => {
    const e = { action: "contacts.import", subject: null, user_name: "Awa", facts: facts({}), sentence_fr: "Awa a importé des contacts", sentence_en: "Awa imported contacts" };
    expect(auditSentence("fr", e)).toBe("Awa a importé des contacts");
    expect(auditSentence("en", e)).toBe("Awa imported contacts");
  });
});
