import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { GcpKeyStore, GcpStatus } from "./gcp-kms.js";
import type { Failure } from "./fake-server.js";

/**
 * Fake Cloud KMS over gRPC (plaintext HTTP/2 on 127.0.0.1), using the real
 * `google.cloud.kms.v1.KeyManagementService` proto shipped in @google-cloud/kms.
 * Implements Encrypt and Decrypt; records the metadata of each call.
 */

export interface FakeGcpKmsGrpc {
  /** `http://127.0.0.1:PORT`, the form SOPS_GCP_KMS_ENDPOINT takes for a plaintext channel. */
  readonly url: string;
  readonly store: GcpKeyStore;
  readonly calls: { method: string; name: string }[];
  inject(f: Failure): void;
  close(): Promise<void>;
}

export async function startFakeGcpKmsGrpc(): Promise<FakeGcpKmsGrpc> {
  const require = createRequire(import.meta.url);
  const kmsProtos = join(dirname(require.resolve("@google-cloud/kms/package.json")), "build/protos");
  // google-gax does not export package.json; its main file sits in build/src/.
  const gaxProtos = join(dirname(require.resolve("google-gax")), "../protos");
  const def = await protoLoader.load("google/cloud/kms/v1/service.proto", { includeDirs: [kmsProtos, gaxProtos], keepCase: false, longs: String, defaults: true });
  const pkg = grpc.loadPackageDefinition(def) as unknown as { google: { cloud: { kms: { v1: { KeyManagementService: grpc.ServiceClientConstructor } } } } };
  const store = new GcpKeyStore();
  const calls: { method: string; name: string }[] = [];
  const queue: Failure[] = [];
  const fail = (cb: grpc.sendUnaryData<unknown>, s: GcpStatus) => cb({ code: s.grpc, details: s.message, name: s.status, message: s.message });
  const handle = (method: string, op: (req: Record<string, Buffer | string>) => unknown) => (call: grpc.ServerUnaryCall<Record<string, Buffer | string>, unknown>, cb: grpc.sendUnaryData<unknown>) => {
    calls.push({ method, name: String(call.request.name) });
    const injected = GcpKeyStore.failure(queue.shift());
    if (injected) return fail(cb, injected);
    try {
      cb(null, op(call.request));
    } catch (err) {
      if (err instanceof GcpStatus) return fail(cb, err);
      cb({ code: grpc.status.INTERNAL, details: String(err) });
    }
  };
  const server = new grpc.Server();
  server.addService(pkg.google.cloud.kms.v1.KeyManagementService.service, {
    encrypt: handle("Encrypt", (req) => ({ name: `${String(req.name)}/cryptoKeyVersions/1`, ciphertext: store.encrypt(String(req.name), req.plaintext as Buffer) })),
    decrypt: handle("Decrypt", (req) => ({ plaintext: store.decrypt(String(req.name), req.ciphertext as Buffer) })),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    calls,
    inject: (f) => void queue.push(f),
    close: () => new Promise((resolve) => server.tryShutdown(() => resolve())),
  };
}
