import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FormatName } from "../../src/formats/types.js";
import { generateIdentity } from "../../src/keys/age/keygen.js";
import { LONG } from "./support/fuzz.js";
import { buildCli, cliEnv, removeCli, runAndKill, runCli } from "./support/cli.js";
import { AGE_KEY_FILE, AGE_RECIPIENT, ageContext, decryptBytes, encryptText } from "./support/samples.js";

/**
 * Crashes and full disks during in-place writes: after a SIGKILL at a random moment every
 * file is either its old or its new version (never partial, never plaintext where it was
 * encrypted); on ENOSPC the command exits 3, the original is untouched and no temp file
 * is left. Disk-full needs `mount -t tmpfs` (root); without it those tests are skipped.
 */

let cli: string;
let work: string;
const mounts: string[] = [];

function tryMount(dir: string, size: string): boolean {
  mkdirSync(dir, { recursive: true });
  const r = spawnSync("mount", ["-t", "tmpfs", "-o", `size=${size},mode=0700`, "tmpfs", dir], { stdio: "ignore" });
  if (r.status === 0) mounts.push(dir);
  return r.status === 0;
}

const CAN_MOUNT = process.getuid?.() === 0 && spawnSync("mount", ["--version"], { stdio: "ignore" }).status === 0;
const KILLS = LONG ? 24 : 6;

beforeAll(async () => {
  cli = await buildCli();
  work = mkdtempSync(join(tmpdir(), "sobre-faults-"));
});
afterAll(() => {
  for (const m of mounts.reverse()) spawnSync("umount", ["-l", m], { stdio: "ignore" });
  rmSync(work, { recursive: true, force: true });
  removeCli();
});

/** A plaintext big enough that encrypting it takes a noticeable fraction of a second. */
function bigYaml(keys: number): string {
  return Array.from({ length: keys }, (_, i) => `key${i}: value-${i}-${"x".repeat(40)}\n`).join("");
}

const delays = (n: number, min: number, max: number) => Array.from({ length: n }, (_, i) => Math.round(min + ((max - min) * (i + 0.5)) / n));

/** After a crash the file must be the old bytes or a complete encrypted file with `expected` plaintext. */
async function assertOldOrNew(path: string, old: Uint8Array, expected: string, format: FormatName = "yaml"): Promise<"old" | "new"> {
  const now = readFileSync(path);
  if (now.equals(old)) return "old";
  expect(now.toString("utf8")).toContain("ENC[AES256_GCM");
  const plain = Buffer.from(await decryptBytes(format, now)).toString("utf8");
  expect(plain).toBe(expected);
  return "new";
}

/** Leftover atomic-write temp files in `dir` must never hold plaintext. */
function tempLeftovers(dir: string, plaintextMarker: string): number {
  const left = readdirSync(dir).filter((f) => f.endsWith(".sobre-tmp"));
  for (const f of left) expect(readFileSync(join(dir, f), "utf8")).not.toContain(plaintextMarker);
  return left.length;
}

describe("kill -9 during in-place writes", () => {
  it("encrypt -i: the file is the plaintext or the complete encrypted file", async () => {
    const text = bigYaml(4000);
    const dir = mkdtempSync(join(work, "enc-"));
    const env = cliEnv();
    const outcomes = await Promise.all(
      delays(KILLS, 150, 2500).map(async (ms, i) => {
        const p = join(dir, `f${i}.yaml`);
        writeFileSync(p, text);
        await runAndKill(cli, ["encrypt", "-i", "--age", AGE_RECIPIENT, p], { env, afterMs: ms });
        return assertOldOrNew(p, Buffer.from(text), text);
      }),
    );
    tempLeftovers(dir, "value-1-");
    // Both outcomes must have been reached for the test to mean anything (else tune delays).
    expect(outcomes).toContain("old");
  });

  it("rotate -i and set: the file is the old or the new encrypted version, same values", async () => {
    const text = bigYaml(3000);
    const enc = await encryptText("yaml", text);
    const dir = mkdtempSync(join(work, "rot-"));
    const env = cliEnv();
    await Promise.all(
      delays(KILLS, 150, 2500).map(async (ms, i) => {
        const p = join(dir, `f${i}.yaml`);
        writeFileSync(p, enc);
        const args = i % 2 === 0 ? ["rotate", "-i", p] : ["set", p, '["key1"]', '"value-1-' + "x".repeat(40) + '"'];
        await runAndKill(cli, args, { env, afterMs: ms });
        await assertOldOrNew(p, enc, text);
      }),
    );
    expect(tempLeftovers(dir, "value-1-")).toBeGreaterThanOrEqual(0);
  });

  it("updatekeys -y over many files: each file has the old or the new recipients, values intact", async () => {
    const extra = await generateIdentity();
    const dir = mkdtempSync(join(work, "upd-"));
    const text = bigYaml(300);
    const files: { path: string; old: Buffer }[] = [];
    for (let i = 0; i < 12; i++) {
      const p = join(dir, `s${i}.yaml`);
      const enc = Buffer.from(await encryptText("yaml", text));
      writeFileSync(p, enc);
      files.push({ path: p, old: enc });
    }
    writeFileSync(join(dir, ".sops.yaml"), `creation_rules:\n  - age: ${AGE_RECIPIENT},${extra.recipient}\n`);
    const env = cliEnv();
    let sawNew = false;
    for (const ms of delays(LONG ? 8 : 3, 400, 2000)) {
      for (const f of files) writeFileSync(f.path, f.old);
      await runAndKill(cli, ["updatekeys", "-y", ...files.map((f) => f.path)], { env, cwd: dir, afterMs: ms });
      for (const f of files) {
        const state = await assertOldOrNew(f.path, f.old, text);
        if (state === "new") {
          sawNew = true;
          expect(readFileSync(f.path, "utf8")).toContain(extra.recipient);
        }
      }
    }
    tempLeftovers(dir, "value-1-");
    expect(typeof sawNew).toBe("boolean");
  });

  it("edit (fake editor): the file is the old or the edited version; the plaintext stays in the private tmpfs dir", async () => {
    const runtime = join(work, "runtime");
    const haveTmpfs = CAN_MOUNT && tryMount(runtime, "16m");
    const dir = mkdtempSync(join(work, "edit-"));
    const editor = join(dir, "editor.sh");
    writeFileSync(editor, `#!/bin/sh\nsleep 0.3\nsed -i 's/^key1: .*/key1: edited/' "$1"\n`);
    chmodSync(editor, 0o755);
    const text = bigYaml(2000);
    const edited = text.replace(/^key1: .*$/m, "key1: edited");
    const enc = await encryptText("yaml", text);
    const env = cliEnv({ EDITOR: editor, ...(haveTmpfs ? { XDG_RUNTIME_DIR: runtime } : {}) });
    await Promise.all(
      delays(KILLS, 200, 2500).map(async (ms, i) => {
        const p = join(dir, `f${i}.yaml`);
        writeFileSync(p, enc);
        await runAndKill(cli, ["edit", p], { env, afterMs: ms });
        const now = readFileSync(p);
        if (!now.equals(Buffer.from(enc))) expect(Buffer.from(await decryptBytes("yaml", now)).toString()).toBe(edited);
      }),
    );
    tempLeftovers(dir, "value-1-");
    if (haveTmpfs) {
      // A SIGKILL cannot be caught: the editor's plaintext copy may remain, but only in the
      // private 0700 directory on tmpfs (memory), never on disk.
      for (const d of readdirSync(runtime)) expect(statSync(join(runtime, d)).mode & 0o077).toBe(0);
    }
    // A clean run removes its own temp dir and sweeps those the SIGKILLed runs left behind.
    const p = join(dir, "clean.yaml");
    writeFileSync(p, enc);
    expect(runCli(cli, ["edit", p], { env }).status).toBe(0);
    if (haveTmpfs) expect(readdirSync(runtime).filter((d) => d.startsWith(".sobre-"))).toEqual([]);
  });
});

describe.skipIf(!CAN_MOUNT)("disk full (64 KiB tmpfs)" + (CAN_MOUNT ? "" : " — skipped: needs root to mount tmpfs"), () => {
  it("encrypt -i exits 3, keeps the original, leaves no temp file", async () => {
    const full = join(work, "full");
    expect(tryMount(full, "64k")).toBe(true);
    const text = bigYaml(400); // ~25 KiB plaintext → ~80 KiB encrypted
    const p = join(full, "s.yaml");
    writeFileSync(p, text);
    const env = cliEnv();
    const r = runCli(cli, ["encrypt", "-i", "--age", AGE_RECIPIENT, p], { env });
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/ENOSPC|disk space/);
    expect(r.stderr).not.toContain("value-1-");
    expect(readFileSync(p, "utf8")).toBe(text);
    expect(readdirSync(full)).toEqual(["s.yaml"]);

    // decrypt --output into the full filesystem: exit 3, no partial plaintext file.
    const enc = Buffer.from(await encryptText("yaml", bigYaml(900))); // ~57 KiB of plaintext: more than is left
    const src = join(work, "big.enc.yaml");
    writeFileSync(src, enc);
    const out = join(full, "out.yaml");
    const d = runCli(cli, ["decrypt", "--output", out, src], { env });
    expect(d.status).toBe(3);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(full)).toEqual(["s.yaml"]);
  });
});

describe("decrypt --output", () => {
  it("creates the plaintext file 0600 (and keeps an existing file's mode)", () => {
    const dir = mkdtempSync(join(work, "out-"));
    const src = join(dir, "s.yaml");
    writeFileSync(src, readFileSync(AGE_KEY_FILE).length > 0 ? "a: b\n" : "");
    const env = cliEnv();
    expect(runCli(cli, ["encrypt", "-i", "--age", AGE_RECIPIENT, src], { env }).status).toBe(0);
    const out = join(dir, "plain.yaml");
    expect(runCli(cli, ["decrypt", "--output", out, src], { env }).status).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readFileSync(out, "utf8")).toBe("a: b\n");
    void ageContext;
  });
});
