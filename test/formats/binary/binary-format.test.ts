import { describe, expect, it } from "vitest";
import { FormatError } from "../../../src/errors.js";
import { binaryFormat } from "../../../src/formats/binary/index.js";
import { T } from "../../../src/tree/types.js";
import { at, dec, fixture, interopFixtures, parseOne, val } from "../support/format-test-utils.js";

const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, i) => i);

describe("binaryFormat", () => {
  it("keeps all 256 byte values through parse and emit", async () => {
    const doc = await parseOne(binaryFormat, ALL_BYTES);
    expect(doc.items).toHaveLength(1);
    expect(at(doc, "data")).toEqual({ kind: "leaf", value: { type: "bytes", value: ALL_BYTES } });
    expect(binaryFormat.emit([doc], { file: "b" })).toEqual(ALL_BYTES);
    expect(new Uint8Array(fixture("generated-sops-3.3.1/bytes.plain.bin"))).toEqual(ALL_BYTES);
  });

  it("writes the JSON envelope exactly as SOPS's JSON store", async () => {
    const doc = T.map([T.entry("data", T.str("ENC[AES256_GCM,data:x,type:str]")), T.entry("sops", T.map([T.entry("version", T.str("3.13.2"))]))]);
    expect(dec(binaryFormat.emit([doc], { file: "b" }))).toBe('{\n\t"data": "ENC[AES256_GCM,data:x,type:str]",\n\t"sops": {\n\t\t"version": "3.13.2"\n\t}\n}\n');
    // Layout hints of a parsed envelope are ignored: the envelope is always SOPS's layout.
    const parsed = await parseOne(binaryFormat, '{ "data": "x",\n "sops": {"version": "3.13.2"}}', "encrypted");
    expect(dec(binaryFormat.emit([parsed], { file: "b", indent: 2 }))).toBe('{\n  "data": "x",\n  "sops": {\n    "version": "3.13.2"\n  }\n}\n');
  });

  it("reads every binary interop fixture as {data, sops}", async () => {
    const files = interopFixtures(["binary"]);
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const [path] of files) {
      const doc = await parseOne(binaryFormat, fixture(path), "encrypted", path);
      expect(doc.items.map((i) => (i.kind === "entry" ? i.key : "#")), path).toEqual(["data", "sops"]);
      const data = val(at(doc, "data")) as string;
      expect(data === "" || data.startsWith("ENC[AES256_GCM,data:"), path).toBe(true);
      expect(val(at(doc, "sops", "mac")), path).toMatch(/^ENC\[AES256_GCM,/);
      expect(val(at(doc, "sops", "lastmodified")), path).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
  });

  it("explains a non-envelope input in encrypted mode", async () => {
    const error = (await parseOne(binaryFormat, "plain text", "encrypted", "x.bin").catch((e: unknown) => e)) as FormatError;
    expect(error).toBeInstanceOf(FormatError);
    expect(error.message).toMatch(/^x\.bin:1:1: /);
    expect(error.hint).toMatch(/JSON envelope/);
  });

  it("writes str data as UTF-8 and refuses trees without data", () => {
    expect(dec(binaryFormat.emit([T.map([T.entry("data", T.str("héllo\n"))])], { file: "b" }))).toBe("héllo\n");
    expect(() => binaryFormat.emit([T.map([T.entry("other", T.str("x"))])], { file: "b" })).toThrow(FormatError);
    expect(() => binaryFormat.emit([T.map([T.entry("data", T.int(1))])], { file: "b" })).toThrow(/not a string/);
  });

  it("extracts only the data value", () => {
    expect(binaryFormat.emitValue(T.leaf({ type: "bytes", value: ALL_BYTES }), { file: "b" })).toEqual(ALL_BYTES);
    expect(dec(binaryFormat.emitValue(T.str("x"), { file: "b" }))).toBe("x");
    expect(() => binaryFormat.emitValue(T.seq([]), { file: "b" })).toThrow(/not structured/);
  });
});
