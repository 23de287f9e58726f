import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { ServerResponse } from "node:http";
import { packagePath } from "../core/package-root.ts";
import { SECURITY_HEADERS } from "./respond.ts";

/**
 * The dashboard's only static files, served from this process (no CDN): uPlot from node_modules
 * and our own stylesheet and chart script. Read once at start-up; unknown names are 404.
 */

interface Asset {
  type: string;
  body: Buffer;
}

export function loadAssets(): ReadonlyMap<string, Asset> {
  const require = createRequire(import.meta.url);
  const uplotDir = require.resolve("uplot").replace(/uPlot\.cjs\.js$/, "");
  // From the package root, not this module: the same in src/ (tsx) and in the bundle in dist/.
  const own = (name: string) => readFileSync(packagePath("src", "web", "assets", name));
  return new Map<string, Asset>([
    ["/static/uplot.iife.min.js", { type: "text/javascript; charset=utf-8", body: readFileSync(`${uplotDir}uPlot.iife.min.js`) }],
    ["/static/uplot.min.css", { type: "text/css; charset=utf-8", body: readFileSync(`${uplotDir}uPlot.min.css`) }],
    ["/static/charts.js", { type: "text/javascript; charset=utf-8", body: own("charts.js") }],
    ["/static/dashboard.css", { type: "text/css; charset=utf-8", body: own("dashboard.css") }],
  ]);
}

export function serveAsset(assets: ReadonlyMap<string, Asset>, path: string, res: ServerResponse): boolean {
  const a = assets.get(path);
  if (a === undefined) return false;
  res.writeHead(200, { ...SECURITY_HEADERS, "content-type": a.type, "cache-control": "public, max-age=3600" });
  res.end(a.body);
  return true;
}
