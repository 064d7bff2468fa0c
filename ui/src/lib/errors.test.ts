import { formatAmount } from "./format";
import { describe, expect, it } from "vitest";
import { errorText } from "./errors";
import { payoutOutcome, payoutSentence } from "./payoutOutcome";
import type { PayoutRow } from "../bindings";

describe("errors in the merchant's language", () => {
  it("words the core's typed codes with their parameters, never its English", () => {
    // They read "… (--again)" inside a French screen.
    expect(errorText("fr", { code: "batch_already_sent" })).toContain("Je veux l'envoyer à nouveau");
    expect(errorText("fr", { code: "batch_already_sent" })).not.toContain("--again");
    // A wrong SMS code: the provider's answer quoted, the rest in French.
    expect(errorText("fr", { code: "sms_code_refused", params: { answer: "Invalid OTP" } })).toBe(
      "My-CoolPay a refusé le code SMS. Vérifiez-le avec le client et saisissez-le à nouveau. Réponse de My-CoolPay : « Invalid OTP »",
    );
    // "this provider offers no balance call".
    expect(errorText("fr", { code: "no_balance_call" })).toBe("Ce fournisseur ne donne pas de solde pour ce compte.");
    // The single payout's phone: "phone: `07 08 12 34` has 8 digits".
    const issue = { column: "phone", code: "phone_length_ci", message: "`07 08 12 34` has 8 digits; …", value: "07 08 12 34" };
    expect(errorText("fr", { code: "row", params: { issue } })).toBe(
      "Colonne « téléphone » : « 07 08 12 34 » a 8 chiffres ; un numéro de Côte d'Ivoire en a 10 (ex. 07 07 12 34 56)",
    );
    // The field and why it was refused (it said only "valeur refusée").
    expect(errorText("fr", { code: "invalid_input", params: { field: "label", why: { why: "too_long", max: 64 } } })).toBe(
      "Champ « Nom du compte » : 64 caractères au plus.",
    );
    expect(
      errorText("fr", { code: "invalid_input", params: { field: "notify_url", why: { why: "not_url", value: "ftp://x" } } }),
    ).toBe("Champ « URL de notification » : « ftp://x » n'est pas une adresse acceptée (https://, ou http:// sur cet ordinateur seulement).");
    expect(errorText("fr", { code: "invalid_input", params: { field: "amount", why: { why: "at_least", min: 100 } } })).toBe(
      `Champ « Montant » : au moins ${formatAmount(100)}.`,
    );
    expect(errorText("en", { code: "provider_error", params: { failure: "unavailable", answer: "timeout" } })).toBe(
      "The provider could not be reached: check the connection, then try again.",
    );
  });
});

const base: PayoutRow = {
  id: 1, account_id: 1, batch_id: null, reference: "GCH1A249B6A995SPDC63P2", prefix: "225", phone: "0708123456", name: "Awa Koné",
  operator: null, reason: "", amount: 10000, currency: "XOF", status: "pending", provider_ref: null, lot: null, provider_status: null,
  status_detail: null, created_at: "", updated_at: "", submitted_at: null, final_at: null, next_check_at: null, checks: 0, merchant_reference: "",
};

describe("a payout in a sentence", () => {
  it("names the amount and the beneficiary, not the reference", () => {
    expect(payoutSentence("fr", base)).toBe("10\u202f000\u00a0FCFA à Awa Koné");
    expect(payoutSentence("fr", { ...base, name: "" })).toBe("10\u202f000\u00a0FCFA au +225 07 08 12 34 56");
  });
  it("reports the provider's refusal as a refusal (they saw a green « Paiement enregistré et envoyé » after a 602)", () => {
    const refused = payoutOutcome("fr", { ...base, status: "failed", status_detail: "Solde insuffisant (602)" });
    expect(refused.ok).toBe(false);
    expect(refused.text).toBe("10\u202f000\u00a0FCFA à Awa Koné : refusé par le fournisseur, rien n'est parti. Sa réponse : « Solde insuffisant (602) »");
    expect(payoutOutcome("fr", { ...base, status: "outcome_unknown" }).ok).toBe(false);
    const accepted = payoutOutcome("fr", base);
    expect(accepted.ok).toBe(true);
    expect(accepted.text).not.toContain("GCH");
  });
});
