import * as nodeCrypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptParsed, parseEnc } from "../../src/crypto/cipher.js";
import { encryptPacked } from "../../src/tree/cipher-batch.js";
import { LOCAL_ALLOC, SHARED_ALLOC, type Alloc } from "../../src/tree/cipher-pack.js";
import { EncryptPacker } from "../../src/tree/encrypt-packer.js";
import { placeIvs } from "../../src/tree/cipher-encrypt.js";

const KEY = Buffer.alloc(32, 3);

interface Job {
  aad: string;
  plaintext: string | Uint8Array;
  type: string;
}

/** 700 jobs: ASCII text, multi-byte text, raw bytes. */
function jobs(): Job[] {
  return Array.from({ length: 700 }, (_, i) => ({
    aad: i === 300 ? `clé${i}:` : `K${i}:`,
    plaintext: i === 600 ? Uint8Array.of(0xff, 0, 10) : i === 299 ? "héllo 😀" : `value-${i}`,
    type: i % 3 === 0 ? "int" : "str",
  }));
}

function pack(list: readonly Job[], alloc: Alloc, bound = list.length) {
  const packer = new EncryptPacker(bound, alloc);
  for (const j of list) packer.measure(j.aad, undefined, j.plaintext, j.type);
  for (const j of list) packer.write(j.aad, undefined, j.plaintext);
  return packer.finish();
}

describe("EncryptPacker", () => {
  it("packs ASCII, multi-byte and raw-byte jobs so each encrypts under its AAD", () => {
    for (const alloc of [LOCAL_ALLOC, SHARED_ALLOC]) {
      const list = jobs();
      // A bound above the job count (a tree's leaves, some of them not selected).
      const p = pack(list, alloc, list.length + 50);
      expect(p.count).toBe(list.length);
      const out = Buffer.alloc(p.encOffs[p.count]!, "?");
      placeIvs(p, out, p.encOffs);
      encryptPacked(nodeCrypto, KEY, p.bytes, p.offs, p.typeCodes, p.typeNames, out, p.encOffs, 0, p.count);
      expect(out.includes("?")).toBe(false);
      list.forEach((j, i) => {
        const parsed = parseEnc(out.toString("latin1", p.encOffs[i]!, p.encOffs[i + 1]!))!;
        expect(parsed.type).toBe(j.type);
        const want = typeof j.plaintext === "string" ? Buffer.from(j.plaintext, "utf8") : Buffer.from(j.plaintext);
        expect(decryptParsed(KEY, parsed, j.aad).equals(want), `job ${i}`).toBe(true);
      });
    }
  });

  it("packs an AAD given in parts (head, key, colon) as the joined text", () => {
    const packer = new EncryptPacker(2, LOCAL_ALLOC);
    packer.measure("a:", "clé", "v", "str");
    packer.measure(":", undefined, "w", "comment");
    packer.write("a:", "clé", "v");
    packer.write(":", undefined, "w");
    const p = packer.finish();
    expect(p.bytes.toString("utf8", p.offs[0]!, p.offs[1]!)).toBe("a:clé:");
    expect(p.bytes.toString("utf8", p.offs[1]!, p.offs[2]!)).toBe("v");
    expect(p.bytes.toString("utf8", p.offs[2]!, p.offs[4]!)).toBe(":w");
    expect(p.typeNames[p.typeCodes[1]!]).toBe("comment");
  });

  it("keeps a reused IV and draws fresh ones elsewhere", () => {
    const iv = Buffer.alloc(12, 9);
    const packer = new EncryptPacker(2, LOCAL_ALLOC);
    packer.measure("a:", undefined, "x", "str", iv);
    packer.measure("b:", undefined, "y", "str");
    packer.write("a:", undefined, "x");
    packer.write("b:", undefined, "y");
    const p = packer.finish();
    expect(p.reuseIvs.get(0)).toBe(iv);
    expect(p.reuseIvs.has(1)).toBe(false);
    const out = Buffer.alloc(p.encOffs[2]!, "?");
    placeIvs(p, out, p.encOffs);
    encryptPacked(nodeCrypto, KEY, p.bytes, p.offs, p.typeCodes, p.typeNames, out, p.encOffs, 0, 2);
    const [a, b] = [0, 1].map((i) => parseEnc(out.toString("latin1", p.encOffs[i]!, p.encOffs[i + 1]!))!);
    expect(a!.iv.equals(iv)).toBe(true);
    expect(b!.iv.length).toBe(32);
    expect(decryptParsed(KEY, b!, "b:").toString()).toBe("y");
  });

  it("refuses jobs written differently from how they were measured", () => {
    const list = jobs();
    const packer = new EncryptPacker(list.length, LOCAL_ALLOC);
    for (const j of list) packer.measure(j.aad, undefined, j.plaintext, j.type);
    expect(() => {
      for (const j of list) packer.write(j.aad, undefined, j.plaintext === "value-5" ? "value-55" : j.plaintext);
    }).toThrow(/changed between measuring and packing/);
    const short = new EncryptPacker(2, LOCAL_ALLOC);
    short.measure("a:", undefined, "x", "str");
    short.measure("b:", undefined, "y", "str");
    short.write("a:", undefined, "x");
    expect(() => short.finish()).toThrow(/fewer encrypt jobs written/);
    expect(() => short.measure("c:", undefined, "z", "str")).toThrow(/measured after packing began/);
  });

  it("refuses more jobs than its bound", () => {
    const packer = new EncryptPacker(1, LOCAL_ALLOC);
    packer.measure("a:", undefined, "x", "str");
    expect(() => packer.measure("b:", undefined, "y", "str")).toThrow(/more encrypt jobs than counted/);
  });
});
