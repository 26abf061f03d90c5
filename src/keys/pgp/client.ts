import { UsageError } from "../../errors.js";
import type { KeyContext, KeySourceClient, MasterKey } from "../types.js";
import { builtinUnwrap, builtinWrap } from "./builtin-backend.js";
import { hasBuiltinKeyFiles } from "./builtin-keyring.js";
import { PgpBackendError, pgpError } from "./failure.js";
import type { PgpAction } from "./failure.js";
import { gpgPath, gpgUnwrap, gpgWrap } from "./gpg-backend.js";

/** Env var choosing the PGP implementation: `auto` (default), `gpg` or `builtin`. */
export const BACKEND_ENV = "SOBRE_PGP_BACKEND";

/** One PGP implementation. */
export interface PgpBackend {
  readonly name: "gpg" | "builtin";
  wrap(key: MasterKey, dataKey: Uint8Array, ctx: KeyContext): Promise<string>;
  unwrap(key: MasterKey, enc: string, ctx: KeyContext): Promise<Uint8Array | null>;
}

const GPG: PgpBackend = { name: "gpg", wrap: gpgWrap, unwrap: (_key, enc, ctx) => gpgUnwrap(enc, ctx) };
const BUILTIN: PgpBackend = { name: "builtin", wrap: builtinWrap, unwrap: (_key, enc, ctx) => builtinUnwrap(enc, ctx) };

/**
 * The backends to try, in order. `auto`: the user's gpg when it exists (it sees their
 * keyring, agent and smartcards), then the built-in one if key files were given; without
 * gpg, only the built-in one.
 */
export function selectBackends(ctx: KeyContext): PgpBackend[] {
  const mode = (ctx.env[BACKEND_ENV] ?? "").trim().toLowerCase() || "auto";
  switch (mode) {
    case "gpg":
      return [GPG];
    case "builtin":
      return [BUILTIN];
    case "auto":
      if (gpgPath(ctx) === undefined) return [BUILTIN];
      return hasBuiltinKeyFiles(ctx) ? [GPG, BUILTIN] : [GPG];
    default:
      throw new UsageError(`${BACKEND_ENV}="${mode}" is not a PGP backend`, { hint: `set ${BACKEND_ENV} to auto, gpg or builtin` });
  }
}

/** Combine backend failures into one KeyAccessError (non-backend errors pass through). */
function fail(action: PgpAction, fp: string, errors: { backend: string; error: unknown }[], many: boolean): never {
  const backendErrors = errors.filter((e) => e.error instanceof PgpBackendError);
  if (backendErrors.length !== errors.length) throw errors.find((e) => !(e.error instanceof PgpBackendError))?.error;
  const parts = backendErrors.map(({ backend, error }) => {
    const reason = (error as PgpBackendError).reason;
    return many ? `${backend}: ${reason}` : reason;
  });
  const hint = backendErrors.map(({ error }) => (error as PgpBackendError).hint).find((h) => h !== undefined);
  throw pgpError(action, fp, parts.join("; "), hint, errors[0]?.error);
}

/** The PGP key source client: wraps with the first backend that succeeds, unwraps likewise. */
export const client: KeySourceClient = {
  async wrap(key, dataKey, ctx) {
    const backends = selectBackends(ctx);
    const errors: { backend: string; error: unknown }[] = [];
    for (const backend of backends) {
      try {
        return await backend.wrap(key, dataKey, ctx);
      } catch (error) {
        errors.push({ backend: backend.name, error });
      }
    }
    return fail("encrypt", key.id, errors, backends.length > 1);
  },

  async unwrap(key, enc, ctx) {
    const backends = selectBackends(ctx);
    const errors: { backend: string; error: unknown }[] = [];
    for (const backend of backends) {
      try {
        const dataKey = await backend.unwrap(key, enc, ctx);
        if (dataKey !== null) return dataKey;
      } catch (error) {
        errors.push({ backend: backend.name, error });
      }
    }
    if (errors.length === 0) return null;
    return fail("decrypt", key.id, errors, backends.length > 1);
  },
};
