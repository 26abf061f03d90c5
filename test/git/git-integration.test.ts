import { cpSync, existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { sobreEntry } from "../exec/helpers.js";
import { createRepo, editFile, encOf, setValue, type TestRepo } from "./repo.js";

const PLAIN = `# database settings
db:
    user: admin
    password: old-password-1
api_token: token-AAA
region: eu-west-1
`;

describe("git integration (real repositories)", () => {
  let entry: string;
  beforeAll(async () => {
    entry = await sobreEntry();
  });

  let template: TestRepo | undefined;
  /** A repo with sobre set up and secrets.enc.yaml committed on main (a copy of one built once). */
  async function repoWithSecret(): Promise<TestRepo> {
    template ??= await buildTemplate();
    const repo = createRepo(entry);
    cpSync(template.dir, repo.dir, { recursive: true });
    return repo;
  }

  async function buildTemplate(): Promise<TestRepo> {
    const repo = createRepo(entry);
    const setup = repo.sobre("git", "setup", "--command", repo.sobreCmd, "--hook");
    expect(setup.stderr).not.toContain("error");
    expect(setup.status).toBe(0);
    repo.write("secrets.enc.yaml", PLAIN);
    const enc = repo.sobre("encrypt", "-i", "secrets.enc.yaml");
    expect(enc.stderr).toBe("");
    expect(enc.status).toBe(0);
    expect(repo.git("add", "-A").status).toBe(0);
    const commit = repo.git("commit", "-q", "-m", "initial");
    expect(commit.stderr).toBe("");
    expect(commit.status).toBe(0);
    return repo;
  }

  it("setup is idempotent and derives patterns from .sops.yaml", async () => {
    const repo = createRepo(entry);
    expect(repo.sobre("git", "setup", "--command", repo.sobreCmd).status).toBe(0);
    const attrs = repo.read(".gitattributes");
    expect(attrs).toContain("*.enc.yaml diff=sobre merge=sobre");
    expect(repo.git("config", "--get", "merge.sobre.driver").stdout.trim()).toBe(`${repo.sobreCmd} git merge %O %A %B %P`);
    expect(repo.git("config", "--get", "diff.sobre.cachetextconv").stdout.trim()).toBe("false");
    const again = repo.sobre("git", "setup", "--command", repo.sobreCmd);
    expect(again.status).toBe(0);
    expect(again.stderr).toContain("already set up");
    expect(repo.read(".gitattributes")).toBe(attrs);
  });

  it("setup never clobbers a foreign pre-commit hook without --force", async () => {
    const repo = createRepo(entry);
    repo.write(".git/hooks/pre-commit", "#!/bin/sh\necho mine\n");
    const r = repo.sobre("git", "setup", "--command", repo.sobreCmd, "--hook");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("--force");
    expect(repo.read(".git/hooks/pre-commit")).toContain("echo mine");
    expect(repo.sobre("git", "setup", "--command", repo.sobreCmd, "--hook", "--force").status).toBe(0);
    expect(repo.read(".git/hooks/pre-commit")).toContain("check --staged");
  });

  it("git diff and git log -p show decrypted values; the cache holds no plaintext", async () => {
    const repo = await repoWithSecret();
    await editFile(join(repo.dir, "secrets.enc.yaml"), repo.env, (doc) => setValue(doc, ["db", "password"], "new-password-2"));
    const diff = repo.git("diff");
    expect(diff.status).toBe(0);
    expect(diff.stdout).toMatch(/^-\s+password: old-password-1$/m);
    expect(diff.stdout).toMatch(/^\+\s+password: new-password-2$/m);
    expect(diff.stdout).not.toContain("api_token: token-AAA\n+"); // unchanged lines are context
    repo.git("commit", "-q", "-am", "rotate password");
    const log = repo.git("log", "-p");
    expect(log.stdout).toMatch(/^\+\s+password: new-password-2$/m);
    expect(log.stdout).toMatch(/^\+\s+password: old-password-1$/m); // the initial commit's side
    // The encrypted cache: private, and no secret in any file.
    const cache = join(repo.env["XDG_CACHE_HOME"]!, "sobre", "textconv");
    expect(statSync(cache).mode & 0o777).toBe(0o700);
    expect(statSync(join(cache, "cache.key")).mode & 0o777).toBe(0o600);
    const entries = readdirSync(cache);
    expect(entries.length).toBeGreaterThan(1);
    for (const name of entries) {
      const bytes = readFileSync(join(cache, name)).toString("latin1");
      for (const secret of ["old-password-1", "new-password-2", "token-AAA", "admin"]) expect(bytes).not.toContain(secret);
    }
    // A second run is served from the cache and gives the same output.
    expect(repo.git("log", "-p").stdout).toBe(log.stdout);
  });

  it("textconv shows a plaintext blob as is, and ciphertext plus a notice without a key", async () => {
    const repo = await repoWithSecret();
    repo.write("notes.txt", "just text\n");
    const plain = repo.sobre("git", "textconv", "notes.txt");
    expect(plain.stdout).toBe("just text\n");
    const noKey = { ...repo.env, SOPS_AGE_KEY_FILE: "/nonexistent" };
    const { spawnSync } = await import("node:child_process");
    const r = spawnSync(process.execPath, [entry, "git", "textconv", "--no-cache", "secrets.enc.yaml"], { cwd: repo.dir, env: noKey, encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(repo.read("secrets.enc.yaml"));
    expect(r.stderr).toContain("showing secrets.enc.yaml encrypted");
  });

  it("merge: different keys changed on each branch merge cleanly, unchanged ciphertext kept", async () => {
    const repo = await repoWithSecret();
    const base = repo.read("secrets.enc.yaml");
    repo.git("checkout", "-q", "-b", "feature");
    await editFile(join(repo.dir, "secrets.enc.yaml"), repo.env, (doc) => setValue(doc, ["api_token"], "token-BBB"));
    repo.git("commit", "-q", "-am", "theirs: token");
    repo.git("checkout", "-q", "main");
    await editFile(join(repo.dir, "secrets.enc.yaml"), repo.env, (doc) => setValue(doc, ["db", "password"], "ours-password"));
    repo.git("commit", "-q", "-am", "ours: password");
    const merge = repo.git("merge", "-q", "--no-edit", "feature");
    expect(merge.stderr).toBe("");
    expect(merge.status).toBe(0);
    const merged = repo.read("secrets.enc.yaml");
    const dec = repo.sobre("decrypt", "secrets.enc.yaml");
    expect(dec.stderr).toBe("");
    expect(dec.status).toBe(0); // MAC verified
    expect(dec.stdout).toContain("password: ours-password");
    expect(dec.stdout).toContain("api_token: token-BBB");
    expect(dec.stdout).toContain("# database settings");
    for (const key of ["user", "region"]) expect(encOf(merged, key)).toBe(encOf(base, key));
    expect(repo.git("status", "--porcelain").stdout).toBe("");
  });

  it("merge: the same key changed differently is a conflict; the file stays valid with ours", async () => {
    const repo = await repoWithSecret();
    repo.git("checkout", "-q", "-b", "feature");
    await editFile(join(repo.dir, "secrets.enc.yaml"), repo.env, (doc) => {
      setValue(doc, ["db", "password"], "theirs-password");
      setValue(doc, ["region"], "us-east-1");
    });
    repo.git("commit", "-q", "-am", "theirs");
    repo.git("checkout", "-q", "main");
    await editFile(join(repo.dir, "secrets.enc.yaml"), repo.env, (doc) => setValue(doc, ["db", "password"], "ours-password"));
    repo.git("commit", "-q", "-am", "ours");
    const merge = repo.git("merge", "--no-edit", "feature");
    expect(merge.status).not.toBe(0);
    expect(merge.stderr + merge.stdout).toContain('["db"]["password"]');
    expect(merge.stderr + merge.stdout).not.toContain("theirs-password");
    expect(repo.git("status", "--porcelain").stdout).toContain("UU secrets.enc.yaml");
    const dec = repo.sobre("decrypt", "secrets.enc.yaml");
    expect(dec.status).toBe(0);
    expect(dec.stdout).toContain("password: ours-password");
    expect(dec.stdout).toContain("region: us-east-1"); // the non-conflicting change merged
    const conflicts = repo.sobre("git", "conflicts", "secrets.enc.yaml");
    expect(conflicts.status).toBe(0);
    expect(conflicts.stdout).toContain('["db"]["password"]');
    expect(conflicts.stdout).toMatch(/base:\s+old-password-1/);
    expect(conflicts.stdout).toMatch(/ours:\s+ours-password/);
    expect(conflicts.stdout).toMatch(/theirs:\s+theirs-password/);
  });

  it("the pre-commit hook blocks a plaintext file the rules cover", async () => {
    const repo = await repoWithSecret();
    repo.write("leak.enc.yaml", "password: hunter2\n");
    repo.git("add", "leak.enc.yaml");
    const commit = repo.git("commit", "-q", "-m", "oops");
    expect(commit.status).not.toBe(0);
    expect(commit.stderr).toContain("leak.enc.yaml: not encrypted");
    expect(commit.stderr).toContain("sobre encrypt -i leak.enc.yaml");
    expect(commit.stderr).not.toContain("hunter2");
    expect(repo.git("log", "--oneline").stdout.trim().split("\n")).toHaveLength(1);
    // The staged content is what counts: encrypting the worktree copy without `git add` still fails.
    expect(repo.sobre("encrypt", "-i", "leak.enc.yaml").status).toBe(0);
    expect(repo.git("commit", "-q", "-m", "oops").status).not.toBe(0);
    repo.git("add", "leak.enc.yaml");
    expect(repo.git("commit", "-q", "-m", "fixed").status).toBe(0);
  });

  it("status --json reports coverage, recipients, MAC, and exits non-zero on drift", async () => {
    const repo = await repoWithSecret();
    let r = repo.sobre("status", "--json");
    expect(r.status).toBe(0);
    let report = JSON.parse(r.stdout) as { drift: boolean; files: { path: string; encrypted: boolean; mac: string; recipients: { missing: string[]; extra: string[] }; lastModified: string }[] };
    expect(report.drift).toBe(false);
    expect(report.files).toHaveLength(1);
    expect(report.files[0]).toMatchObject({ path: "secrets.enc.yaml", encrypted: true, mac: "ok", recipients: { missing: [], extra: [] } });
    expect(report.files[0]!.lastModified).toMatch(/^\d{4}-\d\d-\d\dT/);
    repo.write("plain.enc.yaml", "a: b\n");
    r = repo.sobre("status", "--json");
    expect(r.status).toBe(1);
    report = JSON.parse(r.stdout);
    expect(report.drift).toBe(true);
    expect(report.files.find((f) => f.path === "plain.enc.yaml")).toMatchObject({ encrypted: false });
    const noKey = repo.sobre("status", "--json", "--no-verify");
    expect(JSON.parse(noKey.stdout).files.find((f: { path: string }) => f.path === "secrets.enc.yaml").mac).toBe("not checked");
    expect(existsSync(join(repo.dir, "node_modules"))).toBe(false);
  });
});
