import type { FormatName } from "../formats/types.js";
import { formatForPath } from "../formats/registry.js";

/** Extensions that name a structured format; anything else may be a git temp name. */
const KNOWN = /\.(ya?ml|json|toml|env|ini)$/;

/**
 * The format of a SOPS-encrypted file judged from its content, or undefined when it
 * carries no SOPS metadata (a plaintext file, e.g. an old commit). Cheap textual checks
 * only: the real parse happens afterwards and reports real errors.
 */
export function sniffEncrypted(bytes: Uint8Array): FormatName | undefined {
  const head = Buffer.from(bytes.subarray(0, Math.min(bytes.length, 1 << 20))).toString("utf8");
  const text = head.replace(/^\uFEFF/, "");
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{")) {
    if (!/"sops"\s*:\s*\{/.test(text) || !/"mac"\s*:/.test(text)) return undefined;
    // The binary store is the JSON store with exactly `data` + `sops`.
    const topKeys = topLevelJsonKeys(trimmed);
    return topKeys.length === 2 && topKeys[0] === "data" && topKeys[1] === "sops" ? "binary" : "json";
  }
  if (/^sops_mac=/m.test(text) && /^sops_(lastmodified|version)=/m.test(text)) return "dotenv";
  if (/^\[sops\]\s*$/m.test(text)) return /^\s*lastmodified\s*=\s*["']/m.test(text) ? "toml" : "ini";
  if (/^sops:\s*$/m.test(text) && /^\s+mac:\s/m.test(text)) return "yaml";
  return undefined;
}

/** Keys of the outermost JSON object, by a tiny scanner (strings and nesting only). */
function topLevelJsonKeys(text: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      if (depth === 1 && expectKey) {
        keys.push(text.slice(i + 1, j));
        expectKey = false;
      }
      i = j;
    } else if (c === "{" || c === "[") {
      depth++;
      if (depth === 1) expectKey = true;
    } else if (c === "}" || c === "]") depth--;
    else if (c === "," && depth === 1) expectKey = true;
  }
  return keys;
}

/**
 * The format to parse `bytes` with. A real extension on `path` (the %P of a merge, or
 * textconv's `XXXXXX_name.yaml` temp file that keeps the name) wins; otherwise — git's
 * `.merge_file_AbC123` temp names — the content decides. Undefined: not a SOPS file.
 */
export function detectFormat(bytes: Uint8Array, path: string | undefined): FormatName | undefined {
  const sniffed = sniffEncrypted(bytes);
  if (sniffed === undefined) return undefined;
  const name = path?.replace(/\.(tmp|orig)$/, "");
  if (name && KNOWN.test(name)) {
    const byExt = formatForPath(name);
    if (byExt !== "binary") return sniffed === "binary" && byExt === "json" ? "json" : byExt;
  }
  return sniffed;
}
