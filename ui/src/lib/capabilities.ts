// What each provider can do, as the core says (`provider_catalog`): screens choose accounts by
// these, never by a provider's name.
import type { Capabilities, Provider } from "../bindings";
import { api } from "./api";

export type ProviderCapabilities = Map<Provider, Capabilities>;

let asked: Promise<ProviderCapabilities> | undefined;

/** Every provider's capabilities, asked of the core once. */
export function providerCapabilities(): Promise<ProviderCapabilities> {
  asked ??= api.providerCatalog().then((c) => new Map(c.map((p) => [p.provider, p.capabilities])));
  return asked;
}
