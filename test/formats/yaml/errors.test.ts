import { describe, expect, it } from "vitest";
import { EXIT, FormatError } from "../../../src/errors.js";
import { parse } from "./helpers.js";

async function failure(text: string): Promise<FormatError> {
  try {
    await parse(text, "secrets.yaml");
  } catch (e) {
    expect(e).toBeInstanceOf(FormatError);
    return e as FormatError;
  }
  throw new Error("expected a FormatError");
}

describe("yamlFormat parse errors", () => {
  it.each([
    ["duplicate key", "a: 1\nb:\n  c: 1\n  c: 2\n", 4, 3, /mapping key "c" already defined/],
    ["int key", "a: 1\n1: x\n", 2, 1, /mapping key is a int, not a string/],
    ["bool key", "true: x\n", 1, 1, /mapping key is a bool/],
    ["null key", "~: x\n", 1, 1, /mapping key is a null/],
    ["timestamp key", "x:\n  2024-01-01: y\n", 2, 3, /mapping key is a timestamp/],
    ["top-level sequence", "- a\n- b\n", 1, 1, /documents that are sequences are not supported/],
    ["top-level scalar", "just text\n", 1, 1, /documents that are values are not supported/],
    ["second document is a sequence", "a: 1\n---\n- x\n", 3, 1, /sequences are not supported/],
    ["anchor", "a: &x 1\nb: *x\n", 1, 4, /anchors are not supported/],
    ["alias", "a: 1\nb: *x\n", 2, 4, /aliases are not supported/],
    ["merge key", "base:\n  x: 1\nother:\n  <<: {}\n", 4, 3, /merge keys/],
    ["custom tag", "a: !secret x\n", 1, 4, /unsupported tag !secret/],
    ["uint64", "big: 18446744073709551615\n", 1, 6, /out of the signed 64-bit range/],
    ["continuation line holding a key", "a:\n  b: 1\n   c: 2\n", 3, 5, /mapping values are not allowed/],
    ["bad indentation", "a:\n  b:\n    c: 1\n   d: 2\n", 4, 4, /bad indentation/],
    ["missing colon", "a: 1\nb\nc: 2\n", 2, 2, /could not find expected ':'/],
    ["nested mapping on one line", "a: b: c\n", 1, 4, /mapping values are not allowed/],
    ["tab indentation", "a:\n\tb: 1\n", 2, 1, /tab character/],
    ["unterminated quote", 'a: "open\n', 1, 4, /unexpected end of stream/],
    ["bad escape", 'a: "\\q"\n', 1, 5, /unknown escape/],
    ["sequence in a mapping value line", "a: - x\n", 1, 4, /block sequence entries are not allowed/],
  ])("%s", async (_name, text, line, column, message) => {
    const e = await failure(text);
    expect(e.message).toMatch(message);
    expect(e.position).toEqual({ line, column });
    expect(e.message.startsWith(`secrets.yaml:${line}:${column}: `)).toBe(true);
  });

  it("explains why aliases are refused", async () => {
    const e = await failure("a: &x 1\n");
    expect(e.hint).toMatch(/expanded copies would be encrypted separately/);
  });

  it.each([[""], ["\n\n"], ["# only a comment\n"]])("needs at least one document (%j)", async (text) => {
    const e = await failure(text);
    expect(e.exitCode).toBe(EXIT.NeedAtLeastOneDocument);
    expect(e.message).toMatch(/must contain at least one document/);
  });

  it("rejects invalid UTF-8", async () => {
    await expect(parse(new Uint8Array([0x61, 0x3a, 0x20, 0xff, 0x0a]))).rejects.toThrow(/invalid UTF-8/);
  });

  it("never echoes values in messages", async () => {
    const e = await failure("password: hunter2\npassword: hunter3\n");
    expect(e.message).not.toMatch(/hunter/);
  });
});
