/**
 * The streaming dotenv decrypt against the tree path (parse → decryptTree → emit): the
 * same bytes and MAC wherever it answers, and no answer wherever the tree path fails or
 * warns (the caller then takes the tree path, which reports as always).
 */
import { describe, expect, it } from "vitest";
import { dotenvFormat } from "../../../src/formats/dotenv/index.js";
import { streamDecryptDotenv } from "../../../src/formats/dotenv/stream-decrypt.js";
import { scanDotenvLines } from "../../../src/formats/dotenv/stream-scan.js";
import { decryptTree } from "../../../src/tree/decrypt-tree.js";
import { encryptTree } from "../../../src/tree/encrypt-tree.js";
import type { SelectionOptions } from "../../../src/tree/selection.js";
import type { MapNode } from "../../../src/tree/types.js";

const KEY = Buffer.alloc(32, 3);
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => Buffer.from(b).toString("latin1");

function encrypt(plain: string, selection: SelectionOptions): string {
  const docs = dotenvFormat.parse(enc(plain), { file: "f", mode: "plain" }) as MapNode[];
  encryptTree(docs, { dataKey: KEY, selection, macOnlyEncrypted: false });
  return Buffer.from(dotenvFormat.emit(docs, { file: "f" })).toString("utf8");
}

function treePath(text: string, selection: SelectionOptions, macOnlyEncrypted: boolean, key: Uint8Array): { output: string; mac: string } | undefined {
  try {
    const docs = dotenvFormat.parse(enc(text), { file: "f", mode: "encrypted" }) as MapNode[];
    // What detachMetadata does once it has read the metadata.
    docs[0]!.items = docs[0]!.items.filter((i) => !(i.kind === "entry" && i.key === "sops"));
    let warned = false;
    const mac = decryptTree(docs, { dataKey: key, selection, macOnlyEncrypted, warn: () => (warned = true) });
    return warned ? undefined : { output: dec(dotenvFormat.emit(docs, { file: "f" })), mac };
  } catch {
    return undefined;
  }
}

function streamed(text: string, selection: SelectionOptions, macOnlyEncrypted: boolean, key: Uint8Array): { output: string; mac: string } | undefined {
  const lines = scanDotenvLines(enc(text));
  const done = lines && streamDecryptDotenv(lines, { dataKey: key, selection, macOnlyEncrypted });
  return done && { output: dec(done.output), mac: done.mac };
}

/** Streaming answers only where the tree path succeeds, and then with the same output and MAC. */
function agree(text: string, selection: SelectionOptions = {}, macOnlyEncrypted = false, key: Uint8Array = KEY): boolean {
  const want = treePath(text, selection, macOnlyEncrypted, key);
  const got = streamed(text, selection, macOnlyEncrypted, key);
  if (got) expect(got).toEqual(want);
  return got !== undefined;
}

/** A random plain dotenv document (deterministic). */
function generate(seed: number, lines: number): string {
  let s = seed;
  const rnd = (n: number): number => (s = (s * 1103515245 + 12345) % 2147483648) % n;
  const values = ["x", "", "a\\nb", "héllo wörld", "😀", "tab\there", "with = sign", '"quoted"', "trailing ", "\\n", "ENC[AES256_GCM,data:QQ==]", "line\\r"];
  const keys = ["A", "export B", "C_unencrypted", "D.e", "F-g", "h"];
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const kind = rnd(10);
    if (kind === 0) out.push("");
    else if (kind === 1) out.push(rnd(2) ? "# a comment" : "#secret note " + i);
    else if (kind === 2) out.push("  \t");
    else out.push(`${keys[rnd(keys.length)]}${i}=${values[rnd(values.length)]}`);
  }
  return out.join(rnd(2) ? "\n" : "\r\n") + (rnd(2) ? "\n" : "");
}

describe("streaming dotenv decrypt", () => {
  const selections: SelectionOptions[] = [{ unencryptedSuffix: "_unencrypted" }, { encryptedRegex: "^[AF]" }, { unencryptedCommentRegex: "a comment" }, { encryptedCommentRegex: "secret" }, {}];

  it("matches the tree path on generated documents (selection rules, mac_only_encrypted)", () => {
    let answered = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const selection = selections[seed % selections.length]!;
      const text = encrypt(generate(seed, 60), selection);
      const metadataLines = "sops_version=3.13.2\nsops_mac=x\n";
      const cut = text.indexOf("\n", text.length / 2) + 1;
      // Metadata lines may stand anywhere (blank lines around them move as the parser moves them).
      const withMeta = seed % 2 ? text + (text.endsWith("\n") ? "" : "\n") + metadataLines : text.slice(0, cut) + metadataLines + "\n" + text.slice(cut);
      for (const macOnly of [false, true]) if (agree(withMeta, selection, macOnly)) answered++;
    }
    expect(answered).toBe(60);
  });

  it("gives no answer where the tree path fails: tampered, malformed, unencrypted values, wrong key", () => {
    const text = encrypt("A=1\nB=two\n#c\nC=3\n", {});
    const lines = text.split("\n");
    expect(agree(text)).toBe(true);
    expect(agree(text, {}, false, Buffer.alloc(32, 1))).toBe(false);
    expect(agree(lines.map((l, i) => (i === 1 ? l.replace(",tag:", ",tag:!") : l)).join("\n"))).toBe(false);
    expect(agree(lines.map((l, i) => (i === 1 ? "B=plain" : l)).join("\n"))).toBe(false);
    expect(agree(lines.map((l, i) => (i === 1 ? "B=ENC[AES256_GCM,oops]" : l)).join("\n"))).toBe(false);
    // The ciphertext of A under B's key path: authentication fails.
    const swapped = [lines[0]!, "B=" + lines[0]!.slice(2), ...lines.slice(2)].join("\n");
    expect(agree(swapped)).toBe(false);
  });

  it("encrypted comments decrypt; a malformed ENC comment stays; one that fails authentication is the tree path's", () => {
    const text = encrypt("#secret one\nA=1\n# plain\n", {});
    expect(text.startsWith("#ENC[")).toBe(true);
    expect(agree(text)).toBe(true);
    expect(streamed(text, {}, false, KEY)!.output).toBe("#secret one\nA=1\n# plain\n");
    expect(agree("#ENC[AES256_GCM,data:broken]\n" + text)).toBe(true);
    // A comment under another data key: the tree path warns and keeps it.
    const docs = dotenvFormat.parse(enc("#other\n"), { file: "f", mode: "plain" }) as MapNode[];
    encryptTree(docs, { dataKey: Buffer.alloc(32, 9), selection: {}, macOnlyEncrypted: false });
    expect(agree(dec(dotenvFormat.emit(docs, { file: "f" })) + text)).toBe(false);
  });

  it("decrypted values keep newlines as \\n; escaped or padded ENC texts are read as SOPS reads them", () => {
    const text = encrypt("A=multi\\nline\nB=x\n", {});
    expect(streamed(text, {}, false, KEY)!.output).toBe("A=multi\\nline\nB=x\n");
    const lines = text.split("\n");
    expect(agree([lines[0] + "\\n", lines[1] + " ", ""].join("\n"))).toBe(true);
  });

  it("leaves unusual files to the tree path: invalid UTF-8, BOM, indented lines, non-string types", () => {
    expect(scanDotenvLines(Uint8Array.from([0x41, 0x3d, 0xff, 0x0a]))).toBeUndefined();
    expect(scanDotenvLines(enc("\ufeffA=1\n"))).toBeUndefined();
    expect(scanDotenvLines(enc("  # indented\n"))).toBeUndefined();
    expect(scanDotenvLines(enc("NOEQUALS\n"))).toBeUndefined();
    const docs = dotenvFormat.parse(enc("A=1\n"), { file: "f", mode: "plain" }) as MapNode[];
    (docs[0]!.items[0] as { value: { value: unknown } }).value.value = { type: "int", value: 5n };
    encryptTree(docs, { dataKey: KEY, selection: {}, macOnlyEncrypted: false });
    expect(streamed(dec(dotenvFormat.emit(docs, { file: "f" })), {}, false, KEY)).toBeUndefined();
  });
});
