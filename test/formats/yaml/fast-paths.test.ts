// The shortcuts the fast path takes for big files must give exactly what the general
// code gives: repeated keys (key cache, scanned duplicate check), floats rendered
// without the digit-string work, quoted values replaced between their quotes.
import { describe, expect, it } from "vitest";
import { FormatError } from "../../../src/errors.js";
import { renderNonString } from "../../../src/formats/yaml/scalar-render.js";
import { formatFloatG } from "../../../src/tree/float-format.js";
import type { Leaf, MapEntry, MapNode } from "../../../src/tree/types.js";
import { emit, parse, toOracle } from "./helpers.js";

async function parseError(text: string): Promise<string> {
  try {
    await parse(text);
  } catch (e) {
    expect(e).toBeInstanceOf(FormatError);
    return (e as FormatError).message;
  }
  throw new Error("expected a FormatError");
}

function leafAt(doc: MapNode, ...keys: string[]): Leaf {
  let n: MapNode = doc;
  for (let i = 0; i < keys.length - 1; i++) n = (n.items.find((e) => e.kind === "entry" && e.key === keys[i]) as MapEntry).value as MapNode;
  return (n.items.find((e) => e.kind === "entry" && e.key === keys[keys.length - 1]) as MapEntry).value as Leaf;
}

describe("repeated keys", () => {
  it("reads a repeated key the same every time and shares its text", async () => {
    const [doc] = await parse("a:\n  user: x\n  port: 1\nb:\n  user: y\n  port: 2\n");
    expect(toOracle(doc!)).toEqual({
      map: [
        { key: "a", value: { map: [{ key: "user", value: { str: "x" } }, { key: "port", value: { int: "1" } }] } },
        { key: "b", value: { map: [{ key: "user", value: { str: "y" } }, { key: "port", value: { int: "2" } }] } },
      ],
    });
  });

  it("still finds a duplicate of a key seen in an earlier mapping", async () => {
    expect(await parseError("a:\n  user: x\nb:\n  user: y\n  user: z\n")).toMatch(/5:3: mapping key "user" already defined/);
  });

  it("does not confuse a nested mapping's keys with its parent's", async () => {
    const [doc] = await parse("user: 1\nnested:\n  user: 2\n  nested: 3\n");
    expect(leafAt(doc!, "nested", "user").value).toEqual({ type: "int", value: 2n });
    expect(await parseError("user: 1\nnested:\n  user: 2\nuser: 3\n")).toMatch(/4:1: mapping key "user" already defined/);
  });

  it("finds duplicates in mappings past the scan limit", async () => {
    const keys = Array.from({ length: 40 }, (_, i) => `k${i}: ${i}`);
    const [doc] = await parse(keys.join("\n") + "\n");
    expect(doc!.items).toHaveLength(40);
    expect(await parseError([...keys, "k3: again"].join("\n") + "\n")).toMatch(/41:1: mapping key "k3" already defined/);
    expect(await parseError([...keys.slice(0, 20), "k19: x", ...keys.slice(20)].join("\n") + "\n")).toMatch(/mapping key "k19" already defined/);
  });

  it("keeps typing keys that look like cached ones", async () => {
    // `true_` resolves to a string and is cached; `true` must still be refused as a bool key.
    expect(await parseError("true_: 1\nx:\n  true: 2\n")).toMatch(/mapping key is a bool/);
    const [doc] = await parse("a.b: 1\nc:\n  a.b: 2\n  'a.b c': 3\n");
    expect(leafAt(doc!, "c", "a.b c").value).toEqual({ type: "int", value: 3n });
  });
});

describe("a key where a value is expected", () => {
  it.each([
    ["plain", "a: b: c\n", /1:4: mapping values are not allowed/],
    ["double-quoted", 'a: "b": c\n', /1:4: mapping values are not allowed/],
    ["single-quoted", "a: 'b' : c\n", /1:4: mapping values are not allowed/],
    ["tagged", "a: !!str b: c\n", /1:10: mapping values are not allowed/],
    ["after a continued plain scalar", "a: b\n  c: d\n", /2:4: mapping values are not allowed/],
    ["after a multi-line quoted scalar", 'a: "b\n  c": d\n', /2:5: mapping values are not allowed/],
    ["a large integer", "a: 99999999999999999999: x\n", /1:4: mapping values are not allowed/],
  ])("is refused like go-yaml: %s", async (_name, text, message) => {
    expect(await parseError(text)).toMatch(message);
  });
});

describe("float rendering", () => {
  it("matches Go's %g for every magnitude", () => {
    const values = [0.988, 1.5, -2.25, 0.0001, 0.00009999, 123456.7, 999999.9999, 1e6, 1234567, 1e-5, 5e-324, 1.7976931348623157e308, 0.1 + 0.2, -0, 0, 100, 3];
    for (let i = 0; i < 2000; i++) values.push((Math.random() - 0.5) * 10 ** Math.floor(Math.random() * 16 - 8));
    for (const v of values) expect(renderNonString({ type: "float", value: v })).toBe(formatFloatG(v));
  });
});

describe("changed double-quoted values", () => {
  it("keep their quotes, escape what needs it and drop a tag", async () => {
    const text = 'a: "x"\nb: "multi\n  line"\nc: !!str "t"\nd: "e"\n';
    const [doc] = await parse(text);
    leafAt(doc!, "a").value = { type: "str", value: "ENC[AES256_GCM,data:QUJD,iv:aXY=,tag:dGFn,type:str]" };
    leafAt(doc!, "b").value = { type: "str", value: "one" };
    leafAt(doc!, "c").value = { type: "str", value: "u" };
    leafAt(doc!, "d").value = { type: "str", value: 'say "hi"\\' };
    expect(emit([doc!])).toBe('a: "ENC[AES256_GCM,data:QUJD,iv:aXY=,tag:dGFn,type:str]"\nb: "one"\nc: "u"\nd: "say \\"hi\\"\\\\"\n');
  });
});
