import { dash } from "./dash.ts";
import type { CoinProfile } from "./profile.ts";
import { smartcash, smartcashLegacy } from "./smartcash.ts";

export type { CoinPort, CoinProfile, ExpiryParams, P2pChecksum, CoinP2p, PortProtocol, SapiParams } from "./profile.ts";
export { portText } from "./profile.ts";
export type { SmartnodeListParams } from "./smartnode-list.ts";

/** The registry: the only place coin profiles are listed. */
export const coinProfiles: readonly CoinProfile[] = [smartcash, smartcashLegacy, dash];

/** The pseudo-coin whose ports come from the config file instead of a profile. */
export const CUSTOM_COIN = "custom";

/** Every value `coin:` accepts in nodeward.yaml. */
export const COIN_IDS: readonly string[] = [...coinProfiles.map((c) => c.id), CUSTOM_COIN];

export function findCoin(id: string): CoinProfile | undefined {
  return coinProfiles.find((c) => c.id === id);
}
