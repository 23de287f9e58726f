import { alertChannelsDocs, deliveryDocs } from "./docs.ts";

export const ALERTS_DOCS_FILE = "docs/alerts.md";

/** docs/alerts.md, generated from the channel registry by `npm run schema` (a test keeps it fresh). */
export function alertsDocsMarkdown(): string {
  return `# Alerts

Generated from the channel registry (\`src/alerts/channels/index.ts\`) by \`npm run schema\`.

What an alert says: which node (name and address), since when, the minutes left before SmartCash's
EXPIRED mark (65 minutes after the last good probe: the node stops being paid) and before
NEW_START_REQUIRED (120 minutes: a whole payment cycle lost), and what to do next.

| event | when |
|---|---|
| \`down\` | a node failed \`watch.failuresToDown\` probes in a row (default 3, re-probed every 15 s) |
| \`escalation\` | still down at \`watch.escalateAfterMinutes\` (default 20 and 40 minutes) |
| \`recovered\` | \`watch.successesToUp\` good probes in a row (default 2) |
| \`remediation\` | nodeward asked the provider to reboot or start the instance |
| \`firewall-blocks\` | the node is down and its firewall group does not accept the coin's ports: run \`nodeward firewall apply\` |
| \`degraded\` | the node answers but lags the fleet's height or runs a protocol below the network minimum |
| \`backup-code-used\` | someone signed in to the dashboard with a backup code instead of an authenticator code (docs/dashboard.md) |
| \`watcher-offline\` / \`watcher-online\` | every node failed at once and the watcher's own connectivity check failed: one alert, not one per node |
| \`watcher-fault\` / \`watcher-fault-cleared\` | something of the watcher's own failed while it goes on watching: \`storage\` (disk full, I/O errors: results wait in memory), \`database-corrupt\` / \`database-deleted\` (the file was set aside or restored), \`inventory\` (the provider's API is unreachable: the last known fleet is watched), \`clock-jump\` (the system clock was stepped; timing keeps to the monotonic clock), \`stalled\` (a loop of the daemon stopped; it exits so its supervisor restarts it), \`no-leader\` (a watcher of a fleet sees no leader for 2 probe intervals: sent by that watcher directly) |
| \`network-expired\` | the SmartCash network has the node \`EXPIRED\` (or \`UPDATE_REQUIRED\`): it is not paid (docs/netview.md) |
| \`network-new-start-required\` | the network has it \`NEW_START_REQUIRED\`: \`smartnode start-alias\` from the collateral wallet |
| \`unseen-by-network\` | nodeward reaches the node, but no peer lists it or its last ping is older than \`netview.unseenAfterMinutes\`: the silent failure |
| \`network-ok\` | back to \`ENABLED\` / \`PRE_ENABLED\` with a fresh ping after one of the three above |
| \`vantage-lost\` / \`vantage-back\` | a watcher of a fleet (docs/fleet.md) stopped reporting for 2 probe intervals, or its own connectivity check fails: its results are not counted until it is back |

${deliveryDocs()}

${alertChannelsDocs()}
`;
}
