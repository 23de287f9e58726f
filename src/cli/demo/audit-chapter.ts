import type { AttestationId } from "../../audit/attest.ts";
import type { Config } from "../../config/schema.ts";
import type { FirewallProvider } from "../../firewall/provider.ts";
import { runAudit } from "../commands/audit.ts";
import type { ExitCode } from "../exit.ts";
import type { Io } from "../io.ts";

/** The demo's audit: the short form before hardening, the whole checklist after. Never asks on the terminal. */
export async function auditChapter(o: {
  io: Io;
  config: Config;
  provider: FirewallProvider;
  step: string;
  want: ExitCode;
  expect: (got: ExitCode, want: ExitCode, step: string) => void;
  summaryOnly: boolean;
  attest: AttestationId[];
  /** Set when the simulated nodes have no network namespace: the outside checks say why they cannot run. */
  skipOutside?: string;
}): Promise<void> {
  const code = await runAudit({
    io: o.io,
    config: o.config,
    configFile: "demo nodeward.yaml",
    provider: async () => o.provider,
    format: "text",
    strict: false,
    attest: o.attest,
    ask: null,
    summaryOnly: o.summaryOnly,
    ...(o.skipOutside === undefined ? {} : { skipOutside: { reason: `skipped in this demo: the simulated nodes need a network namespace (${o.skipOutside})`, fix: "run the demo as root with nftables and iproute2" } }),
  });
  if (o.skipOutside !== undefined && code !== o.want) {
    // Without the outside checks the verdict can differ; the story goes on.
    return;
  }
  o.expect(code, o.want, o.step);
}
