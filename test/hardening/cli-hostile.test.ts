import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEncryptedFile } from "../../src/operations/open-file.js";
import { LONG, MARKER, fcParams, mutated } from "./support/fuzz.js";
import { STACK_TRACE, buildCli, cliEnv, removeCli, runCli, type CliResult } from "./support/cli.js";
import { AGE_RECIPIENT, SAMPLES, ageContext, encryptText } from "./support/samples.js";

/**
 * The real CLI process fed hostile files: it must exit with a SOPS code within a time
 * limit (a hang is killed), print no stack trace and no planted secret, and stay within
 * a memory bound.
 */

let cli: string;
let dir: string;
beforeAll(async () => {
  cli = await buildCli();
  dir = mkdtempSync(join(tmpdir(), "sobre-hostile-"));
});
afterAll(() => removeCli());

const SOPS_CODES = new Set([0, 1, 2, 3, 4, 5, 6, 7, 21, 23, 24, 25, 49, 51, 52, 61, 85, 91, 92, 100, 111, 128, 200, 201, 202, 203]);
const RSS_LIMIT_KIB = 400 * 1024;

function check(r: CliResult, what: string): void {
  expect(r.timedOut, `${what}: hung`).toBe(false);
  expect(SOPS_CODES.has(r.status ?? -1), `${what}: exit ${r.status} ${r.signal ?? ""}\n${r.stderr}`).toBe(true);
  expect(r.stderr, `${what}: stack trace`).not.toMatch(STACK_TRACE);
  expect(r.stderr, `${what}: internal error`).not.toMatch(/internal error/);
  expect(r.stderr, `${what}: secret in stderr`).not.toContain(MARKER);
  if (r.maxRssKiB !== undefined) expect(r.maxRssKiB, `${what}: peak RSS`).toBeLessThan(RSS_LIMIT_KIB);
}

function file(name: string, content: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

const D = 10_000;
const HOSTILE: [string, string | Uint8Array][] = [
  ["deep.json", '{"a":'.repeat(D) + `"${MARKER}"` + "}".repeat(D)],
  ["deep-arrays.json", '{"a":' + "[".repeat(D) + "]".repeat(D) + "}"],
  ["deep.yaml", "a: " + "[".repeat(D) + "]".repeat(D)],
  ["deep-block.yaml", Array.from({ length: 3000 }, (_, i) => " ".repeat(i) + "a:").join("\n") + ` ${MARKER}\n`],
  ["deep.toml", "a = " + "[".repeat(D) + "]".repeat(D)],
  ["dotted.toml", "a" + ".a".repeat(D) + ` = "${MARKER}"`],
  // billion laughs: nine levels of ten aliases each
  ["laughs.yaml", `a: &a ["${MARKER}","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n` + Array.from({ length: 8 }, (_, i) => `${"bcdefghi"[i]}: &${"bcdefghi"[i]} [${Array(10).fill(`*${"abcdefghi"[i]}`).join(",")}]`).join("\n") + "\n"],
  ["merge.yaml", `base: &b {k: ${MARKER}}\nother:\n  <<: *b\n`],
  ["nul.json", `{"a": "${MARKER}\u0000"}`],
  ["bad-utf8.yaml", Buffer.concat([Buffer.from(`a: ${MARKER}`), Buffer.from([0xff, 0xfe, 0xc3])])],
  ["long-line.env", `A=${MARKER}${"x".repeat(5_000_000)}\n`],
  ["many-keys.json", `{${Array.from({ length: 50_000 }, (_, i) => `"k${i}": ${i}`).join(",")}}`],
  ["dup-keys.yaml", `a: ${MARKER}\na: ${MARKER}\n`],
  ["huge-int.json", `{"a": ${"9".repeat(100_000)}}`],
  ["huge-float.toml", `a = 1e${"9".repeat(1000)}\n`],
  ["sops-only.json", `{"sops": {"mac": {"toString": 0}, "age": [{"recipient": "${AGE_RECIPIENT}", "enc": "${MARKER}"}]}}`],
];

describe("hostile files through `encrypt` (and `decrypt` with SOBRE_FUZZ_LONG=1)", () => {
  // The parsers see these in-process in nesting/fuzz tests; here the point is the process:
  // exit code, stderr and memory. One spawn each keeps the default suite fast.
  it.each(HOSTILE)("%s", (name, content) => {
    const p = file(name, content);
    const env = cliEnv();
    check(runCli(cli, ["encrypt", "--age", AGE_RECIPIENT, p], { env }), `encrypt ${name}`);
    if (LONG || name.startsWith("sops-only")) check(runCli(cli, ["decrypt", p], { env }), `decrypt ${name}`);
  });
});

describe("mutated encrypted files through `decrypt` (sampled; most cases run in-process)", () => {
  it("exit with a SOPS code, no stack trace, no plaintext in stderr", async () => {
    const base = await encryptText("yaml", SAMPLES.yaml);
    const env = cliEnv();
    await fc.assert(
      fc.asyncProperty(mutated(base, { marker: false }), async (bytes) => {
        const p = file("m.yaml", bytes);
        const r = runCli(cli, ["decrypt", p], { env });
        check(r, "decrypt mutated");
        // A successful decrypt prints plaintext on stdout, and only there.
        if (r.status === 0) expect(r.stdout.toString()).toContain(MARKER);
      }),
      fcParams(LONG ? 20 : 4),
    );
  });
});

describe("--verbose and error output", () => {
  it("never contain values or the data key", async () => {
    const enc = await encryptText("json", SAMPLES.json);
    const { dataKey } = await openEncryptedFile({ input: enc, file: "x", format: "json", keyContext: ageContext() });
    const keyForms = [Buffer.from(dataKey).toString("hex"), Buffer.from(dataKey).toString("base64"), Buffer.from(dataKey).toString("latin1")];
    const p = file("v.json", enc);
    const plain = file("p.json", SAMPLES.json);
    const env = cliEnv();
    const runs = [
      runCli(cli, ["decrypt", "--verbose", p], { env }),
      runCli(cli, ["encrypt", "--verbose", "--age", AGE_RECIPIENT, plain], { env }),
      runCli(cli, ["decrypt", "--verbose", "--extract", '["nested"]["nope"]', p], { env }),
      runCli(cli, ["set", "--verbose", p, '["name"]', "not json"], { env }),
      runCli(cli, ["decrypt", "--verbose", file("t.json", Buffer.from(enc).toString().replace(/"port": "ENC\[AES256_GCM,data:[^,]+/, '"port": "ENC[AES256_GCM,data:AAAA'))], { env }),
    ];
    for (const r of runs) {
      expect(r.stderr).not.toContain(MARKER);
      for (const k of keyForms) expect(r.stderr).not.toContain(k);
      expect(r.stderr).not.toMatch(STACK_TRACE);
    }
    expect(runs[0]!.status).toBe(0);
    expect(runs[4]!.status).toBe(25);
  });

  it("leave no temporary files behind in TMPDIR", () => {
    const env = cliEnv();
    const p = file("t.yaml", SAMPLES.yaml);
    runCli(cli, ["encrypt", "--age", AGE_RECIPIENT, "-i", p], { env });
    runCli(cli, ["decrypt", p], { env });
    expect(readdirSync(env.TMPDIR!).filter((f) => !f.startsWith("rss-"))).toEqual([]);
    expect(readdirSync(dir).filter((f) => f.includes("sobre-tmp"))).toEqual([]);
  });
});
