import { describe, expect, it } from "vitest";
import { FormatError } from "../../../src/errors.js";
import { tomlFormat } from "../../../src/formats/toml/index.js";
import { FILE, parse } from "./helpers.js";

function errorOf(text: string | Uint8Array): FormatError {
  try {
    parse(text);
  } catch (e) {
    if (e instanceof FormatError) return e;
    throw e;
  }
  throw new Error("parsed without error");
}

describe("tomlFormat parse errors", () => {
  it.each([
    ["a = 1\na = 2\n", "config.toml:2:1: duplicate key \"a\"", 2, 1, /once per table/],
    ["[t]\nx = 1\n\n[t]\n", "config.toml:4:2: table [t] is defined twice", 4, 2, /merge/],
    ["[a.b.c]\nz = 9\n[a]\nb.c.t = 1\n", "config.toml:4:1: cannot add keys to table b here", 4, 1, /own \[header\]/],
    ["t = {x = 1}\n[t.y]\n", "config.toml:2:2: cannot add keys to table t here", 2, 2, /inline table/],
    ["a = [1]\n[[a]]\n", "config.toml:2:3: key a is already defined and is not an array of tables", 2, 3, /rename/],
    ["s = \"abc\n", "config.toml:1:5: unterminated string", 1, 5, /close the string/],
    ["n = 0123\n", "config.toml:1:5: invalid value", 1, 5, /numbers/],
    ["n = 9223372036854775808\n", "config.toml:1:5: integer does not fit in 64 bits", 1, 5, /quote it/],
    ["d = 2023-02-29\n", "config.toml:1:5: invalid date or time", 1, 5, /RFC 3339/],
    ["k = 1 x = 2\n", "config.toml:1:7: unexpected text after value", 1, 7, /own line/],
    ["é = 1\n", "config.toml:1:1: expected a key", 1, 1, /quote other keys/],
    ["t = { a = 1,\n b = 2 }\n", "config.toml:1:13: expected a key", 1, 13, /quote/],
    ["s = \"\\x41\"\n", "config.toml:1:6: invalid escape sequence", 1, 6, /\\uXXXX/],
    ["a = 1 # bell \u0007\n", "config.toml:1:14: control character in comment", 1, 14, /remove it/],
  ])("%j", (text, message, line, column, hint) => {
    const e = errorOf(text);
    expect(e.message).toBe(message);
    expect(e.position).toEqual({ line, column });
    expect(e.hint).toMatch(hint);
    expect(e.exitCode).toBe(2);
  });

  it("reports invalid UTF-8 with its position", () => {
    const e = errorOf(new Uint8Array([0x61, 0x20, 0x3d, 0x20, 0x22, 0xff, 0x22, 0x0a]));
    expect(e.message).toBe("config.toml:1:6: the file is not valid UTF-8");
    expect(e.hint).toMatch(/UTF-8/);
  });

  it("never puts the value text in a message", () => {
    const e = errorOf('password = "hunter2\n');
    expect(e.message).not.toContain("hunter2");
  });

  it("counts columns in characters, not bytes", () => {
    expect(errorOf('"ключ" = 1\n"ключ" = 2\n').message).toBe('config.toml:2:1: duplicate key "ключ"');
    expect(errorOf('k = "日本" x\n').position).toEqual({ line: 1, column: 10 });
  });

  it("parses an empty file as an empty table", () => {
    expect(tomlFormat.parse(new Uint8Array(), { file: FILE, mode: "plain" })).toEqual([
      expect.objectContaining({ kind: "map", items: [] }),
    ]);
  });
});
