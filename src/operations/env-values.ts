import { ExecError, inFile } from "../errors.js";
import { formatFloatG } from "../tree/float-format.js";
import type { MapNode, ScalarValue } from "../tree/types.js";

/**
 * A value as SOPS's `ValToString` renders it for exec-env and dotenv/INI output:
 * floats in shortest `G` form (uppercase exponent) with `.0` when they would read as an
 * integer, bools `true`/`false`, times RFC 3339 to the second. Null (SOPS: Go's `<nil>`)
 * becomes the empty string.
 */
export function renderEnvValue(value: ScalarValue): string | Uint8Array {
  switch (value.type) {
    case "str":
      return value.value;
    case "bytes":
      return value.value;
    case "int":
      return value.value.toString();
    case "float": {
      const g = formatFloatG(value.value, true);
      return /^[+-]?\d+$/.test(g) ? `${g}.0` : g;
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

/**
 * The top-level entries of a decrypted document as environment variables, in file
 * order (comments skipped). Nested values, `=` in a key, NUL or non-UTF-8 bytes are
 * errors naming the key (never the value).
 */
export function envFromDocument(doc: MapNode, file: string, opts: { dotenv?: boolean } = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of doc.items) {
    if (item.kind !== "entry") continue;
    // dotenv keeps `export ` in the key (SOPS semantics); the variable is the name after it.
    const key = opts.dotenv ? item.key.replace(/^export\s+/, "") : item.key;
    const hint = "exec-env passes only top-level scalar values; restructure the file or use exec-file";
    if (key.includes("=") || key.includes("\0") || key === "") {
      throw new ExecError(inFile(file, `cannot use key ${JSON.stringify(key)} as an environment variable name (contains '=' or is empty)`), { hint });
    }
    if (item.value.kind !== "leaf") {
      throw new ExecError(inFile(file, `cannot use the nested value of key ${JSON.stringify(key)} in the environment`), { hint });
    }
    const rendered = renderEnvValue(item.value.value);
    if (typeof rendered !== "string") {
      throw new ExecError(inFile(file, `the value of key ${JSON.stringify(key)} is not valid UTF-8 and cannot be an environment variable`), { hint });
    }
    if (rendered.includes("\0")) {
      throw new ExecError(inFile(file, `the value of key ${JSON.stringify(key)} contains a NUL byte, which environment variables cannot hold`), { hint });
    }
    out[key] = opts.dotenv ? unquoteDotenv(rendered) : rendered;
  }
  return out;
}

/**
 * dotenv values keep their quotes as SOPS stores them (`"a b"`); in the environment a
 * dotenv user means the text inside one pair of matching outer quotes (SOPS passes the
 * quotes through, a long-standing surprise).
 */
function unquoteDotenv(value: string): string {
  const m = /^(["'])([\s\S]*)\1$/.exec(value);
  if (!m) return value;
  if (m[1] === "'") return m[2]!;
  return m[2]!.replace(/\\([nrt"\\])/g, (_, c: string) => (c === "n" ? "\n" : c === "r" ? "\r" : c === "t" ? "\t" : c));
}
