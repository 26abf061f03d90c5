/**
 * Re-rendered scalars against go-yaml v3 (go.yaml.in/yaml/v3 v3.0.4, the encoder SOPS
 * 3.13 uses, indent 4). The goldens are what `sops -d` prints for a file `sops -e` wrote
 * from the given plaintext; sobre reaches them by patching the ENC leaves of that file
 * (the decrypt path) and by fresh emission (trees from other formats).
 */
import { describe, expect, it } from "vitest";
import { parse as parseWithYamlPackage } from "yaml";
import { emitFresh } from "../../../src/formats/yaml/fresh-emit.js";
import type { MapNode, Node, ScalarValue } from "../../../src/tree/types.js";
import { emit, parse } from "./helpers.js";

const ENC = "ENC[AES256_GCM,data:AAAA,iv:BBBB,tag:CCCC,type:str]";

function leaves(n: Node, out: Extract<Node, { kind: "leaf" }>[] = []): Extract<Node, { kind: "leaf" }>[] {
  if (n.kind === "leaf") out.push(n);
  else for (const it of n.items) if (it.kind === "entry") leaves(it.value, out);
  else if (it.kind !== "comment") leaves(it, out);
  return out;
}

/** A layout-free copy, as a tree from another format. */
function strip<N extends Node>(n: N): N {
  if (n.kind === "leaf") return { kind: "leaf", value: n.value } as N;
  const items = n.items.flatMap((i) => (i.kind === "comment" ? [] : [i.kind === "entry" ? { kind: "entry", key: i.key, value: strip(i.value) } : strip(i)]));
  return { kind: n.kind, items } as N;
}

/** Decrypting a file SOPS encrypted: its layout with ENC leaves, values set back in place. */
async function decryptSopsLayout(plain: string): Promise<string> {
  const docs = await parse(plain);
  const values: ScalarValue[] = docs.flatMap((d) => leaves(d)).map((l) => l.value);
  const encrypted = docs.map((d) => strip(d));
  for (const l of encrypted.flatMap((d) => leaves(d))) l.value = { type: "str", value: ENC };
  const opened = await parse(emitFresh(encrypted, 4));
  opened.flatMap((d) => leaves(d)).forEach((l, i) => (l.value = values[i]!));
  return emit(opened);
}

async function fresh(plain: string): Promise<string> {
  return emitFresh((await parse(plain)).map((d) => strip(d) as MapNode), 4);
}

const QUOTING_PLAIN = `bools: ["no", "yes", "on", "off", "y", "N", "Yes", "NO", "Off", "ON"]
flag: "no"
others:
  sexagesimal: "1:30"
  base60float: "-1:30.5"
  octal: "0o17"
  oldoctal: "0777"
  hex: "0x1F"
  float: "1e3"
  inf: ".inf"
  nan: ".NaN"
  nul: "~"
  empty: ""
  date: "2001-12-14"
  stamp: "2001-12-14 21:59:43.10"
  big: "9223372036854775808"
  under: "1_000"
  lead: " a"
  trail: "a "
  colon: "a: b"
  hash: "a #b"
  dash: "- a"
  star: "*a"
  quote: "'a"
  tab: "a\\tb"
  plain1: "nope"
  plain2: "a:b"
  plain3: "1.2.3"
  plain4: "Infinity"
`;

// go-yaml v3 output for QUOTING_PLAIN (generated with the real encoder).
const QUOTING_GOLDEN = `bools:
    - "no"
    - "yes"
    - "on"
    - "off"
    - "y"
    - "N"
    - "Yes"
    - "NO"
    - "Off"
    - "ON"
flag: "no"
others:
    sexagesimal: "1:30"
    base60float: "-1:30.5"
    octal: "0o17"
    oldoctal: "0777"
    hex: "0x1F"
    float: "1e3"
    inf: ".inf"
    nan: ".NaN"
    nul: "~"
    empty: ""
    date: "2001-12-14"
    stamp: "2001-12-14 21:59:43.10"
    big: "9223372036854775808"
    under: "1_000"
    lead: ' a'
    trail: 'a '
    colon: 'a: b'
    hash: 'a #b'
    dash: '- a'
    star: '*a'
    quote: '''a'
    tab: "a\\tb"
    plain1: nope
    plain2: a:b
    plain3: 1.2.3
    plain4: Infinity
`;

describe("quoting of re-rendered strings (go-yaml v3 rules)", () => {
  it("decrypting a SOPS-written file quotes what go-yaml quotes (YAML 1.1 bools, base 60, numbers, …)", async () => {
    expect(await decryptSopsLayout(QUOTING_PLAIN)).toBe(QUOTING_GOLDEN);
  });

  it("fresh emission agrees", async () => {
    expect(await fresh(QUOTING_PLAIN)).toBe(QUOTING_GOLDEN);
  });

  it("a plain `no` in a hand-written file comes back double-quoted after encrypt → decrypt", async () => {
    const docs = await parse("a: no   # stays a string\nb:\n  - on\n  - x\nc: maybe\n");
    const values = docs.flatMap((d) => leaves(d)).map((l) => l.value);
    for (const l of docs.flatMap((d) => leaves(d))) l.value = { type: "str", value: ENC };
    const back = await parse(emit(docs));
    back.flatMap((d) => leaves(d)).forEach((l, i) => (l.value = values[i]!));
    // Only the YAML 1.1 booleans change; `maybe` and the layout come back as they were.
    expect(emit(back)).toBe('a: "no"   # stays a string\nb:\n  - "on"\n  - x\nc: maybe\n');
  });

  it("keeps a plain string plain when go-yaml would (including an ENC value)", async () => {
    const docs = await parse("a: x\nb: y\n");
    const [a, b] = docs.flatMap((d) => leaves(d));
    a!.value = { type: "str", value: "Off-season" };
    b!.value = { type: "str", value: ENC };
    expect(emit(docs)).toBe(`a: Off-season\nb: ${ENC}\n`);
  });
});

/**
 * A multi-line string starting with a space or line break needs an indentation digit.
 * go-yaml always writes its indent width (4) but puts the content at the item's column, so
 * inside sequences its output is not valid YAML (go-yaml/yaml#643: neither go-yaml, SOPS
 * nor any other parser reads it back). sobre puts the content at go-yaml's column and
 * writes the digit a parser needs: identical to go-yaml wherever go-yaml is valid.
 */
const BLOCK_PLAIN = `b:
  - k: " x\\ny"
  - " x\\ny"
  - - " x\\ny"
  - - k: " x\\ny"
  - k:
      - " x\\ny"
      - j: " x\\ny"
  - - "\\n x\\n"
    - " x\\n\\n"
  - k: "\\n\\ny"
    j: " a\\nb\\n"
c: " x\\ny"
d:
  e: " x\\ny"
`;

// go-yaml v3's output, with the digit corrected where go-yaml's is wrong (marked).
const BLOCK_GOLDEN = `b:
    - k: |2-
         x
        y
    - |2-
       x
      y
    - - |2-
         x
        y
    - - k: |4-
             x
            y
    - k:
        - |2-
           x
          y
        - j: |2-
             x
            y
    - - |2

         x
      - |2+
         x

    - k: |2-


        y
      j: |2
         a
        b
c: |4-
     x
    y
d:
    e: |4-
         x
        y
`;
// Where go-yaml writes `|4` instead (invalid), and where it agrees (`- - k: |4-`, `c:`, `e:`).
const GO_YAML_DIGIT_LINES = [2, 5, 8, 15, 18, 21, 24, 27, 31];

describe("block scalars with an indentation indicator", () => {
  it("golden differs from go-yaml only in the marked digits", () => {
    const lines = BLOCK_GOLDEN.split("\n");
    for (const n of GO_YAML_DIGIT_LINES) expect(lines[n - 1]).toMatch(/\|2[-+]?$/);
    expect(lines.filter((l) => /\|4[-+]?$/.test(l))).toHaveLength(3);
  });

  it("decrypting a SOPS-written file puts the content at go-yaml's column with a valid digit", async () => {
    expect(await decryptSopsLayout(BLOCK_PLAIN)).toBe(BLOCK_GOLDEN);
  });

  it("fresh emission agrees", async () => {
    expect(await fresh(BLOCK_PLAIN)).toBe(BLOCK_GOLDEN);
  });

  it("the output reads back to the same values (sobre and the yaml package)", async () => {
    const want = parseWithYamlPackage(BLOCK_PLAIN);
    expect(parseWithYamlPackage(BLOCK_GOLDEN)).toEqual(want);
    const ours = (await parse(BLOCK_GOLDEN)).flatMap((d) => leaves(d)).map((l) => l.value);
    const orig = (await parse(BLOCK_PLAIN)).flatMap((d) => leaves(d)).map((l) => l.value);
    expect(ours).toEqual(orig);
  });

  it("uses the configured indent as the digit under a key", () => {
    const doc: MapNode = { kind: "map", items: [{ kind: "entry", key: "k", value: { kind: "leaf", value: { type: "str", value: " x\ny" } } }] };
    expect(emitFresh([doc], 2)).toBe("k: |2-\n   x\n  y\n");
    expect(emitFresh([doc], 3)).toBe("k: |3-\n    x\n   y\n");
  });
});
