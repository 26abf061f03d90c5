/**
 * An age-only encrypt through the built CLI loads no cloud SDK, gRPC, openpgp or
 * age-encryption (test/cli/startup.test.ts covers age-only decrypt and `--version`; the
 * positive control — a mixed-key file that does load the AWS SDK — is in
 * mixed-keys.test.ts).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/paths.js";
import { hermeticEnv } from "../helpers/sobre-exec.js";
import { createModuleTracer, HEAVY_KEY_LIBS, type ModuleTracer } from "./module-trace.js";

const BUILT = existsSync(join(ROOT, "dist/main.js"));
const AGE_RECIPIENT = /age1[0-9a-z]+/.exec(readFileSync(join(ROOT, "fixtures/keys/age-test-key.txt"), "utf8"))![0];

let tracer: ModuleTracer;
let dir: string;

beforeAll(() => {
  if (!BUILT) return;
  tracer = createModuleTracer();
  dir = mkdtempSync(join(tmpdir(), "sobre-lazy-"));
  writeFileSync(join(dir, "plain.yaml"), "db:\n    password: lazy-marker\n    port: 5432\n");
  // The rule case lives in a subdirectory, so the flag case runs without any .sops.yaml.
  mkdirSync(join(dir, "rule"));
  writeFileSync(join(dir, "rule/plain.json"), '{\n  "password": "lazy-marker",\n  "n": 1\n}\n');
  writeFileSync(join(dir, "rule/.sops.yaml"), `creation_rules:\n  - age: ${AGE_RECIPIENT}\n`);
});

afterAll(() => {
  if (!BUILT) return;
  tracer.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!BUILT)(`age-only encrypt loads no heavy key library${BUILT ? "" : " (skipped: run `npm run build` first)"}`, () => {
  it("encrypt --age FILE.yaml, without any .sops.yaml", async () => {
    const r = await tracer.run(["encrypt", "--age", AGE_RECIPIENT, "plain.yaml"], hermeticEnv(join(dir, "home")), dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("password: ENC[AES256_GCM");
    // The tracer works: the CLI's entry is seen (it runs the single bundle, dist/sobre.cjs).
    expect(r.modules.some((m) => m.endsWith("/bin/sobre.js"))).toBe(true);
    expect(r.modules.filter((m) => m.includes("/dist/chunks/"))).toEqual([]);
    expect(r.modules.filter((m) => HEAVY_KEY_LIBS.test(m))).toEqual([]);
    // With no config to parse, not even the yaml library is needed (sobre has its own YAML format).
    expect(r.modules.filter((m) => m.includes("/node_modules/yaml/"))).toEqual([]);
  });

  it("encrypt -i FILE.json with recipients from a .sops.yaml age rule", async () => {
    // Like SOPS, the config is looked up from the working directory.
    const r = await tracer.run(["encrypt", "-i", "plain.json"], hermeticEnv(join(dir, "home")), join(dir, "rule"));
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, "rule/plain.json"), "utf8")).toContain(`"recipient": "${AGE_RECIPIENT}"`);
    expect(r.modules.some((m) => m.endsWith("/bin/sobre.js"))).toBe(true);
    // The config parser is a package import from inside the bundle: the tracer sees it.
    expect(r.modules.some((m) => m.includes("/node_modules/yaml/"))).toBe(true);
    expect(r.modules.filter((m) => HEAVY_KEY_LIBS.test(m))).toEqual([]);
  });
});
