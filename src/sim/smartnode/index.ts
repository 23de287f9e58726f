export type { Behaviour } from "./behaviour.ts";
export { BEHAVIOURS } from "./behaviour.ts";
export type { NodeSettings } from "./p2p-server.ts";
export { initialResponderState, respond, type ResponderAction, type ResponderConfig, type ResponderState, type ResponderStep } from "./responder.ts";
export { STATUS_PATH, type SapiStatusBody } from "./sapi-server.ts";
export { startSimulatedNode, type SimulatedNode, type SimulatedNodeOptions, type SimulatedNodeStats } from "./node.ts";
export { createNetworkList, type ListedSmartnode, type ListingScript, type NetworkList, type PingScript, type SmartnodeLookup } from "./network-list.ts";
