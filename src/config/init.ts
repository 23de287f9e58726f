import { writeFile } from "node:fs/promises";
import { AppError } from "../core/errors.ts";

/**
 * The file `nodeward init` writes: every key with a one-line comment, the defaults spelled out,
 * optional keys commented out. A test proves it parses without issues or warnings and mentions
 * every key of the schema.
 */
export function starterConfig(): string {
  return `# nodeward.yaml — firewall as code for your SmartNodes. Check it with: nodeward config check
version: 1                         # config format version; always 1

provider:
  type: vultr                      # cloud provider; only vultr for now
  apiKeyEnv: VULTR_API_KEY         # environment variable holding the API key (never put the key in this file)
  # apiKeyFile: ~/.config/nodeward/vultr.key   # used when the variable is unset; chmod 600 it
  baseUrl: https://api.vultr.com/v2  # Vultr API; change only to point at the local simulator
  maxRequestsPerSecond: 28         # request pacing, 1–29: Vultr answers 429 above 30/s
  timeoutSeconds: 30               # timeout of one API request

coin: smartcash                    # smartcash = P2P 9678 + SAPI 8080 (v2 SmartNodes need both); also smartcash-legacy, dash, custom
# ports: [9999]                    # only with coin: custom — the ports to accept instead of a coin profile's
extraPorts: []                     # more ports to accept from anywhere: 9999, "8000:8080" or {port: 9999, protocol: udp}

nodes:                             # which instances are the fleet: ids always; otherwise every filter given must match
  tags: [smartnode]                # instance has any of these tags
  # labels: ["sn-*"]               # label matches any of these globs
  # regions: [ewr]                 # region id is any of these
  # ids: [cb676a46-66fd-4dfb-b839-443f2e6c0b60]   # always selected

firewall:
  description: SmartNodes Only     # the group apply creates, or adopts when one has this description
  # groupId: cb676a46-66fd-4dfb-b839-443f2e6c0b60  # pin an existing group instead of matching by description
  icmp: false                      # true allows ping from anywhere
  adminAccess: []                  # none = no SSH, use Vultr's web console (the guide's advice); e.g. [{cidr: 203.0.113.7/32, port: 22, protocol: tcp, note: home}]
  attachConcurrency: 8             # instances attached at the same time, 1–64
  attachTimeoutSeconds: 300        # how long apply waits for attachments to show up

hosts: []                          # static nodes to verify and watch too, e.g. [{name: home-node, addresses: [203.0.113.9]}]

verify:                            # how \`nodeward verify\` proves each node from outside
  ports: top                       # scanned besides the coin's: top (~100 common ports), all (1–65535), coin, or "22,80,8000-8100"
  handshake: true                  # complete a P2P handshake (version/verack) on every address
  sapi: true                       # ask SAPI (SmartCash: TCP 8080) for version and height
  timeoutSeconds: 5                # deadline of one handshake phase or SAPI request

watch:                             # \`nodeward watch\`: probes every node, alerts long before SmartCash's 65-minute expiry
  intervalSeconds: 60              # each node is probed (TCP connect + handshake) once per interval
  confirmIntervalSeconds: 15       # failing nodes are re-probed this often
  failuresToDown: 3                # consecutive failures before "down" is alerted
  successesToUp: 2                 # consecutive successes before "recovered"
  escalateAfterMinutes: [20, 40]   # reminders while a node stays down
  maxHeightLag: 10                 # blocks behind the fleet's median that count as degraded
  sapiIntervalSeconds: 300         # a healthy node's SAPI status at least this often (a failing node's every probe)
  probeTimeoutSeconds: 10          # deadline of each probe phase
  concurrency: 256                 # probes in flight at once
  inventoryRefreshSeconds: 300     # new instances are watched without a restart
  # database: ~/.local/share/nodeward/nodeward.db   # SQLite history and incidents (default: XDG data dir)
  rawRetentionDays: 7              # raw probe results, then hourly rollups
  rollupRetentionDays: 365         # hourly uptime and latency
  listen: 127.0.0.1:9797           # the dashboard, /healthz and Prometheus /metrics
  allowedHosts: []                 # Host names answered besides localhost and IP addresses, e.g. [nodes.example.com] behind a proxy
  # selfCheck: ["api.vultr.com:443"]   # reached when every node fails at once (default: the provider API)
  vantage: {}                      # in a fleet (store.url): {name: fra-1, region: Frankfurt}; --vantage overrides the name
  quorum: majority                 # in a fleet: how many live watchers must see a node fail (a tie counts as failed)

store:                             # where the history lives: this watcher's SQLite file unless store.url (docs/fleet.md)
  # url: "postgres://nodeward_watch@db.example.net:5432/nodeward?sslmode=verify-full"   # shared by a fleet of watchers
  # password: {file: /etc/nodeward/db-password}   # or {env: NAME}; never in the URL
  poolSize: 8                      # connections each watcher keeps to PostgreSQL

remediation:                       # reboot a node that stays down, through the provider's API
  enabled: false                   # off until you turn it on
  afterMinutes: 10                 # minutes down before acting (well inside the 65-minute expiry)
  windowMinutes: 30                # at most one action per node per window

smartnodes: []                     # each SmartNode's collateral, from the wallet: \`nodeward import smartnode.conf FILE\` (never the key)

netview:                           # the network's own view of each SmartNode: dseg → mnb + mnp from other peers
  enabled: true                    # ask about every node in smartnodes (coins with a SmartNode list: smartcash)
  intervalSeconds: 300             # how often the watcher asks, not on every probe
  peersPerNode: 3                  # peers asked about each node; never the node itself
  peers: []                        # SmartCash peers (host:port) asked first, besides the fleet's own nodes
  timeoutSeconds: 15               # deadline of one peer's whole answer
  unseenAfterMinutes: 45           # answers nodeward but no ping in the network for this long: unseen-by-network

alerts:                            # where down/escalation/recovered/remediation alerts go (docs/alerts.md)
  retry:
    maxAgeMinutes: 1440            # an undeliverable alert is retried this long
  channels: []                     # e.g. [{type: discord, name: ops, webhookUrl: {env: NODEWARD_DISCORD_WEBHOOK}}]

wallet:                            # \`nodeward wallet check|backup|verify|restore\` (docs/wallet.md)
  paths: []                        # wallets used when no PATH is given, e.g. [~/.smartcash/wallet.dat]
  # backupDir: ~/.local/share/nodeward/wallet-backups   # where age-encrypted backups go (default shown)
  keep: 10                         # backups kept per wallet; the newest verified one is never deleted
  recipients: []                   # age public keys (age1…) to encrypt to; make one with age-keygen, keep the key offline
  # identityFile: ~/keys/nodeward-age.txt   # age-keygen file that verify/restore use for recipient backups
  # passphraseEnv: NODEWARD_WALLET_PASSPHRASE   # without recipients: passphrase from this variable…
  # passphraseFile: ~/.config/nodeward/wallet-passphrase   # …or this file (chmod 600); else you are asked
  scryptWorkFactor: 18             # passphrase backups: scrypt log2(N), 18 (age's default) to 20
  maxBackupAgeDays: 7              # the audit flags a wallet whose newest backup is older than this

dashboard:                         # web pages on watch.listen: sign-in with password + TOTP (docs/dashboard.md)
  enabled: true                    # users: \`nodeward user add NAME\`, then \`nodeward 2fa enroll NAME\`
  trustProxy: false                # true only behind a TLS reverse proxy (X-Forwarded-For, Secure cookies)
  secureCookies: false             # Secure cookies without a proxy (HTTPS in front by other means)
  sessionIdleMinutes: 30           # signed out after this long without a request
  sessionMaxHours: 12              # signed out this long after sign-in, however active

audit:                             # \`nodeward audit\`: every step of the hardening guide at once (docs/audit.md)
  # stateDir: ~/.local/state/nodeward   # where your attestations (Vultr 2FA, API key scope) are kept
  attestationMaxAgeDays: 90        # days an attestation counts before the audit asks again

lockdown:                          # \`nodeward host …\` on the node itself, as root (docs/host.md); ports come from coin + firewall above
  ssh: unchanged                   # what host apply does to sshd: unchanged, off (console only, the guide's advice) or admin-only
  sshPort: 22                      # sshd's port; admin-only allows it from firewall.adminAccess only
  rollbackSeconds: 120             # the previous ruleset comes back unless \`nodeward host confirm\` runs within this
  stateDir: /var/lib/nodeward      # saved ruleset, pending token and deadline
  persistPath: /etc/nftables.d/nodeward.nft   # written on confirm, loaded at boot
  systemdDropIn: /etc/systemd/system/nftables.service.d/nodeward.conf   # makes nftables.service load persistPath
  sshdDropIn: /etc/ssh/sshd_config.d/00-nodeward.conf   # ssh: admin-only settings (first file wins in sshd)
  sshdConfig: /etc/ssh/sshd_config # checked with sshd -t together with the drop-in
  daemonConf: ~/.smartcash/smartcash.conf   # checked by \`nodeward host audit-conf\`
`;
}

/** Writes the starter; refuses to replace an existing file unless `force`. */
export async function writeStarter(path: string, options: { force?: boolean } = {}): Promise<void> {
  try {
    await writeFile(path, starterConfig(), { encoding: "utf8", flag: options.force ? "w" : "wx", mode: 0o644 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") {
      throw new AppError("USAGE", `${path} already exists; nodeward init does not overwrite it`, {
        cause: e,
        hint: "pass --force to replace it, or --config to write somewhere else",
      });
    }
    throw e;
  }
}
