/**
 * The client side of SOPS's key service protocol. `createKeyServiceRouter` builds the
 * optional `KeyContext.keyServices` hook: for every wrap/unwrap it tries this machine's
 * own key client first (unless `--enable-local-keyservice=false`), then each
 * `--keyservice` in order, and the first success wins — SOPS's semantics.
 */
import type * as Grpc from "@grpc/grpc-js";
import { KeyAccessError, UsageError } from "../errors.js";
import type { KeyContext, KeyServiceRouter, KeySourceClient, KeyType, MasterKey } from "../keys/types.js";
import { parseKeyServiceUri, type Endpoint } from "./address.js";
import { loadKeyService } from "./grpc-load.js";
import { toWireKey, type WireKey } from "./wire.js";

type UnaryMethod = (request: Record<string, unknown>, callback: (err: Grpc.ServiceError | null, response?: Record<string, unknown>) => void) => void;

/** One remote key service. The gRPC channel opens on first use and closes when idle. */
export class RemoteKeyService {
  private client: Grpc.Client | undefined;
  private active = 0;
  private idle: NodeJS.Immediate | undefined;

  constructor(readonly endpoint: Endpoint) {}

  /** SOPS `Encrypt`: returns the bytes of the `enc` text. */
  async encrypt(key: WireKey, plaintext: Uint8Array): Promise<Buffer> {
    const rsp = await this.call("Encrypt", { key, plaintext: Buffer.from(plaintext) });
    return rsp["ciphertext"] as Buffer;
  }

  /** SOPS `Decrypt`: `ciphertext` is the bytes of the `enc` text. */
  async decrypt(key: WireKey, ciphertext: Uint8Array): Promise<Buffer> {
    const rsp = await this.call("Decrypt", { key, ciphertext: Buffer.from(ciphertext) });
    return rsp["plaintext"] as Buffer;
  }

  private async call(method: "Encrypt" | "Decrypt", request: Record<string, unknown>): Promise<Record<string, unknown>> {
    const { grpc, KeyService } = await loadKeyService();
    if (this.idle) clearImmediate(this.idle);
    this.idle = undefined;
    this.client ??= new KeyService(this.endpoint.target, grpc.credentials.createInsecure());
    const client = this.client;
    this.active++;
    try {
      return await new Promise((resolve, reject) => {
        const fn = (client as unknown as Record<string, UnaryMethod>)[method]!.bind(client);
        fn(request, (err, rsp) => (err ? reject(new Error(describeCallError(err, grpc.status.UNAVAILABLE))) : resolve(rsp ?? {})));
      });
    } finally {
      // An open channel keeps Node alive: close it as soon as no call is in flight.
      if (--this.active === 0) {
        this.idle = setImmediate(() => {
          this.client?.close();
          this.client = undefined;
        });
      }
    }
  }
}

/** A gRPC failure in a few words; an unreachable service says why it could not connect. */
function describeCallError(err: Grpc.ServiceError, unavailable: number): string {
  const details = err.details || err.message;
  if (err.code !== unavailable) return details;
  const cause = /Last error: (?:Error: )?([^\n]*?)\.?(?: Resolution note|$)/.exec(details)?.[1];
  return `unreachable (${cause || details})`;
}

function reason(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split("\n")[0]!.slice(0, 300);
}

const NO_SERVICE_HINT = "pass --keyservice tcp://HOST:PORT, or drop --enable-local-keyservice=false";

/**
 * A KeySourceClient that tries `local` (when given) and then each remote service.
 * Unwrap returns null only when nothing but the local client was asked and it had no
 * identity; otherwise a total failure throws, listing what each service said.
 */
export function routedClient(type: KeyType, local: KeySourceClient | undefined, remotes: readonly RemoteKeyService[]): KeySourceClient {
  const noneAvailable = (): never => {
    throw new KeyAccessError(`no key service can handle ${type} keys`, [], { hint: NO_SERVICE_HINT });
  };
  return {
    async wrap(key: MasterKey, dataKey: Uint8Array, ctx: KeyContext): Promise<string> {
      const reasons: string[] = [];
      if (local) {
        try {
          return await local.wrap(key, dataKey, ctx);
        } catch (err) {
          if (remotes.length === 0) throw err;
          reasons.push(`local: ${reason(err)}`);
        }
      }
      if (remotes.length === 0) noneAvailable();
      for (const remote of remotes) {
        try {
          return (await remote.encrypt(toWireKey(key), dataKey)).toString("utf8");
        } catch (err) {
          reasons.push(`${remote.endpoint.display}: ${reason(err)}`);
        }
      }
      throw new KeyAccessError(`no key service could encrypt: ${reasons.join("; ")}`, [], { hint: "check that the key services are running and hold credentials for this key" });
    },

    async unwrap(key: MasterKey, enc: string, ctx: KeyContext): Promise<Uint8Array | null> {
      const reasons: string[] = [];
      if (local) {
        try {
          const part = await local.unwrap(key, enc, ctx);
          if (part) return part;
          reasons.push("local: no matching identity");
        } catch (err) {
          if (remotes.length === 0) throw err;
          reasons.push(`local: ${reason(err)}`);
        }
        if (remotes.length === 0) return null;
      }
      if (remotes.length === 0) noneAvailable();
      for (const remote of remotes) {
        try {
          return new Uint8Array(await remote.decrypt(toWireKey(key), Buffer.from(enc, "utf8")));
        } catch (err) {
          reasons.push(`${remote.endpoint.display}: ${reason(err)}`);
        }
      }
      throw new KeyAccessError(`no key service could decrypt: ${reasons.join("; ")}`, [], { hint: "check that a key service holding this key is running" });
    },
  };
}

export interface KeyServiceRouterOptions {
  /** `--keyservice` URIs, in order. */
  uris: readonly string[];
  /** `--enable-local-keyservice` (default true). */
  local: boolean;
}

/**
 * The `KeyContext.keyServices` hook for `--keyservice` / `--enable-local-keyservice`.
 * Parses the URIs now (bad ones fail fast, as usage errors); connects lazily.
 */
export function createKeyServiceRouter(opts: KeyServiceRouterOptions): KeyServiceRouter {
  const remotes = opts.uris.flatMap((u) => u.split(",")).filter((u) => u.trim() !== "").map((u) => new RemoteKeyService(parseKeyServiceUri(u)));
  if (!opts.local && remotes.length === 0) {
    throw new UsageError("--enable-local-keyservice=false needs at least one --keyservice", { hint: NO_SERVICE_HINT });
  }
  return {
    client: (type, local) => routedClient(type, opts.local ? local : undefined, remotes),
  };
}
