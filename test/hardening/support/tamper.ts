import { SobreError } from "../../../src/errors.js";
import type { FormatName } from "../../../src/formats/types.js";
import { openEncryptedFile } from "../../../src/operations/open-file.js";
import type { MapNode, Node } from "../../../src/tree/types.js";
import { ageContext } from "./samples.js";

/**
 * Tampering helpers: decrypt a modified file and classify the outcome, and label each
 * byte of an encrypted file with the part of the file it belongs to.
 */

/** A decrypted file's content: every leaf with its full path (indices included) and type. */
export function fingerprint(documents: readonly MapNode[]): string {
  const out: string[] = [];
  const visit = (node: Node, path: string): void => {
    if (node.kind === "leaf") {
      const v = node.value;
      const text = v.type === "null" ? "" : v.type === "bytes" ? Buffer.from(v.value).toString("hex") : String(v.value);
      out.push(`${path}=${v.type}:${text}`);
    } else if (node.kind === "map") {
      out.push(`${path}{}`);
      for (const item of node.items) if (item.kind === "entry") visit(item.value, `${path}/${JSON.stringify(item.key)}`);
    } else {
      out.push(`${path}[]`);
      node.items.forEach((item, i) => item.kind !== "comment" && visit(item, `${path}/${i}`));
    }
  };
  documents.forEach((d, i) => visit(d, `#${i}`));
  return out.join("\n");
}

/** The ordered plaintext of every non-empty value: exactly what the MAC authenticates. */
export function macCoveredValues(documents: readonly MapNode[]): string {
  return fingerprint(documents)
    .split("\n")
    .filter((l) => l.includes("="))
    .map((l) => l.slice(l.indexOf("=") + 1).replace(/^[a-z]+:/, ""))
    .filter((v) => v !== "")
    .join("\n");
}

export type Verdict =
  | { kind: "same" }
  | { kind: "error"; code: number }
  | { kind: "other-structure"; detail: string }
  | { kind: "DIFFERENT-VALUES"; detail: string }
  | { kind: "crash"; detail: string };

// One context for all cases: identities load once, and the unwrap cache is keyed by the
// exact `enc` text, so a tampered `enc` still goes through a real unwrap.
let sharedContext: ReturnType<typeof ageContext> | undefined;

/** Decrypt `bytes` and compare with the expected fingerprint. */
export async function verdictOf(format: FormatName, bytes: Uint8Array, expected: { fingerprint: string; values: string }): Promise<Verdict> {
  sharedContext ??= ageContext();
  try {
    const opened = await openEncryptedFile({ input: bytes, file: `t.${format}`, format, keyContext: sharedContext });
    const fp = fingerprint(opened.documents);
    if (fp === expected.fingerprint) return { kind: "same" };
    const values = macCoveredValues(opened.documents);
    if (values !== expected.values) return { kind: "DIFFERENT-VALUES", detail: diff(expected.fingerprint, fp) };
    return { kind: "other-structure", detail: diff(expected.fingerprint, fp) };
  } catch (err) {
    if (err instanceof SobreError) return { kind: "error", code: err.exitCode };
    return { kind: "crash", detail: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
}

function diff(a: string, b: string): string {
  const al = new Set(a.split("\n"));
  const bl = new Set(b.split("\n"));
  return [...[...al].filter((l) => !bl.has(l)).map((l) => `- ${l}`), ...[...bl].filter((l) => !al.has(l)).map((l) => `+ ${l}`)].join("; ");
}

/** What part of an encrypted file a byte belongs to. */
export type Region =
  | "value-data" | "value-iv" | "value-tag" | "value-type" | "enc-syntax"
  | "mac" | "lastmodified" | "age-enc" | "age-recipient" | "version" | "other-metadata"
  | "encrypted-comment" | "key-name" | "layout";

/** Label every byte of `text` (a sobre-encrypted file of any format). */
export function regions(text: string): Region[] {
  const out = new Array<Region>(text.length).fill("layout");
  const mark = (from: number, to: number, r: Region): void => {
    for (let i = from; i < to; i++) out[i] = r;
  };
  const keyPattern = /(?:^|\n)[ \t]*(?:- )?"?([A-Za-z_][A-Za-z0-9_]*)"?[ \t]*[:=]|"([A-Za-z_][A-Za-z0-9_]*)"\s*:|\{([A-Za-z_]+):|\[([A-Za-z_.]+)\]/g;
  for (const m of text.matchAll(keyPattern)) {
    const name = m[1] ?? m[2] ?? m[3] ?? m[4]!;
    const at = m.index! + m[0].indexOf(name);
    mark(at, at + name.length, "key-name");
  }
  for (const m of text.matchAll(/(lastmodified["]?\s*[:=]\s*"?)([0-9TZ:.+-]+)/g)) mark(m.index! + m[1]!.length, m.index! + m[0].length, "lastmodified");
  for (const m of text.matchAll(/(version["]?\s*[:=]\s*"?)([0-9.]+)/g)) mark(m.index! + m[1]!.length, m.index! + m[0].length, "version");
  for (const m of text.matchAll(/(recipient["]?\s*[:=]\s*"?)(age1[0-9a-z]+)/g)) mark(m.index! + m[1]!.length, m.index! + m[0].length, "age-recipient");
  for (const m of text.matchAll(/-----BEGIN AGE ENCRYPTED FILE-----[\s\S]*?-----END AGE ENCRYPTED FILE-----/g)) mark(m.index!, m.index! + m[0].length, "age-enc");
  for (const m of text.matchAll(/(unencrypted_suffix|encrypted_regex|unencrypted_regex|mac_only_encrypted|shamir_threshold)["]?\s*[:=]\s*"?[^\s",]+/g)) mark(m.index!, m.index! + m[0].length, "other-metadata");
  for (const m of text.matchAll(/ENC\[AES256_GCM,data:([^,]*),iv:([^,]*),tag:([^,]*),type:([a-z]*)\]/g)) {
    const start = m.index!;
    const isMac = /mac["]?\s*[:=]\s*"?$/.test(text.slice(Math.max(0, start - 48), start));
    const isComment = m[4] === "comment";
    mark(start, start + m[0].length, isMac ? "mac" : isComment ? "encrypted-comment" : "enc-syntax");
    if (isMac || isComment) continue;
    let at = start + "ENC[AES256_GCM,data:".length;
    mark(at, at + m[1]!.length, "value-data");
    at += m[1]!.length + ",iv:".length;
    mark(at, at + m[2]!.length, "value-iv");
    at += m[2]!.length + ",tag:".length;
    mark(at, at + m[3]!.length, "value-tag");
    at += m[3]!.length + ",type:".length;
    mark(at, at + m[4]!.length, "value-type");
  }
  return out;
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** The substitute for one byte: another character of the same class, so base64 stays base64. */
export function substitute(ch: number): number {
  const c = String.fromCharCode(ch);
  const i = ALNUM.indexOf(c);
  if (i >= 0) return ALNUM.charCodeAt((i + 1) % ALNUM.length);
  if (c === "+") return "/".charCodeAt(0);
  if (c === "/") return "+".charCodeAt(0);
  if (c === " ") return "\t".charCodeAt(0);
  if (c === "\n") return " ".charCodeAt(0);
  return ch ^ 0x01;
}
