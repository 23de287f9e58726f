import type { CoinProfile } from "./profile.ts";

/**
 * Dash masternodes, mainnet. Values from shared/smartcash/NOTES.md §4 (dashpay/dash chainparams.cpp
 * and version.h at stored commits that may lag Dash's HEAD); the checksum is standard double SHA-256.
 */
export const dash: CoinProfile = {
  id: "dash",
  name: "Dash",
  ports: [
    {
      protocol: "tcp",
      port: 9999,
      purpose: "P2P",
      why: "Dash peers and quorum members connect to a masternode on 9999; a masternode that cannot be reached is PoSe-banned.",
    },
  ],
  p2p: {
    magic: "bf0c6bbd",
    checksum: "sha256d",
    defaultPort: 9999,
    protocolVersion: 70233,
    minProtocolVersion: 70215,
    addrWithTime: false,
  },
  notes:
    "Dash masternodes on mainnet: inbound TCP 9999 (P2P) only; RPC (9998) is never opened. Magic bf0c6bbd and the " +
    "double-SHA-256 checksum are Bitcoin-family standard. The protocol versions (70233, minimum 70215) were read from " +
    "dashpay/dash at stored commits that may lag the current release, and the sha256d checksum was not re-verified against " +
    "Dash source: check both before relying on a handshake probe. Dash appends a masternode-auth challenge after relay in " +
    "version; Dash has no SAPI and its own PoSe rules, so no expiry timings are given.",
};
