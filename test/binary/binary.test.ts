/**
 * The single executable (`npm run build:binary`) behaves like `bin/sobre.js`: builds it
 * once (or uses `SOBRE_BIN` when that names a binary), then runs a representative
 * end-to-end set against it — formats, stdin, exit codes, the worker-thread path, and
 * the lazily bundled key sources (openpgp, AWS SDK, Google gRPC) that must work inside
 * a SEA. Skips with a visible notice when no binary can be built (e.g. postject or a
 * SEA-capable node missing), or when SOBRE_SKIP_BINARY_TEST=1.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { generateDocument } from "../../bench/lib/generate.mjs";
import { startFakeAwsKms, type FakeAwsKms } from "../fakes/aws-kms.js";
import { startFakeGcpKmsGrpc, type FakeGcpKmsGrpc } from "../fakes/gcp-kms-grpc.js";
import { BIN, INTEROP_FIXTURES, ROOT } from "../helpers/paths.js";
import { hermeticEnv, runSobre, type SobreResult } from "../helpers/sobre-exec.js";

const KEY_FILE = join(ROOT, "fixtures/keys/age-test-key.txt");
const RECIPIENT = /age1[0-9a-z]+/.exec(readFileSync(KEY_FILE, "utf8"))![0];
const JS_ENTRY_BUILT = existsSync(join(ROOT, "dist/main.js"));

let binary: string | undefined;
let work: string;
let skipReason = "";

function buildBinary(out: string): Promise<{ ok: boolean; log: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(ROOT, "scripts/build-binary.mjs"), "--out", out], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout.on("data", (d: Buffer) => (log += d.toString()));
    child.stderr.on("data", (d: Buffer) => (log += d.toString()));
    child.on("error", (err) => done({ ok: false, log: `${log}${err.message}` }));
    child.on("close", (code) => done({ ok: code === 0 && existsSync(out), log }));
  });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "sobre-binary-test-"));
  const given = process.env["SOBRE_BIN"];
  if (process.env["SOBRE_SKIP_BINARY_TEST"] === "1") skipReason = "SOBRE_SKIP_BINARY_TEST=1";
  else if (given && !/\.[cm]?js$/.test(given)) {
    if (existsSync(resolve(ROOT, given))) binary = resolve(ROOT, given);
    else skipReason = `SOBRE_BIN=${given} does not exist`;
  } else {
    const out = join(work, "sobre");
    const built = await buildBinary(out);
    if (built.ok) binary = out;
    else skipReason = `could not build the single binary:\n${built.log.trim().split("\n").slice(-5).join("\n")}`;
  }
  if (!binary) console.warn(`\n[test/binary] SKIPPED: ${skipReason}\n`);
}, 300_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

function needBinary(ctx: TestContext): string {
  if (!binary) ctx.skip();
  return binary!;
}

const env = (extra: Record<string, string | undefined> = {}) => hermeticEnv(join(work, "home"), { SOPS_AGE_KEY_FILE: KEY_FILE, ...extra });
const sobre = (exe: string, args: string[], extra: Record<string, string | undefined> = {}, input?: string): Promise<SobreResult> =>
  runSobre(args, { executable: exe, env: env(extra), cwd: work, ...(input !== undefined ? { input } : {}) });

function write(name: string, text: string | Buffer): string {
  const p = join(work, name);
  writeFileSync(p, text);
  return p;
}

describe("single binary", () => {
  it("prints its version", async (ctx) => {
    const exe = needBinary(ctx);
    const r = await sobre(exe, ["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toMatch(/^sobre \d+\.\d+\.\d+/);
  });

  it("prints the version without loading the core, exactly as bin/sobre.js does", async (ctx) => {
    const exe = needBinary(ctx);
    if (!JS_ENTRY_BUILT) ctx.skip();
    for (const args of [["--version"], ["-v"], ["version"], ["--version", "extra"]]) {
      const fromBinary = await sobre(exe, args, { SOBRE_SEA_TRACE: "1" });
      const fromJs = await sobre(BIN, args);
      expect(fromBinary.code, args.join(" ")).toBe(0);
      expect(fromBinary.stdout.toString(), args.join(" ")).toBe(fromJs.stdout.toString());
      expect(fromBinary.stderr, args.join(" ")).toBe(""); // no "core.js" trace line
    }
  });

  for (const [format, ext] of [["yaml", "yaml"], ["json", "json"], ["toml", "toml"], ["dotenv", "env"]] as const) {
    it(`encrypts and decrypts ${format} with age, byte for byte`, async (ctx) => {
      const exe = needBinary(ctx);
      const plain = generateDocument(format, 20);
      const file = write(`doc.${ext}`, plain);
      const enc = await sobre(exe, ["encrypt", "--age", RECIPIENT, file]);
      expect(enc.code, enc.stderr).toBe(0);
      expect(enc.stdout.toString()).toContain("ENC[AES256_GCM,");
      const encFile = write(`doc.enc.${ext}`, enc.stdout);
      const dec = await sobre(exe, ["decrypt", encFile]);
      expect(dec.code, dec.stderr).toBe(0);
      expect(dec.stdout.toString()).toBe(plain);
    });
  }

  it("reads stdin and accepts SOPS's legacy -e/-d flags", async (ctx) => {
    const exe = needBinary(ctx);
    const enc = await sobre(exe, ["-e", "--input-type", "yaml", "--age", RECIPIENT], {}, "token: abc\n");
    expect(enc.code, enc.stderr).toBe(0);
    const dec = await sobre(exe, ["-d", "--input-type", "yaml", "--output-type", "json"], {}, enc.stdout.toString());
    expect(dec.code, dec.stderr).toBe(0);
    expect(JSON.parse(dec.stdout.toString())).toEqual({ token: "abc" });
  });

  it("splits a large file across a worker thread inside the binary", async (ctx) => {
    const exe = needBinary(ctx);
    const plain = generateDocument("dotenv", 25_000);
    const enc = await sobre(exe, ["encrypt", "--age", RECIPIENT, write("big.env", plain)]);
    expect(enc.code, enc.stderr).toBe(0);
    const dec = await sobre(exe, ["decrypt", write("big.enc.env", enc.stdout)]);
    expect(dec.code, dec.stderr).toBe(0);
    expect(dec.stdout.toString() === plain).toBe(true);
  });

  it("exits with the same codes and messages as bin/sobre.js", async (ctx) => {
    const exe = needBinary(ctx);
    if (!JS_ENTRY_BUILT) ctx.skip();
    const good = (await sobre(exe, ["encrypt", "--age", RECIPIENT, write("e.yaml", "a: 1\nb: two\n")])).stdout.toString();
    const tampered = write("tampered.enc.yaml", good.replace(/data:[A-Za-z0-9+/]/, (m) => (m.endsWith("A") ? "data:B" : "data:A")));
    // undefined: any failing code, as long as both executables agree.
    const cases: [string[], Record<string, string | undefined>, number | undefined][] = [
      [["decrypt", join(work, "missing.yaml")], {}, 100],
      [["decrypt", tampered], {}, 25],
      [["decrypt", write("good.enc.yaml", good)], { SOPS_AGE_KEY_FILE: join(work, "no-such-key.txt") }, 128],
      [["encrypt", write("norcpt.yaml", "a: 1\n")], {}, 111],
      [["decrypt", "--no-such-flag", tampered], {}, undefined],
    ];
    for (const [args, extra, code] of cases) {
      const fromBinary = await sobre(exe, args, extra);
      const fromJs = await sobre(BIN, args, extra);
      if (code !== undefined) expect(fromBinary.code, args.join(" ")).toBe(code);
      expect(fromBinary.code, args.join(" ")).not.toBe(0);
      expect(fromBinary.code, args.join(" ")).toBe(fromJs.code);
      expect(withoutPath(fromBinary.stderr, exe)).toBe(withoutPath(fromJs.stderr, BIN));
    }
  });

  it("evaluates the bundled cloud SDKs only when a file uses them", async (ctx) => {
    const exe = needBinary(ctx);
    // The bundle only require()s Node built-ins; the SDKs' network stack (https, http2,
    // tls, zlib) is loaded when their wrapped modules are evaluated, and not before.
    const hook = write("module-list.cjs", `process.on("exit", () => require("fs").writeFileSync(process.env.SOBRE_ML_OUT, process.moduleLoadList.join("\\n")));`);
    const loaded = async (args: string[], extra: Record<string, string> = {}): Promise<string[]> => {
      const out = join(work, `ml-${Math.random().toString(36).slice(2)}.txt`);
      await sobre(exe, args, { NODE_OPTIONS: `--require ${hook}`, SOBRE_ML_OUT: out, ...extra });
      return readFileSync(out, "utf8").split("\n").filter((m) => /^NativeModule (https|http2|tls|zlib)$/.test(m));
    };
    const small = write("lazy.yaml", "a: 1\n");
    const enc = await sobre(exe, ["encrypt", "--age", RECIPIENT, small]);
    const encFile = write("lazy.enc.yaml", enc.stdout);
    expect(await loaded(["--version"])).toEqual([]);
    expect(await loaded(["decrypt", encFile])).toEqual([]);
    // The check can fail: an AWS KMS recipient does evaluate the SDK (no server needed).
    const kms = await loaded(["encrypt", "--kms", "arn:aws:kms:us-east-1:111122223333:key/none", small], { AWS_EC2_METADATA_DISABLED: "true", SOBRE_KMS_TIMEOUT: "2" });
    expect(kms).toContain("NativeModule https");
  });

  it("runs from its trained code cache and compiles the heavy SDK bundle only when needed", async (ctx) => {
    const exe = needBinary(ctx);
    // SOBRE_SEA_TRACE=1: the loader reports each bundle it compiles and whether V8 took
    // the cache written at build time (a rejected cache still works, only slower).
    const small = write("trace.yaml", "a: 1\n");
    const enc = await sobre(exe, ["encrypt", "--age", RECIPIENT, small], { SOBRE_SEA_TRACE: "1" });
    expect(enc.code, enc.stderr).toBe(0);
    expect(enc.stderr).toBe("sobre-sea: core.js code cache accepted\n");
    const dec = await sobre(exe, ["decrypt", write("trace.enc.yaml", enc.stdout)], { SOBRE_SEA_TRACE: "1" });
    expect(dec.stdout.toString()).toBe("a: 1\n");
    expect(dec.stderr).toBe("sobre-sea: core.js code cache accepted\n");
    const kms = await sobre(exe, ["encrypt", "--kms", "arn:aws:kms:us-east-1:111122223333:key/none", small], {
      SOBRE_SEA_TRACE: "1",
      AWS_EC2_METADATA_DISABLED: "true",
      SOBRE_KMS_TIMEOUT: "2",
    });
    expect(kms.stderr).toContain("sobre-sea: lazy.js code cache accepted\n");
  });

  it("decrypts a PGP file with the built-in OpenPGP implementation (lazy openpgp)", async (ctx) => {
    const exe = needBinary(ctx);
    const dir = join(INTEROP_FIXTURES, "carlpett-terraform-provider-sops");
    if (!existsSync(dir)) ctx.skip();
    const r = await sobre(exe, ["decrypt", join(dir, "basic.json")], {
      SOBRE_PGP_BACKEND: "builtin",
      SOBRE_PGP_SECRET_KEYS: join(dir, "keys/testing-key.pgp.asc"),
      GNUPGHOME: join(work, "no-gnupg"),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.toString())).toEqual(JSON.parse(readFileSync(join(dir, "basic.json.values.json"), "utf8")));
  });
});

describe("single binary with cloud key services (local fakes)", () => {
  let aws: FakeAwsKms;
  let gcp: FakeGcpKmsGrpc;
  beforeAll(async () => {
    aws = await startFakeAwsKms();
    aws.secrets.set("AKIDTEST", "testsecret");
    gcp = await startFakeGcpKmsGrpc();
  });
  afterAll(async () => {
    await aws?.close();
    await gcp?.close();
  });

  async function roundTrip(exe: string, flag: string, key: string, extra: Record<string, string>): Promise<void> {
    const plain = "db:\n  password: hunter2\n";
    const enc = await sobre(exe, ["encrypt", flag, key, write(`cloud${flag}.yaml`, plain)], extra);
    expect(enc.code, enc.stderr).toBe(0);
    const dec = await sobre(exe, ["decrypt", write(`cloud${flag}.enc.yaml`, enc.stdout)], { ...extra, SOPS_AGE_KEY_FILE: undefined });
    expect(dec.code, dec.stderr).toBe(0);
    expect(dec.stdout.toString()).toBe(plain);
  }

  it("wraps and unwraps with AWS KMS (bundled AWS SDK)", async (ctx) => {
    const exe = needBinary(ctx);
    await roundTrip(exe, "--kms", aws.createKey(), {
      AWS_ACCESS_KEY_ID: "AKIDTEST",
      AWS_SECRET_ACCESS_KEY: "testsecret",
      AWS_ENDPOINT_URL_KMS: aws.url,
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_CONFIG_FILE: join(work, "no-aws-config"),
      AWS_SHARED_CREDENTIALS_FILE: join(work, "no-aws-credentials"),
      SOBRE_KMS_TIMEOUT: "5",
    });
  });

  it("wraps and unwraps with GCP KMS over gRPC (bundled google-gax and grpc-js)", async (ctx) => {
    const exe = needBinary(ctx);
    await roundTrip(exe, "--gcp-kms", gcp.store.createKey(), { SOPS_GCP_KMS_ENDPOINT: gcp.url, GOOGLE_OAUTH_ACCESS_TOKEN: "unused-on-plaintext" });
  });
});

/** `text` with the executable's path as a whole word replaced (`/tmp/sobre-bin` must not
 * match inside `/tmp/sobre-binary-test-…`). */
function withoutPath(text: string, path: string): string {
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return text.replace(new RegExp(`${escaped}(?![\\w.-])`, "g"), "SOBRE");
}
