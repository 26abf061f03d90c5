import { describe, expect, it } from "vitest";
import { splitCommand } from "../src/shlex.js";

describe("splitCommand", () => {
  it("splits like google/shlex (SOPS runs the words without a shell)", () => {
    expect(splitCommand("op read op://vault/age/key")).toEqual(["op", "read", "op://vault/age/key"]);
    expect(splitCommand(`sh -c 'echo "$X" | cat'`)).toEqual(["sh", "-c", 'echo "$X" | cat']);
    expect(splitCommand(`a "b c" d\\ e "q\\"x" ''`)).toEqual(["a", "b c", "d e", 'q"x', ""]);
    expect(splitCommand("  cmd   # comment")).toEqual(["cmd"]);
    expect(splitCommand("")).toEqual([]);
  });
  it("rejects unterminated quotes", () => {
    expect(() => splitCommand("a 'b")).toThrow(/single quote/);
    expect(() => splitCommand('a "b')).toThrow(/double quote/);
  });
});
