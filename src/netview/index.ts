/** The network's view of SmartNodes: codec for dseg/inv/getdata/mnb/mnp, Core-Smart's state rules, the verdict, the survey over TCP. */
export * from "./codec.ts";
export * from "./model.ts";
export * from "./outpoint.ts";
export * from "./rules.ts";
export type * from "./ports.ts";
export { askPeer, MAX_OUTPOINTS_PER_CONNECTION, type AskOptions, type PeerResult } from "./ask-peer.ts";
export { choosePeers, peerKey, type PeerChoice } from "./choose-peers.ts";
export { createSurvey, SURVEY_CONCURRENCY, type SurveyDeps } from "./survey.ts";
export { renderVerdict, verdictToJson, type RenderContext } from "./render.ts";
export { resolveTarget, type KnownNode, type Resolved } from "./resolve-target.ts";
