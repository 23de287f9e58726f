import { describe, it, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { chromium, type Page } from "playwright-core";
import { AuthService } from "../src/auth/service.ts";
import { totpCode } from "../src/auth/totp.ts";
import { openAuthParts } from "../src/cli/auth-context.ts";
import { startWatch } from "../src/cli/watch/compose.ts";
import { findCoin } from "../src/coins/index.ts";
import { parseConfigText } from "../src/config/load.ts";
import { systemClock } from "../src/core/clock.ts";
import { createLogger } from "../src/core/logger.ts";
import { Redactor } from "../src/core/redact.ts";
import { p2pParamsFor } from "../src/p2p/index.ts";
import { createVultrProvider } from "../src/providers/vultr/adapter.ts";
import { startSimulatedNode, type SimulatedNode } from "../src/sim/smartnode/index.ts";
import type { NetviewRecord } from "../src/netview/ports.ts";
import { openSqliteStore } from "../src/store/index.ts";
import { startReceiver } from "../src/alerts/testing/http-receiver.ts";
import { startCheckedSim } from "./helpers/sim.ts";

const CHROMIUM = "/usr/bin/chromium";
/** The README's screenshots are refreshed with UPDATE_SCREENSHOTS=1; otherwise they go to a temporary directory. */
const SCREENSHOT = process.env["UPDATE_SCREENSHOTS"] === "1" ? new URL("../docs/dashboard.png", import.meta.url).pathname : join(mkdtempSync(join(tmpdir(), "nodeward-shots-")), "dashboard.png");
const PASSWORD = "correct horse battery staple";
const params = p2pParamsFor(findCoin("smartcash")!)!;
const TXID = (n: number) => `${n}`.padStart(2, "0").repeat(32);

/** Skips outside CI when Debian's chromium is missing; fails under CI=true. */
function requireChromium(t: TestContext): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === "true") assert.fail(`CI must run the browser test, but ${CHROMIUM} is missing (apt-get install chromium)`);
  t.skip(`needs ${CHROMIUM} (apt-get install chromium)`);
  return false;
}

const until = async (what: string, cond: () => boolean | Promise<boolean>, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

async function signInPassword(page: Page, base: string): Promise<void> {
  await page.goto(`${base}/`);
  assert.match(page.url(), /\/login$/, "signed-out visitors land on the sign-in page");
  await page.fill("#username", "alice");
  await page.fill("#password", PASSWORD);
  await Promise.all([page.waitForLoadState("load"), page.click("button[type=submit]")]);
  await page.waitForURL(/\/login\/code$/, { timeout: 5000 }).catch(async () => assert.fail(`password step refused: ${await page.content()}`));
}

async function typeCode(page: Page, code: string): Promise<void> {
  await page.fill("#code", code);
  await Promise.all([page.waitForLoadState("load"), page.click("form.card button[type=submit]")]);
}

async function signOut(page: Page): Promise<void> {
  await Promise.all([page.waitForURL(/\/login\?signed-out$/), page.click("form.logout button")]);
}

describe("the dashboard in a real browser", () => {
  it("signs in with password + TOTP, shows the fleet, refuses wrong and replayed codes, takes a backup code once, signs out", async (t) => {
    if (!requireChromium(t)) return;
    const dir = mkdtempSync(join(tmpdir(), "nodeward-web-"));
    const sim = await startCheckedSim({ rateLimitPerSecond: false });
    const receiver = await startReceiver({ status: 204 });
    const nodes: SimulatedNode[] = [];
    const instances = [1, 2, 3].map((n) => sim.state.addInstance({ label: `sn-${n}`, tags: ["smartnode"], main_ip: `127.92.0.${n}` }));
    for (const i of instances) nodes.push(await startSimulatedNode({ host: i.main_ip, p2pPort: 9678, sapiPort: 8080, params, height: 2_950_000 }));
    const { config } = parseConfigText(
      `version: 1
provider: { type: vultr, baseUrl: "${sim.url}" }
coin: smartcash
nodes: { tags: [smartnode] }
watch: { intervalSeconds: 1, confirmIntervalSeconds: 1, failuresToDown: 2, successesToUp: 1, probeTimeoutSeconds: 1, listen: "127.0.0.1:0" }
# The network's view is read from rows written below; the watcher itself does not ask here.
netview: { enabled: false }
smartnodes:
${instances.map((i, n) => `  - { alias: mn-${n + 1}, address: "${i.main_ip}:9678", txid: "${TXID(n + 1)}", index: 0 }`).join("\n")}
alerts:
  channels:
    - { type: webhook, name: hook, url: "${receiver.origin}/hook" }
`,
      "nodeward.yaml",
    );
    const redactor = new Redactor();
    const dbPath = join(dir, "nodeward.db");
    const stores = openSqliteStore(dbPath);
    const peers = (state: string, lastPingAt: number) => JSON.stringify({ peers: ["198.51.100.4:9678", "198.51.100.9:9678", "198.51.100.12:9678"].map((peer) => ({ peer, answer: "listed", state, lastPingAt })), problems: [], disagreement: false, announced: { addr: "127.92.0.1:9678", protocolVersion: 90034, at: Date.now() - 86_400_000 } });
    const netRow = (n: number, over: Partial<NetviewRecord>): NetviewRecord => ({ nodeId: instances[n]!.id, outpoint: `${TXID(n + 1)}-0`, state: "ENABLED", lastPingAt: Date.now() - 5 * 60_000, minutesToExpired: 60, askedAt: Date.now(), condition: "ok", conditionSince: Date.now() - 3_600_000, detail: peers("ENABLED", Date.now() - 5 * 60_000), ...over });
    await stores.netview.saveNetview([netRow(0, {}), netRow(2, { state: "EXPIRED", lastPingAt: Date.now() - 70 * 60_000, minutesToExpired: 0, condition: "expired", detail: peers("EXPIRED", Date.now() - 70 * 60_000) })]);
    const auth = openAuthParts(dbPath);
    const service = new AuthService({ store: auth.store, box: auth.box, clock: systemClock });
    await service.addUser("alice", PASSWORD);
    const { secret } = await service.startEnrolment("alice");
    const enrolled = await service.confirmEnrolment("alice", totpCode(secret, Date.now() - 30_000));
    assert.ok(enrolled.ok);
    const backup = enrolled.backupCodes[0]!;
    const log = createLogger({ level: "warn", pretty: false, redactor, out: new Writable({ write: (_c, _e, cb) => cb() }) });
    const provider = createVultrProvider({ baseUrl: sim.url, apiKey: sim.apiKey, maxRequestsPerSecond: 100, timeoutMs: 5000, clock: systemClock, redactor });
    const watch = await startWatch({ config, provider, clock: systemClock, log, redactor, env: { VULTR_API_KEY: sim.apiKey }, stores, auth });
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox"] });
    const cspErrors: string[] = [];
    try {
      await until("every node up", () => watch.engine.nodes().length === 3 && instances.every((i) => watch.engine.state(i.id)?.health === "up"));
      await nodes[2]!.close();
      await until("sn-3 down", () => watch.engine.state(instances[2]!.id)?.health === "down");
      const page = await browser.newPage({ viewport: { width: 1280, height: 640 } });
      page.on("console", (m) => {
        if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
      });

      // A wrong code is refused, then the right one signs in.
      await signInPassword(page, watch.url);
      await typeCode(page, "000000");
      assert.match(await page.textContent(".notice.error") ?? "", /not valid/);
      const code = totpCode(secret, Date.now());
      await typeCode(page, code);
      assert.match(page.url(), /\/$/);
      await page.waitForSelector("#fleet tbody tr");
      const rows = await page.$$eval("#fleet tbody tr", (trs) => trs.map((tr) => tr.textContent ?? ""));
      assert.equal(rows.length, 3);
      assert.match(rows[0]!, /sn-3.*down.*\d+ min/s, "the down node comes first and counts down to EXPIRED");
      assert.match(rows[1]!, /sn-1.*up/s);
      assert.match(rows[1]!, /drift: no firewall group "SmartNodes Only"/, "the watcher checks the cloud firewall as `firewall drift` does");
      assert.match(rows[0]!, /EXPIRED\s*past EXPIRED/, "the network's view: sn-3 EXPIRED");
      assert.match(rows[1]!, /ENABLED\s*\d+ min/, "the network's view: sn-1 ENABLED, minutes before EXPIRED");
      assert.equal(await page.$eval("#fleet tbody tr:first-child .net", (e) => (globalThis as unknown as { getComputedStyle(x: unknown): { color: string } }).getComputedStyle(e).color), "rgb(164, 14, 38)", "EXPIRED in red, from the stylesheet");
      assert.match(rows[2]!, /sn-2.*—/s, "no row: nothing asked");
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      assert.deepEqual([...readFileSync(SCREENSHOT).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "a PNG");

      // The node page draws its charts with uPlot from /static/, under the CSP.
      await page.click("#fleet tbody tr:first-child a");
      await page.waitForSelector(".chart canvas", { timeout: 5000 });
      const main = (await page.textContent("main")) ?? "";
      assert.match(main, /The network's view\s*EXPIRED \(3 of 3 peers asked list it\) · alias mn-3/);
      assert.match(main, /past EXPIRED as the network counts it/);
      assert.equal(await page.$$eval("table.peers tbody tr", (trs) => trs.length), 3);
      assert.equal(await page.$$eval(".chart canvas", (c) => c.length) >= 3, true);
      await page.screenshot({ path: SCREENSHOT.replace(/\.png$/, "-node.png"), fullPage: true });
      await signOut(page);
      await page.goto(`${watch.url}/`);
      assert.match(page.url(), /\/login$/, "signed out for real");

      // The same code again, inside its 30 s, is a replay.
      await signInPassword(page, watch.url);
      await typeCode(page, code);
      assert.match(await page.textContent(".notice.error") ?? "", /already used/);

      // A backup code works once.
      await typeCode(page, backup);
      assert.match(page.url(), /\/settings\?backup-used=9$/);
      assert.match(await page.textContent("main") ?? "", /9 unused codes left/);
      await signOut(page);
      await signInPassword(page, watch.url);
      await typeCode(page, backup);
      assert.match(page.url(), /\/login\/code$/);
      assert.match(await page.textContent(".notice.error") ?? "", /not valid/);
      assert.deepEqual(cspErrors, []);

      const audit = await auth.store.events({ user: "alice", limit: 50 });
      assert.ok(audit.some((e) => e.kind === "backup-code-used" && e.ip === "127.0.0.1"));
      assert.ok(audit.some((e) => e.kind === "totp-replay"));
      await until("the backup-code alert", () => receiver.requests.some((r) => r.body.includes('"kind":"backup-code-used"')));
      const alert = JSON.parse(receiver.requests.find((r) => r.body.includes('"kind":"backup-code-used"'))!.body) as { text: string };
      assert.match(alert.text, /alice signed in to the nodeward dashboard with a backup code.*9 unused codes left/s);
    } finally {
      await browser.close();
      await watch.stop();
      auth.close();
      stores.close();
      for (const n of nodes) await n.close().catch(() => undefined);
      await receiver.close();
      await sim.closeAndCheck();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
