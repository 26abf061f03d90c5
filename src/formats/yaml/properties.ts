/**
 * Node properties (tags, anchors) and the typed value of a scalar: untagged plain
 * scalars resolve like go-yaml v3, quoted and block scalars are strings, core-schema
 * tags (`!!str`, `!!int`, …) just type the value as go-yaml does (SOPS drops tags).
 * Anchors, aliases, merge keys and custom tags are refused: SOPS would expand them into
 * separately encrypted copies and lose them on output.
 */
import type { ScalarValue } from "../../tree/types.js";
import { type Cursor, isBlankOrEnd } from "./cursor.js";
import { resolvePlain, UintOverflow } from "./resolve.js";

const CORE = "tag:yaml.org,2002:";

export const ALIAS_HINT =
  "sobre does not expand anchors, aliases or merge keys (`<<`) because the expanded copies would be encrypted separately and written back expanded; inline the values instead";

/** Tag handles of the current document (`%TAG`). */
export type TagHandles = Map<string, string>;

export interface Properties {
  /** Resolved tag (`tag:yaml.org,2002:str`, or a local/custom tag), if any. */
  tag: string | undefined;
  /** Position after the properties and following blanks. */
  next: number;
}

/** Parse `!tag` properties at `at`; refuses anchors (`&`) and aliases (`*`). */
export function parseProperties(c: Cursor, at: number, handles: TagHandles): Properties {
  const t = c.text;
  let i = at;
  let tag: string | undefined;
  for (;;) {
    const ch = t[i];
    if (ch === "&" || ch === "*") {
      throw c.error(i, ch === "&" ? "anchors are not supported" : "aliases are not supported", ALIAS_HINT);
    }
    if (ch !== "!") break;
    if (tag !== undefined) throw c.error(i, "a node can have only one tag");
    let j = i + 1;
    if (t[j] === "<") {
      j = t.indexOf(">", j);
      if (j < 0) throw c.error(i, "did not find the expected '>'");
      j++;
    } else while (!isBlankOrEnd(t.charCodeAt(j)) && t[j] !== "," && t[j] !== "]" && t[j] !== "}") j++;
    tag = resolveTagToken(c, i, t.slice(i, j), handles);
    i = c.skipBlanks(j);
  }
  return { tag, next: i };
}

function resolveTagToken(c: Cursor, at: number, token: string, handles: TagHandles): string {
  if (token.startsWith("!<")) {
    if (!token.endsWith(">")) throw c.error(at, "did not find the expected '>'");
    return decodeTag(c, at, token.slice(2, -1));
  }
  if (token === "!") return "!";
  const second = token.indexOf("!", 1);
  const handle = second > 0 ? token.slice(0, second + 1) : "!";
  const suffix = second > 0 ? token.slice(second + 1) : token.slice(1);
  const prefix = handles.get(handle) ?? (handle === "!!" ? CORE : handle === "!" ? "!" : undefined);
  if (prefix === undefined) throw c.error(at, `found undefined tag handle ${handle}`);
  return prefix + decodeTag(c, at, suffix);
}

/** Tags are URI-escaped; a malformed escape (`!%`) is a syntax error, not a URIError crash. */
function decodeTag(c: Cursor, at: number, text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw c.error(at, "invalid %-escape in tag", "escape a literal % in a tag as %25");
  }
}

/** Short name of a core tag (`str`, `int`, …) or undefined for anything else. */
export function coreName(tag: string): string | undefined {
  return tag.startsWith(CORE) ? tag.slice(CORE.length) : undefined;
}

function refuseTag(c: Cursor, at: number, tag: string): never {
  throw c.error(at, `unsupported tag ${tag}`, "SOPS drops tags; remove the tag or use a core tag such as !!str");
}

function decodeBinary(c: Cursor, at: number, text: string): ScalarValue {
  const b64 = text.replace(/[\r\n]/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) throw c.error(at, "invalid base64 data in !!binary scalar");
  const bytes = Uint8Array.from(Buffer.from(b64, "base64"));
  try {
    return { type: "str", value: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    return { type: "bytes", value: bytes };
  }
}

/** The typed value of a scalar, as go-yaml v3 decodes it into `interface{}`. */
export function scalarValue(c: Cursor, at: number, text: string, plain: boolean, tag: string | undefined): ScalarValue {
  if (tag === undefined) {
    if (!plain) return { type: "str", value: text };
    if (text === "<<") throw c.error(at, "merge keys (<<) are not supported", ALIAS_HINT);
    const r = resolvePlain(text);
    if (r instanceof UintOverflow) {
      throw c.error(at, "integer out of the signed 64-bit range", "SOPS cannot store integers above 9223372036854775807; quote the value to keep it as a string");
    }
    return r;
  }
  const name = coreName(tag);
  switch (name) {
    case "str":
      return { type: "str", value: text };
    case "binary":
      return decodeBinary(c, at, text);
    case "int":
    case "float":
    case "bool":
    case "null":
    case "timestamp": {
      const r = resolvePlain(text);
      if (r instanceof UintOverflow) throw c.error(at, "integer out of the signed 64-bit range");
      const want = name === "timestamp" ? "time" : name;
      if (r.type === want) return r;
      if (name === "float" && r.type === "int") return { type: "float", value: Number(r.value) };
      throw c.error(at, `cannot decode this value as !!${name}`);
    }
    default:
      return refuseTag(c, at, tag);
  }
}

/** Check a tag placed on a collection. */
export function checkCollectionTag(c: Cursor, at: number, tag: string | undefined, kind: "map" | "seq"): void {
  if (tag === undefined) return;
  if (coreName(tag) !== kind) refuseTag(c, at, tag);
}
