// Errors in words, in the merchant's language, from the core's typed code and its parameters
// (`ErrorCode`, generated from Rust). The English explanation the core also sends is never
// shown: every code is worded here, and the compiler checks that each one has its text.
import type { ErrorCode, Invalid } from "../bindings";
import { isUiError } from "./api";
import { issueText } from "./batch";
import { formatAmount } from "./format";
import { i18n } from "./i18n.svelte";
import { fr, translate, type Lang, type MessageKey } from "./messages";

type WithParams = Extract<ErrorCode, { params: unknown }>["code"];
type Plain = Exclude<ErrorCode["code"], WithParams>;

/** The name of a form field, as the screens label it. */
export function fieldName(lang: Lang, field: string): string {
  const key = `field.${field}`;
  return key in fr ? translate(lang, key as MessageKey) : field;
}

export function errorText(lang: Lang, e: ErrorCode): string {
  switch (e.code) {
    case "invalid_input":
      return translate(lang, "errors.invalid_input", { field: fieldName(lang, e.params.field), why: invalidText(lang, e.params.why) });
    case "row":
      return issueText(lang, e.params.issue);
    case "not_found":
      return translate(lang, "errors.not_found", { key: e.params.key });
    case "duplicate":
      return translate(lang, "errors.duplicate", { key: e.params.key });
    case "account_in_use":
      return translate(lang, "errors.account_in_use", { label: e.params.label });
    case "cannot_pay_out":
      return translate(lang, "errors.cannot_pay_out");
    case "notify_url_needed":
      return translate(lang, "errors.notify_url_needed", { account: e.params.account });
    case "sms_code_refused":
      return translate(lang, "errors.sms_code_refused", { answer: e.params.answer });
    case "no_balance_call":
      return translate(lang, "errors.no_balance_call");
    case "provider_error":
      return translate(lang, `errors.provider.${e.params.failure}`, { answer: e.params.answer });
    default: {
      // Every code without parameters has its own text: a code added in Rust without one
      // fails here at compile time.
      const key: `errors.${Plain}` & MessageKey = `errors.${e.code}`;
      return translate(lang, key);
    }
  }
}

/** Why a field was refused. Every reason has its text: one added in Rust without it fails here
 * at compile time. */
export function invalidText(lang: Lang, why: Invalid): string {
  const key: `invalid.${Invalid["why"]}` & MessageKey = `invalid.${why.why}`;
  const vars: Record<string, string | number> = { ...why };
  if (why.why === "at_least") vars.min = formatAmount(why.min);
  return translate(lang, key, vars);
}

// An error in words: the meaning of its code with its parameters, in the merchant's language.
export function describeError(e: unknown): string {
  if (isUiError(e)) return errorText(i18n.lang, e);
  return translate(i18n.lang, "errors.internal");
}
