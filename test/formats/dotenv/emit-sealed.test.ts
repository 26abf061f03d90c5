import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { IntegrityError } from "../../../src/errors.js";
import { emitDotenvParts } from "../../../src/formats/dotenv/emit.js";
import { dotenvFormat } from "../../../src/formats/dotenv/index.js";
import type { Metadata } from "../../../src/metadata/types.js";
import { sealFile } from "../../../src/operations/seal-file.js";
import { detachMetadata } from "../../../src/operations/sops-document.js";
import { decryptTree } from "../../../src/tree/decrypt-tree.js";
import { encryptTree } from "../../../src/tree/encrypt-tree.js";
import { normalizeSelection, type SelectionOptions } from "../../../src/tree/selection.js";
import type { MapNode } from "../../../src/tree/types.js";

const NOW = new Date("2024-05-06T07:08:09Z");

function metadata(selection: SelectionOptions = {}): Metadata {
  return { lastModified: "", mac: "", version: "", selection: normalizeSelection(selection), macOnlyEncrypted: false, shamirThreshold: 0, keyGroups: [] };
}

/** dotenv parses synchronously. */
function parse(text: string | Uint8Array): MapNode[] {
  return dotenvFormat.parse(typeof text === "string" ? Buffer.from(text) : text, { file: "t.env", mode: "plain" }) as MapNode[];
}

/** sealFile's direct dotenv output (ENC texts written into the file bytes). */
function sealed(input: string | Uint8Array, key: Uint8Array, selection?: SelectionOptions): Buffer {
  return Buffer.from(sealFile({ documents: parse(input), metadata: metadata(selection), dataKey: key, format: dotenvFormat, file: "t.env", now: NOW }));
}

/** The generic path: encrypt the tree in place, then the ordinary emitter. */
function generic(input: string | Uint8Array, key: Uint8Array, selection?: SelectionOptions): Buffer {
  const docs = parse(input);
  const meta = metadata(selection);
  encryptTree(docs, { dataKey: key, selection: meta.selection, macOnlyEncrypted: false });
  // The MAC and metadata lines are normalised away below; only the layout matters.
  docs[0]!.items.push({ kind: "entry", key: "sops", value: { kind: "map", items: [{ kind: "entry", key: "version", value: { kind: "leaf", value: { type: "str", value: "x" } } }] } });
  return Buffer.from(emitDotenvParts(docs[0]!, "t.env").toBytes());
}

/** ENC texts (random IVs) replaced by their type; metadata lines dropped. */
function shape(out: Buffer): string {
  return out
    .toString("latin1")
    .replace(/ENC\[AES256_GCM,data:[^,]*,iv:[^,]*,tag:[^,]*,type:([a-z]+)\]/g, "<$1>")
    .replace(/^sops_.*\n/gm, "");
}

function decrypted(out: Uint8Array, key: Uint8Array): Buffer {
  const docs = dotenvFormat.parse(out, { file: "t.env", mode: "encrypted" }) as MapNode[];
  const meta = detachMetadata(docs, "t.env");
  decryptTree(docs, { dataKey: key, selection: meta.selection, macOnlyEncrypted: meta.macOnlyEncrypted });
  return Buffer.from(dotenvFormat.emit(docs, { file: "t.env" }));
}

const SAMPLE = ["# head comment", "A=1", "", "", "B_unencrypted=clear", "EMPTY=", "  # indented", "MULTI=one\\ntwo", "UNI=héllo wörld", "C=last", "", ""].join("\n");

describe("dotenv: ENC texts written straight into the output", () => {
  it("ends a last comment written without a newline, so the sops_ lines start their own", () => {
    const key = randomBytes(32);
    for (const out of [sealed("A=1\n#last", key), generic("A=1\n#last", key)]) {
      const lines = out.toString("latin1").split("\n");
      expect(lines[1]).toMatch(/^#ENC\[AES256_GCM,[^\]]*\]$/);
      expect(lines[2]).toMatch(/^sops_/);
    }
  });
  it("lays out the file exactly as the ordinary emitter does", () => {
    const key = randomBytes(32);
    expect(shape(sealed(SAMPLE, key))).toBe(shape(generic(SAMPLE, key)));
    expect(shape(sealed(SAMPLE, key))).toContain("B_unencrypted=clear\nEMPTY=\n#<comment>\nMULTI=<str>\n");
  });

  it("decrypts back to the plaintext, MAC included", () => {
    const key = randomBytes(32);
    const out = sealed(SAMPLE, key);
    expect(out.toString("latin1")).toMatch(/^sops_mac=ENC\[/m);
    expect(decrypted(out, key).toString()).toBe(SAMPLE.replace("  # indented", "# indented"));
  });

  it("keeps a line that is not UTF-8 (its value stays bytes)", () => {
    const key = randomBytes(32);
    const input = Buffer.concat([Buffer.from("A=1\nBIN="), Buffer.from([0xff, 0xfe]), Buffer.from("\nZ_unencrypted="), Buffer.from([0xc3]), Buffer.from("\n")]);
    const out = sealed(input, key);
    expect(shape(out)).toBe(shape(generic(input, key)));
    expect(out.includes(Buffer.from([0x5a, 0x5f]))).toBe(true);
    expect(decrypted(out, key).equals(input)).toBe(true);
  });

  it("places every value of a batch large enough for the worker thread", () => {
    const key = randomBytes(32);
    const lines: string[] = [];
    for (let i = 0; i < 21_000; i++) lines.push(i % 1000 === 0 ? `# note ${i}` : `K${i}=value-${i}`);
    const input = lines.join("\n") + "\n";
    const out = sealed(input, key);
    expect(shape(out)).toBe(shape(generic(input, key)));
    expect(decrypted(out, key).toString()).toBe(input);
  });

  it("refuses an encrypted comment that would read back as the unencrypted-comment marker", () => {
    const key = randomBytes(32);
    expect(() => sealed("# note\nA=1\n", key, { unencryptedCommentRegex: "ENC" })).toThrow(IntegrityError);
  });

  it("refuses keys reserved for metadata, as the ordinary emitter does", () => {
    const key = randomBytes(32);
    const docs = parse("A=1\n");
    docs[0]!.items.push({ kind: "entry", key: "sops_x", value: { kind: "leaf", value: { type: "str", value: "v" } } });
    expect(() => sealFile({ documents: docs, metadata: metadata(), dataKey: key, format: dotenvFormat, file: "t.env", now: NOW })).toThrow(/reserved for SOPS metadata/);
  });
});
