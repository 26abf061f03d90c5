/**
 * Range batches packed while the worker decrypts (`cipher-ranges-stream.ts`, progressive
 * batches in `cipher-pool.ts`): the packed bytes, types and plaintexts must equal the
 * two-pass path's job by job, the worker must wait for the chunks it claims, a failed
 * worker's chunks are redone by the main thread, and `check` can stop the batch.
 */
import { describe, expect, it } from "vitest";
import { encryptValue } from "../../src/crypto/cipher.js";
import { SHARED_ALLOC } from "../../src/tree/cipher-pack.js";
import { CHUNK_JOBS, runChunked } from "../../src/tree/cipher-pool.js";
import { decryptBatch } from "../../src/tree/cipher-ranges-stream.js";
import { prepareDecryptTexts, runPreparedDecrypt } from "../../src/tree/cipher-texts.js";
import { rangesOver } from "../helpers/enc-ranges-over.js";

const KEY = Buffer.alloc(32, 7);
const N = 3500;

function corpus(): { lines: string[]; aads: string[] } {
  const lines: string[] = [];
  const aads: string[] = [];
  for (let i = 0; i < N; i++) {
    const aad = `k${i}:`;
    let text = encryptValue(KEY, Buffer.from(`value ${i} ${"y".repeat(i % 40)}${i % 9 === 0 ? "\nü" : ""}`), aad, i % 5 === 0 ? "int" : "str");
    if (i === 1100) text = text.replace(",iv:", ",iv:!"); // malformed
    if (i === 1024) text += "\u00a0"; // first job of a chunk, only the string check takes it
    if (i === 2047) text += "\u00a0"; // last job of a chunk (its ciphertext ends at the next job's AAD)
    if (i === 3000) text = text.replace("type:", "type:x y"); // malformed type
    lines.push(text);
    aads.push(i === 2222 ? "other:" : aad); // fails authentication
  }
  return { lines, aads };
}

describe("range batches packed while the worker decrypts", () => {
  const { lines, aads } = corpus();
  const text = Buffer.from(lines.join("\n") + "\n", "utf8");
  const source = Buffer.from(new SharedArrayBuffer(text.length));
  text.copy(source);
  const encs = lines.map((line, i) => (i % 89 === 4 ? line : i));
  const opts = { parallelMinJobs: 2 };
  const twoPass = prepareDecryptTexts(encs, aads, opts, rangesOver(source, lines));
  const reference = runPreparedDecrypt(KEY, prepareDecryptTexts(lines, aads));
  const plainOf = (t: typeof reference, i: number): string | undefined => (t.ok(i) ? t.buffer(i).toString("utf8", t.start(i), t.end(i)) : undefined);

  it("packs exactly as the two-pass path and decrypts every job as the string path does", () => {
    let checked: readonly (string | undefined)[] = [];
    const { prepared, plain } = decryptBatch(KEY, encs, aads, rangesOver(source, lines), opts, (types) => (checked = types.slice()));
    expect(prepared.source).toBe(source);
    expect(checked).toEqual(twoPass.types);
    expect(prepared.types).toEqual(twoPass.types);
    const { offs, outOffs, bytes, outSize } = prepared.packed;
    expect([...offs]).toEqual([...twoPass.packed.offs]);
    expect([...outOffs]).toEqual([...twoPass.packed.outOffs]);
    expect(outSize).toBe(twoPass.packed.outSize);
    expect(bytes.subarray(0, offs[5 * N]).equals(twoPass.packed.bytes.subarray(0, twoPass.packed.offs[5 * N]))).toBe(true);
    expect(prepared.types[1100]).toBeUndefined();
    expect(prepared.types[3000]).toBeUndefined();
    expect(prepared.types[2047]).toBe("str");
    for (let i = 0; i < N; i++) expect(plainOf(plain, i), `job ${i}`).toBe(prepared.types[i] === undefined ? undefined : plainOf(reference, i));
    expect(plain.ok(2222)).toBe(false);
    plain.wipe();
    expect(plain.buffer(0).subarray(0, outSize).every((b) => b === 0)).toBe(true);
  });

  it("stops before decrypting when check throws", () => {
    expect(() =>
      decryptBatch(KEY, encs, aads, rangesOver(source, lines), opts, (types) => {
        throw new Error(`malformed at ${types.indexOf(undefined)}`);
      }),
    ).toThrow("malformed at 1100");
  });

  it("the worker waits for each chunk it claims until it is published", () => {
    // The two-pass batch copied in chunk by chunk, slowly: a worker that did not wait
    // would decrypt zeroed offsets (failures), and the main thread never redoes a chunk.
    const { count, bytes, offs, outOffs, outSize } = twoPass.packed;
    const lateOffs = SHARED_ALLOC.ints(offs.length);
    const lateOutOffs = SHARED_ALLOC.ints(outOffs.length);
    const out = SHARED_ALLOC.bytes(outSize);
    const ok = new Uint8Array(new SharedArrayBuffer(count));
    const batch = { kind: "decrypt-ranges", progressive: true, src: source, bytes, offs: lateOffs, out, outOffs: lateOutOffs, ok };
    const local = (): void => {
      throw new Error("the main thread had to redo a chunk");
    };
    const sleep = new Int32Array(new SharedArrayBuffer(4));
    runChunked(KEY, count, batch, true, local, { mainThreadJoins: false }, (publish) => {
      for (let a = 0, c = 1; a < count; a += CHUNK_JOBS, c++) {
        Atomics.wait(sleep, 0, 0, 30);
        const b = Math.min(count, a + CHUNK_JOBS);
        lateOffs.set(offs.subarray(5 * a, 5 * b + 1), 5 * a);
        lateOutOffs.set(outOffs.subarray(a, b + 1), a);
        publish(c);
      }
    });
    for (let i = 0; i < count; i++) {
      const expected = twoPass.types[i] === undefined ? undefined : plainOf(reference, i);
      expect(ok[i] === 1 ? out.toString("utf8", outOffs[i], outOffs[i + 1]) : undefined, `job ${i}`).toBe(expected);
    }
  });

  it("redoes a failed worker's chunks on the main thread", () => {
    const workerProgram = `const { workerData: d } = require("node:worker_threads");
      d.port.once("message", (m) => { Atomics.add(m.ctl, 0, 1); process.exit(1); });`;
    const { prepared, plain } = decryptBatch(KEY, encs, aads, rangesOver(source, lines), { ...opts, workerProgram, workerWaitMs: 300 }, () => {});
    expect(prepared.types).toEqual(twoPass.types);
    for (let i = 0; i < N; i++) expect(plainOf(plain, i), `job ${i}`).toBe(prepared.types[i] === undefined ? undefined : plainOf(reference, i));
  });
});
