import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FormatError } from "../../src/errors.js";
import { readMetadata } from "../../src/metadata/read.js";
import { decrypt } from "../../src/operations/decrypt.js";
import { T } from "../../src/tree/types.js";
import { ROOT } from "../helpers/paths.js";
import { ageContext, encryptText } from "./support/samples.js";

/** Bugs the hardening tests found, pinned so they stay fixed; and dependency hygiene. */

describe("regressions", () => {
  it("a mapping where the metadata expects a single value is a FormatError, not a TypeError", () => {
    const node = T.map([T.entry("mac", T.map([T.entry("toString", T.int(0))]))]);
    expect(() => readMetadata(node, "x.yaml")).toThrow(FormatError);
    expect(() => readMetadata(T.map([T.entry("lastmodified", T.seq([T.str("a")]))]), "x.yaml")).toThrow(/single value/);
  });

  it("YAML: an empty flow entry `[a, , b]` is a syntax error (as in SOPS), not a null the MAC cannot see", async () => {
    const { loadFormat } = await import("../../src/formats/registry.js");
    const yaml = await loadFormat("yaml");
    for (const text of ["l: [a, , b]\n", "l: [, b]\n", "l: [a,, b]\n"]) {
      await expect(Promise.resolve().then(() => yaml.parse(Buffer.from(text), { file: "x", mode: "plain" }))).rejects.toThrow(FormatError);
    }
    expect(await yaml.parse(Buffer.from("l: [a, b, ]\n"), { file: "x", mode: "plain" })).toHaveLength(1);
  });

  it("YAML: a malformed %-escape in a tag is a FormatError, not a URIError", async () => {
    const { loadFormat } = await import("../../src/formats/registry.js");
    const yaml = await loadFormat("yaml");
    await expect(Promise.resolve().then(() => yaml.parse(Buffer.from("a: !% x\n"), { file: "x", mode: "plain" }))).rejects.toThrow(FormatError);
    await expect(Promise.resolve().then(() => yaml.parse(Buffer.from("a: !<%zz> x\n"), { file: "x", mode: "plain" }))).rejects.toThrow(FormatError);
  });

  it("one key context decrypts the same file twice (the unwrap cache is not zeroed by the first caller)", async () => {
    const ctx = ageContext();
    const enc = await encryptText("json", '{"a": "b"}', ctx);
    const run = () => decrypt({ input: enc, file: "x.json", inputFormat: "json", outputFormat: "json", keyContext: ctx });
    expect(Buffer.from(await run()).toString()).toContain('"b"');
    expect(Buffer.from(await run()).toString()).toContain('"b"');
  });
});

describe("dependency hygiene", () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as Record<string, Record<string, string>>;
  it("every dependency is pinned to an exact version", () => {
    for (const field of ["dependencies", "devDependencies", "optionalDependencies"]) {
      for (const [name, range] of Object.entries(pkg[field] ?? {})) expect(range, `${field} ${name}`).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
    }
  });

  it("the lockfile exists and resolves every production dependency at the pinned version", () => {
    const lockPath = join(ROOT, "package-lock.json");
    expect(existsSync(lockPath)).toBe(true);
    const lock = JSON.parse(readFileSync(lockPath, "utf8")) as { packages: Record<string, { version?: string }> };
    for (const [name, version] of Object.entries(pkg.dependencies ?? {})) expect(lock.packages[`node_modules/${name}`]?.version, name).toBe(version);
  });
});

describe("minimal-diff IV reuse", () => {
  // Regression: equal values at one path (list items, the same key in several YAML
  // documents) once all took the last one's IV after an edit, making their ciphertexts
  // identical and revealing that they are equal. IVs are now handed out once, in order.
  it("equal values at the same path keep their own IVs after an edit (no equality leak)", async () => {
    const { modifyEncrypted } = await import("../../src/operations/modify.js");
    const ctx = ageContext();
    const enc = await encryptText("yaml", "l:\n  - same\n  - same\n  - same\nb: 1\n", ctx);
    const ivs = (b: Uint8Array) => Buffer.from(b).toString().split("\n").filter((l) => l.includes("- ENC")).map((l) => /iv:([^,]+)/.exec(l)![1]);
    const before = ivs(enc);
    expect(new Set(before).size).toBe(3);
    const out = await modifyEncrypted({ input: enc, file: "x.yaml", format: "yaml", keyContext: ctx }, (d) => {
      const b = d[0]!.items.find((i) => i.kind === "entry" && i.key === "b")!;
      if (b.kind === "entry") b.value = T.int(2);
      return true;
    });
    // Unchanged values keep their exact ciphertext (minimal diff), each its own.
    expect(ivs(out.output!)).toEqual(before);
  });
});
