import { beforeAll, describe, expect, it } from "vitest";
import { loadFormat } from "../../src/formats/registry.js";
import { stripLayout } from "../../src/tree/layout.js";
import type { Format, FormatName } from "../../src/formats/types.js";
import { modifyEncrypted } from "../../src/operations/modify.js";
import { T, type Leaf, type MapEntry, type MapNode, type Node } from "../../src/tree/types.js";
import { ageContext, encryptText } from "./support/samples.js";
import { fingerprint, macCoveredValues, verdictOf, type Verdict } from "./support/tamper.js";

/**
 * Structural tampering: values moved, swapped, deleted, duplicated, keys renamed and
 * reordered, metadata fields removed or replaced, versions mixed. Each case states its
 * expected outcome; the cases SOPS's design leaves open (and sobre, being compatible,
 * too) are asserted explicitly so a change in behaviour is noticed. SECURITY.md lists them.
 */

const TEXT: Record<FormatName, string> = {
  yaml: "a: alpha\nb: 7\nl:\n  - x\n  - y\nm:\n  k: v\n  z: zz\n",
  json: '{"a": "alpha", "b": 7, "l": ["x", "y"], "m": {"k": "v", "z": "zz"}}\n',
  toml: 'a = "alpha"\nb = 7\nl = ["x", "y"]\n[m]\nk = "v"\nz = "zz"\n',
  dotenv: "A=alpha\nB=7\n",
  ini: "[s]\na = alpha\nb = 7\n[m]\nk = v\nz = zz\n",
  binary: "alpha bytes\n",
};

const ctx = ageContext();
type Expected = { fingerprint: string; values: string };
const base = new Map<FormatName, { bytes: Uint8Array; exp: Expected; format: Format }>();

beforeAll(async () => {
  for (const name of Object.keys(TEXT) as FormatName[]) {
    const bytes = await encryptText(name, TEXT[name], ctx);
    const format = await loadFormat(name);
    const opened = await modifyEncrypted({ input: bytes, file: "x", format: name, keyContext: ctx, skipUnchanged: true }, () => false);
    expect(opened.output).toBeUndefined();
    const docs = await format.parse(await reDecrypt(name, bytes), { file: "x", mode: "plain" });
    base.set(name, { bytes, format, exp: { fingerprint: fingerprint(docs), values: macCoveredValues(docs) } });
  }
});

async function reDecrypt(name: FormatName, bytes: Uint8Array): Promise<Uint8Array> {
  const { decryptBytes } = await import("./support/samples.js");
  return decryptBytes(name, bytes, ctx);
}

/** Parse the encrypted file, let `edit` change the raw (still encrypted) tree, emit, decrypt. */
async function tamper(name: FormatName, edit: (doc: MapNode, sops: MapNode) => void): Promise<Verdict> {
  const { bytes, format, exp } = base.get(name)!;
  const docs = await format.parse(bytes, { file: "x", mode: "encrypted" });
  const doc = docs[0]!;
  const sops = (doc.items.find((i) => i.kind === "entry" && i.key === "sops") as MapEntry).value as MapNode;
  edit(doc, sops);
  // Emit without the parse's layout hints: a layout-preserving emitter may keep the
  // original key text of an entry object (TOML does), hiding a rename or reorder.
  stripLayout(docs);
  return verdictOf(name, format.emit(docs, { file: "x" }), exp);
}

/** Entries holding an encrypted scalar, in document order, with their parent map. */
function encEntries(node: Node, out: { map: MapNode; entry: MapEntry }[] = []): { map: MapNode; entry: MapEntry }[] {
  if (node.kind === "map") {
    for (const item of node.items) {
      if (item.kind !== "entry" || item.key === "sops") continue;
      if (item.value.kind === "leaf" && item.value.value.type === "str" && item.value.value.value.startsWith("ENC[")) out.push({ map: node, entry: item });
      else encEntries(item.value, out);
    }
  }
  return out;
}

function entry(map: MapNode, key: string): MapEntry | undefined {
  return map.items.find((i): i is MapEntry => i.kind === "entry" && i.key === key);
}

const err = (code: number): Verdict => ({ kind: "error", code });
const STRUCTURED: FormatName[] = ["yaml", "json", "toml", "dotenv", "ini"];
const TREE: FormatName[] = ["yaml", "json", "toml"];

describe.each(STRUCTURED)("%s", (name) => {
  it("swapping the values of two keys fails authentication (25): the AAD binds a value to its path", async () => {
    expect(
      await tamper(name, (doc) => {
        const [x, y] = encEntries(doc);
        [x!.entry.value, y!.entry.value] = [y!.entry.value, x!.entry.value];
      }),
    ).toEqual(err(25));
  });

  it("renaming a key fails authentication (25)", async () => {
    expect(await tamper(name, (doc) => void (encEntries(doc)[0]!.entry.key += "2"))).toEqual(err(25));
  });

  it("reordering two keys is a MAC mismatch (51): the MAC is over values in order", async () => {
    expect(
      await tamper(name, (doc) => {
        const [x, y] = encEntries(doc);
        const items = x!.map.items;
        const i = items.indexOf(x!.entry);
        const j = items.indexOf(y!.entry);
        [items[i], items[j]] = [items[j]!, items[i]!];
      }),
    ).toEqual(err(51));
  });

  it("deleting a value is a MAC mismatch (51)", async () => {
    expect(
      await tamper(name, (doc) => {
        const { map, entry: e } = encEntries(doc)[1]!;
        map.items.splice(map.items.indexOf(e), 1);
      }),
    ).toEqual(err(51));
  });

  it("removing or replacing mac / lastmodified is a MAC error (51)", async () => {
    expect(await tamper(name, (_, sops) => void (sops.items = sops.items.filter((i) => !(i.kind === "entry" && i.key === "mac"))))).toEqual(err(51));
    expect(await tamper(name, (_, sops) => void (entry(sops, "lastmodified")!.value = T.str("2020-01-01T00:00:00Z")))).toEqual(err(51));
    expect(await tamper(name, (_, sops) => void (sops.items = sops.items.filter((i) => !(i.kind === "entry" && i.key === "lastmodified"))))).toEqual(err(51));
  });

  it("switching values to cleartext through the metadata is a MAC mismatch (51)", async () => {
    const dropSuffix = (sops: MapNode) => (sops.items = sops.items.filter((i) => !(i.kind === "entry" && i.key === "unencrypted_suffix")));
    expect(await tamper(name, (_, sops) => void (dropSuffix(sops), sops.items.push(T.entry("unencrypted_regex", T.str(".*")))))).toEqual(err(51));
    expect(await tamper(name, (_, sops) => void (dropSuffix(sops), sops.items.push(T.entry("encrypted_regex", T.str("^nothing$")))))).toEqual(err(51));
    expect(await tamper(name, (_, sops) => void sops.items.push(T.entry("mac_only_encrypted", T.str("true"))))).toEqual(err(51));
  });

  it("a data key that does not unwrap is exit 128", async () => {
    expect(
      await tamper(name, (_, sops) => {
        const age = (entry(sops, "age")!.value as { items: MapNode[] }).items[0]!;
        const enc = entry(age, "enc")!;
        const text = (enc.value as Leaf).value as { value: string };
        enc.value = T.str(text.value.replace(/\n([A-Za-z0-9+/]{10})/, (_, s: string) => `\n${s.split("").reverse().join("")}`));
      }),
    ).toEqual(err(128));
  });
});

describe.each(TREE)("%s (nested structures)", (name) => {
  it("duplicating or swapping list items is a MAC mismatch (51)", async () => {
    const list = (doc: MapNode) => entry(doc, "l")!.value as { items: Node[] };
    expect(await tamper(name, (doc) => void list(doc).items.push(list(doc).items[0]!))).toEqual(err(51));
    expect(await tamper(name, (doc) => void list(doc).items.reverse())).toEqual(err(51));
  });

  it("moving a value under another parent fails authentication (25)", async () => {
    expect(
      await tamper(name, (doc) => {
        const a = entry(doc, "a")!;
        doc.items.splice(doc.items.indexOf(a), 1);
        (entry(doc, "m")!.value as MapNode).items.unshift(a);
      }),
    ).toEqual(err(25));
  });

  it("mixing values and MAC of different versions of the same file is a MAC mismatch (51)", async () => {
    const { bytes, format } = base.get(name)!;
    const setA = async (input: Uint8Array, v: string) =>
      (await modifyEncrypted({ input, file: "x", format: name, keyContext: ctx }, (d) => {
        (entry(d[0]!, "a")!.value as Leaf).value = { type: "str", value: v };
        return true;
      })).output!;
    const v2 = await setA(bytes, "beta");
    const v3 = await setA(v2, "gamma");
    // v3's values with v2's mac and lastmodified
    const d3 = await format.parse(v3, { file: "x", mode: "encrypted" });
    const d2 = await format.parse(v2, { file: "x", mode: "encrypted" });
    const sops = (d: MapNode[]) => entry(d[0]!, "sops")!.value as MapNode;
    entry(sops(d3), "mac")!.value = entry(sops(d2), "mac")!.value;
    entry(sops(d3), "lastmodified")!.value = entry(sops(d2), "lastmodified")!.value;
    expect((await verdictOf(name, format.emit(d3, { file: "x" }), base.get(name)!.exp)).kind).toBe("error");
    expect(await verdictOf(name, format.emit(d3, { file: "x" }), base.get(name)!.exp)).toEqual(err(51));
  });
});

describe("what SOPS's design does not detect (documented in SECURITY.md)", () => {
  it("the type field is not authenticated: type:int → type:str turns 7 into \"7\"", async () => {
    const v = await tamper("yaml", (doc) => {
      const b = entry(doc, "b")!.value as Leaf;
      const s = b.value as { value: string };
      b.value = { type: "str", value: s.value.replace("type:int", "type:str") };
    });
    expect(v.kind).toBe("other-structure");
  });

  it("empty values, nulls and empty containers are outside the MAC: adding one is not detected", async () => {
    for (const value of [T.str(""), T.nil(), T.map(), T.seq()]) {
      const v = await tamper("json", (doc) => void doc.items.unshift(T.entry("added", value)));
      expect(v.kind).toBe("other-structure");
    }
  });

  it("the AAD joins keys with ':' so {m: {k: …}} and {\"m:k\": …} share it", async () => {
    const v = await tamper("json", (doc) => {
      const m = entry(doc, "m")!;
      const inner = (m.value as MapNode).items as MapEntry[];
      doc.items.splice(doc.items.indexOf(m), 1, ...inner.map((e) => T.entry(`m:${e.key}`, e.value)));
    });
    expect(v.kind).toBe("other-structure");
  });

  it("sequence indices are not in the AAD: re-nesting list items keeps values decryptable", async () => {
    const v = await tamper("json", (doc) => {
      const l = entry(doc, "l")!.value as { items: Node[] };
      l.items = [T.seq([l.items[0]!]), l.items[1]!];
    });
    expect(v.kind).toBe("other-structure");
  });

  it("a whole-file rollback to an older version decrypts (it was a valid file)", async () => {
    const { bytes } = base.get("yaml")!;
    const v = await verdictOf("yaml", bytes, base.get("yaml")!.exp);
    expect(v).toEqual({ kind: "same" });
  });

  it("comments and whitespace are outside the MAC: editing them decrypts to the same values", async () => {
    const v = await tamper("yaml", (doc) => void doc.items.unshift(T.comment(" injected")));
    expect(v).toEqual({ kind: "same" });
  });
});
