/**
 * toml-test (TOML 1.0.0 selection): every valid case must parse to its tagged-JSON
 * expectation and emit back byte for byte; every invalid case must be rejected with a
 * FormatError. Invalid cases come from the shared suite when present, else from the
 * copy in fixtures/toml-test-invalid (same upstream commit, see its MANIFEST.md).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { FormatError } from "../../../src/errors.js";
import { tomlFormat } from "../../../src/formats/toml/index.js";
import { CONFORMANCE } from "../../helpers/paths.js";
import type { MapNode } from "../../../src/tree/types.js";
import { fakeDecrypt, fakeEncrypt, stripLayout } from "./sim.js";
import { diffTagged, type Tagged, toTagged } from "./tagged.js";

const SUITE = join(CONFORMANCE, "toml-test/tests");
const HERE = dirname(fileURLToPath(import.meta.url));
const INVALID = existsSync(join(SUITE, "invalid")) ? join(SUITE, "invalid") : resolve(HERE, "fixtures/toml-test-invalid");

function tomlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tomlFiles(full));
    else if (entry.name.endsWith(".toml")) out.push(full);
  }
  return out.sort();
}

const parseCtx = (file: string) => ({ file, mode: "plain" as const });

describe("toml-test valid", () => {
  const files = tomlFiles(join(SUITE, "valid"));

  it.skipIf(files.length === 0)("parses all 210 valid cases to their expectation and emits them byte for byte", () => {
    const failures: string[] = [];
    let parsed = 0;
    let roundTripped = 0;
    for (const file of files) {
      const name = relative(SUITE, file);
      const input = readFileSync(file);
      const expected = JSON.parse(readFileSync(file.replace(/\.toml$/, ".json"), "utf8")) as Tagged;
      let doc: MapNode;
      try {
        doc = (tomlFormat.parse(input, parseCtx(name)) as MapNode[])[0]!;
      } catch (e) {
        failures.push(`${name}: parse failed: ${(e as Error).message}`);
        continue;
      }
      const diff = diffTagged(toTagged(doc), expected);
      if (diff) failures.push(`${name}: ${diff}`);
      else parsed++;
      const out = Buffer.from(tomlFormat.emit([doc], { file: name }));
      if (out.equals(input)) roundTripped++;
      else failures.push(`${name}: emit differs: ${JSON.stringify(out.toString())}`);
    }
    console.log(`toml-test valid: ${parsed}/${files.length} parsed as expected, ${roundTripped}/${files.length} byte-exact`);
    expect(failures).toEqual([]);
    expect(files.length).toBe(210);
    expect(parsed).toBe(210);
    expect(roundTripped).toBe(210);
  });
});

describe("toml-test valid, edited like the engine does", () => {
  const files = tomlFiles(join(SUITE, "valid"));
  const parse = (bytes: Uint8Array, name: string) => (tomlFormat.parse(bytes, parseCtx(name)) as MapNode[])[0]!;

  it.skipIf(files.length === 0)("encrypt → emit → parse → decrypt keeps the data; in-place decrypt restores the bytes", () => {
    const failures: string[] = [];
    for (const file of files) {
      const name = relative(SUITE, file);
      const input = readFileSync(file);
      const expected = JSON.parse(readFileSync(file.replace(/\.toml$/, ".json"), "utf8")) as Tagged;
      const doc = parse(input, name);
      const saved = fakeEncrypt(doc);
      const encrypted = tomlFormat.emit([doc], { file: name });
      let reread: MapNode;
      try {
        reread = parse(encrypted, name);
      } catch (e) {
        failures.push(`${name}: encrypted output does not parse: ${(e as Error).message}`);
        continue;
      }
      fakeDecrypt(reread, saved);
      const decrypted = tomlFormat.emit([reread], { file: name });
      const diff = diffTagged(toTagged(parse(decrypted, name)), expected);
      if (diff) failures.push(`${name}: after decrypt: ${diff}`);
      fakeDecrypt(doc, saved);
      if (!Buffer.from(tomlFormat.emit([doc], { file: name })).equals(input)) failures.push(`${name}: in-place decrypt not byte-exact`);
    }
    expect(failures).toEqual([]);
  });

  it.skipIf(files.length === 0)("fresh emission (no layout) reads back as the same data", () => {
    const failures: string[] = [];
    for (const file of files) {
      const name = relative(SUITE, file);
      const expected = JSON.parse(readFileSync(file.replace(/\.toml$/, ".json"), "utf8")) as Tagged;
      const fresh = stripLayout(parse(readFileSync(file), name));
      const text = tomlFormat.emit([fresh], { file: name });
      try {
        const diff = diffTagged(toTagged(parse(text, name)), expected);
        if (diff) failures.push(`${name}: ${diff}`);
      } catch (e) {
        failures.push(`${name}: ${(e as Error).message}\n${Buffer.from(text).toString()}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe("toml-test invalid", () => {
  const files = tomlFiles(INVALID);

  it.skipIf(files.length === 0)("rejects all 499 invalid cases with a FormatError", () => {
    const accepted: string[] = [];
    const crashed: string[] = [];
    for (const file of files) {
      const name = relative(INVALID, file);
      try {
        tomlFormat.parse(readFileSync(file), parseCtx(name));
        accepted.push(name);
      } catch (e) {
        if (!(e instanceof FormatError) || !/^[^:]+:\d+:\d+: /.test(e.message)) crashed.push(`${name}: ${String(e)}`);
      }
    }
    const rejected = files.length - accepted.length;
    console.log(`toml-test invalid: ${rejected}/${files.length} rejected`);
    expect(crashed).toEqual([]);
    expect(accepted).toEqual([]);
    expect(files.length).toBe(499);
  });
});
