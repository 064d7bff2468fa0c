// Who is working, shared by the menu and the screens: the people state, and how many payouts
// and batches wait for the signed-in person's approval (the menu's badge).
import type { PeopleState } from "../bindings";
import { api } from "./api";
import { waitsFor } from "./approval";

export const people = $state({
  state: null as PeopleState | null,
  waiting: 0,
  /** The idle lock, in seconds (0: never). */
  idleSeconds: 0,
});

/** Several people share the folder and nobody is signed in. */
export function nobody(s: PeopleState | null): boolean {
  return s !== null && s.several && (s.actor === null || s.actor.id === null);
}

/** Reads who is working again, then what waits for them. */
export async function readPeople(): Promise<void> {
  people.state = await api.peopleState().catch(() => null);
  if (people.state?.several) people.idleSeconds = await api.idleLockGet().catch(() => 0);
  await readWaiting();
}

export async function readWaiting(): Promise<void> {
  const s = people.state;
  if (!s?.several || nobody(s)) {
    people.waiting = 0;
    return;
  }
  const list = await api.approvalsWaiting(null).catch(() => []);
  people.waiting = list.filter((v) => waitsFor(s.actor, v)).length;
}
