/**
 * JSON number scanning and typing (SOPS 3.13.2: integers that fit int64 are `int`, as
 * an exact bigint; every other number is `float`). Split from the parser.
 */
import type { ScalarValue } from "../../tree/types.js";
import type { FailAt } from "./string-escapes.js";

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The offset just after the number starting at `start` (a `-` or a digit); fails on bad syntax. */
export function numberEnd(s: string, start: number, fail: FailAt): number {
  let p = start;
  if (s.charCodeAt(p) === 45) p++;
  let c = s.charCodeAt(p);
  if (c === 48) p++;
  else if (c >= 49 && c <= 57) {
    do p++;
    while (isDigit(s.charCodeAt(p)));
  } else fail("invalid number (expected a digit)", p);
  if (s.charCodeAt(p) === 46) {
    p++;
    if (!isDigit(s.charCodeAt(p))) fail("invalid number (expected a digit after '.')", p);
    while (isDigit(s.charCodeAt(p))) p++;
  }
  c = s.charCodeAt(p);
  if (c === 101 || c === 69) {
    p++;
    c = s.charCodeAt(p);
    if (c === 43 || c === 45) p++;
    if (!isDigit(s.charCodeAt(p))) fail("invalid number (expected a digit in the exponent)", p);
    while (isDigit(s.charCodeAt(p))) p++;
  }
  return p;
}

/** `numberEnd` over ASCII bytes (the decrypt path's parser; no input string exists there). */
export function numberEndBytes(b: Uint8Array, start: number, fail: FailAt): number {
  const n = b.length;
  const at = (i: number): number => (i < n ? b[i]! : -1);
  let p = start;
  if (at(p) === 45) p++;
  let c = at(p);
  if (c === 48) p++;
  else if (c >= 49 && c <= 57) {
    do p++;
    while (isDigit(at(p)));
  } else fail("invalid number (expected a digit)", p);
  if (at(p) === 46) {
    p++;
    if (!isDigit(at(p))) fail("invalid number (expected a digit after '.')", p);
    while (isDigit(at(p))) p++;
  }
  c = at(p);
  if (c === 101 || c === 69) {
    p++;
    c = at(p);
    if (c === 43 || c === 45) p++;
    if (!isDigit(at(p))) fail("invalid number (expected a digit in the exponent)", p);
    while (isDigit(at(p))) p++;
  }
  return p;
}

/** The value of a syntactically valid number `raw` read at `start` (for the error position). */
export function numberValue(raw: string, start: number, fail: FailAt): ScalarValue {
  if (raw.indexOf(".") < 0 && raw.indexOf("e") < 0 && raw.indexOf("E") < 0) {
    const digits = raw.length - (raw.charCodeAt(0) === 45 ? 1 : 0);
    if (digits <= 15) return { type: "int", value: BigInt(Number(raw)) };
    const big = BigInt(raw);
    if (big >= INT64_MIN && big <= INT64_MAX) return { type: "int", value: big };
  }
  const value = Number(raw);
  if (!Number.isFinite(value)) {
    fail(`number ${raw} is out of range for a 64-bit float`, start, "SOPS cannot store it either; quote it as a string");
  }
  return { type: "float", value };
}
