/**
 * How a coin's network keeps its list of masternodes, for asking peers what they think of one
 * (netview/). Only coins whose list is the Dash 0.12 "mnb + mnp" kind have it: SmartCash. Dash
 * itself moved to a deterministic list (DIP3) that these messages no longer carry.
 */
export interface SmartnodeListParams {
  /**
   * Inventory types of the announce (mnb) and the ping (mnp). SmartCash: 0x4000000e and 0x4000000f,
   * not Dash's 14 and 15: its enum in src/protocol.h continues after MSG_FILTERED_WITNESS_BLOCK
   * (3 | 1 << 30), and CInv::GetCommand subtracts MSG_WITNESS_FLAG - 1 to find the name.
   */
  announceInv: number;
  pingInv: number;
  /**
   * mnpayments.GetMinSmartnodePaymentsProto() with the spork at its default (old 90028): below
   * it a node is UPDATE_REQUIRED. The live spork value can only be read from the chain.
   */
  minPaymentsProtocol: number;
  /** A ping is PRE_ENABLED until it is this much younger than the announce (SMARTNODE_MIN_MNP_SECONDS). */
  preEnabledMinutes: number;
  /** Ping and announce signatures are of "<magic><message>" (strMessageMagic). */
  messageMagic: string;
}
