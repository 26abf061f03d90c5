import * as nodeCrypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptParsed, parseEnc } from "../../src/crypto/cipher.js";
import { encryptPacked } from "../../src/tree/cipher-batch.js";
import { LOCAL_ALLOC, SHARED_ALLOC, type Alloc } from "../../src/tree/cipher-pack.js";
import { EncryptPacker } from "../../src/tree/encrypt-packer.js";

const KEY = Buffer.alloc(32, 3);

interface Job {
  aad: string;
  plaintext: string | Uint8Array;
  type: string;
}

/** 700 jobs: ASCII groups, a group with multi-byte text, one with raw bytes. */
function jobs(): Job[] {
  return Array.from({ length: 700 }, (_, i) => ({
    aad: i === 300 ? `clé${i}:` : `K${i}:`,
    plaintext: i === 600 ? Uint8Array.of(0xff, 0, 10) : i === 299 ? "héllo 😀" : `value-${i}`,
    type: i % 3 === 0 ? "int" : "str",
  }));
}

function pack(list: readonly Job[], alloc: Alloc, bound = list.length) {
  const packer = new EncryptPacker(bound, alloc);
  for (const j of list) packer.measure(j.aad, j.plaintext, j.type);
  for (const j of list) packer.write(j.aad, j.plaintext);
  return packer.finish();
}

describe("EncryptPacker", () => {
  it("packs jobs across groups (ASCII, multi-byte, bytes) so each encrypts under its AAD", () => {
    for (const alloc of [LOCAL_ALLOC, SHARED_ALLOC]) {
      const list = jobs();
      // A bound above the job count (a tree's leaves, some of them not selected).
      const p = pack(list, alloc, list.length + 50);
      expect(p.count).toBe(list.length);
      const out = Buffer.alloc(p.encOffs[p.count]!, "?");
      encryptPacked(nodeCrypto, KEY, p.bytes, p.offs, p.ivs, p.ivOffs, p.typeCodes, p.typeNames, out, p.encOffs, 0, p.count);
      expect(out.includes("?")).toBe(false);
      list.forEach((j, i) => {
        const parsed = parseEnc(out.toString("latin1", p.encOffs[i]!, p.encOffs[i + 1]!))!;
        expect(parsed.type).toBe(j.type);
        const want = typeof j.plaintext === "string" ? Buffer.from(j.plaintext, "utf8") : Buffer.from(j.plaintext);
        expect(decryptParsed(KEY, parsed, j.aad).equals(want), `job ${i}`).toBe(true);
      });
    }
  });

  it("keeps a reused IV and draws fresh ones elsewhere", () => {
    const iv = Buffer.alloc(12, 9);
    const packer = new EncryptPacker(2, LOCAL_ALLOC);
    packer.measure("a:", "x", "str", iv);
    packer.measure("b:", "y", "str");
    packer.write("a:", "x");
    packer.write("b:", "y");
    const p = packer.finish();
    expect(p.ivs.subarray(p.ivOffs[0]!, p.ivOffs[1]!).equals(iv)).toBe(true);
    expect(p.ivOffs[2]! - p.ivOffs[1]!).toBe(32);
  });

  it("refuses jobs written differently from how they were measured", () => {
    const list = jobs();
    const packer = new EncryptPacker(list.length, LOCAL_ALLOC);
    for (const j of list) packer.measure(j.aad, j.plaintext, j.type);
    expect(() => {
      for (const j of list) packer.write(j.aad, j.plaintext === "value-5" ? "value-55" : j.plaintext);
    }).toThrow(/changed between measuring and packing/);
    const short = new EncryptPacker(2, LOCAL_ALLOC);
    short.measure("a:", "x", "str");
    short.measure("b:", "y", "str");
    short.write("a:", "x");
    expect(() => short.finish()).toThrow(/fewer encrypt jobs written/);
    expect(() => short.measure("c:", "z", "str")).toThrow(/measured after packing began/);
  });

  it("refuses more jobs than its bound", () => {
    const packer = new EncryptPacker(1, LOCAL_ALLOC);
    packer.measure("a:", "x", "str");
    expect(() => packer.measure("b:", "y", "str")).toThrow(/more encrypt jobs than counted/);
  });
});
