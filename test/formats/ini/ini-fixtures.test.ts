import { describe, expect, it } from "vitest";
import { iniFormat } from "../../../src/formats/ini/index.js";
import type { MapNode } from "../../../src/tree/types.js";
import { at, dec, fillFromValues, fixture, interopFixtures, parseOne, val, valuesFile } from "../support/format-test-utils.js";

describe("INI interop fixtures", () => {
  const files = interopFixtures(["ini"]);

  it("parses every fixture into sections plus the unflattened sops entry", async () => {
    expect(files.length).toBeGreaterThanOrEqual(7);
    for (const [path] of files) {
      const doc = await parseOne(iniFormat, fixture(path), "encrypted", path);
      const keys = doc.items.map((i) => (i.kind === "entry" ? i.key : "#"));
      expect(keys[0], path).toBe("DEFAULT");
      expect(keys.at(-1), path).toBe("sops");
      expect(keys.filter((k) => k === "sops"), path).toHaveLength(1);
      for (const section of doc.items.slice(1, -1)) {
        if (section.kind !== "entry" || section.value.kind !== "map") throw new Error("not a section");
        for (const item of section.value.items) {
          const text = item.kind === "comment" ? item.text : (val(item.value) as string);
          const clear = item.kind === "entry" && (item.key.endsWith("_unencrypted") || text === "");
          if (!clear) expect(text, `${path} ${section.key}`).toMatch(/^ENC\[AES256_GCM,data:/);
        }
      }
      expect(val(at(doc, "sops", "mac")), path).toMatch(/^ENC\[AES256_GCM,data:/);
      expect(val(at(doc, "sops", "lastmodified")), path).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(val(at(doc, "sops", "pgp", 0, "enc")), path).toMatch(/^-----BEGIN PGP MESSAGE-----\n[\s\S]+-----END PGP MESSAGE-----\n?$/);
      expect(val(at(doc, "sops", "pgp", 0, "fp")), path).toMatch(/^[0-9A-F]{16,40}$/);
    }
  });

  it("decrypts SOPS 3.13 files to exactly what SOPS 3.13 prints", async () => {
    for (const path of ["getsops-sops/functional-tests/format.enc.ini", "getsops-sops/functional-tests/format-2.enc.ini"]) {
      const doc = await parseOne(iniFormat, fixture(path), "encrypted", path);
      expect(fillFromValues(doc, valuesFile(path)), path).toBe(true);
      expect(dec(iniFormat.emit([doc], { file: path })), path).toBe(dec(fixture(path + ".sops-3.13-decrypted.ini")));
    }
  });

  it("keeps the layout of SOPS-written files and their values", async () => {
    for (const [path] of files) {
      const doc = (await parseOne(iniFormat, fixture(path), "encrypted", path)) as MapNode;
      const comments = doc.items.some((s) => s.kind === "entry" && s.value.kind === "map" && s.value.items.some((i) => i.kind === "comment"));
      if (!fillFromValues(doc, valuesFile(path)) || comments) continue;
      const out = dec(iniFormat.emit([doc], { file: path }));
      const reread = await parseOne(iniFormat, out, "plain", path);
      const values = await parseOne(iniFormat, fixture(path), "encrypted", path);
      fillFromValues(values, valuesFile(path));
      expect(reread.items.map((i) => (i.kind === "entry" ? i.key : "#")), path).toEqual(values.items.map((i) => (i.kind === "entry" ? i.key : "#")));
    }
  });
});
