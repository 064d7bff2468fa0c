// The audit log in sentences a merchant reads ("Awa a préparé le lot n° 12 : 48 paiements,
// 1 250 000 FCFA"), worded here from each entry's typed facts, in the merchant's language.
import type { AuditEntry, AuditFacts, Role } from "../bindings";
import { formatAmount } from "./format";
import { translate, type Lang, type MessageKey } from "./messages";

type Entry = Pick<AuditEntry, "action" | "subject" | "user_name" | "facts" | "sentence_fr" | "sentence_en">;

/** What the audit filter offers: the part of the action before the dot. */
export const AUDIT_ACTIONS = ["batch", "payout", "user", "signin", "policy", "account", "export"] as const;

/** The actions worded here, with their message. */
const WORDED: Record<string, MessageKey> = {
  "batch.prepared": "audit.batch.prepared",
  "batch.approved": "audit.batch.approved",
  "batch.rejected": "audit.batch.rejected",
  "batch.sent": "audit.batch.sent",
  "payout.prepared": "audit.payout.prepared",
  "payout.approved": "audit.payout.approved",
  "payout.rejected": "audit.payout.rejected",
  "payout.sent": "audit.payout.sent",
  signin: "audit.signin",
  "signin.failed": "audit.signin.failed",
  "signin.too_soon": "audit.signin.tooSoon",
  "user.added": "audit.user.added",
  "user.removed": "audit.user.removed",
  "policy.changed": "audit.policy.changed",
  "export.audit": "audit.export.audit",
};

export function roleName(lang: Lang, role: Role): string {
  return translate(lang, `role.${role}` as MessageKey);
}

const money = (a: number | null | undefined) => formatAmount(a ?? 0);

/** The policy as set, in words: "paiements au-dessus de 100 000 FCFA, lots au-dessus de …". */
function policyWords(lang: Lang, f: AuditFacts): string {
  const parts: string[] = [];
  if (f.approve_above != null) parts.push(translate(lang, "audit.policy.single", { amount: formatAmount(f.approve_above) }));
  if (f.batch_approve_above != null) parts.push(translate(lang, "audit.policy.batch", { amount: formatAmount(f.batch_approve_above) }));
  if (parts.length === 0) parts.push(translate(lang, "audit.policy.none"));
  else parts.push(translate(lang, "audit.policy.approvals", { count: f.approvals ?? 1 }));
  return parts.join(", ");
}

/** One entry in a sentence. An action not worded here keeps the core's sentence for it. */
export function auditSentence(lang: Lang, e: Entry): string {
  const f = e.facts;
  const vars: Record<string, string | number> = {
    who: e.user_name ?? translate(lang, "audit.owner"),
    subject: e.subject ?? "",
    count: f.count ?? 0,
    total: money(f.total),
    amount: money(f.amount ?? f.total),
    name: f.name ?? e.subject ?? "",
    reason: f.reason ?? "",
    role: f.role ? roleName(lang, f.role) : "",
    failures: f.failures ?? 0,
    rows: f.rows ?? 0,
    policy: policyWords(lang, f),
  };
  const key = WORDED[e.action];
  if (key) return translate(lang, key, vars);
  return lang === "en" ? e.sentence_en : e.sentence_fr;
}
