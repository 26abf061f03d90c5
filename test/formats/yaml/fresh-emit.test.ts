import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { INTEROP_FIXTURES } from "../../helpers/paths.js";
import { yamlFormat } from "../../../src/formats/yaml/index.js";
import { emitFresh } from "../../../src/formats/yaml/fresh-emit.js";
import type { Comment, MapNode, Node } from "../../../src/tree/types.js";
import { T } from "../../../src/tree/types.js";
import { parse } from "./helpers.js";

const dec = new TextDecoder();

/** Goldens: go-yaml v3 Encoder output (indent 4) for trees fed through SOPS's store. */
const goldens = JSON.parse(readFileSync(new URL("./fixtures/fresh-goldens.json", import.meta.url), "utf8")) as {
  cases: { name: string; tree: unknown[]; expected: string }[];
};

type J = { map?: J[]; seq?: J[]; key?: string; value?: J; comment?: string; inline?: boolean; str?: string; int?: string; float?: string; bool?: boolean; null?: true; time?: string };

function fromJson(j: J): Node {
  if (j.map) return { kind: "map", items: j.map.map((i) => (i.comment !== undefined ? comment(i) : T.entry(i.key!, fromJson(i.value!)))) };
  if (j.seq) return { kind: "seq", items: j.seq.map((i) => (i.comment !== undefined ? comment(i) : fromJson(i))) };
  if (j.str !== undefined) return T.str(j.str);
  if (j.int !== undefined) return T.int(BigInt(j.int));
  if (j.float !== undefined) return T.float(Number(j.float.replace("+Inf", "Infinity").replace("-Inf", "-Infinity")));
  if (j.bool !== undefined) return T.bool(j.bool);
  if (j.time !== undefined) return T.leaf({ type: "time", value: j.time });
  return T.nil();
}
function comment(j: J): Comment {
  return { kind: "comment", text: j.comment!, src: { inline: j.inline === true } };
}

/** Drop layout hints (keeping SOPS's inline flag), as for a tree built from another format. */
function strip<N extends Node>(n: N): N {
  if (n.kind === "leaf") return { kind: "leaf", value: n.value } as N;
  const items = n.items.map((i) => {
    if (i.kind === "comment") return { kind: "comment", text: i.text, src: { inline: (i.src as { inline?: boolean } | undefined)?.inline === true } };
    if (i.kind === "entry") return T.entry(i.key, strip(i.value));
    return strip(i);
  });
  return { kind: n.kind, items } as N;
}

describe("fresh emission (go-yaml v3 layout)", () => {
  it.each(goldens.cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    expect(emitFresh(c.tree.map((d) => fromJson(d as J) as MapNode), 4)).toBe(c.expected);
  });

  it("prints a SOPS 3.13 file's plaintext like `sops -d`", async () => {
    const dir = join(INTEROP_FIXTURES, "getsops-sops/functional-tests");
    const [doc] = await parse(readFileSync(join(dir, "format.enc.yaml")));
    doc!.items = doc!.items.filter((i) => !(i.kind === "entry" && i.key === "sops"));
    (doc!.items[0] as { value: Node }).value = T.str("bar");
    expect(dec.decode(yamlFormat.emit([strip(doc!)], { file: "x.yaml" }))).toBe(readFileSync(join(dir, "format.enc.yaml.sops-3.13-decrypted.yaml"), "utf8"));
  });

  it.each([
    ["a string that would read as a number", T.str("123"), 'k: "123"\n'],
    ["an old YAML 1.1 bool", T.str("yes"), 'k: "yes"\n'],
    ["an empty string", T.str(""), 'k: ""\n'],
    ["a timestamp-like string", T.str("2026-01-02T03:04:05Z"), 'k: "2026-01-02T03:04:05Z"\n'],
    ["a plain-unsafe string", T.str("a: b"), "k: 'a: b'\n"],
    ["leading space", T.str(" x"), "k: ' x'\n"],
    ["a tab", T.str("a\tb"), 'k: "a\\tb"\n'],
    ["unicode", T.str("héllo ✓"), "k: héllo ✓\n"],
    ["astral characters (go-yaml escapes them)", T.str("🔐"), 'k: "\\U0001F510"\n'],
    ["multi-line with final newline", T.str("a\nb\n"), "k: |\n    a\n    b\n"],
    ["multi-line without final newline", T.str("a\nb"), "k: |-\n    a\n    b\n"],
    ["multi-line keeping newlines", T.str("a\n\n"), "k: |+\n    a\n\n"],
    ["leading space in a block", T.str("  x\ny\n"), "k: |4\n      x\n    y\n"],
    ["a float", T.float(1e21), "k: 1e+21\n"],
    ["an integral float", T.float(2), "k: 2\n"],
    ["infinity", T.float(-Infinity), "k: -.inf\n"],
    ["a big int", T.int(9223372036854775807n), "k: 9223372036854775807\n"],
    ["null", T.nil(), "k: null\n"],
    ["a time", T.leaf({ type: "time", value: "2024-01-02T00:00:00Z" }), "k: 2024-01-02T00:00:00Z\n"],
    ["an empty map", T.map(), "k: {}\n"],
    ["an empty list", T.seq(), "k: []\n"],
  ])("writes %s", (_name, value, expected) => {
    expect(emitFresh([T.map([T.entry("k", value)])], 4)).toBe(expected);
  });

  it("honours the indent setting", () => {
    const doc = T.map([T.entry("a", T.map([T.entry("b", T.seq([T.str("x"), T.map([T.entry("c", T.int(1)), T.entry("d", T.int(2))])]))]))]);
    expect(emitFresh([doc], 2)).toBe("a:\n  b:\n    - x\n    - c: 1\n      d: 2\n");
    expect(emitFresh([doc], 4)).toBe("a:\n    b:\n        - x\n        - c: 1\n          d: 2\n");
  });

  it("separates documents with ---", () => {
    expect(emitFresh([T.map([T.entry("a", T.int(1))]), T.map()], 4)).toBe("a: 1\n---\n{}\n");
  });

  it("re-emits inline and head comments like SOPS", () => {
    const c = (text: string, inline = false): Comment => ({ kind: "comment", text, src: { inline } });
    const doc = T.map([c(" head"), c(" inline", true), T.entry("a", T.int(1)), T.entry("l", T.seq([c(" in list"), T.str("x")])), c(" tail")]);
    expect(emitFresh([doc], 4)).toBe("# head\na: 1 # inline\nl:\n    # in list\n    - x\n# tail\n");
  });
});

describe("yamlFormat.emitValue (--extract)", () => {
  const ev = (n: Node) => dec.decode(yamlFormat.emitValue(n, { file: "x.yaml" }));
  it("prints strings raw, without quotes or newline", () => {
    expect(ev(T.str("s3cr3t: yes"))).toBe("s3cr3t: yes");
    expect(ev(T.str("multi\nline\n"))).toBe("multi\nline\n");
  });
  it("prints other scalars as YAML", () => {
    expect(ev(T.int(5))).toBe("5\n");
    expect(ev(T.bool(true))).toBe("true\n");
    expect(ev(T.float(0.5))).toBe("0.5\n");
    expect(ev(T.nil())).toBe("null\n");
  });
  it("prints subtrees as YAML", () => {
    expect(ev(T.seq([T.str("a"), T.seq([T.str("b")])]))).toBe("- a\n- - b\n");
    expect(ev(T.map([T.entry("k", T.seq([T.str("v")]))]))).toBe("k:\n    - v\n");
  });
});
