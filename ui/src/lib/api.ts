// Typed calls to the Rust commands, generated from their Rust signatures
// (`ui/src/bindings/commands.ts`, see tests/command_bindings.rs); the types come from the
// generated bindings too.
import { commands } from "../bindings/commands";
import type { ErrorCode } from "../bindings";

/** The one error shape every command rejects with: the core's typed code and its parameters;
 * `message` is the English explanation for the log, never shown. */
export type UiError = ErrorCode & {
  message: string;
  details?: { field?: string };
};

export function isUiError(e: unknown): e is UiError {
  return typeof e === "object" && e !== null && "code" in e && "message" in e;
}

export const api = commands;
