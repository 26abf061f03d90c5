import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isMemoryBacked } from "../../src/exec/private-dir.js";
import { writeChild } from "./child-fixture.js";
import { encryptTo, hermeticEnv, sobre, sobreEntry } from "./helpers.js";

const TMPFS = 0x01021994;
const HAS_SHM = isMemoryBacked("/dev/shm");
const PLAIN = '{"password": "fifo-or-file-secret-42", "n": 1}';

/** Private dirs sobre left behind in /dev/shm and a runtime dir. */
function leftovers(...parents: string[]): string[] {
  return parents.flatMap((p) => (existsSync(p) ? readdirSync(p).filter((n) => n.startsWith(".sobre-")).map((n) => join(p, n)) : []));
}

describe("exec-file", () => {
  let dir: string;
  let runtime: string;
  let env: Record<string, string>;
  let child: string;
  let file: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "sobre-exec-file-"));
    // A private runtime dir on tmpfs, so leftovers are easy to scan and tests do not race.
    runtime = HAS_SHM ? mkdtempSync("/dev/shm/sobre-test-runtime-") : dir;
    env = hermeticEnv({ XDG_RUNTIME_DIR: runtime });
    child = writeChild(dir);
    file = join(dir, "secrets.json");
    await encryptTo(file, PLAIN, env);
  });
  afterAll(() => {
    if (runtime !== dir) rmSync(runtime, { recursive: true, force: true });
  });
  const report = (p: string): Record<string, unknown> & { reads: string[] } => JSON.parse(readFileSync(p, "utf8"));

  it.skipIf(!HAS_SHM)("--no-fifo: 0600 file in a 0700 dir on tmpfs, exit code mirrored, nothing left", async () => {
    const out = join(dir, "nofifo.json");
    const r = await sobre(["exec-file", "--no-fifo", "--filename", "app.json", file, `REPORT=${out} EXIT=42 node ${child} {}`], env, dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(42);
    const rep = report(out);
    expect(rep.reads[0]).toContain("fifo-or-file-secret-42");
    expect(rep["fileMode"]).toBe("600");
    expect(rep["dirMode"]).toBe("700");
    expect(rep["fsType"]).toBe(TMPFS);
    expect(String(rep["path"]).endsWith("/app.json")).toBe(true);
    expect(existsSync(String(rep["path"]))).toBe(false);
    expect(leftovers(runtime)).toEqual([]);
  });

  it("FIFO mode: the child reads the plaintext, several times", async () => {
    const out = join(dir, "fifo.json");
    const r = await sobre(["exec-file", file, `REPORT=${out} READS=3 node ${child} {}`], env, dir);
    expect(r.code).toBe(0);
    const rep = report(out);
    expect(rep["isFifo"]).toBe(true);
    expect(rep.reads).toHaveLength(3);
    for (const text of rep.reads) expect(JSON.parse(text)).toEqual(JSON.parse(PLAIN));
    expect(leftovers(runtime)).toEqual([]);
  });

  it("FIFO mode: two separate readers (cat twice) each get exactly one copy", async () => {
    const a = join(dir, "cat-a.txt");
    const b = join(dir, "cat-b.txt");
    const r = await sobre(["exec-file", file, `cat {} > ${a}; cat {} > ${b}`], env, dir);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(a, "utf8"))).toEqual(JSON.parse(PLAIN));
    expect(readFileSync(b, "utf8")).toBe(readFileSync(a, "utf8"));
  });

  it("FIFO mode: a child that never reads does not hang sobre", async () => {
    const started = Date.now();
    const r = await sobre(["exec-file", file, "exit 0"], env, dir);
    expect(r.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(leftovers(runtime)).toEqual([]);
  });

  it("converts with --output-type", async () => {
    const out = join(dir, "dotenv.json");
    const r = await sobre(["exec-file", "--output-type", "dotenv", file, `REPORT=${out} node ${child} {}`], env, dir);
    expect(r.code).toBe(0);
    expect(report(out).reads[0]).toBe("password=fifo-or-file-secret-42\nn=1\n");
  });

  it("rejects a --filename with a path", async () => {
    const r = await sobre(["exec-file", "--filename", "../x", file, "true"], env, dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--filename");
  });

  describe("signals (spawned sobre)", () => {
    const spawnSobre = async (args: string[], extraEnv: Record<string, string>): Promise<{ wait: Promise<{ code: number | null; signal: string | null; stderr: string }>; pid: number; kill: (s: NodeJS.Signals) => void }> => {
      const entry = await sobreEntry();
      const p = spawn(process.execPath, [entry, ...args], { env: { ...env, ...extraEnv }, cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      p.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      const wait = new Promise<{ code: number | null; signal: string | null; stderr: string }>((res) => p.on("exit", (code, signal) => res({ code, signal, stderr })));
      return { wait, pid: p.pid!, kill: (s) => p.kill(s) };
    };
    const waitFor = async (path: string): Promise<void> => {
      for (let i = 0; i < 300 && !existsSync(path); i++) await new Promise((r) => setTimeout(r, 20));
      if (!existsSync(path)) throw new Error(`timeout waiting for ${path}`);
    };

    it.skipIf(!HAS_SHM)("SIGTERM to sobre: forwarded, child finishes, exit mirrored, no plaintext left", async () => {
      const out = join(dir, "term.json");
      const ready = join(dir, "term.ready");
      const s = await spawnSobre(["exec-file", "--no-fifo", file, `node ${child} {}`], { REPORT: out, READY: ready, ON_TERM: "300", WAIT: "20000" });
      await waitFor(ready);
      const path = String(report(out)["path"]);
      expect(existsSync(path)).toBe(true);
      s.kill("SIGTERM");
      const res = await s.wait;
      expect(res.stderr).toBe("");
      expect(res.code).toBe(7);
      const rep = report(out);
      expect(rep["gotSigterm"]).toBe(true);
      expect(rep["stillThere"]).toBe(true); // cleaned only after the child finished
      expect(existsSync(path)).toBe(false);
      expect(leftovers(runtime)).toEqual([]);
    }, 20000);

    it.skipIf(!HAS_SHM)("a child killed by a signal: sobre dies of the same signal after cleanup", async () => {
      const out = join(dir, "killed.json");
      const ready = join(dir, "killed.ready");
      const s = await spawnSobre(["exec-file", "--no-fifo", file, `exec node ${child} {}`], { REPORT: out, READY: ready, WAIT: "20000" });
      await waitFor(ready);
      s.kill("SIGTERM");
      const res = await s.wait;
      expect(res.signal).toBe("SIGTERM");
      expect(existsSync(String(report(out)["path"]))).toBe(false);
      expect(leftovers(runtime)).toEqual([]);
    }, 20000);

    it("FIFO mode: SIGTERM while the child has not opened the FIFO", async () => {
      const ready = join(dir, "fifo-term.ready");
      const s = await spawnSobre(["exec-file", file, `node ${child}`], { READY: ready, ON_TERM: "50", WAIT: "20000" });
      await waitFor(ready);
      s.kill("SIGTERM");
      const res = await s.wait;
      expect(res.code).toBe(7);
      expect(leftovers(runtime)).toEqual([]);
    }, 20000);
  });
});

describe("exec-file --user", () => {
  it.skipIf(process.getuid?.() !== 0 || !HAS_SHM)("the dropped-privilege child can read the file and nothing is left", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sobre-exec-user-"));
    const runtime = mkdtempSync("/dev/shm/sobre-test-runtime-"); // 0700 root: must not be used for another user
    const env = hermeticEnv({ XDG_RUNTIME_DIR: runtime });
    const file = join(dir, "secrets.json");
    await encryptTo(file, PLAIN, env);
    const before = new Set(leftovers("/dev/shm"));
    for (const mode of ["--fifo", "--no-fifo"]) {
      const r = await sobre(["exec-file", mode, "--user", "nobody", file, 'test "$(id -u)" != 0 && grep -q fifo-or-file-secret-42 {}'], env, dir);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
    }
    expect(leftovers("/dev/shm", runtime).filter((p) => !before.has(p))).toEqual([]);
    rmSync(runtime, { recursive: true, force: true });
  });
});
