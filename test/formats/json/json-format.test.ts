import { describe, expect, it } from "vitest";
import { FormatError } from "../../../src/errors.js";
import { jsonFormat } from "../../../src/formats/json/index.js";
import { T, type Leaf, type MapNode } from "../../../src/tree/types.js";
import { at, dec, enc, fixture, parseOne, roundTrip, stripSrc, val } from "../support/format-test-utils.js";

const GOLDEN = `{
  "name": "caf\\u00e9 \\"quoted\\" \\/ slash",
  "emoji": "\\ud83d\\ude00 😀",
  "big": 9007199254740993,
  "huge": 99999999999999999999,
  "min": -9223372036854775808,
  "ratio": 1.50,
  "exp": 6.02E23,
  "negzero": -0.0,
  "nested": {"list": [1, [2, [3]], {"deep": null}], "empty": { }, "none": [ ]},
  "dup": 1,
  "dup": 2,
  "bools": [true, false]
}
`;

describe("jsonFormat.parse", () => {
  it("types numbers as SOPS 3.13.2 does, exactly", async () => {
    const doc = await parseOne(jsonFormat, GOLDEN);
    expect((at(doc, "big") as Leaf).value).toEqual({ type: "int", value: 9007199254740993n });
    expect((at(doc, "min") as Leaf).value).toEqual({ type: "int", value: -9223372036854775808n });
    expect((at(doc, "huge") as Leaf).value).toEqual({ type: "float", value: 1e20 });
    expect((at(doc, "ratio") as Leaf).value).toEqual({ type: "float", value: 1.5 });
    expect((at(doc, "exp") as Leaf).value).toEqual({ type: "float", value: 6.02e23 });
    expect(Object.is(val(at(doc, "negzero")), -0)).toBe(true);
    expect((at(doc, "nested", "list", 2, "deep") as Leaf).value).toEqual({ type: "null" });
  });

  it("decodes escapes and surrogate pairs", async () => {
    const doc = await parseOne(jsonFormat, GOLDEN);
    expect(val(at(doc, "name"))).toBe('café "quoted" / slash');
    expect(val(at(doc, "emoji"))).toBe("😀 😀");
    const lone = await parseOne(jsonFormat, '{"a": "x\\ud800y", "b": "\\udc00"}');
    expect(val(at(lone, "a"))).toBe("x\ufffdy");
    expect(val(at(lone, "b"))).toBe("\ufffd");
  });

  it("keeps key order and duplicate keys", async () => {
    const doc = await parseOne(jsonFormat, GOLDEN);
    const keys = doc.items.map((i) => (i.kind === "entry" ? i.key : "#"));
    expect(keys).toEqual(["name", "emoji", "big", "huge", "min", "ratio", "exp", "negzero", "nested", "dup", "dup", "bools"]);
  });

  it.each([
    ["[1, 2]", 1, 1, "top-level value must be an object"],
    ['"x"', 1, 1, "top-level value must be an object"],
    ["", 1, 1, "empty input"],
    ['{\n  "a": 1,\n  "b": tru\n}', 3, 8, "expected a value"],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, "expected ',' or '}'"],
    ['{"a": 01}', 1, 8, "expected ',' or '}'"],
    ['{"a": "x\ny"}', 1, 9, "control character"],
    ['{"a": "\\x"}', 1, 8, "invalid escape"],
    ['{"a": "\\u12"}', 1, 8, "invalid \\u escape"],
    ['{"a": 1e999}', 1, 7, "out of range"],
    ['{"a": 1} x', 1, 10, "after the top-level object"],
    ['{"a": "open', 1, 7, "unterminated string"],
    ["{a: 1}", 1, 2, "expected a string key"],
  ])("refuses %j at %i:%i", async (text, line, column, message) => {
    const error = await parseOne(jsonFormat, text, "plain", "bad.json").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FormatError);
    const fe = error as FormatError;
    expect(fe.message).toContain(`bad.json:${line}:${column}: `);
    expect(fe.message).toContain(message);
    expect(fe.position).toEqual({ line, column });
    expect(fe.hint).toBeTruthy();
  });

  it("never puts the offending text in the message", async () => {
    const error = (await parseOne(jsonFormat, '{"password": "hunter2\u0001"}').catch((e: unknown) => e)) as Error;
    expect(error.message).not.toContain("hunter2");
  });
});

describe("jsonFormat.emit (faithful)", () => {
  it("reproduces the input byte for byte", async () => {
    expect(dec(await roundTrip(jsonFormat, GOLDEN))).toBe(GOLDEN);
    const odd = enc('\ufeff \r\n{"a":[],"b" :  {"c":1.0e+2}\t}  \n\n');
    expect(await roundTrip(jsonFormat, odd)).toEqual(odd);
  });

  it("re-renders only changed values, Go style", async () => {
    const doc = await parseOne(jsonFormat, GOLDEN);
    (at(doc, "ratio") as Leaf).value = { type: "str", value: "ENC[AES256_GCM,data:x,type:float]" };
    (at(doc, "name") as Leaf).value = { type: "str", value: "<é>\u2028" };
    (at(doc, "nested", "list", 0) as Leaf).value = { type: "float", value: 1e21 };
    const out = dec(jsonFormat.emit([doc], { file: "t.json" }));
    expect(out).toBe(
      GOLDEN.replace('"caf\\u00e9 \\"quoted\\" \\/ slash"', '"\\u003cé\\u003e\\u2028"')
        .replace("1.50", '"ENC[AES256_GCM,data:x,type:float]"')
        .replace("[1, [2", "[1e+21, [2"),
    );
  });

  it("appends the sops entry in the surrounding style and removes it again", async () => {
    const plain = '{\n    "a": 1,\n    "b": {\n        "c": true\n    }\n}\n';
    const doc = await parseOne(jsonFormat, plain);
    doc.items.push(T.entry("sops", T.map([T.entry("age", T.seq([T.map([T.entry("recipient", T.str("age1x"))])])), T.entry("version", T.str("3.13.2")), T.entry("e", T.map())])));
    const withSops = dec(jsonFormat.emit([doc], { file: "t.json" }));
    expect(withSops).toBe(
      '{\n    "a": 1,\n    "b": {\n        "c": true\n    },\n    "sops": {\n        "age": [\n            {\n                "recipient": "age1x"\n            }\n        ],\n        "version": "3.13.2",\n        "e": {}\n    }\n}\n',
    );
    const reparsed = await parseOne(jsonFormat, withSops, "encrypted");
    reparsed.items.pop();
    expect(dec(jsonFormat.emit([reparsed], { file: "t.json" }))).toBe(plain);
  });

  it("keeps minified files minified", async () => {
    const doc = await parseOne(jsonFormat, '{"a":1,"b":[1,2]}');
    doc.items.push(T.entry("sops", T.map([T.entry("v", T.str("1")), T.entry("l", T.seq([T.int(1), T.int(2)]))])));
    expect(dec(jsonFormat.emit([doc], { file: "t.json" }))).toBe('{"a":1,"b":[1,2],"sops":{"v":"1","l":[1,2]}}');
  });

  it("handles seq items added and removed", async () => {
    const doc = await parseOne(jsonFormat, '{\n\t"l": [\n\t\t1,\n\t\t2\n\t]\n}');
    const seq = at(doc, "l") as { items: unknown[] };
    seq.items.push(T.map([T.entry("x", T.int(3))]));
    expect(dec(jsonFormat.emit([doc], { file: "t" }))).toBe('{\n\t"l": [\n\t\t1,\n\t\t2,\n\t\t{\n\t\t\t"x": 3\n\t\t}\n\t]\n}');
    seq.items.splice(0, 3);
    expect(dec(jsonFormat.emit([doc], { file: "t" }))).toBe('{\n\t"l": []\n}');
  });
});

describe("jsonFormat layout hints (shared between alike entries and seqs)", () => {
  const text = '{\n  "s": [\n    1,\n    2\n  ],\n  "t": [\n    3,\n    4\n  ],\n  "odd": [1 ,\n      2,  3],\n  "k\\u0041": 1,\n  "a<b": 2\n}\n';

  it("shares one hint among alike entries and alike seqs, never the root's", async () => {
    const doc = await parseOne(jsonFormat, text);
    const entries = doc.items.filter((i) => i.kind === "entry");
    expect(entries[0]!.src).toBe(entries[1]!.src);
    expect(at(doc, "s").src).toBe(at(doc, "t").src);
    expect(at(doc, "odd").src).not.toBe(at(doc, "s").src);
    expect(doc.src).not.toBe(at(doc, "s").src);
    expect(dec(jsonFormat.emit([doc], { file: "t" }))).toBe(text);
  });

  it("edits one seq without changing its look-alike, and moves per-item spacing with the items of an odd seq", async () => {
    const doc = await parseOne(jsonFormat, text);
    (at(doc, "s") as { items: unknown[] }).items.push(T.int(9));
    (at(doc, "odd") as { items: unknown[] }).items.reverse();
    expect(dec(jsonFormat.emit([doc], { file: "t" }))).toBe(
      text.replace("    2\n  ],\n  \"t\"", "    2,\n    9\n  ],\n  \"t\"").replace("[1 ,\n      2,  3]", "[3 ,\n      2,  1]"),
    );
  });

  it("keeps a key's spelling while the key is unchanged, and quotes a renamed key as Go does", async () => {
    const doc = await parseOne(jsonFormat, text);
    expect(val(at(doc, "kA"))).toBe(1n);
    const entries = doc.items.filter((i) => i.kind === "entry");
    entries[4]!.key = "c&d";
    expect(dec(jsonFormat.emit([doc], { file: "t" }))).toBe(text.replace('"a<b"', '"c\\u0026d"'));
    entries[3]!.key = "kB";
    expect(dec(jsonFormat.emit([doc], { file: "t" }))).toContain('"kB": 1');
  });
});

describe("jsonFormat.emit (fresh, SOPS JSON store layout)", () => {
  it("matches SOPS's decrypted output for the fixtures", async () => {
    // SOPS < 3.10 wrote no final newline.
    const nl = (s: string): string => (s.endsWith("\n") ? s : s + "\n");
    const cases: Array<[string, string, (s: string) => string]> = [
      ["getsops-sops/functional-tests/format.enc.json.sops-3.13-decrypted.json", "getsops-sops/functional-tests/format.enc.json.sops-3.13-decrypted.json", (s) => s],
      ["generated-sops-3.3.1/nested.plain.json", "generated-sops-3.3.1/nested.sops331-decrypted.json", nl],
      // 3.3.1 read every number as a float; 3.13.2 keeps the big int exact.
      ["generated-sops-3.3.1/scalars.plain.json", "generated-sops-3.3.1/scalars.sops331-decrypted.json", (s) => nl(s).replace("9007199254740992", "9007199254740993")],
      ["getsops-sops/example.json.sops331-decrypted.json", "getsops-sops/example.json.sops331-decrypted.json", nl],
    ];
    for (const [input, expected, fix] of cases) {
      const doc = stripSrc(await parseOne(jsonFormat, fixture(input)));
      expect(dec(jsonFormat.emit([doc], { file: input })), input).toBe(fix(dec(fixture(expected))));
    }
  });

  it("honours the indent setting", () => {
    const doc = T.map([T.entry("a", T.map([T.entry("b", T.seq([T.int(1)]))])), T.entry("e", T.seq())]);
    expect(dec(jsonFormat.emit([doc], { file: "t", indent: 2 }))).toBe('{\n  "a": {\n    "b": [\n      1\n    ]\n  },\n  "e": []\n}\n');
    expect(dec(jsonFormat.emit([doc], { file: "t", indent: 0 }))).toBe('{\n"a": {\n"b": [\n1\n]\n},\n"e": []\n}\n');
    expect(() => jsonFormat.emit([doc], { file: "t", indent: -2 })).toThrow(FormatError);
  });

  it("escapes strings like Go and formats floats ES6 style", () => {
    const doc = T.map([
      T.entry("s", T.str('<a href="x">&\u2028\u2029\b\f\n\r\t\u0001\u007f\ud800')),
      T.entry("f", T.seq([1e21, 1e-7, 1.5e-7, 0.000001, 123456789.125, -0, 2].map((n) => T.float(n)))),
      T.entry("t", T.leaf({ type: "time", value: "2024-01-02T03:04:05.5Z" })),
      T.entry("b", T.leaf({ type: "bytes", value: Uint8Array.from([0x61, 0xff]) })),
    ]);
    const out = dec(jsonFormat.emit([doc], { file: "t", indent: 0 }));
    expect(out).toBe(
      '{\n"s": "\\u003ca href=\\"x\\"\\u003e\\u0026\\u2028\\u2029\\b\\f\\n\\r\\t\\u0001\u007f\\ufffd",\n' +
        '"f": [\n1e+21,\n1e-7,\n1.5e-7,\n0.000001,\n123456789.125,\n-0,\n2\n],\n"t": "2024-01-02T03:04:05.5Z",\n"b": "a\ufffd"\n}\n',
    );
    expect(() => jsonFormat.emit([T.map([T.entry("x", T.float(NaN))])], { file: "t" })).toThrow(/cannot represent/);
  });

  it("refuses several documents", () => {
    expect(() => jsonFormat.emit([T.map(), T.map()], { file: "t" })).toThrow(/exactly one document/);
  });
});

describe("jsonFormat.emitValue (--extract)", () => {
  it("prints what sops -d --extract prints", async () => {
    const doc = await parseOne(jsonFormat, '{"s": "x<y>&é", "n": [1, 2.50, {"a": []}], "m": {}, "t": true, "z": null, "i": 5}');
    const ev = (n: string, ...p: (string | number)[]): string => dec(jsonFormat.emitValue(at(doc, n, ...p), { file: "t" }));
    expect(ev("s")).toBe("x<y>&é");
    expect(ev("n")).toBe('[\n\t1,\n\t2.5,\n\t{\n\t\t"a": []\n\t}\n]');
    expect(ev("m")).toBe("{}\n");
    expect(ev("n", 2)).toBe('{\n\t"a": []\n}\n');
    expect(ev("t")).toBe("true");
    expect(ev("z")).toBe("null");
    expect(ev("i")).toBe("5");
    const bytes = Uint8Array.from([0, 255, 10]);
    expect(jsonFormat.emitValue(T.leaf({ type: "bytes", value: bytes }), { file: "t" })).toEqual(bytes);
  });
});

describe("jsonFormat performance", () => {
  it("parses and emits 100k values quickly", async () => {
    const parts: string[] = [];
    for (let i = 0; i < 100_000; i++) parts.push(`\t"key${i}": ${i % 3 === 0 ? String(i) : i % 3 === 1 ? `"value ${i}"` : String(i + 0.5)}`);
    const input = enc("{\n" + parts.join(",\n") + "\n}\n");
    let best = Infinity;
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      const docs = (await jsonFormat.parse(input, { file: "big.json", mode: "plain" })) as MapNode[];
      const out = jsonFormat.emit(docs, { file: "big.json" });
      best = Math.min(best, performance.now() - t0);
      expect(out.length).toBe(input.length);
    }
    // ~150 ms on a shared 2-core machine; the bound leaves room for CI noise.
    expect(best).toBeLessThan(1500);
  });
});
