// Signs RS256 tokens exactly like the server's devtokens/TokenSigner (same claims), with the
// DEVELOPMENT-ONLY key in server-config/dev/. Only the embedded default trusts that key.
import { createPrivateKey, sign, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
export const DEV_KEY_PATH = path.resolve(here, "../../server-config/dev/DEVELOPMENT-ONLY-private-key.pem");
export const ISSUER = "https://dev.pdprime.local/issuer";
export const AUDIENCE = "pdprime-realtime";

let key;
function devKey() {
  key ??= createPrivateKey(readFileSync(process.env.BENCH_SIGNING_KEY || DEV_KEY_PATH));
  return key;
}

const b64url = (buf) => Buffer.from(buf).toString("base64url");

export function signToken({ subject, name = subject, groups = [], ttlSeconds = 6 * 3600 }) {
  const now = Math.floor(Date.now() / 1000);
  const header = b64url(JSON.stringify({ alg: "RS256", typ: "JWT" }));
  const payload = b64url(
    JSON.stringify({
      iss: ISSUER,
      aud: AUDIENCE,
      sub: subject,
      upn: subject,
      name,
      groups,
      iat: now,
      nbf: now,
      exp: now + ttlSeconds,
      jti: randomUUID(),
    }),
  );
  const input = `${header}.${payload}`;
  const signature = sign("sha256", Buffer.from(input), devKey());
  return `${input}.${b64url(signature)}`;
}
