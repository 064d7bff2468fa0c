// The screen on show, shared so that a screen can open another (Settings opens People).
export type Screen =
  | "dashboard"
  | "accounts"
  | "contacts"
  | "payouts"
  | "collections"
  | "balances"
  | "exports"
  | "log"
  | "approvals"
  | "users"
  | "settings";

export const navigation = $state({ current: "dashboard" as Screen });
