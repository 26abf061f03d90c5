/**
 * Random trees: written fresh, then read back, edited and written with their layout.
 * Every output must read back as the tree it was written from, in the same value order.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tomlFormat } from "../../../src/formats/toml/index.js";
import type { MapEntry, MapNode, Node, ScalarValue, SeqNode } from "../../../src/tree/types.js";
import { CONFORMANCE } from "../../helpers/paths.js";
import { emit, FILE, parse } from "./helpers.js";
import { visitAll } from "./sim.js";
import { toTagged } from "./tagged.js";

const key = fc.oneof(fc.constantFrom("a", "b", "key", "k-1", "x_y", "", "a.b", "sp ace", "quo\"te", "ключ", "'"), fc.string({ maxLength: 4 }));
const comment = fc.string({ maxLength: 8 }).filter((s) => !/[\r\n]/.test(s)).map((text) => ({ kind: "comment" as const, text }));

const scalar: fc.Arbitrary<ScalarValue> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 12 }).filter((s) => new TextDecoder().decode(new TextEncoder().encode(s)) === s).map((value) => ({ type: "str" as const, value })),
  fc.constantFrom("C:\\dir", "line1\nline2\n", "ENC[AES256_GCM,data:x]", "'''", '"""').map((value) => ({ type: "str" as const, value })),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((value) => ({ type: "int" as const, value })),
  fc.double().map((value) => ({ type: "float" as const, value })),
  fc.boolean().map((value) => ({ type: "bool" as const, value })),
  fc.constantFrom<ScalarValue>(
    { type: "time", value: "1979-05-27T07:32:00Z" },
    { type: "time", value: "2024-02-29T23:59:60.25+05:30" },
    { type: "datetime_local", value: "1979-05-27T07:32:00.999" },
    { type: "date_local", value: "0001-01-01" },
    { type: "time_local", value: "07:32:00" },
  ),
);

const { node } = fc.letrec<{ node: Node; map: MapNode; seq: SeqNode }>((tie) => ({
  node: fc.oneof({ depthSize: "small", withCrossShrink: true }, scalar.map((value) => ({ kind: "leaf" as const, value })), tie("map"), tie("seq")),
  map: fc
    .uniqueArray(fc.tuple(key, tie("node")), { maxLength: 4, selector: ([k]) => k })
    .chain((entries) =>
      fc.array(comment, { maxLength: entries.length + 1 }).map((comments) => {
        const items: MapNode["items"] = [];
        entries.forEach(([k, value], i) => {
          if (comments[i]) items.push(comments[i]);
          items.push({ kind: "entry", key: k, value });
        });
        return { kind: "map" as const, items };
      }),
    ),
  seq: fc.array(fc.oneof(tie("node"), comment), { maxLength: 4 }).map((items) => ({ kind: "seq" as const, items })),
}));
const root = fc.uniqueArray(fc.tuple(key, node), { maxLength: 5, selector: ([k]) => k }).map(
  (entries): MapNode => ({ kind: "map", items: entries.map(([k, value]) => ({ kind: "entry", key: k, value })) }),
);

function leafOrder(doc: MapNode): string[] {
  const out: string[] = [];
  visitAll(doc, (leaf) => out.push(JSON.stringify(toTagged(leaf))));
  return out;
}

function check(doc: MapNode): MapNode {
  tomlFormat.prepare([doc], { file: FILE });
  const text = emit(doc);
  const back = parse(text);
  expect(toTagged(back)).toEqual(toTagged(doc));
  expect(leafOrder(back)).toEqual(leafOrder(doc));
  return back;
}

/** All maps and sequences of a tree. */
function containers(n: Node, out: (MapNode | SeqNode)[] = []): (MapNode | SeqNode)[] {
  if (n.kind === "leaf") return out;
  out.push(n);
  for (const item of n.items) {
    if (item.kind === "entry") containers(item.value, out);
    else if (item.kind !== "comment") containers(item, out);
  }
  return out;
}

type Edit = { pick: number; kind: "remove" | "add" | "replace"; value: Node; key: string };
const edit: fc.Arbitrary<Edit> = fc.record({ pick: fc.nat(), kind: fc.constantFrom("remove", "add", "replace"), value: node, key });

/** Apply one random edit somewhere in the tree, as set/unset would. */
function applyEdit(doc: MapNode, e: Edit): void {
  const all = containers(doc);
  const target = all[e.pick % all.length]!;
  if (e.kind === "remove" && target.items.length > 0) target.items.splice(e.pick % target.items.length, 1);
  else if (target.kind === "seq") target.items.push(e.value);
  else if (!target.items.some((i) => i.kind === "entry" && i.key === e.key)) target.items.push({ kind: "entry", key: e.key, value: e.value });
  else if (e.kind === "replace") (target.items.find((i) => i.kind === "entry" && i.key === e.key) as MapEntry).value = e.value;
}

function validCases(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      if (d.isDirectory()) walk(join(dir, d.name));
      else if (d.name.endsWith(".toml")) out.push(join(dir, d.name));
    }
  };
  walk(join(CONFORMANCE, "toml-test/tests/valid"));
  return out.sort();
}

describe("tomlFormat properties", () => {
  it("a tree written fresh reads back as the same data and order", () => {
    fc.assert(fc.property(root, (doc) => void check(doc)), { numRuns: 150 });
  });

  it("a parsed tree edited anywhere (remove, add, replace) still writes valid TOML with the same data", () => {
    fc.assert(
      fc.property(root, fc.array(edit, { minLength: 1, maxLength: 3 }), (tree, edits) => {
        let doc = check(tree);
        for (const e of edits) {
          applyEdit(doc, e);
          doc = check(doc);
        }
      }),
      { numRuns: 150 },
    );
  });

  const files = validCases();
  it.skipIf(files.length === 0)("every toml-test valid file survives random edits", () => {
    const texts = files.map((f) => readFileSync(f));
    fc.assert(
      fc.property(fc.nat(texts.length - 1), fc.array(edit, { minLength: 1, maxLength: 3 }), (i, edits) => {
        let doc = parse(texts[i]!);
        for (const e of edits) {
          applyEdit(doc, e);
          doc = check(doc);
        }
      }),
      { numRuns: 300 },
    );
  });
});
