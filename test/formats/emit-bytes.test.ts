import { describe, expect, it } from "vitest";
import { PartSink, partsToBytes } from "../../src/formats/emit-bytes.js";

/** The reference: join the string runs, encode each run, concatenate with the byte runs. */
function reference(parts: Array<string | Uint8Array>): Buffer {
  const chunks: Buffer[] = [];
  let text = "";
  for (const p of parts) {
    if (typeof p === "string") text += p;
    else {
      chunks.push(Buffer.from(text, "utf8"), Buffer.from(p));
      text = "";
    }
  }
  chunks.push(Buffer.from(text, "utf8"));
  return Buffer.concat(chunks);
}

let seed = 42;
const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);

describe("partsToBytes", () => {
  it("encodes an empty list and ASCII exactly", () => {
    expect(partsToBytes([])).toEqual(new Uint8Array(0));
    expect(Buffer.from(partsToBytes(["KEY", "=", "v", "\n"])).toString()).toBe("KEY=v\n");
  });

  it("gives the bytes of the joined text across batch boundaries, with non-ASCII and byte runs", () => {
    const pieces = ["a", "é", "€", "😀", "\ud83d", "\ude00", "\ud800", "x".repeat(5000), "=", "\n"];
    for (let round = 0; round < 40; round++) {
      const parts: Array<string | Uint8Array> = [];
      const count = 1 + rnd(400);
      for (let i = 0; i < count; i++) {
        if (rnd(20) === 0) parts.push(Uint8Array.from([0xff, 0x41, 0xc3]));
        else parts.push(pieces[rnd(pieces.length)]!);
      }
      expect(Buffer.from(partsToBytes(parts)).equals(reference(parts))).toBe(true);
    }
  });

  it("keeps a surrogate pair split over two parts at a batch boundary as one character", () => {
    const parts = ["y".repeat(16383) + "\ud83d", "\ude00", "z"];
    expect(Buffer.from(partsToBytes(parts)).toString()).toBe("y".repeat(16383) + "😀z");
  });

  it("PartSink keeps every part in order across blocks", () => {
    const sink = new PartSink();
    const parts: Array<string | Uint8Array> = [];
    for (let i = 0; i < 20000; i++) {
      const group: Array<string | Uint8Array> = [String(i), "=", i % 97 === 0 ? Uint8Array.from([0xfe, i & 0xff]) : "é".repeat(i % 3), "\n"].slice(0, 1 + (i % 4));
      sink.push(group[0]!, group[1], group[2], group[3]);
      parts.push(...group);
    }
    expect(Buffer.from(sink.toBytes()).equals(reference(parts))).toBe(true);
  });
});
