import type { RowReason } from "../bindings";
import { translate, type Lang, type MessageKey } from "./messages";

/** Why a row of a contact import is not new, in the merchant's language. */
export function rowReason(lang: Lang, why: RowReason): string {
  switch (why.code) {
    case "cell": {
      const { problem, ...fields } = why.problem;
      return translate(lang, `contacts.why.cell.${problem}` as MessageKey, { column: why.column, ...fields });
    }
    case "phone": {
      const p = why.problem;
      // The number as written, then its digit count or its country and the account's.
      const args: (string | number)[] = !("args" in p) ? [] : Array.isArray(p.args) ? p.args : [p.args];
      const [value = "", second = "", third = ""] = args;
      return translate(lang, `contacts.why.phone.${p.problem}` as MessageKey, {
        column: why.column,
        value,
        digits: second,
        country: second,
        account: third,
      });
    }
    case "bad_email":
      return translate(lang, "contacts.why.bad_email", { column: why.column, email: why.email });
    case "duplicate":
      return translate(lang, "contacts.why.duplicate", { row: why.row });
    default:
      return translate(lang, `contacts.why.${why.code}` as MessageKey);
  }
}
