import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { writeChild } from "./child-fixture.js";
import { encryptTo, hermeticEnv, sobre, sobreEntry } from "./helpers.js";

describe("exec-env", () => {
  let dir: string;
  let env: Record<string, string>;
  let child: string;
  let file: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "sobre-exec-env-"));
    env = hermeticEnv({ INHERITED_MARKER: "yes" });
    child = writeChild(dir);
    file = join(dir, "secrets.json");
    await encryptTo(file, '{"DB_PASSWORD": "s3cr3t value", "PORT": 5432, "RATIO": 1000.0, "BIG": 1e21, "ON": true}', env);
  });
  const report = (p: string): { env: Record<string, string> } => JSON.parse(readFileSync(p, "utf8"));

  it("puts top-level values in the environment and mirrors the exit code", async () => {
    const out = join(dir, "r1.json");
    const r = await sobre(["exec-env", file, `REPORT=${out} EXIT=42 node ${child}`], env, dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(42);
    const seen = report(out).env;
    expect(seen["DB_PASSWORD"]).toBe("s3cr3t value");
    expect(seen["PORT"]).toBe("5432");
    expect(seen["RATIO"]).toBe("1000.0");
    expect(seen["BIG"]).toBe("1E+21");
    expect(seen["ON"]).toBe("true");
    expect(seen["INHERITED_MARKER"]).toBe("yes");
  });

  it("--pristine passes only the file's variables", async () => {
    const out = join(dir, "r2.json");
    const r = await sobre(["exec-env", "--pristine", file, `REPORT=${out} ${process.execPath} ${child}`], env, dir);
    expect(r.code).toBe(0);
    const seen = report(out).env;
    expect(seen["DB_PASSWORD"]).toBe("s3cr3t value");
    expect(seen["INHERITED_MARKER"]).toBeUndefined();
    expect(seen["HOME"]).toBeUndefined();
  });

  it("joins a command given as several words after --", async () => {
    const out = join(dir, "r3.json");
    const r = await sobre(["exec-env", file, "--", "env", `REPORT=${out}`, "EXIT=3", "node", child], env, dir);
    expect(r.code).toBe(3);
    expect(report(out).env["PORT"]).toBe("5432");
  });

  it("refuses nested values and names the key, not the value", async () => {
    const nested = join(dir, "nested.json");
    await encryptTo(nested, '{"OK": "1", "db": {"password": "hunter2"}}', env);
    const r = await sobre(["exec-env", nested, "true"], env, dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('"db"');
    expect(r.stderr).not.toContain("hunter2");
  });

  it("refuses keys containing '='", async () => {
    const bad = join(dir, "bad.json");
    await encryptTo(bad, '{"A=B": "x"}', env);
    const r = await sobre(["exec-env", bad, "true"], env, dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("A=B");
  });

  it("accepts --same-process and still mirrors the status", async () => {
    const r = await sobre(["exec-env", "--same-process", file, "exit 5"], env, dir);
    expect(r.code).toBe(5);
  });

  it("--user needs a known user", async () => {
    const r = await sobre(["exec-env", "--user", "no-such-user-sobre", file, "true"], env, dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unknown user");
  });

  it.skipIf(process.getuid?.() !== 0)("--user drops privileges when root", async () => {
    const r = await sobre(["exec-env", "--user", "nobody", file, 'test "$(id -u)" != 0 && test "$USER" = nobody && test -n "$DB_PASSWORD"'], env, dir);
    expect(r.code).toBe(0);
  });

  it("forwards SIGTERM to the command (not just /bin/sh) and mirrors its exit code", async () => {
    const out = join(dir, "sig.json");
    const ready = join(dir, "sig.ready");
    const entry = await sobreEntry();
    const p = spawn(process.execPath, [entry, "exec-env", file, `node ${child}`], {
      env: { ...env, REPORT: out, READY: ready, ON_TERM: "100", WAIT: "20000" },
      cwd: dir,
      stdio: "ignore",
    });
    const done = new Promise<number | null>((res) => p.on("exit", (code) => res(code)));
    for (let i = 0; i < 300 && !existsSync(ready); i++) await new Promise((r) => setTimeout(r, 20));
    p.kill("SIGTERM");
    expect(await done).toBe(7);
    expect((report(out) as unknown as { gotSigterm: boolean }).gotSigterm).toBe(true);
  }, 20000);
});
