import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { FormatError } from "../../../src/errors.js";
import { jsonFormat } from "../../../src/formats/json/index.js";
import type { MapNode, Node } from "../../../src/tree/types.js";
import { CONFORMANCE } from "../../helpers/paths.js";

const DIR = resolve(CONFORMANCE, "JSONTestSuite/test_parsing");

/** The tree as plain JS, numbers as JSON.parse gives them (ints compared exactly via text). */
function toPlain(node: Node): unknown {
  if (node.kind === "leaf") {
    const v = node.value;
    if (v.type === "null") return null;
    if (v.type === "int") return Number(v.value);
    if (v.type === "bytes") return new TextDecoder().decode(v.value);
    return v.value;
  }
  if (node.kind === "seq") return node.items.map((i) => toPlain(i as Node));
  // Duplicate keys: JSON.parse keeps the last value, like an object assignment.
  const out: Record<string, unknown> = {};
  for (const item of node.items) if (item.kind === "entry") out[item.key] = toPlain(item.value);
  return out;
}

describe("JSONTestSuite y_ cases", () => {
  const files = readdirSync(DIR).filter((f) => f.startsWith("y_"));

  it("round-trips every top-level object byte for byte and refuses the rest clearly", async () => {
    let objects = 0;
    let refused = 0;
    for (const name of files) {
      const input = readFileSync(resolve(DIR, name));
      const expected: unknown = JSON.parse(new TextDecoder().decode(input));
      const isObject = typeof expected === "object" && expected !== null && !Array.isArray(expected);
      if (isObject) {
        const docs = (await jsonFormat.parse(input, { file: name, mode: "plain" })) as MapNode[];
        expect(Buffer.from(jsonFormat.emit(docs, { file: name })).equals(input), name).toBe(true);
        expect(toPlain(docs[0]!), name).toEqual(expected);
        objects++;
      } else {
        const error = await Promise.resolve()
          .then(() => jsonFormat.parse(input, { file: name, mode: "plain" }))
          .catch((e: unknown) => e);
        expect(error, name).toBeInstanceOf(FormatError);
        expect((error as FormatError).message, name).toMatch(/top-level value must be an object/);
        refused++;
      }
    }
    console.log(`JSONTestSuite y_: ${objects} objects round-tripped, ${refused} non-objects refused, of ${files.length}`);
    expect(files.length).toBeGreaterThanOrEqual(95);
    expect(objects).toBeGreaterThanOrEqual(12);
    expect(objects + refused).toBe(files.length);
  });

  it("keeps big integers exact where JSON.parse would round them", async () => {
    const input = new TextEncoder().encode('{"a": 9007199254740993, "b": [-9223372036854775807]}');
    const [doc] = (await jsonFormat.parse(input, { file: "t", mode: "plain" })) as MapNode[];
    const a = doc!.items[0]!;
    expect(a.kind === "entry" && a.value.kind === "leaf" && a.value.value).toEqual({ type: "int", value: 9007199254740993n });
    expect(jsonFormat.emit([doc!], { file: "t" })).toEqual(input);
  });
});
