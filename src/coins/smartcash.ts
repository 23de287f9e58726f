import type { CoinPort, CoinProfile } from "./profile.ts";

/**
 * SmartCash SmartNodes. Facts and sources: shared/smartcash/NOTES.md (SmartCash/Core-Smart v2.1.1,
 * commit 0f6029c1): §1.1 magic and ports, §1.2 protocol versions, §0 Keccak-256 checksum and the
 * 30-byte version addresses, §2.1 timings, §2.3 the SAPI reachability rule.
 */

const p2pPort: CoinPort = {
  protocol: "tcp",
  port: 9678,
  purpose: "P2P",
  why: "SmartCash peers connect to a SmartNode on 9678; mainnet SmartNodes must announce this port.",
};

const sapiPort: CoinPort = {
  protocol: "tcp",
  port: 8080,
  purpose: "SAPI",
  why:
    "Since hard fork 2,025,600 peers accept a SmartNode's ping only if they can open TCP 8080 (SAPI) on its IP; " +
    "without it the node goes EXPIRED after 65 minutes.",
};

const p2p = {
  magic: "5ca1ab1e",
  checksum: "keccak256",
  defaultPort: 9678,
  protocolVersion: 90035,
  minProtocolVersion: 90034,
  addrWithTime: true,
  userAgent: "/SmartCash Core:2.1.1/",
} as const;

const expiry = { pingIntervalMinutes: 20, expiredMinutes: 65, newStartRequiredMinutes: 120 } as const;

/** Core-Smart src/protocol.h (the enum), src/smartnode/smartnodepayments.cpp and spork.cpp, smartnode.h, validation.cpp. */
const smartnodeList = {
  announceInv: 0x4000000e,
  pingInv: 0x4000000f,
  minPaymentsProtocol: 90028,
  preEnabledMinutes: 20,
  messageMagic: "SmartCash Signed Message:\n",
} as const;

export const smartcash: CoinProfile = {
  id: "smartcash",
  name: "SmartCash (v2, SAPI)",
  ports: [p2pPort, sapiPort],
  p2p,
  sapi: { port: 8080, statusPath: "/v1/client/status" },
  expiry,
  smartnodeList,
  notes:
    "SmartCash SmartNodes since the 2.0 hard fork (height 2,025,600): inbound TCP 9678 for P2P and TCP 8080 for SAPI. " +
    "Other nodes open 8080 on a SmartNode's IP before they accept its ping (every 20 minutes); when they cannot, the node is " +
    "EXPIRED after 65 minutes and NEW_START_REQUIRED after 120, which costs a full payment cycle. " +
    "RPC (9679) is never opened. P2P framing uses magic 5ca1ab1e, a Keccak-256 checksum and 30-byte addresses in version.",
};

export const smartcashLegacy: CoinProfile = {
  id: "smartcash-legacy",
  name: "SmartCash (hardening guide, 9678 only)",
  ports: [p2pPort],
  p2p,
  sapi: { port: 8080, statusPath: "/v1/client/status" },
  expiry,
  smartnodeList,
  notes:
    "The hardening guide to the letter: only TCP 9678 is accepted. This predates SmartCash 2.0. " +
    "A v2 SmartNode behind this policy WILL EXPIRE: peers cannot reach SAPI on TCP 8080, reject every ping, and the node " +
    "turns EXPIRED after 65 minutes and NEW_START_REQUIRED after 120. Use it only for nodes that are not v2 SmartNodes; " +
    "otherwise use the smartcash profile.",
};
