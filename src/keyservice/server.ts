/**
 * The key service server: SOPS's gRPC `KeyService` (Encrypt/Decrypt) backed by this
 * machine's credentials through the key registry. Every request is logged as one line
 * naming the operation, key type and key id (never plaintext, ciphertext or secrets).
 */
import { existsSync, unlinkSync } from "node:fs";
import type * as Grpc from "@grpc/grpc-js";
import { descriptorFor } from "../keys/registry.js";
import type { KeyContext, MasterKey } from "../keys/types.js";
import { withPort, type Endpoint } from "./address.js";
import { loadKeyService } from "./grpc-load.js";
import { describeKey, fromWireKey, type WireKey } from "./wire.js";

export type RequestKind = "encrypt" | "decrypt";

export interface ServeOptions {
  endpoint: Endpoint;
  /** Credentials and environment the key clients use (the server's own). */
  keyContext: KeyContext;
  /** One line per request and lifecycle events (no trailing newline). */
  log: (line: string) => void;
  /** When set, every request waits for this approval (SOPS's `--prompt`). */
  approve?: (kind: RequestKind, key: MasterKey) => Promise<boolean>;
}

export interface RunningKeyService {
  /** Where it listens (tcp with the real port when port 0 was asked). */
  endpoint: Endpoint;
  /** Stop accepting, let in-flight requests finish (up to `graceMs`), remove the socket file. */
  close(graceMs?: number): Promise<void>;
}

/** A failure with its gRPC status code; only our own messages, never secrets. */
class RequestError extends Error {
  constructor(
    readonly status: Grpc.status,
    message: string,
  ) {
    super(message);
  }
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split("\n")[0]!.slice(0, 300);
}

type Handler = (kind: RequestKind, key: MasterKey, payload: Buffer) => Promise<Buffer>;

/** Start serving; resolves once bound. */
export async function serveKeyService(opts: ServeOptions): Promise<RunningKeyService> {
  const { grpc, KeyService } = await loadKeyService();
  const { keyContext: ctx, log } = opts;
  let approvals: Promise<unknown> = Promise.resolve();
  // Prompts are serialized: one question on the terminal at a time.
  const approve = (kind: RequestKind, key: MasterKey): Promise<boolean> => {
    const asked = approvals.then(() => opts.approve!(kind, key));
    approvals = asked.catch(() => false);
    return asked;
  };

  const perform: Handler = async (kind, key, payload) => {
    const descriptor = descriptorFor(key.type);
    if (!descriptor) throw new RequestError(grpc.status.UNIMPLEMENTED, `key type ${key.type} is not supported by this key service`);
    if (opts.approve && !(await approve(kind, key))) throw new RequestError(grpc.status.PERMISSION_DENIED, "request rejected by user");
    const client = await descriptor.load();
    if (kind === "encrypt") return Buffer.from(await client.wrap(key, new Uint8Array(payload), ctx), "utf8");
    const part = await client.unwrap(key, payload.toString("utf8"), ctx);
    if (!part) throw new RequestError(grpc.status.FAILED_PRECONDITION, `no identity or credentials for ${describeKey(key)} on the key service host`);
    return Buffer.from(part);
  };

  const method =
    (kind: RequestKind, payloadField: "plaintext" | "ciphertext", resultField: "ciphertext" | "plaintext"): Grpc.handleUnaryCall<Record<string, unknown>, Record<string, unknown>> =>
    (call, callback) => {
      const started = Date.now();
      let label = "(no key)";
      void (async () => {
        const key = (() => {
          try {
            return fromWireKey(call.request["key"] as WireKey | undefined);
          } catch (err) {
            throw new RequestError(grpc.status.NOT_FOUND, firstLine(err));
          }
        })();
        label = describeKey(key);
        const payload = call.request[payloadField];
        return perform(kind, key, Buffer.isBuffer(payload) ? payload : Buffer.alloc(0));
      })().then(
        (result) => {
          log(`${kind} ${label}: ok (${Date.now() - started} ms)`);
          callback(null, { [resultField]: result });
        },
        (err: unknown) => {
          const code = err instanceof RequestError ? err.status : grpc.status.UNKNOWN;
          log(`${kind} ${label}: failed: ${firstLine(err)}`);
          callback({ code, details: firstLine(err) } as Grpc.ServiceError, null);
        },
      );
    };

  const server = new grpc.Server();
  server.addService(KeyService.service, {
    Encrypt: method("encrypt", "plaintext", "ciphertext"),
    Decrypt: method("decrypt", "ciphertext", "plaintext"),
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(opts.endpoint.target, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p)));
  });
  const endpoint = withPort(opts.endpoint, port);

  let closing: Promise<void> | undefined;
  const close = (graceMs = 2000): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      const timer = setTimeout(() => server.forceShutdown(), graceMs);
      server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    }).finally(() => {
      if (endpoint.network === "unix" && existsSync(endpoint.address)) {
        try {
          unlinkSync(endpoint.address);
        } catch {
          // already gone, or not ours to remove
        }
      }
    });
    return closing;
  };
  return { endpoint, close };
}
