import { describe, expect, it } from "vitest";
import { PartSink } from "../../../src/formats/emit-bytes.js";
import { ByteSink } from "../../../src/formats/json/byte-sink.js";

describe("ByteSink", () => {
  it("gives the bytes PartSink gives: non-ASCII, surrogate pairs across batches, growth past its first capacity", () => {
    const parts: string[] = [];
    let seed = 1;
    const rnd = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    const pieces = ["a", "key", ": ", "\n    ", "é", "😀", "\ud83d", "\ude00", "x".repeat(5000), "€uro", ""];
    for (let i = 0; i < 400_000; i++) parts.push(pieces[rnd(pieces.length)]!);
    const a = new PartSink();
    const b = new ByteSink();
    for (let i = 0; i < parts.length; i += 3) {
      a.push(parts[i]!, parts[i + 1], parts[i + 2]);
      b.push(parts[i]!, parts[i + 1], parts[i + 2]);
    }
    const want = Buffer.from(a.toBytes());
    expect(want.length).toBeGreaterThan(2 << 20);
    expect(Buffer.from(b.toBytes()).equals(want)).toBe(true);
    expect(Buffer.from(new ByteSink().toBytes()).length).toBe(0);
  });
});
