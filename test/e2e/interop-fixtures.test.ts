import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { IntegrityError } from "../../src/errors.js";
import { openEncryptedFile } from "../../src/operations/open-file.js";
import { createKeyContext } from "../../src/operations/key-context.js";
import { loadInteropFixtures } from "../helpers/fixtures.js";
import { envForKeys } from "../helpers/key-env.js";
import { INTEROP_FIXTURES } from "../helpers/paths.js";
import { documentsToValues } from "../helpers/tree-values.js";

const fixtures = loadInteropFixtures();

async function open(file: string, format: string, keyFiles: string[]) {
  const env = envForKeys(keyFiles);
  return openEncryptedFile({
    input: readFileSync(join(INTEROP_FIXTURES, file)),
    file,
    format: format as never,
    keyContext: createKeyContext({ env, cwd: INTEROP_FIXTURES }),
  });
}

describe("real SOPS files (../shared/fixtures/sops-interop)", () => {
  for (const fx of fixtures.filter((f) => !f.negative && f.valuesFile)) {
    it(`${fx.file} decrypts to its values`, async () => {
      const opened = await open(fx.file, fx.format, fx.keyFiles);
      const expected = JSON.parse(readFileSync(fx.valuesFile!, "utf8"));
      const actual = documentsToValues(opened.documents) as Record<string, unknown>;
      // SOPS's INI tree always has a DEFAULT section; the verifier's values omit it when empty.
      if (fx.format === "ini" && JSON.stringify(actual["DEFAULT"]) === "{}" && !("DEFAULT" in expected)) delete actual["DEFAULT"];
      expect(actual).toEqual(expected);
    });
  }

  for (const fx of fixtures.filter((f) => f.negative)) {
    it(`${fx.file} fails with the MAC mismatch exit code`, async () => {
      const err = await open(fx.file, fx.format, fx.keyFiles).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(IntegrityError);
      expect((err as IntegrityError).exitCode).toBe(51);
    });
  }
});
