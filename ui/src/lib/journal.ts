// The Journal in sentences: each entry of the event log worded with its figures (amount, to or
// from whom, how many), in the merchant's language; never the raw kind or JSON.
import type { EventRow, UnifiedStatus } from "../bindings";
import { formatAmount, formatPhone, isoDayToShown } from "./format";
import { translate, type Lang, type MessageKey } from "./messages";

type Detail = Record<string, unknown>;

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);
const str = (v: unknown) => (typeof v === "string" ? v : "");

/** The Journal's kinds of entry, as the filter offers them, with the kinds they gather. */
export const JOURNAL_KINDS: Record<string, string[]> = {
  payouts: ["payout", "batch"],
  collections: ["collection", "collections"],
  contacts: ["contacts"],
  accounts: ["account"],
  books: ["reconciliation"],
};

function who(lang: Lang, d: Detail): string {
  const name = str(d.name).trim();
  if (name) return name;
  const phone = str(d.phone);
  return phone ? formatPhone(phone) : translate(lang, "journal.someone");
}

export function journalText(lang: Lang, e: EventRow, accountLabel: string): string {
  let d: Detail = {};
  try {
    d = JSON.parse(e.detail) as Detail;
  } catch {
    d = {};
  }
  const vars: Record<string, string | number> = { account: accountLabel || e.subject || "", subject: e.subject ?? "" };
  switch (e.kind) {
    case "payout.sent": {
      const status = str(d.status) as UnifiedStatus;
      return translate(lang, "journal.payout.sent", {
        ...vars,
        amount: formatAmount(num(d.amount)),
        who: who(lang, d),
        status: status ? translate(lang, `status.${status}` as MessageKey) : "",
      });
    }
    case "payout.resent":
      return translate(lang, "journal.payout.resent", vars);
    case "batch.confirmed":
      return translate(lang, d.again ? "journal.batch.confirmedAgain" : "journal.batch.confirmed", {
        ...vars,
        id: e.subject ?? "",
        count: num(d.count),
        total: formatAmount(num(d.total)),
        file: str(d.file),
        skipped: num(d.skipped),
      });
    case "collection.created":
      return translate(lang, "journal.collection.created", { ...vars, amount: formatAmount(num(d.amount)), who: who(lang, d) });
    case "collection.code_refused":
      return translate(lang, "journal.collection.codeRefused", vars);
    case "collections.history_synced":
      return translate(lang, "journal.collections.synced", {
        ...vars,
        from: isoDayToShown(str(d.from).slice(0, 10)),
        to: isoDayToShown(str(d.to).slice(0, 10)),
        fetched: num(d.fetched),
        imported: num(d.imported),
      });
    case "contacts.imported":
      return translate(lang, "journal.contacts.imported", { ...vars, file: e.subject ?? "", rows: num(d.rows), added: num(d.added), new: num(d.new) });
    case "account.added":
      return translate(lang, "journal.account.added", { ...vars, account: e.subject ?? "" });
    case "account.edited":
      return translate(lang, d.secrets_replaced ? "journal.account.editedSecrets" : "journal.account.edited", { ...vars, account: e.subject ?? "" });
    case "account.removed":
      return translate(lang, "journal.account.removed", { ...vars, account: e.subject ?? "" });
    case "reconciliation":
      return translate(lang, "journal.reconciliation", { ...vars, file: e.subject ?? "" });
    default:
      // An entry this version does not word yet: its kind, without the raw details.
      return translate(lang, "journal.other", { ...vars, kind: e.kind });
  }
}
