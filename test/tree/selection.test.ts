import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptTree } from "../../src/tree/decrypt-tree.js";
import { encryptTree } from "../../src/tree/encrypt-tree.js";
import { compileSelection, normalizeSelection } from "../../src/tree/selection.js";
import { T, type MapNode, type Node } from "../../src/tree/types.js";

function sample(): MapNode {
  return T.map([
    T.comment(" sops:enc"),
    T.entry("a", T.str("1")),
    T.entry("b_unencrypted", T.str("2")),
    T.entry("nested", T.map([T.entry("secret_enc", T.str("3")), T.entry("plain", T.str("4"))])),
    T.comment(" keep"),
    T.entry("c", T.str("5")),
  ]);
}

function encryptedFlags(doc: MapNode): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  const visit = (n: Node, path: string): void => {
    if (n.kind === "leaf") out[path] = n.value.type === "str" && n.value.value.startsWith("ENC[");
    else if (n.kind === "map") for (const i of n.items) i.kind === "entry" ? visit(i.value, path ? `${path}.${i.key}` : i.key) : (out[`#${i.text.startsWith("ENC[") ? "enc" : i.text}`] = true);
  };
  visit(doc, "");
  return out;
}

describe("selection options", () => {
  const key = randomBytes(32);
  const run = (selection: Parameters<typeof compileSelection>[0]): Record<string, boolean> => {
    const doc = sample();
    encryptTree([doc], { dataKey: key, selection, macOnlyEncrypted: false });
    return encryptedFlags(doc);
  };

  it("defaults to the _unencrypted suffix", () => {
    expect(normalizeSelection({})).toEqual({ unencryptedSuffix: "_unencrypted" });
    expect(run({})).toMatchObject({ a: true, b_unencrypted: false, "nested.plain": true, c: true });
  });

  it("encrypted_suffix and encrypted_regex select subtrees by any key on the path", () => {
    expect(run({ encryptedSuffix: "_enc" })).toMatchObject({ a: false, "nested.secret_enc": true, "nested.plain": false });
    expect(run({ encryptedRegex: "^nest" })).toMatchObject({ a: false, "nested.secret_enc": true, "nested.plain": true, c: false });
    expect(run({ unencryptedRegex: "^(a|c)$" })).toMatchObject({ a: false, c: false, "nested.plain": true });
  });

  it("comment regexes follow SOPS's comment stack", () => {
    // The marker comment governs the next entry only (the level resets after it).
    expect(run({ encryptedCommentRegex: "sops:enc" })).toMatchObject({ a: true, b_unencrypted: false, c: false, "# sops:enc": true });
    expect(run({ unencryptedCommentRegex: "keep" })).toMatchObject({ a: true, c: false, "# keep": true });
  });

  it("rejects two options at once and invalid or non-RE2 regexes", () => {
    expect(() => normalizeSelection({ encryptedSuffix: "x", unencryptedSuffix: "y" })).toThrow(/only one of/);
    expect(() => compileSelection({ encryptedRegex: "(" })).toThrow(/invalid encrypted_regex/);
    expect(() => compileSelection({ encryptedRegex: "a(?=b)" })).toThrow(/look-around/);
  });

  it("round-trips every selection with a stable MAC", () => {
    for (const selection of [{}, { encryptedSuffix: "_enc" }, { encryptedRegex: "^nest" }, { encryptedCommentRegex: "sops:enc" }, { unencryptedCommentRegex: "keep" }]) {
      const doc = sample();
      const mac = encryptTree([doc], { dataKey: key, selection, macOnlyEncrypted: true });
      expect(decryptTree([doc], { dataKey: key, selection, macOnlyEncrypted: true })).toBe(mac);
      expect(doc).toEqual(sample());
    }
  });
});
