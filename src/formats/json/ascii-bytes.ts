/**
 * Byte-level helpers for the decrypt path's JSON parser (bytes-parser.ts), which reads
 * ASCII input without decoding it.
 */

/** 0: a byte that a canonical string run may hold; 1: `<` `>` `&` (kept, not canonical); 2: stops the run. */
let byteClass: Uint8Array | undefined;

export function byteClasses(): Uint8Array {
  if (byteClass) return byteClass;
  const t = new Uint8Array(256).fill(2, 0, 32);
  t[34] = t[92] = 2;
  t[60] = t[62] = t[38] = 1;
  // Not ASCII: never met (the caller checks), but stopping is the safe answer.
  t.fill(2, 128);
  return (byteClass = t);
}

export function startsWithAscii(b: Uint8Array, at: number, text: string): boolean {
  if (at + text.length > b.length) return false;
  for (let i = 0; i < text.length; i++) if (b[at + i] !== text.charCodeAt(i)) return false;
  return true;
}
