import type { EncTextRanges } from "../../src/tree/cipher-texts.js";

/** Ranges over `source`, which holds `lines` joined by one separator byte each. */
export function rangesOver(source: Uint8Array, lines: string[]): EncTextRanges {
  const starts: number[] = [];
  const ends: number[] = [];
  let at = 0;
  for (const line of lines) {
    starts.push(at);
    at += Buffer.byteLength(line, "utf8");
    ends.push(at);
    at += 1;
  }
  return {
    source,
    start: (k) => starts[k]!,
    end: (k) => ends[k]!,
    text: (k) => Buffer.from(source.buffer, source.byteOffset, source.byteLength).toString("utf8", starts[k], ends[k]),
  };
}
