/** The host capability: on-node nftables lock-down with automatic rollback, sshd, daemon config audit, cloud-init. */
export { lockdownSchema, SSH_MODES, type LockdownConfig, type SshMode } from "./config.ts";
export { hostRuleset, removeTableFile, TABLE_REF, type HostRuleset } from "./ruleset.ts";
export { auditDaemonConf, parseDaemonConf, renderConfFindings, type Finding, type AuditOptions } from "./conf-audit.ts";
export { hostStatus, type HostStatus, type HostStatusOptions, type SshState } from "./status.ts";
export { applyHost, confirmHost, rollbackHost, type HostDeps, type ApplyResult } from "./apply.ts";
export { cloudInit } from "./cloud-init.ts";
export { systemRunner, runnerFromEnv, NETNS_ENV, type CommandRunner } from "./runner.ts";
