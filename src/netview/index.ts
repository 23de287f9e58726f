/** The network's view of SmartNodes: codec for dseg/inv/getdata/mnb/mnp, Core-Smart's state rules, the verdict. */
export * from "./codec.ts";
export * from "./model.ts";
export * from "./outpoint.ts";
export * from "./rules.ts";
