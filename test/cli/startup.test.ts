/**
 * Start-up stays cheap: `sobre --version` and an age-only decrypt must not load any
 * heavy package (cloud SDKs, gRPC, openpgp, age-encryption, the yaml library). A
 * module-tracing preload (`--import`) records every module the ESM loader loads and
 * every CommonJS module in the require cache at exit. Timing is measured in bench/,
 * never here.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDocument } from "../../bench/lib/generate.mjs";
import { writeTracePreload } from "../helpers/trace-preload.js";
import { BIN, ROOT } from "../helpers/paths.js";

const HEAVY = /node_modules\/(@aws-sdk|@smithy|@azure|@google-cloud|google-gax|google-auth-library|@grpc|protobufjs|openpgp|age-encryption|yaml|@inquirer)\//;
const BUILT = existsSync(join(ROOT, "dist/main.js"));
const KEY_FILE = join(ROOT, "fixtures/keys/age-test-key.txt");
const RECIPIENT = /age1[0-9a-z]+/.exec(readFileSync(KEY_FILE, "utf8"))![0];


let dir: string;
let encFile: Record<string, string>;
let preload: string;

/** Run the CLI (bin/sobre.js, or another entry such as the split build's dist/main.js) traced. */
function traced(args: string[], entry = BIN): { code: number | null; stdout: string; stderr: string; modules: string[] } {
  const trace = join(dir, `trace-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(trace, "");
  const r = spawnSync(process.execPath, ["--import", preload, entry, ...args], {
    cwd: dir,
    env: { PATH: process.env["PATH"] ?? "", HOME: join(dir, "home"), SOPS_AGE_KEY_FILE: KEY_FILE, SOBRE_TRACE_FILE: trace },
    encoding: "utf8",
    timeout: 60_000,
  });
  const modules = readFileSync(trace, "utf8").split("\n").filter(Boolean);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, modules };
}

beforeAll(() => {
  if (!BUILT) return;
  dir = mkdtempSync(join(tmpdir(), "sobre-startup-"));
  preload = writeTracePreload(dir);
  encFile = {};
  for (const [format, ext] of [["yaml", "yaml"], ["json", "json"], ["dotenv", "env"]] as const) {
    const plain = join(dir, `small.${ext}`);
    writeFileSync(plain, generateDocument(format, 20));
    const r = spawnSync(process.execPath, [BIN, "encrypt", "--age", RECIPIENT, plain], { cwd: dir, env: { PATH: process.env["PATH"] ?? "", HOME: join(dir, "home") } });
    if (r.status !== 0) throw new Error(`encrypt failed: ${String(r.stderr)}`);
    encFile[format] = join(dir, `small.enc.${ext}`);
    writeFileSync(encFile[format], r.stdout);
  }
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!BUILT)(`start-up cost${BUILT ? "" : " (skipped: run `npm run build` first)"}`, () => {
  it("`--version` loads no bundle and no package at all, and prints what the CLI prints", () => {
    const r = traced(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^sobre \d/);
    // The trace works: the entry is seen. The text was captured from the CLI at build time.
    expect(r.modules.some((m) => m.endsWith("/bin/sobre.js"))).toBe(true);
    expect(r.modules.filter((m) => m.includes("/dist/") || m.includes("/node_modules/"))).toEqual([]);
    const cli = traced(["--version"], join(ROOT, "dist/main.js"));
    expect(cli.modules.some((m) => m.endsWith("/dist/main.js"))).toBe(true);
    expect(r.stdout).toBe(cli.stdout);
  });

  it("`--version` into a closed pipe ends quietly, as the CLI does", () => {
    // `head -c 0` exits at once, so the write usually meets EPIPE; PIPESTATUS[0] is sobre's status.
    const p = spawnSync("bash", ["-c", `"${process.execPath}" "${BIN}" --version | head -c 0; echo "\${PIPESTATUS[0]}"`], { encoding: "utf8" });
    expect(p.stderr).toBe("");
    expect(p.stdout.trim()).toBe("0");
  });

  for (const format of ["yaml", "json", "dotenv"]) {
    it(`an age-only ${format} decrypt loads no cloud SDK, openpgp, age-encryption or yaml package`, () => {
      const r = traced(["decrypt", encFile[format]!]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain("svc-000000");
      // The trace works: the CLI's entry (CommonJS, so it runs the bundle without
      // touching the ESM loader) is seen.
      expect(r.modules.some((m) => m.endsWith("/bin/sobre.js"))).toBe(true);
      expect(r.modules.filter((m) => HEAVY.test(m))).toEqual([]);
      // One bundle (dist/sobre.cjs), no module graph, and no package at all.
      expect(r.modules.filter((m) => m.includes("/dist/chunks/") || m.includes("/node_modules/"))).toEqual([]);
    });
  }
});

/**
 * Code that only rare runs need (key services, `.sops.yaml` parsing, age SSH/plugin/
 * passphrase/post-quantum identities, key commands) sits behind `await import()`. The split
 * build shows that structure as files, so the chunks an age-only decrypt loads are
 * searched for a function of each such module.
 */
const RARE_CODE = [
  "function createKeyServiceRouter(", // src/keyservice/client.ts
  "KEYSERVICE_PROTO_JSON", // src/keyservice/keyservice-proto.ts
  "function parseConfigYaml(", // src/config/config-yaml.ts
  "function readConfigSpec(", // src/config/schema.ts
  "function sshIdentity(", // src/keys/age/ssh.ts
  "function parseSshPrivateKey(", // src/keys/age/ssh-private.ts
  "function pluginIdentity(", // src/keys/age/plugin.ts
  "function encryptedIdentityFile(", // src/keys/age/scrypt.ts
  "function pqIdentity(", // src/keys/age/pq.ts
  "function runKeyCommand(", // src/keys/age/run-command.ts
];

describe.skipIf(!BUILT)(`age-only decrypt, split build${BUILT ? "" : " (skipped: run `npm run build` first)"}`, () => {
  it("loads no key-service, config-parser, SSH, plugin, scrypt, post-quantum or key-command code", () => {
    const r = traced(["decrypt", encFile["yaml"]!], join(ROOT, "dist/main.js"));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("svc-000000");
    const code = r.modules.filter((m) => m.startsWith("file://") && m.includes("/dist/")).map((m) => readFileSync(new URL(m), "utf8")).join("\n");
    // Positive control: the code that did the work is found the same way.
    expect(code).toContain("function x25519Identity(");
    expect(code).toContain("function unwrapDataKey(");
    expect(RARE_CODE.filter((marker) => code.includes(marker))).toEqual([]);
    expect(r.modules.filter((m) => m === "node:child_process")).toEqual([]);
  });
});
