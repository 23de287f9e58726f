// How nodeward is bundled for plain Node (scripts/build.mjs; bench:watch bundles its daemon the same way).
import { build } from "esbuild";

/** One ESM file for Node 20 with everything under src/ inside and packages from node_modules left external. */
export async function bundle(entry, outfile) {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "warning",
    legalComments: "none",
  });
}
