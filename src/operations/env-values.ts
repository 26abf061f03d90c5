import { ExecError, inFile } from "../errors.js";
import { scalarToText } from "../tree/value-text.js";
import type { MapNode } from "../tree/types.js";

/** A value as SOPS renders it for exec-env (`ValToString`). */
export const renderEnvValue = scalarToText;

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
