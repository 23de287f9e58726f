/** The SAPI capability's public surface: the status probe and its body parser. */
export { DEFAULT_STATUS_PATH, MAX_BODY_BYTES, sapiStatus, type SapiOptions, type SapiResult } from "./client.ts";
export { formatClientVersion, parseSapiStatus, type SapiStatus } from "./status.ts";
