import { describe, expect, it } from "vitest";
import { FormatError, UsageError } from "../../../src/errors.js";
import { descriptor } from "../../../src/keys/age/index.js";
import { wire } from "../../../src/keys/age/ssh-wire.js";

const X = "age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29";
const Y = "age1henwn645drkd3fa34t27t2w2x0nsgw3w4h62gmg5x5xflyjpy38s5cncph";
const SECRET = "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX";

describe("descriptor", () => {
  it("has the age shape", () => {
    expect(descriptor.type).toBe("age");
    expect(descriptor.label).toBe("age");
    expect(descriptor.offline).toBe(true);
    expect(descriptor.hasCreatedAt).toBe(false);
  });

  it("parses a comma-separated list, trimming spaces", () => {
    const keys = descriptor.parseRefs(` ${X} ,${Y}`);
    expect(keys.map((k) => k.id)).toEqual([X, Y]);
    expect(keys[0]).toEqual({ type: "age", id: X, fields: { recipient: X } });
    expect(descriptor.parseRefs("")).toEqual([]);
  });

  it("accepts ssh, post-quantum and plugin recipients", () => {
    const blob = Buffer.from(wire("ssh-ed25519", new Uint8Array(32).fill(9))).toString("base64");
    const ssh = `ssh-ed25519 ${blob} test@host`;
    expect(descriptor.parseRefs(ssh)[0]!.id).toBe(ssh);
    const plugin = "age1sobretest1qyqszqgpqyqszqgpqyqszqgpqyezkzz3";
    expect(() => descriptor.parseRefs(plugin)).not.toThrow();
  });

  it("rejects a secret key without echoing it", () => {
    for (const input of [SECRET, SECRET.toLowerCase(), `${X},${SECRET}`]) {
      let err: unknown;
      try {
        descriptor.parseRefs(input);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UsageError);
      const e = err as UsageError;
      expect(e.message).toContain("that is a secret key; pass its recipient (age-keygen -y)");
      expect(e.message + (e.hint ?? "")).not.toMatch(/GFPYYSJZ/i);
    }
  });

  it("rejects invalid recipients with a hint", () => {
    for (const bad of ["age1invalid", "nope", X.slice(0, -1) + "q", "ssh-ed25519 AAAA"]) {
      expect(() => descriptor.parseRefs(bad)).toThrow(UsageError);
    }
    try {
      descriptor.parseRefs("bogus");
    } catch (e) {
      expect((e as UsageError).hint).toMatch(/age1/);
    }
  });

  it("converts records both ways, keys sorted (enc before recipient)", () => {
    const key = descriptor.fromRecord({ recipient: X, enc: "E" });
    expect(key.id).toBe(X);
    const record = descriptor.toRecord({ key, enc: "ENC\n" });
    expect(Object.keys(record)).toEqual(["enc", "recipient"]);
    expect(record).toEqual({ enc: "ENC\n", recipient: X });
    const withExtra = descriptor.toRecord({ key, enc: "E", extra: { zz: "1", aa: "2" } });
    expect(Object.keys(withExtra)).toEqual(["aa", "enc", "recipient", "zz"]);
    expect(() => descriptor.fromRecord({ enc: "E" })).toThrow(FormatError);
  });

  it("loads the client lazily", async () => {
    const client = await descriptor.load();
    expect(typeof client.wrap).toBe("function");
    expect(typeof client.unwrap).toBe("function");
  });
});
