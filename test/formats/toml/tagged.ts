/**
 * toml-test's tagged JSON (`{"type": "integer", "value": "42"}`) for a tree, and a
 * comparison that treats equal numbers and equal instants as equal.
 */
import type { Node } from "../../../src/tree/types.js";

export type Tagged = { type: string; value: string } | Tagged[] | { [key: string]: Tagged };

const TYPE_NAMES: Record<string, string> = {
  str: "string",
  int: "integer",
  float: "float",
  bool: "bool",
  time: "datetime",
  datetime_local: "datetime-local",
  date_local: "date-local",
  time_local: "time-local",
};

/** Tree → tagged JSON (comments dropped). */
export function toTagged(node: Node): Tagged {
  if (node.kind === "map") {
    const out: { [key: string]: Tagged } = {};
    for (const item of node.items) if (item.kind === "entry") out[item.key] = toTagged(item.value);
    return out;
  }
  if (node.kind === "seq") return node.items.filter((i) => i.kind !== "comment").map((i) => toTagged(i as Node));
  const v = node.value;
  if (v.type === "null" || v.type === "bytes") throw new Error(`unexpected ${v.type} leaf`);
  const value = v.type === "float" && Object.is(v.value, -0) ? "-0" : String(v.value);
  return { type: TYPE_NAMES[v.type] ?? v.type, value };
}

function floatOf(s: string): number {
  const t = s.replace(/^\+/, "");
  if (t === "inf") return Infinity;
  if (t === "-inf") return -Infinity;
  if (t === "nan" || t === "-nan") return NaN;
  return Number(t);
}

/** Normalise date/time text: `T`, `Z`, no trailing fraction zeros. */
function normTime(s: string): string {
  return s
    .replace(/^(\d{4}-\d{2}-\d{2})[ tT]/, "$1T")
    .replace(/[zZ]$/, "Z")
    .replace(/([+-]00:00)$/, "Z")
    .replace(/(\.\d*?)0+(?=$|Z|[+-])/, "$1")
    .replace(/\.(?=$|Z|[+-])/, "");
}

function scalarEqual(a: { type: string; value: string }, b: { type: string; value: string }): boolean {
  if (a.type !== b.type) return false;
  switch (a.type) {
    case "float":
      return Object.is(floatOf(a.value), floatOf(b.value));
    case "integer":
      return BigInt(a.value) === BigInt(b.value);
    case "datetime":
    case "datetime-local":
    case "time-local":
      return normTime(a.value) === normTime(b.value);
    default:
      return a.value === b.value;
  }
}

function isScalar(t: Tagged): t is { type: string; value: string } {
  return !Array.isArray(t) && typeof (t as { type?: unknown }).type === "string" && typeof (t as { value?: unknown }).value === "string" && Object.keys(t).length === 2;
}

/** First difference between actual and expected, or null. */
export function diffTagged(actual: Tagged, expected: Tagged, path = "$"): string | null {
  if (isScalar(expected)) {
    if (!isScalar(actual)) return `${path}: expected scalar, got ${JSON.stringify(actual)}`;
    return scalarEqual(actual, expected) ? null : `${path}: ${JSON.stringify(actual)} != ${JSON.stringify(expected)}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: expected array`;
    if (actual.length !== expected.length) return `${path}: length ${actual.length} != ${expected.length}`;
    for (let i = 0; i < expected.length; i++) {
      const d = diffTagged(actual[i]!, expected[i]!, `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (Array.isArray(actual) || isScalar(actual)) return `${path}: expected table`;
  const ek = Object.keys(expected).sort();
  const ak = Object.keys(actual).sort();
  if (ek.join("\u0000") !== ak.join("\u0000")) return `${path}: keys ${JSON.stringify(ak)} != ${JSON.stringify(ek)}`;
  for (const k of ek) {
    const d = diffTagged((actual as Record<string, Tagged>)[k]!, (expected as Record<string, Tagged>)[k]!, `${path}.${k}`);
    if (d) return d;
  }
  return null;
}
