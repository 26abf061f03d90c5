import { randomBytes } from "node:crypto";
import * as nodeCrypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptParsed, encryptValue, parseEnc } from "../../src/crypto/cipher.js";
import { encryptPacked } from "../../src/tree/cipher-batch.js";
import { IvMemory, runDecryptJobs, runEncryptJobs, type DecryptJob, type EncryptJob } from "../../src/tree/cipher-jobs.js";
import { LOCAL_ALLOC, packEncrypt, type EncryptInputs } from "../../src/tree/cipher-pack.js";
import { CHUNK_JOBS, startCipherWorker } from "../../src/tree/cipher-pool.js";
import { placeIvs } from "../../src/tree/cipher-encrypt.js";

const KEY = Buffer.alloc(32, 7);
const utf8 = (s: string): Buffer => Buffer.from(s, "utf8");

function jobs(n: number): (EncryptJob & { plaintext: Uint8Array })[] {
  const types = ["str", "int", "float", "bool", "comment"];
  return Array.from({ length: n }, (_, i) => ({
    // Mixed lengths, multi-byte UTF-8 in both AAD and plaintext.
    plaintext: utf8(i % 7 === 0 ? `é${"x".repeat(i % 50)}` : String(i * 31)),
    aad: i % 5 === 0 ? `clé:ü${i}:` : `k${i}:`,
    type: types[i % types.length]!,
  }));
}

function decryptAll(enc: readonly string[], input: readonly EncryptJob[]): void {
  enc.forEach((text, i) => {
    const parsed = parseEnc(text);
    expect(parsed, `job ${i}`).toBeDefined();
    expect(parsed!.type).toBe(input[i]!.type);
    expect(decryptParsed(KEY, parsed!, input[i]!.aad).equals(Buffer.from(input[i]!.plaintext))).toBe(true);
  });
}

const inputsOf = (list: readonly EncryptJob[]): EncryptInputs => ({
  plaintexts: list.map((j) => j.plaintext),
  aads: list.map((j) => j.aad),
  types: list.map((j) => j.type),
  reuseIvs: list.map((j) => j.reuseIv),
});

/** Run `encryptPacked` (or its rebuilt copy) over a whole batch; returns the ENC texts. */
function encryptAllPacked(fn: typeof encryptPacked, list: readonly EncryptJob[]): string[] {
  const p = packEncrypt(inputsOf(list), LOCAL_ALLOC);
  const out = Buffer.alloc(p.encOffs[p.count]!, "?");
  placeIvs(p, out, p.encOffs);
  fn(nodeCrypto, KEY, p.bytes, p.offs, p.typeCodes, p.typeNames, out, p.encOffs, 0, p.count);
  return list.map((_, i) => out.toString("latin1", p.encOffs[i]!, p.encOffs[i + 1]!));
}

describe("encryptPacked", () => {
  it("writes exactly encryptValue's ENC text for the same IV, filling its precomputed slot", () => {
    // Plaintext lengths 0..40 cover every base64 padding case; IVs of other lengths too.
    const input = jobs(41).map((j, i) => ({ ...j, plaintext: j.plaintext.subarray(0, Math.min(i, j.plaintext.length)), reuseIv: randomBytes(i % 9 === 0 ? 12 : 32) }));
    input.forEach((j, i) => {
      if (i % 3 === 0) j.plaintext = randomBytes(i);
    });
    encryptAllPacked(encryptPacked, input).forEach((text, i) => {
      const j = input[i]!;
      expect(text).toBe(encryptValue(KEY, j.plaintext, j.aad, j.type, j.reuseIv));
    });
  });

  it("writes the same bytes when a job is done twice (a chunk redone after the worker)", () => {
    const p = packEncrypt(inputsOf(jobs(50)), LOCAL_ALLOC);
    const out = Buffer.alloc(p.encOffs[p.count]!, "?");
    placeIvs(p, out, p.encOffs);
    encryptPacked(nodeCrypto, KEY, p.bytes, p.offs, p.typeCodes, p.typeNames, out, p.encOffs, 0, p.count);
    const first = Buffer.from(out);
    encryptPacked(nodeCrypto, KEY, p.bytes, p.offs, p.typeCodes, p.typeNames, out, p.encOffs, 10, 40);
    expect(out.equals(first)).toBe(true);
    expect(out.includes("?")).toBe(false);
  });

  it("is self-contained source (it is shipped to the worker as text)", () => {
    const rebuilt = new Function(`return ${encryptPacked.toString()}`)() as typeof encryptPacked;
    const input = jobs(3);
    decryptAll(encryptAllPacked(rebuilt, input), input);
  });
});

describe("runEncryptJobs", () => {
  it("uses fresh 32-byte IVs and keeps a reused IV's ciphertext", () => {
    const input = jobs(30);
    const iv = randomBytes(32);
    input[4] = { ...input[4]!, reuseIv: iv };
    const out = runEncryptJobs(KEY, input);
    decryptAll(out, input);
    expect(out[4]).toBe(encryptValue(KEY, input[4]!.plaintext, input[4]!.aad, input[4]!.type, iv));
    const ivs = out.map((t) => parseEnc(t)!.iv.toString("hex"));
    expect(new Set(ivs).size).toBe(30);
    expect(parseEnc(out[0]!)!.iv.length).toBe(32);
  });

  it("splits a batch with a worker thread and keeps job order", () => {
    const input = jobs(4000);
    input[3999] = { ...input[3999]!, reuseIv: Buffer.alloc(32, 1) };
    const out = runEncryptJobs(KEY, input, { parallelMinJobs: 1 });
    expect(out).toHaveLength(4000);
    decryptAll(out, input);
    expect(out[3999]).toBe(encryptValue(KEY, input[3999]!.plaintext, input[3999]!.aad, input[3999]!.type, Buffer.alloc(32, 1)));
  });

  it("packs ASCII text groups, non-ASCII text and bytes alike", () => {
    // Groups of all-ASCII text take the joined fast path; others are packed value by value.
    const input: EncryptJob[] = Array.from({ length: 1500 }, (_, i) => ({ plaintext: `v${i}-${"a".repeat(i % 13)}`, aad: `k${i}:`, type: "str" }));
    input[300] = { plaintext: "ünïcode", aad: "k300:", type: "str" };
    input[700] = { plaintext: Uint8Array.from([0, 255, 1]), aad: "k700:", type: "str" };
    input[1100] = { plaintext: "x", aad: "clé:", type: "int" };
    const out = runEncryptJobs(KEY, input);
    decryptAll(out, input.map((j) => ({ ...j, plaintext: typeof j.plaintext === "string" ? utf8(j.plaintext) : j.plaintext })));
  });

  it("handles an empty batch", () => {
    expect(runEncryptJobs(KEY, [])).toEqual([]);
    expect(runEncryptJobs(KEY, [], { parallelMinJobs: 0 })).toEqual([]);
  });
});

describe("the cipher worker", () => {
  const n = 3 * CHUNK_JOBS + 17;

  it("does a whole batch when the main thread leaves it every chunk", () => {
    const input = jobs(n);
    const out = runEncryptJobs(KEY, input, { parallelMinJobs: 1, mainThreadJoins: false });
    decryptAll(out, input);
    const dj: DecryptJob[] = out.map((t, i) => ({ parsed: parseEnc(t)!, aad: input[i]!.aad }));
    dj[7] = { ...dj[7]!, aad: "tampered:" };
    const plain = runDecryptJobs(KEY, dj, { parallelMinJobs: 1, mainThreadJoins: false });
    plain.forEach((p, i) => {
      if (i === 7) expect(p).toBeUndefined();
      else expect(p!.equals(Buffer.from(input[i]!.plaintext)), `job ${i}`).toBe(true);
    });
  });

  it("can be started early and handed to a batch", () => {
    const input = jobs(n);
    const worker = startCipherWorker();
    expect(worker).toBeDefined();
    decryptAll(runEncryptJobs(KEY, input, { worker, mainThreadJoins: false }), input);
    worker!.release();
  });

  // Programs that fail: one never answers, one takes a chunk and dies without finishing it.
  const broken = {
    "a worker that never starts": "throw new Error('no');",
    "a worker that dies inside a chunk": `const { workerData: d } = require("node:worker_threads");
      d.port.once("message", (m) => { Atomics.add(m.ctl, 0, 1); process.exit(1); });`,
  };
  for (const [name, workerProgram] of Object.entries(broken)) {
    it(`falls back to the main thread for ${name}`, () => {
      const input = jobs(n);
      input[5] = { ...input[5]!, reuseIv: Buffer.alloc(32, 1) };
      for (const mainThreadJoins of [true, false]) {
        const opts = { parallelMinJobs: 1, mainThreadJoins, workerProgram, workerWaitMs: 300 };
        const out = runEncryptJobs(KEY, input, opts);
        decryptAll(out, input);
        expect(out[5]).toBe(encryptValue(KEY, input[5]!.plaintext, input[5]!.aad, input[5]!.type, Buffer.alloc(32, 1)));
        const plain = runDecryptJobs(KEY, out.map((t, i) => ({ parsed: parseEnc(t)!, aad: input[i]!.aad })), opts);
        plain.forEach((p, i) => expect(p!.equals(Buffer.from(input[i]!.plaintext)), `job ${i}`).toBe(true));
      }
    });
  }
});

describe("runDecryptJobs", () => {
  for (const parallelMinJobs of [Infinity, 1]) {
    it(`returns plaintexts and undefined for failed authentication (${parallelMinJobs === 1 ? "worker" : "main thread"})`, () => {
      const input = jobs(2500);
      const dj: DecryptJob[] = runEncryptJobs(KEY, input).map((t, i) => ({ parsed: parseEnc(t)!, aad: input[i]!.aad }));
      dj[10] = { ...dj[10]!, aad: "wrong:" };
      dj[2400] = { ...dj[2400]!, parsed: { ...dj[2400]!.parsed, tag: Buffer.alloc(16) } };
      const out = runDecryptJobs(KEY, dj, { parallelMinJobs });
      expect(out).toHaveLength(2500);
      out.forEach((p, i) => {
        if (i === 10 || i === 2400) expect(p, `job ${i}`).toBeUndefined();
        else expect(p!.equals(Buffer.from(input[i]!.plaintext)), `job ${i}`).toBe(true);
      });
    });
  }
});

describe("IvMemory", () => {
  it("recalls each IV of an identical (aad, type, plaintext) once, in the order remembered", () => {
    const m = new IvMemory();
    const pt = utf8("secret");
    m.remember("a:", "str", pt, Buffer.alloc(32, 1));
    m.remember("a:", "str", utf8("other"), Buffer.alloc(32, 2));
    m.remember("a:", "str", pt, Buffer.alloc(32, 3));
    pt.fill(0); // callers zero their plaintexts after remembering
    expect(m.recall("a:", "int", utf8("secret"))).toBeUndefined();
    expect(m.recall("b:", "str", utf8("secret"))).toBeUndefined();
    expect(m.size).toBe(2);
    expect(Buffer.from(m.recall("a:", "str", utf8("secret"))!)).toEqual(Buffer.alloc(32, 1));
    expect(Buffer.from(m.recall("a:", "str", utf8("secret"))!)).toEqual(Buffer.alloc(32, 3));
    // Handed out once each: a third equal value gets a fresh IV (no equality leak).
    expect(m.recall("a:", "str", utf8("secret"))).toBeUndefined();
    // Remembering after a recall still lands in the index.
    m.remember("b:", "str", utf8("x"), Buffer.alloc(12, 4));
    expect(Buffer.from(m.recall("b:", "str", utf8("x"))!)).toEqual(Buffer.alloc(12, 4));
  });

  it("keeps every entry when its arena grows", () => {
    const m = new IvMemory();
    for (let i = 0; i < 3000; i++) m.remember(`k${i}:`, "str", utf8(`value-${i}`.repeat(3)), Buffer.alloc(32, i % 256));
    for (let i = 0; i < 3000; i += 97) expect(Buffer.from(m.recall(`k${i}:`, "str", utf8(`value-${i}`.repeat(3)))!)).toEqual(Buffer.alloc(32, i % 256));
  });
});

describe("progress reports", () => {
  for (const parallelMinJobs of [Infinity, 1]) {
    it(`rise monotonically to done === total (${parallelMinJobs === 1 ? "worker" : "main thread"})`, () => {
      const input = jobs(10_000);
      for (const run of ["encrypt", "decrypt"] as const) {
        const seen: number[] = [];
        const onProgress = (done: number, total: number): void => {
          expect(total).toBe(10_000);
          seen.push(done);
        };
        const enc = runEncryptJobs(KEY, input, run === "encrypt" ? { parallelMinJobs, onProgress } : {});
        if (run === "decrypt") runDecryptJobs(KEY, enc.map((t, i) => ({ parsed: parseEnc(t)!, aad: input[i]!.aad })), { parallelMinJobs, onProgress });
        expect(seen.length).toBeGreaterThan(1);
        expect(seen.at(-1)).toBe(10_000);
        expect([...seen].sort((a, b) => a - b)).toEqual(seen);
        expect(seen.slice(0, -1).every((d) => d < 10_000)).toBe(true);
      }
    });
  }
});
