/**
 * Non-string TOML scalars: booleans, integers (64-bit exact), floats and the four
 * date/time kinds. Reading a token, and writing a value in canonical TOML spelling.
 */
import type { ScalarValue } from "../../tree/types.js";
import type { Cursor } from "./cursor.js";

const INT_MIN = -(2n ** 63n);
const INT_MAX = 2n ** 63n - 1n;

const DEC_INT = /^[+-]?(?:0|[1-9](?:_?[0-9])*)$/;
const HEX_INT = /^0x[0-9A-Fa-f](?:_?[0-9A-Fa-f])*$/;
const OCT_INT = /^0o[0-7](?:_?[0-7])*$/;
const BIN_INT = /^0b[01](?:_?[01])*$/;
const FLOAT = /^[+-]?(?:0|[1-9](?:_?[0-9])*)(?:\.[0-9](?:_?[0-9])*)?(?:[eE][+-]?[0-9](?:_?[0-9])*)?$/;
const SPECIAL_FLOAT = /^[+-]?(?:inf|nan)$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:([Tt ])(\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?)?$/;
const LOCAL_TIME = /^(\d{2}):(\d{2}):(\d{2})(\.\d+)?$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Characters a bare scalar token may contain. */
function isTokenChar(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x3a) || // 0-9 :
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    c === 0x5f || // _
    c === 0x2b || // +
    c === 0x2d || // -
    c === 0x2e // .
  );
}

/** Read a bare scalar (bool, number, date/time) at the cursor. */
export function readBareScalar(cur: Cursor): ScalarValue {
  const start = cur.pos;
  let p = start;
  while (p < cur.len && isTokenChar(cur.text.charCodeAt(p))) p++;
  let token = cur.text.slice(start, p);
  // A date followed by a space and a time is one value: `1979-05-27 07:32:00Z`.
  if (DATE_ONLY.test(token) && cur.text.charCodeAt(p) === 0x20 && /^\d\d:/.test(cur.text.slice(p + 1, p + 4))) {
    p++;
    while (p < cur.len && isTokenChar(cur.text.charCodeAt(p))) p++;
    token = cur.text.slice(start, p);
  }
  if (token === "") cur.fail("expected a value", "values are strings, numbers, booleans, dates, [arrays] or {inline tables}");
  const value = scalarOf(token, cur, start);
  cur.pos = p;
  return value;
}

const DIGITS = /^[1-9][0-9]{0,14}$/;

function scalarOf(token: string, cur: Cursor, at: number): ScalarValue {
  if (DIGITS.test(token)) return { type: "int", value: BigInt(token) }; // the common case, always in range
  if (token === "true") return { type: "bool", value: true };
  if (token === "false") return { type: "bool", value: false };
  if (SPECIAL_FLOAT.test(token)) {
    const v = token.endsWith("nan") ? NaN : token.startsWith("-") ? -Infinity : Infinity;
    return { type: "float", value: v };
  }
  if (token.includes(":") || DATE_ONLY.test(token)) return readDateTime(token, cur, at);
  if (DEC_INT.test(token)) return checkedInt(BigInt(token.replaceAll("_", "")), cur, at);
  if (HEX_INT.test(token) || OCT_INT.test(token) || BIN_INT.test(token)) {
    return checkedInt(BigInt(token.replaceAll("_", "")), cur, at);
  }
  if (FLOAT.test(token) && /[.eE]/.test(token)) {
    return { type: "float", value: Number(token.includes("_") ? token.replaceAll("_", "") : token) };
  }
  return cur.fail(
    "invalid value",
    "strings need quotes; numbers may use _ only between digits; booleans are lowercase true/false",
    at,
  );
}

function checkedInt(value: bigint, cur: Cursor, at: number): ScalarValue {
  if (value < INT_MIN || value > INT_MAX) {
    cur.fail("integer does not fit in 64 bits", "quote it to keep it as a string, or use a float", at);
  }
  return { type: "int", value };
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

interface DateTimeParts {
  date: string;
  time?: string;
  frac?: string;
  offset?: string;
}

/** Split and range-check a TOML date/time; null when it is not one. */
export function parseDateTime(token: string): DateTimeParts | null {
  const t = LOCAL_TIME.exec(token);
  if (t) {
    if (!validTime(t[1], t[2], t[3])) return null;
    return { date: "", time: `${t[1]}:${t[2]}:${t[3]}`, ...(t[4] ? { frac: t[4] } : {}) };
  }
  const m = DATE_TIME.exec(token);
  if (!m) return null;
  const [, y, mo, d, sep, hh, mm, ss, frac, offset] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
  const date = `${y}-${mo}-${d}`;
  if (sep === undefined) return { date };
  if (!validTime(hh, mm, ss)) return null;
  const parts: DateTimeParts = { date, time: `${hh}:${mm}:${ss}`, ...(frac ? { frac } : {}) };
  if (offset !== undefined) {
    if (offset.length > 1 && (Number(offset.slice(1, 3)) > 23 || Number(offset.slice(4, 6)) > 59)) return null;
    parts.offset = offset;
  }
  return parts;
}

function validTime(hh?: string, mm?: string, ss?: string): boolean {
  return Number(hh) <= 23 && Number(mm) <= 59 && Number(ss) <= 60;
}

function readDateTime(token: string, cur: Cursor, at: number): ScalarValue {
  const p = parseDateTime(token);
  if (!p) {
    return cur.fail(
      "invalid date or time",
      "use RFC 3339: 1979-05-27, 07:32:00, 1979-05-27T07:32:00 or 1979-05-27T07:32:00Z",
      at,
    );
  }
  return dateTimeValue(p);
}

function dateTimeValue(p: DateTimeParts): ScalarValue {
  if (p.time === undefined) return { type: "date_local", value: p.date };
  if (p.date === "") return { type: "time_local", value: p.time + (p.frac ?? "") };
  if (p.offset === undefined) return { type: "datetime_local", value: `${p.date}T${p.time}${p.frac ?? ""}` };
  return { type: "time", value: canonicalOffset(p) };
}

/** RFC 3339 as Go writes it: `T`, fraction without trailing zeros, `Z` for a zero offset. */
function canonicalOffset(p: DateTimeParts): string {
  const frac = (p.frac ?? "").replace(/0+$/, "").replace(/^\.$/, "");
  const off = p.offset ?? "Z";
  const zero = off === "Z" || off === "z" || off.slice(1) === "00:00";
  return `${p.date}T${p.time}${frac}${zero ? "Z" : off}`;
}

/** Canonical text of an offset date-time, or null if `text` is not one. */
export function canonicalTime(text: string): string | null {
  const p = parseDateTime(text);
  return p && p.time !== undefined && p.date !== "" && p.offset !== undefined ? canonicalOffset(p) : null;
}

/** Does `text` parse as a TOML value of this date/time type? (Guards text we emit raw.) */
export function isDateTimeOf(type: "time" | "datetime_local" | "date_local" | "time_local", text: string): boolean {
  const p = parseDateTime(text);
  return p !== null && dateTimeValue(p).type === type;
}

/** TOML spelling of a float: always with `.` or an exponent; `inf`, `-inf`, `nan`. */
export function writeFloat(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (v === Infinity) return "inf";
  if (v === -Infinity) return "-inf";
  if (Object.is(v, -0)) return "-0.0";
  const s = String(v);
  return /[.e]/.test(s) ? s : s + ".0";
}
