import { describe, expect, it } from "vitest";
import { utf8Length, writeUtf8 } from "../../src/tree/text-bytes.js";

const SAMPLES = ["", "KEY=", "plain ascii value", "héllo", "😀 emoji", "\u007f\u0080", "a\ud800b" /* lone surrogate */];

describe("text-bytes", () => {
  it("measures and writes exactly what Buffer does for UTF-8", () => {
    for (const s of SAMPLES) {
      const want = Buffer.from(s, "utf8");
      expect(utf8Length(s)).toBe(want.length);
      const out = Buffer.alloc(want.length + 4, 0xee);
      expect(writeUtf8(out, s, 2)).toBe(2 + want.length);
      expect(out.subarray(2, 2 + want.length).equals(want)).toBe(true);
      expect(out[0]).toBe(0xee);
      expect(out[out.length - 1]).toBe(0xee);
    }
  });
});
