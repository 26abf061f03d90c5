import { describe, expect, it } from "vitest";
import { AadBytes } from "../../src/tree/aad-bytes.js";

describe("AadBytes", () => {
  it("keeps each AAD's UTF-8 bytes in order, growing past its first capacity", () => {
    const aads = ["a:", "clé:b:", "", "x".repeat(10_000) + ":", "😀:"];
    const packed = new AadBytes(aads.length);
    for (const a of aads) packed.push(a);
    aads.forEach((a, i) => {
      expect(packed.length(i)).toBe(Buffer.byteLength(a));
      expect(packed.bytes.toString("utf8", packed.offs[i], packed.offs[i + 1])).toBe(a);
    });
  });
});
