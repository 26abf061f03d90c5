import { randomBytes } from "node:crypto";
import * as nodeCrypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptParsed, encryptValue, parseEnc } from "../../src/crypto/cipher.js";
import { encryptPacked } from "../../src/tree/cipher-batch.js";
import { IvMemory, runDecryptJobs, runEncryptJobs, type DecryptJob, type EncryptJob } from "../../src/tree/cipher-jobs.js";
import { packDecrypt, packEncrypt } from "../../src/tree/cipher-pack.js";
import { startDecryptWorker, startEncryptWorker } from "../../src/tree/cipher-worker.js";

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

describe("encryptPacked", () => {
  it("produces exactly encryptValue's ENC string for the same IV", () => {
    const input = jobs(40).map((j) => ({ ...j, reuseIv: randomBytes(32) }));
    const packed = packEncrypt(input, 0, input.length);
    const out = encryptPacked(nodeCrypto, KEY, packed.bytes, packed.offs, packed.ivs, packed.ivOffs, packed.types, 0, packed.count);
    out.forEach((text, i) => {
      const j = input[i]!;
      expect(text).toBe(encryptValue(KEY, j.plaintext, j.aad, j.type, j.reuseIv));
    });
  });

  it("is self-contained source (it is shipped to the worker as text)", () => {
    const rebuilt = new Function(`return ${encryptPacked.toString()}`)() as typeof encryptPacked;
    const input = jobs(3);
    const p = packEncrypt(input, 0, 3);
    decryptAll(rebuilt(nodeCrypto, KEY, p.bytes, p.offs, p.ivs, p.ivOffs, p.types, 0, 3), input);
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

  it("handles an empty batch", () => {
    expect(runEncryptJobs(KEY, [])).toEqual([]);
    expect(runEncryptJobs(KEY, [], { parallelMinJobs: 0 })).toEqual([]);
  });
});

describe("the cipher worker", () => {
  it("encrypts a packed batch on a worker thread", () => {
    const input = jobs(500);
    const out = startEncryptWorker(KEY, packEncrypt(input, 0, 500))?.collect();
    expect(out).toHaveLength(500);
    decryptAll(out!, input);
  });

  it("decrypts a packed batch on a worker thread, flagging failures", () => {
    const input = jobs(300);
    const dj: DecryptJob[] = runEncryptJobs(KEY, input).map((t, i) => ({ parsed: parseEnc(t)!, aad: input[i]!.aad }));
    dj[7] = { ...dj[7]!, aad: "tampered:" };
    const packed = packDecrypt(dj, 0, dj.length);
    const offs = packed.outOffs.slice();
    const res = startDecryptWorker(KEY, packed)?.collect();
    expect(res).toBeDefined();
    for (let i = 0; i < dj.length; i++) {
      expect(res!.ok[i], `job ${i}`).toBe(i === 7 ? 0 : 1);
      if (i !== 7) expect(res!.out.subarray(offs[i]!, offs[i + 1]!).equals(Buffer.from(input[i]!.plaintext))).toBe(true);
    }
    expect(res!.out.subarray(offs[7]!, offs[8]!).every((b) => b === 0)).toBe(true);
  });
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
