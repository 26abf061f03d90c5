import { describe, expect, it } from "vitest";
import { bech32Decode, bech32Encode } from "../../../src/keys/age/bech32.js";
import { armor, b64Decode, dearmor, encodeHeaderNoMac, parseFile } from "../../../src/keys/age/format.js";
import { encryptWithStanzas, decryptWithFileKey } from "../../../src/keys/age/stream.js";

describe("bech32", () => {
  it("decodes BIP-173 test vectors and rejects bad ones", () => {
    expect(bech32Decode("A12UEL5L").hrp).toBe("A");
    expect(bech32Decode("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw").hrp).toBe("abcdef");
    expect(() => bech32Decode("A12UEl5L")).toThrow(/mixed case/);
    expect(() => bech32Decode("A12UEL5A")).toThrow(/checksum/);
    expect(() => bech32Decode("pzry9x0s0muk")).toThrow();
  });
  it("round-trips bytes in both cases", () => {
    const data = Uint8Array.from({ length: 32 }, (_, i) => i * 7);
    const lower = bech32Encode("age", data);
    expect(lower.startsWith("age1")).toBe(true);
    expect(bech32Decode(lower).data).toEqual(data);
    const upper = bech32Encode("AGE-SECRET-KEY-", data);
    expect(upper).toBe(upper.toUpperCase());
    expect(bech32Decode(upper).data).toEqual(data);
  });
});

describe("base64 and armor", () => {
  it("rejects non-canonical unpadded base64", () => {
    expect(b64Decode("AA")).toEqual(new Uint8Array([0]));
    expect(() => b64Decode("AB")).toThrow(/non-canonical/);
    expect(() => b64Decode("AA==")).toThrow();
    expect(() => b64Decode("A")).toThrow();
  });
  it("armors in 64-column lines with a final newline and reads it back strictly", () => {
    const data = new Uint8Array(200).map((_, i) => i);
    const text = armor(data);
    const lines = text.split("\n");
    expect(lines[0]).toBe("-----BEGIN AGE ENCRYPTED FILE-----");
    expect(lines[1]).toHaveLength(64);
    expect(text.endsWith("-----END AGE ENCRYPTED FILE-----\n")).toBe(true);
    expect(dearmor(text)).toEqual(data);
    expect(dearmor("\n  " + text.replace(/\n/g, "\r\n") + "  \n")).toEqual(data);
    // A short line in the middle, or garbage after the footer, is rejected.
    expect(() => dearmor(text.replace(lines[1]!, lines[1]!.slice(0, 60)))).toThrow(/line length/);
    expect(() => dearmor(text + "x")).toThrow(/footer/);
  });
});

describe("header and payload", () => {
  const fileKey = new Uint8Array(16).fill(3);
  const stanzas = [
    { type: "X25519", args: ["abc"], body: new Uint8Array(32).fill(1) },
    { type: "test", args: [], body: new Uint8Array(48).fill(2) }, // 64 chars: needs an empty final line
  ];
  it("encodes stanzas and parses them back", () => {
    const header = new TextDecoder().decode(encodeHeaderNoMac(stanzas));
    const body = Buffer.alloc(48, 2).toString("base64");
    expect(body).toHaveLength(64);
    expect(header.endsWith(`-> test\n${body}\n\n---`)).toBe(true);
    const file = parseFile(encryptWithStanzas(fileKey, stanzas, new Uint8Array([1, 2, 3])));
    expect(file.stanzas.map((s) => s.type)).toEqual(["X25519", "test"]);
    expect(file.stanzas[1]!.body).toEqual(stanzas[1]!.body);
    expect(decryptWithFileKey(fileKey, file)).toEqual(new Uint8Array([1, 2, 3]));
  });
  it("handles payloads across chunk boundaries", () => {
    for (const size of [0, 65536, 65537, 131073]) {
      const data = new Uint8Array(size).fill(size % 251);
      const file = parseFile(encryptWithStanzas(fileKey, stanzas, data));
      // Buffer.equals: vitest's deep equality is slow on large arrays.
      expect(Buffer.from(decryptWithFileKey(fileKey, file)).equals(data)).toBe(true);
    }
  });
  it("detects a modified header or payload", () => {
    const bytes = encryptWithStanzas(fileKey, stanzas, new Uint8Array(33));
    const header = bytes.slice();
    header[30]! ^= 1; // inside the first stanza line
    expect(() => decryptWithFileKey(fileKey, parseFile(header))).toThrow();
    const payload = bytes.slice();
    payload[payload.length - 1]! ^= 1;
    expect(() => decryptWithFileKey(fileKey, parseFile(payload))).toThrow(/payload/);
    expect(() => parseFile(new TextEncoder().encode("age-encryption.org/v2\n"))).toThrow(/version/);
  });
});
