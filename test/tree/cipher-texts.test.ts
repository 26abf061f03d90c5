import { describe, expect, it } from "vitest";
import { encryptValue } from "../../src/crypto/cipher.js";
import { IvMemory } from "../../src/tree/cipher-jobs.js";
import { runDecryptTexts } from "../../src/tree/cipher-texts.js";
import { decryptTree } from "../../src/tree/decrypt-tree.js";
import { encryptTree } from "../../src/tree/encrypt-tree.js";
import { T, type Leaf, type MapNode } from "../../src/tree/types.js";

const KEY = Buffer.alloc(32, 9);

describe("runDecryptTexts", () => {
  for (const parallelMinJobs of [Infinity, 1]) {
    it(`decrypts ENC texts and flags failed authentication (${parallelMinJobs === 1 ? "worker" : "main thread"})`, () => {
      const plains = Array.from({ length: 3000 }, (_, i) => Buffer.from(i % 3 ? `välue ${i}` : "x".repeat(i % 70 + 1), "utf8"));
      const aads = plains.map((_, i) => `clé:${i}:`);
      const encs = plains.map((p, i) => encryptValue(KEY, p, aads[i]!, "str"));
      aads[5] = "tampered:";
      const res = runDecryptTexts(KEY, encs, aads, { parallelMinJobs });
      for (let i = 0; i < plains.length; i++) {
        expect(res.ok(i), `job ${i}`).toBe(i !== 5);
        if (i !== 5) expect(res.buffer(i).subarray(res.start(i), res.end(i)).equals(plains[i]!), `job ${i}`).toBe(true);
      }
    });
  }
});

describe("decryptTree (text fast path)", () => {
  it("decodes like the strict decoder (BOM, invalid UTF-8, split characters) and reproduces the MAC", () => {
    const values: Leaf[] = [
      T.str("\uFEFFwith bom"),
      T.leaf({ type: "bytes", value: Uint8Array.from([0xe2, 0x82]) }),
      T.str("€uro"),
      T.leaf({ type: "bytes", value: Uint8Array.from([0xac, 0x41]) }),
      T.str("plain"),
      T.int(42),
      T.float(0.5),
      T.bool(true),
    ];
    const build = (): MapNode => T.map(values.map((v, i) => T.entry(`k${i}`, { kind: "leaf", value: v.value })));
    const doc = build();
    const opts = { dataKey: KEY, selection: {}, macOnlyEncrypted: false };
    const mac = encryptTree([doc], opts);
    const encTexts = doc.items.map((e) => JSON.stringify(e));
    const memory = new IvMemory();
    expect(decryptTree([doc], { ...opts, ivMemory: memory })).toBe(mac);
    const expected = build();
    expected.items[0] = T.entry("k0", T.str("with bom")); // TextDecoder drops a leading BOM, as before
    expect(doc).toEqual(expected);
    // Every value's IV was remembered: re-encrypting unchanged values reproduces their ciphertext.
    const again = build();
    encryptTree([again], { ...opts, ivMemory: memory });
    again.items.forEach((e, i) => {
      if (i > 0) expect(JSON.stringify(e), `k${i}`).toBe(encTexts[i]);
    });
  });

  it("names the path of a value that fails authentication", () => {
    const doc = T.map([T.entry("a", T.map([T.entry("b", T.str("secret"))]))]);
    encryptTree([doc], { dataKey: KEY, selection: {}, macOnlyEncrypted: false });
    expect(() => decryptTree([doc], { dataKey: Buffer.alloc(32, 1), selection: {}, macOnlyEncrypted: false, file: "f.yaml" })).toThrow(/f\.yaml: value at "a\.b" failed authentication/);
  });
});

describe("decryptTree (batch ENC check)", () => {
  const opts = { dataKey: KEY, selection: {}, macOnlyEncrypted: false };
  /** A document of `n` encrypted values (`k0`…), with an encrypted comment before `k1`. */
  function encrypted(n: number): MapNode {
    const doc = T.map(Array.from({ length: n }, (_, i) => T.entry(`k${i}`, T.str(`välue ${i}`))));
    doc.items.splice(1, 0, T.comment(" a comment"));
    encryptTree([doc], opts);
    return doc;
  }
  const leaf = (doc: MapNode, key: string): Leaf => {
    const entry = doc.items.find((e) => e.kind === "entry" && e.key === key);
    return (entry as { value: Leaf }).value;
  };
  const setText = (doc: MapNode, key: string, text: string): void => void (leaf(doc, key).value = { type: "str", value: text });

  it("reports the first malformed value in walk order, before a later unencrypted one", () => {
    const doc = encrypted(1200);
    setText(doc, "k900", "plain");
    setText(doc, "k700", (leaf(doc, "k700").value as { value: string }).value.replace("data:", "data:!"));
    expect(() => decryptTree([doc], opts)).toThrow(/malformed ENC\[…\] value at "k700"/);
    setText(doc, "k300", "ENC[AES256_GCM,data:,iv:,tag:,type:str]");
    expect(() => decryptTree([doc], opts)).toThrow(/malformed ENC\[…\] value at "k300"/);
    setText(doc, "k900", (leaf(encrypted(1), "k0").value as { value: string }).value);
    expect(() => decryptTree([doc], opts)).toThrow(/malformed ENC\[…\] value at "k300"/);
    const clean = encrypted(3);
    setText(clean, "k2", "plain");
    expect(() => decryptTree([clean], opts)).toThrow(/value at "k2" is not encrypted/);
  });

  it("decrypts values with trailing (also non-ASCII) whitespace and keeps a malformed comment", () => {
    const doc = encrypted(1100);
    const text = (k: string): string => (leaf(doc, k).value as { value: string }).value;
    setText(doc, "k5", `${text("k5")} \u2028\u3000`);
    setText(doc, "k1000", `${text("k1000")}\t\n`);
    const comment = doc.items[1] as { text: string };
    comment.text = comment.text.replace("data:", "data:!");
    const broken = comment.text;
    decryptTree([doc], opts);
    expect(leaf(doc, "k5").value).toEqual({ type: "str", value: "välue 5" });
    expect(leaf(doc, "k1000").value).toEqual({ type: "str", value: "välue 1000" });
    expect(leaf(doc, "k1099").value).toEqual({ type: "str", value: "välue 1099" });
    expect(comment.text).toBe(broken);
  });
});
