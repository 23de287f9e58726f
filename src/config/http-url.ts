import { z } from "zod";
import { urlPortProblem } from "./port-spec.ts";

/**
 * An http(s) URL that is not a secret (the provider's API, a self-hosted Bot API server), so
 * messages may quote it. Its port, when written, is 1–65535: `new URL` accepts port 0 and
 * turns 99999 into a bare "Invalid URL", so both are named here.
 */
export const httpUrlSchema = z
  .url({
    protocol: /^https?$/,
    error: (iss) => {
      const port = typeof iss.input === "string" ? urlPortProblem(iss.input) : undefined;
      return `${JSON.stringify(iss.input)}${port === undefined ? " is not an http(s) URL" : `: ${port}`}`;
    },
  })
  .refine((url) => urlPortProblem(url) === undefined, { error: (iss) => `${JSON.stringify(iss.input)}: ${urlPortProblem(String(iss.input))}` });
