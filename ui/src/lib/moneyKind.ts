// Real and demo money never mix: which account a picker offers first, how an account is named
// in a list, what the banner says, and when sending asks which money is moving.
import type { AccountView } from "../bindings";
import { translate, type Lang } from "./messages";

type Kind = Pick<AccountView, "label" | "sandbox">;

/** Demo accounts first while any exist, so after demo work a real account is never the one
 * already chosen; the order within each kind is kept. */
export function pickerOrder<A extends Kind>(accounts: A[]): A[] {
  return [...accounts.filter((a) => a.sandbox), ...accounts.filter((a) => !a.sandbox)];
}

/** The account to choose: the current one while it is offered, else the first of `pickerOrder`. */
export function preselect<A extends Kind>(accounts: A[], current: string): string {
  if (accounts.some((a) => a.label === current)) return current;
  return pickerOrder(accounts)[0]?.label ?? "";
}

/** « Boutique (XOF) — démo » / « Boutique (XOF) — argent réel » once demo and real accounts sit
 * side by side; just the label (and currency) when all are of one kind. */
export function pickerLabel(lang: Lang, a: Kind & { currency?: string }, all: Kind[]): string {
  const base = a.currency ? `${a.label} (${a.currency})` : a.label;
  const mixed = all.some((o) => o.sandbox) && all.some((o) => !o.sandbox);
  if (a.sandbox) return `${base} — ${translate(lang, "money.demo")}`;
  return mixed ? `${base} — ${translate(lang, "money.real")}` : base;
}

export type Banner = "none" | "demoOnly" | "mixed";

/** What the top banner says: no demo account, demo accounts only ("no real money moves"), or
 * both kinds (then nothing promises that no real money moves). */
export function bannerKind(accounts: Kind[]): Banner {
  if (!accounts.some((a) => a.sandbox)) return "none";
  return accounts.some((a) => !a.sandbox) ? "mixed" : "demoOnly";
}

/** The menu's badge follows the banner: "Bac à sable" only while every account is a demo one,
 * "Démo et réel" once a real account sits beside them, nothing without demo accounts. */
export function badgeKey(banner: Banner): "app.sandboxBadge" | "app.mixedBadge" | null {
  return banner === "demoOnly" ? "app.sandboxBadge" : banner === "mixed" ? "app.mixedBadge" : null;
}

/** Sending from a real account while demo accounts exist asks, once per account and run of the
 * app, in words, that real money is about to move. */
export class RealMoneyConsent {
  private given = new Set<string>();
  needed(accounts: Kind[], label: string): boolean {
    const a = accounts.find((x) => x.label === label);
    return Boolean(a && !a.sandbox && accounts.some((x) => x.sandbox) && !this.given.has(label));
  }
  give(label: string): void {
    this.given.add(label);
  }
}

/** One per app run: the payout form and the batch share it. */
export const realMoneyConsent = new RealMoneyConsent();
