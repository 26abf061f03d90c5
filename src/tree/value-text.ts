import { formatFloatG } from "./float-format.js";
import type { ScalarValue } from "./types.js";

/**
 * A scalar as SOPS's `ValToString` renders it for the flat stores (dotenv, INI) and
 * exec-env: ints base 10, floats shortest `%G` with `.0` appended when integral (`1000.0`,
 * `1E+21`), bools `true`/`false`, times RFC 3339 to the second (Go's `time.RFC3339`
 * drops fractions). Null (SOPS: Go's `<nil>`) is the empty string. Bytes stay bytes so
 * non-UTF-8 values are written back unchanged.
 */
export function scalarToText(value: ScalarValue): string | Uint8Array {
  switch (value.type) {
    case "str":
    case "bytes":
      return value.value;
    case "int":
      return value.value.toString();
    case "float": {
      const g = formatFloatG(value.value, true);
      if (g.includes(".") || g.includes("E") || !Number.isFinite(value.value)) return g;
      return (Object.is(value.value, -0) ? "-" : "") + Math.abs(value.value).toFixed(1);
    }
    case "bool":
      return value.value ? "true" : "false";
    case "time":
      return rfc3339Seconds(value.value);
    case "null":
      return "";
    default:
      return value.value;
  }
}

/** Go `time.RFC3339` drops the fraction: `2024-01-02T03:04:05.5+01:00` → `2024-01-02T03:04:05+01:00`. */
function rfc3339Seconds(text: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[Tt ](\d{2}:\d{2}:\d{2})(?:\.\d+)?)?\s*(Z|z|[+-]\d{2}:\d{2})?$/.exec(text);
  if (!m) return text;
  const zone = m[3] === undefined || m[3] === "z" ? "Z" : m[3];
  return `${m[1]}T${m[2] ?? "00:00:00"}${zone}`;
}
