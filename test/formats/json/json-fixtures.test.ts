import { describe, expect, it } from "vitest";
import { jsonFormat } from "../../../src/formats/json/index.js";
import { at, dec, fillFromValues, fixture, interopFixtures, parseOne, roundTrip, val, valuesFile } from "../support/format-test-utils.js";

describe("JSON interop fixtures", () => {
  const files = interopFixtures(["json"]);

  it("parses every fixture, round-trips it byte for byte and finds the sops entry last", async () => {
    expect(files.length).toBeGreaterThanOrEqual(9);
    for (const [path] of files) {
      expect(Buffer.from(await roundTrip(jsonFormat, fixture(path), "encrypted")).equals(fixture(path)), path).toBe(true);
      const doc = await parseOne(jsonFormat, fixture(path), "encrypted", path);
      const last = doc.items.at(-1)!;
      expect(last.kind === "entry" && last.key, path).toBe("sops");
      expect(val(at(doc, "sops", "mac")), path).toMatch(/^ENC\[AES256_GCM,data:/);
      expect(val(at(doc, "sops", "version")), path).toMatch(/^\d+\.\d+\.\d+$/);
    }
    const age = await parseOne(jsonFormat, fixture("humphd-sops-age/secret.enc.json"), "encrypted");
    expect(val(at(age, "sops", "age", 0, "recipient"))).toMatch(/^age1/);
  });

  it("decrypts to SOPS 3.13's output when the sops entry is removed", async () => {
    const path = "getsops-sops/functional-tests/format.enc.json";
    const doc = await parseOne(jsonFormat, fixture(path), "encrypted");
    expect(fillFromValues(doc, valuesFile(path))).toBe(true);
    expect(dec(jsonFormat.emit([doc], { file: path }))).toBe(dec(fixture(path + ".sops-3.13-decrypted.json")));
  });
});
