/**
 * Runs one packed cipher batch on a worker thread while the main thread works on its
 * own share, and collects the result SYNCHRONOUSLY (`Atomics.wait` +
 * `receiveMessageOnPort`), so `runEncryptJobs`/`runDecryptJobs` keep their synchronous
 * API. The worker is started from source text (`eval: true`) built from
 * `cipher-batch.ts`: no file beside the bundle is needed, so it also works inside the
 * single executable. Any failure (no worker support, crash, timeout) returns `undefined`
 * and the caller does the batch itself: never wrong, at worst slower.
 */
import { createRequire } from "node:module";
import type { MessagePort, Worker } from "node:worker_threads";
import { decryptPacked, encryptPacked } from "./cipher-batch.js";
import type { PackedDecrypt, PackedEncrypt } from "./cipher-pack.js";

/** A started worker batch; `collect()` blocks until its result (or failure). */
export interface PendingBatch<T> {
  collect(): T | undefined;
}

/** Worker result for an encrypt batch: the ENC strings. */
export type EncryptResult = string[];
/** Worker result for a decrypt batch: plaintexts at `outOffs`, and per-job success. */
export interface DecryptResult {
  out: Buffer;
  ok: Uint8Array;
}

let source: string | undefined;
let threads: typeof import("node:worker_threads") | undefined;

/** `node:worker_threads`, loaded on the first large batch only (start-up time matters). */
function workerThreads(): typeof import("node:worker_threads") {
  threads ??= createRequire(import.meta.url)("node:worker_threads") as typeof import("node:worker_threads");
  return threads;
}

/** The worker program. Data arrives in `workerData`; the result goes back on `port`. */
function workerSource(): string {
  source ??= [
    `"use strict";`,
    `const { workerData: d } = require("node:worker_threads");`,
    `const crypto = require("node:crypto");`,
    `const encryptPacked = ${encryptPacked.toString()};`,
    `const decryptPacked = ${decryptPacked.toString()};`,
    `const buf = (u) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);`,
    `let msg, transfer = [];`,
    `try {`,
    `  const key = buf(d.key), bytes = buf(d.bytes);`,
    `  if (d.kind === "encrypt") {`,
    // ENC strings never contain a newline: one string is much cheaper to clone than an array.
    `    msg = { enc: encryptPacked(crypto, key, bytes, d.offs, buf(d.ivs), d.ivOffs, d.types, 0, d.count).join("\\n") };`,
    `    bytes.fill(0);`,
    `  } else {`,
    `    const out = Buffer.from(new ArrayBuffer(d.outSize)), ok = new Uint8Array(d.count);`,
    `    decryptPacked(crypto, key, bytes, d.offs, out, d.outOffs, ok, 0, d.count);`,
    `    msg = { out, ok }; transfer = [out.buffer, ok.buffer];`,
    `  }`,
    `  key.fill(0);`,
    `} catch (err) { msg = { error: String(err && err.code || "worker failed") }; }`,
    `d.port.postMessage(msg, transfer);`,
    `Atomics.store(d.flag, 0, 1);`,
    `Atomics.notify(d.flag, 0);`,
  ].join("\n");
  return source;
}

function start<T>(kind: "encrypt" | "decrypt", key: Uint8Array, data: Record<string, unknown>, transfer: ArrayBuffer[], decode: (msg: Record<string, unknown>) => T, count: number): PendingBatch<T> | undefined {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  let port: MessagePort;
  let worker: Worker;
  let receiveMessageOnPort: typeof import("node:worker_threads").receiveMessageOnPort;
  try {
    const { MessageChannel, Worker } = workerThreads();
    receiveMessageOnPort = workerThreads().receiveMessageOnPort;
    const channel = new MessageChannel();
    port = channel.port1;
    // The key goes over in its own small buffer (moved, not shared), zeroed by the worker when done.
    const keyCopy = new Uint8Array(key);
    worker = new Worker(workerSource(), {
      eval: true,
      workerData: { kind, key: keyCopy, count, flag, port: channel.port2, ...data },
      transferList: [channel.port2, keyCopy.buffer, ...transfer],
      stdout: true,
      stderr: true,
    });
  } catch {
    return undefined;
  }
  worker.unref();
  // Never let a late worker error become an uncaught exception in the CLI.
  worker.on("error", () => {});
  // Generous: a busy machine can delay the worker, and the fallback only costs time.
  const deadline = Date.now() + 10_000 + count / 10;
  return {
    collect(): T | undefined {
      try {
        while (Atomics.load(flag, 0) === 0) {
          if (Date.now() > deadline) return undefined;
          Atomics.wait(flag, 0, 0, 50);
        }
        const msg = receiveMessageOnPort(port)?.message as Record<string, unknown> | undefined;
        if (!msg || "error" in msg) return undefined;
        return decode(msg);
      } finally {
        port.close();
        void worker.terminate();
      }
    },
  };
}

/** Start encrypting `packed` on a worker; `undefined` if no worker could be started. */
export function startEncryptWorker(key: Uint8Array, packed: PackedEncrypt): PendingBatch<EncryptResult> | undefined {
  const { count, bytes, offs, ivs, ivOffs, types } = packed;
  return start(
    "encrypt",
    key,
    { bytes, offs, ivs, ivOffs, types },
    [bytes.buffer as ArrayBuffer, offs.buffer as ArrayBuffer, ivs.buffer as ArrayBuffer],
    (msg) => {
      const enc = msg["enc"] as string;
      return count === 0 ? [] : enc.split("\n");
    },
    count,
  );
}

/** Start decrypting `packed` on a worker; `undefined` if no worker could be started. */
export function startDecryptWorker(key: Uint8Array, packed: PackedDecrypt): PendingBatch<DecryptResult> | undefined {
  const { count, bytes, offs, outOffs, outSize } = packed;
  return start(
    "decrypt",
    key,
    { bytes, offs, outOffs, outSize },
    [bytes.buffer as ArrayBuffer, offs.buffer as ArrayBuffer],
    (msg) => {
      const out = msg["out"] as Uint8Array;
      return { out: Buffer.from(out.buffer, out.byteOffset, out.byteLength), ok: msg["ok"] as Uint8Array };
    },
    count,
  );
}
