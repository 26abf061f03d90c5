/**
 * Mapping keys: SOPS needs string keys (go-yaml decodes `1:`, `true:`, `~:` to other
 * types, which SOPS rejects) and refuses duplicates.
 */
import type { ScalarValue } from "../../tree/types.js";
import type { Cursor } from "./cursor.js";
import { ALIAS_HINT } from "./properties.js";

/** The string key of a parsed key node; throws a positioned FormatError otherwise. */
export function mapKey(c: Cursor, at: number, v: ScalarValue, plain: boolean, seen: Set<string>): string {
  if (v.type !== "str") {
    const hint = v.type === "null" ? "give the entry a key" : `quote the key to make it a string, e.g. "${v.type === "bytes" ? "" : String(v.value)}":`;
    throw c.error(at, `mapping key is a ${v.type === "time" ? "timestamp" : v.type}, not a string (SOPS supports string keys only)`, hint);
  }
  if (v.value === "<<" && plain) throw c.error(at, "merge keys (<<) are not supported", ALIAS_HINT);
  if (seen.has(v.value)) throw c.error(at, `mapping key "${v.value}" already defined`, "remove or rename the duplicate key");
  seen.add(v.value);
  return v.value;
}
