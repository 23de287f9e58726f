import { z } from "zod";

/** `dashboard:` in nodeward.yaml — the web pages `nodeward watch` serves on watch.listen. */
export const dashboardSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe("Serve the dashboard (sign-in with password and TOTP) on watch.listen next to /healthz and /metrics."),
    trustProxy: z
      .boolean()
      .default(false)
      .describe("A TLS reverse proxy on the same machine forwards to watch.listen: take the client address from X-Forwarded-For and mark cookies Secure. Never set it without such a proxy."),
    secureCookies: z.boolean().default(false).describe("Mark the session cookie Secure even without trustProxy (the browser then sends it only over HTTPS)."),
    sessionIdleMinutes: z.number().int().min(1).max(1440).default(30).describe("A session ends after this many minutes without a request."),
    sessionMaxHours: z.number().int().min(1).max(168).default(12).describe("A session ends this many hours after sign-in, however active."),
  })
  .describe("The dashboard: fleet overview, node charts, incidents and 2FA settings, behind password + TOTP sign-in. See docs/dashboard.md.");

export type DashboardConfig = z.infer<typeof dashboardSchema>;
