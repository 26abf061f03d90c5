/**
 * ENC values left as input byte ranges (`tree/enc-ranges.ts`, the decrypt path of the
 * JSON and dotenv parsers) must decrypt exactly as the same values read as strings:
 * same tree, same MAC, same remembered IVs, same first error.
 */
import { describe, expect, it } from "vitest";
import { dotenvFormat } from "../../src/formats/dotenv/index.js";
import { jsonFormat } from "../../src/formats/json/index.js";
import type { Format } from "../../src/formats/types.js";
import { IvMemory } from "../../src/tree/cipher-jobs.js";
import { decryptTree } from "../../src/tree/decrypt-tree.js";
import { EncRanges, PENDING_ENC } from "../../src/tree/enc-ranges.js";
import { encryptTree } from "../../src/tree/encrypt-tree.js";
import type { SelectionOptions } from "../../src/tree/selection.js";
import type { Leaf, MapNode } from "../../src/tree/types.js";
import { walkDocuments } from "../../src/tree/walk.js";

const KEY = Buffer.alloc(32, 7);
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

interface Outcome {
  result: string;
  output?: string;
  ivs?: string;
  pending: number;
}

/** Parse `text` (encrypted mode, with or without ranges), decrypt it, emit it. */
function run(format: Format, text: string, withRanges: boolean, selection: SelectionOptions = {}, macOnlyEncrypted = false, key = KEY): Outcome {
  let ranges: EncRanges | undefined;
  const docs = format.parse(enc(text), { file: "f", mode: "encrypted", ...(withRanges ? { encRanges: (r: EncRanges) => (ranges = r) } : {}) }) as MapNode[];
  const pending = ranges?.count ?? 0;
  const ivMemory = new IvMemory();
  try {
    const mac = decryptTree(docs, { dataKey: key, selection, macOnlyEncrypted, ivMemory, file: "f", ranges });
    let left = 0;
    walkDocuments(docs, { leaf: (l) => void (l.value === PENDING_ENC && left++), comment: () => {} });
    expect(left).toBe(0);
    const output = dec(format.emit(docs, { file: "f" }));
    // Re-encrypting with the remembered IVs gives the same ciphertexts back.
    encryptTree(docs, { dataKey: key, selection, macOnlyEncrypted, ivMemory });
    return { result: mac, output, ivs: dec(format.emit(docs, { file: "f" })), pending };
  } catch (err) {
    return { result: String(err), pending };
  }
}

function same(format: Format, text: string, selection: SelectionOptions = {}, macOnlyEncrypted = false, key = KEY): Outcome {
  const a = run(format, text, false, selection, macOnlyEncrypted, key);
  const b = run(format, text, true, selection, macOnlyEncrypted, key);
  expect(b.result).toBe(a.result);
  expect(b.output).toBe(a.output);
  expect(b.ivs).toBe(a.ivs);
  expect(a.pending).toBe(0);
  return b;
}

/** Encrypt a dotenv text's values (as sobre would), without metadata lines. */
function encryptDotenv(plain: string, selection: SelectionOptions = {}): string {
  const docs = dotenvFormat.parse(enc(plain), { file: "f", mode: "plain" }) as MapNode[];
  encryptTree(docs, { dataKey: KEY, selection, macOnlyEncrypted: false });
  return dec(dotenvFormat.emit(docs, { file: "f" }));
}

function encryptJson(plain: string, selection: SelectionOptions = {}): string {
  const docs = jsonFormat.parse(enc(plain), { file: "f", mode: "plain" }) as MapNode[];
  encryptTree(docs, { dataKey: KEY, selection, macOnlyEncrypted: false });
  return dec(jsonFormat.emit(docs, { file: "f" }));
}

const DOTENV = "# top\nA=1\nB=héllo\n\nC=a\\nb\nD_unencrypted=ENC[AES256_GCM,data:AAAA,iv:BBBB,tag:AAAAAAAAAAAAAAAAAAAAAA==,type:str]\n#note\nE=\n";
const JSON_TEXT = '{\n  "a": "one",\n  "b": {"c": [1, 2.5, true, "x"], "d_unencrypted": "ENC[AES256_GCM,data:AAAA,iv:BBBB,tag:AAAAAAAAAAAAAAAAAAAAAA==,type:str]"},\n  "e": ""\n}\n';
const SEL = { unencryptedSuffix: "_unencrypted" };

describe("ENC ranges (decrypt path of the dotenv and JSON parsers)", () => {
  it("dotenv: same tree, MAC, IVs and output as string values; no leaf left pending", () => {
    const text = encryptDotenv(DOTENV, SEL);
    const out = same(dotenvFormat, text, SEL);
    expect(out.pending).toBeGreaterThan(3);
    expect(out.output).toContain("D_unencrypted=ENC[AES256_GCM,data:AAAA");
    expect(out.output).toContain("B=héllo\n");
    same(dotenvFormat, text, SEL, true);
  });

  it("json: same tree, MAC, IVs and output as string values", () => {
    const text = encryptJson(JSON_TEXT, SEL);
    const out = same(jsonFormat, text, SEL);
    expect(out.pending).toBeGreaterThan(3);
    expect(out.output).toContain('"c": [1, 2.5, true, "x"]');
    same(jsonFormat, text, SEL, true);
  });

  it("json: a non-ASCII input is read as strings (offsets would not be bytes)", () => {
    const text = encryptJson('{"é": "x", "b": "y"}', {});
    expect(same(jsonFormat, text).pending).toBe(0);
  });

  it("the same first error: malformed, not encrypted, failed authentication", () => {
    const text = encryptDotenv("A=1\nB=2\nC=3\n");
    const lines = text.split("\n");
    const malformed = [lines[0], lines[1]!.replace(",tag:", ",tag:!"), "C=plain", ""].join("\n");
    expect(same(dotenvFormat, malformed).result).toMatch(/malformed ENC\[…\] value at "B"/);
    const unencrypted = [lines[0], "B=plain", lines[2], ""].join("\n");
    expect(same(dotenvFormat, unencrypted).result).toMatch(/value at "B" is not encrypted/);
    expect(same(dotenvFormat, text, {}, false, Buffer.alloc(32, 1)).result).toMatch(/value at "A" failed authentication/);
    const json = encryptJson('{"a": "1", "b": "2"}');
    const last = json.lastIndexOf(",type:str]");
    const broken = json.slice(0, last) + ",type:STR]" + json.slice(last + 10);
    expect(same(jsonFormat, broken).result).toMatch(/malformed ENC\[…\] value at "b"/);
  });

  it("texts the byte check refuses get the string check: escaped or non-ASCII whitespace after `]`", () => {
    const text = encryptDotenv("A=1\nB=2\n");
    const lines = text.split("\n");
    // SOPS reads `\n` as a newline: trailing whitespace, still well-formed.
    const escaped = [lines[0] + "\\n", lines[1] + "\u00a0", ""].join("\n");
    const out = same(dotenvFormat, escaped);
    expect(out.pending).toBe(2);
    expect(out.output).toBe("A=1\nB=2\n");
  });

  it("dotenv: encrypted comments and sops_ lines stay strings", () => {
    const text = encryptDotenv("#secret\nA=1\n", { encryptedCommentRegex: "secret" }) + "sops_version=3.13.2\n";
    const out = same(dotenvFormat, text, { encryptedCommentRegex: "secret" });
    expect(out.pending).toBe(1);
  });

  it("a pending leaf is never read as a value: its marker is not an ENC text", () => {
    const ranges = new EncRanges(enc("xENC[y]"), (s, a, b) => dec(s.subarray(a, b)));
    const leaf: Leaf = ranges.add(1, 7);
    expect(leaf.value).toBe(PENDING_ENC);
    expect(() => ranges.release()).toThrow(/pending/);
    ranges.materialise(0);
    expect(leaf.value).toEqual({ type: "str", value: "ENC[y]" });
    ranges.release();
  });
});
