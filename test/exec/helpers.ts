import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../../src/cli/run.js";
import type { CliIO } from "../../src/cli/io.js";
import { BIN, ROOT } from "../helpers/paths.js";

/** The bundled TEST-ONLY age identity and its recipient. */
export const AGE_KEY_FILE = join(ROOT, "fixtures/keys/age-test-key.txt");
export const AGE_RECIPIENT = "age15j0zeekv7gjstl44w23quckkg7d59jkd36nkrzrn9g7zrj3awgasvxea05";
export const HAS_BIN = existsSync(BIN) && existsSync(join(ROOT, "dist/main.js"));

const SCRUB = /^(SOPS_|AWS_|GOOGLE_|AZURE_|VAULT_|GNUPGHOME$|XDG_|GIT_)/;

/** A hermetic environment: temp HOME and XDG dirs, cloud/SOPS variables removed, the test age key. */
export function hermeticEnv(extra: Record<string, string> = {}): Record<string, string> {
  const home = mkdtempSync(join(tmpdir(), "sobre-home-"));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !SCRUB.test(k)) env[k] = v;
  return {
    ...env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_CACHE_HOME: join(home, ".cache"),
    SOPS_AGE_KEY_FILE: AGE_KEY_FILE,
    GIT_CONFIG_NOSYSTEM: "1",
    ...extra,
  };
}

/** A fake CliIO capturing output, for in-process command runs. */
export function fakeIO(env: Record<string, string>, cwd: string, stdin = ""): CliIO & { out: () => string; err: () => string } {
  const out: Buffer[] = [];
  let err = "";
  return {
    readStdin: async () => Buffer.from(stdin),
    writeStdout: (d) => void out.push(Buffer.from(d)),
    writeStderr: (t) => void (err += t),
    env,
    cwd,
    stdinIsTTY: false,
    stderrIsTTY: false,
    out: () => Buffer.concat(out).toString("utf8"),
    err: () => err,
  };
}

/** Run sobre in-process; returns exit code and output. */
export async function sobre(argv: string[], env: Record<string, string>, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = fakeIO(env, cwd);
  const code = await run(argv, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

/** Encrypt `plaintext` for the test key into `path` (format by extension). */
export async function encryptTo(path: string, plaintext: string, env: Record<string, string>, extraArgs: string[] = []): Promise<string> {
  const plainPath = `${path}.plain-input`;
  writeFileSync(plainPath, plaintext);
  const ext = path.slice(path.lastIndexOf("."));
  const io = fakeIO(env, tmpdir());
  const code = await run(["encrypt", "--age", AGE_RECIPIENT, "--filename-override", `x${ext}`, ...extraArgs, plainPath], io);
  if (code !== 0) throw new Error(`encrypt failed (${code}): ${io.err()}`);
  writeFileSync(path, io.out());
  const { rmSync } = await import("node:fs");
  rmSync(plainPath);
  return readFileSync(path, "utf8");
}

let builtEntry: Promise<string> | undefined;

/**
 * The CLI entry to spawn: `bin/sobre.js` when `npm run build` ran, else a bundle built
 * here once per test file (modules other engineers have not landed yet become
 * externals that fail only if actually loaded).
 */
export function sobreEntry(): Promise<string> {
  if (HAS_BIN) return Promise.resolve(BIN);
  builtEntry ??= (async () => {
    const { build } = await import("esbuild");
    // Inside node_modules so the external packages resolve from the bundle.
    const cache = join(ROOT, "node_modules/.cache");
    mkdirSync(cache, { recursive: true });
    const outdir = mkdtempSync(join(cache, "sobre-test-bundle-"));
    await build({
      absWorkingDir: ROOT,
      entryPoints: { main: "src/cli/main.ts" },
      outdir,
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      target: "node20",
      packages: "external",
      logLevel: "silent",
      plugins: [
        {
          name: "lenient",
          setup(b) {
            b.onResolve({ filter: /^\./ }, async (args) => {
              if (args.pluginData === "lenient") return undefined;
              const r = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: "lenient" });
              return r.errors.length > 0 ? { path: args.path, external: true } : r;
            });
          },
        },
      ],
      resolveExtensions: [".ts", ".js"],
    });
    writeFileSync(join(outdir, "package.json"), '{"type":"module"}');
    return join(outdir, "main.js");
  })();
  return builtEntry;
}
