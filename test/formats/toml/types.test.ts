import { describe, expect, it } from "vitest";
import type { Leaf, ScalarValue } from "../../../src/tree/types.js";
import { at, emit, parse } from "./helpers.js";

const valueOf = (text: string): ScalarValue => (at(parse(`v = ${text}\n`), "v") as Leaf).value;

describe("tomlFormat scalar types", () => {
  it.each([
    ['"a\\tb\\u00e9\\U0001F600"', { type: "str", value: "a\tb\u00e9\u{1F600}" }],
    ["'C:\\x'", { type: "str", value: "C:\\x" }],
    ['"""\nline1\\\n   line2"""', { type: "str", value: "line1line2" }],
    ["'''\nraw\\n\nend'''", { type: "str", value: "raw\\n\nend" }],
    ["9223372036854775807", { type: "int", value: 9223372036854775807n }],
    ["-9223372036854775808", { type: "int", value: -9223372036854775808n }],
    ["0xDEAD_BEEF", { type: "int", value: 0xdeadbeefn }],
    ["0o755", { type: "int", value: 0o755n }],
    ["0b1101", { type: "int", value: 13n }],
    ["+1_000", { type: "int", value: 1000n }],
    ["6.626e-34", { type: "float", value: 6.626e-34 }],
    ["1_000.5", { type: "float", value: 1000.5 }],
    ["-0.0", { type: "float", value: -0 }],
    ["+inf", { type: "float", value: Infinity }],
    ["-inf", { type: "float", value: -Infinity }],
    ["true", { type: "bool", value: true }],
    ["1979-05-27 07:32:00.500+00:00", { type: "time", value: "1979-05-27T07:32:00.5Z" }],
    ["1979-05-27t07:32:00-07:00", { type: "time", value: "1979-05-27T07:32:00-07:00" }],
    ["1979-05-27 07:32:00.999", { type: "datetime_local", value: "1979-05-27T07:32:00.999" }],
    ["1979-05-27", { type: "date_local", value: "1979-05-27" }],
    ["00:32:00.100", { type: "time_local", value: "00:32:00.100" }],
  ])("%s", (text, expected) => {
    expect(valueOf(text)).toEqual(expected);
  });

  it("reads nan as NaN", () => {
    expect(Number.isNaN((valueOf("-nan") as { value: number }).value)).toBe(true);
  });

  it("re-uses the original spelling while the value is the one parsed", () => {
    const text = "a = 0xFF\nb = 1_000\nc = 1.50\nd = 1979-05-27 07:32:00Z\ne = 'lit'\nf = -nan\ng = 1e06\n";
    const doc = parse(text);
    for (const key of ["a", "b", "c", "d", "e", "f", "g"]) {
      const leaf = at(doc, key) as Leaf;
      const v = leaf.value;
      leaf.value = { type: "str", value: "ENC[x]" };
      leaf.value = v.type === "time" ? { type: "time", value: "1979-05-27T07:32:00Z" } : { ...v };
    }
    expect(emit(doc)).toBe(text);
  });

  it("writes changed values in canonical TOML", () => {
    const doc = parse("a = 0xFF\nb = 1.5\nc = 1\nd = 1\ne = 1\nf = 1\ng = 1\nh = 1\ni = 1\n");
    const set = (key: string, value: ScalarValue) => ((at(doc, key) as Leaf).value = value);
    set("a", { type: "int", value: 256n });
    set("b", { type: "float", value: 2 });
    set("c", { type: "float", value: 1e21 });
    set("d", { type: "float", value: NaN });
    set("e", { type: "float", value: -Infinity });
    set("f", { type: "bool", value: false });
    set("g", { type: "time", value: "2024-01-02T03:04:05.123456789Z" });
    set("h", { type: "str", value: "ENC[AES256_GCM,data:x]" });
    set("i", { type: "str", value: 'say "hi"\\n' });
    expect(emit(doc)).toBe(
      'a = 256\nb = 2.0\nc = 1e+21\nd = nan\ne = -inf\nf = false\ng = 2024-01-02T03:04:05.123456789Z\n' +
        "h = \"ENC[AES256_GCM,data:x]\"\ni = 'say \"hi\"\\n'\n",
    );
  });

  it("writes a multi-line plaintext as a multi-line string", () => {
    const doc = parse('k = 1\n');
    (at(doc, "k") as Leaf).value = { type: "str", value: "-----BEGIN-----\nabc\n-----END-----\n" };
    expect(emit(doc)).toBe('k = """\n-----BEGIN-----\nabc\n-----END-----\n"""\n');
    expect((at(parse(emit(doc)), "k") as Leaf).value).toEqual({ type: "str", value: "-----BEGIN-----\nabc\n-----END-----\n" });
  });

  it("escapes what a string kind cannot hold", () => {
    const doc = parse("a = 'x'\nb = '''x'''\n");
    (at(doc, "a") as Leaf).value = { type: "str", value: "it's\u0001" };
    (at(doc, "b") as Leaf).value = { type: "str", value: "a'''b\n" };
    const text = emit(doc);
    expect(text).toBe('a = "it\'s\\u0001"\nb = """\na\'\'\'b\n"""\n');
    expect((at(parse(text), "b") as Leaf).value).toEqual({ type: "str", value: "a'''b\n" });
  });

  it("maps tables to maps, arrays to sequences and arrays of tables to sequences of maps", () => {
    const doc = parse("a = [1, [2, 3], {x = 1}]\n[[t]]\nk = 1\n[[t]]\n");
    expect(at(doc, "a").kind).toBe("seq");
    expect(at(doc, "a", 1).kind).toBe("seq");
    expect(at(doc, "a", 2, "x")).toMatchObject({ kind: "leaf", value: { type: "int", value: 1n } });
    expect(at(doc, "t").kind).toBe("seq");
    expect(at(doc, "t", 1)).toMatchObject({ kind: "map", items: [] });
  });
});
