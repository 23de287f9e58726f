import { resolveConfigPath } from "../../config/load.ts";
import { writeStarter } from "../../config/init.ts";
import { resolvePorts } from "../../config/ports.ts";
import { describeSelector } from "../../inventory/select.ts";
import type { GlobalOptions, Io } from "../io.ts";
import { loadConfigFor } from "../context.ts";
import { EXIT, type ExitCode } from "../exit.ts";

/** `nodeward init`: a commented starter file; never overwrites unless --force. */
export async function initConfig(io: Io, path: string | undefined, force: boolean): Promise<ExitCode> {
  const file = resolveConfigPath(path, io.env);
  await writeStarter(file, { force });
  io.out(`Wrote ${file}. Next: put your Vultr API key in VULTR_API_KEY (never on the command line), then run \`nodeward config check\` and \`nodeward firewall plan\`.`);
  return EXIT.ok;
}

/** `nodeward config check`: exit 0 valid, 3 invalid (every problem listed with its line). */
export async function configCheck(io: Io, opts: GlobalOptions): Promise<ExitCode> {
  const { config, file } = await loadConfigFor(io, opts);
  const ports = resolvePorts(config);
  if (opts.json) {
    io.json({ valid: true, file, coin: config.coin, ports, nodes: describeSelector(config.nodes) });
  } else {
    io.out(`${io.style.green("✓")} ${file} is valid.`);
    io.out(`  coin ${config.coin}: ${ports.map((p) => `${p.protocol}/${p.port} (${p.purpose})`).join(", ")}`);
    io.out(`  nodes: ${describeSelector(config.nodes)}`);
    io.out(`  firewall group "${config.firewall.description}", ${config.firewall.adminAccess.length === 0 ? "no SSH (console only)" : `${config.firewall.adminAccess.length} admin entr${config.firewall.adminAccess.length === 1 ? "y" : "ies"}`}`);
  }
  return EXIT.ok;
}
