import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createKeyContext } from "../../src/operations/key-context.js";
import { openEncryptedFile } from "../../src/operations/open-file.js";
import { sealFile } from "../../src/operations/seal-file.js";
import type { MapNode } from "../../src/tree/types.js";
import { AGE_RECIPIENT, hermeticEnv } from "../exec/helpers.js";

/** A temporary git repository with a hermetic environment and sobre as `node ENTRY`. */
export interface TestRepo {
  dir: string;
  env: Record<string, string>;
  sobreCmd: string;
  git(...args: string[]): { status: number; stdout: string; stderr: string };
  sobre(...args: string[]): { status: number; stdout: string; stderr: string };
  write(rel: string, text: string): void;
  read(rel: string): string;
}

export function createRepo(entry: string): TestRepo {
  const dir = mkdtempSync(join(tmpdir(), "sobre-git-"));
  const env = hermeticEnv({
    GIT_AUTHOR_NAME: "Test",
    GIT_AUTHOR_EMAIL: "test@example.com",
    GIT_COMMITTER_NAME: "Test",
    GIT_COMMITTER_EMAIL: "test@example.com",
    GIT_CONFIG_GLOBAL: "/dev/null",
  });
  const sobreCmd = `${process.execPath} ${entry}`;
  const run = (cmd: string, args: string[]): { status: number; stdout: string; stderr: string } => {
    const r = spawnSync(cmd, args, { cwd: dir, env, encoding: "utf8" });
    return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };
  const repo: TestRepo = {
    dir,
    env,
    sobreCmd,
    git: (...args) => run("git", args),
    sobre: (...args) => run(process.execPath, [entry, ...args]),
    write: (rel, text) => writeFileSync(join(dir, rel), text),
    read: (rel) => readFileSync(join(dir, rel), "utf8"),
  };
  repo.git("init", "-q", "-b", "main");
  repo.write(".sops.yaml", `creation_rules:\n  - path_regex: \\.enc\\.yaml$\n    age: ${AGE_RECIPIENT}\n`);
  return repo;
}

/**
 * Change values like `sobre edit` does: decrypt, mutate the tree, re-encrypt with the
 * same data key and the remembered IVs (unchanged values keep their ciphertext).
 */
export async function editFile(path: string, env: Record<string, string>, mutate: (doc: MapNode) => void): Promise<void> {
  const input = readFileSync(path);
  const keyContext = createKeyContext({ env, cwd: tmpdir() });
  const opened = await openEncryptedFile({ input, file: path, format: "yaml", keyContext });
  mutate(opened.documents[0]!);
  const out = sealFile({ documents: opened.documents, metadata: opened.metadata, dataKey: opened.dataKey, format: opened.format, file: path, ivMemory: opened.ivMemory });
  writeFileSync(path, out);
}

/** Set a top-level or nested string value. */
export function setValue(doc: MapNode, path: string[], value: string): void {
  let map = doc;
  for (const key of path.slice(0, -1)) {
    const e = map.items.find((i) => i.kind === "entry" && i.key === key);
    if (!e || e.kind !== "entry" || e.value.kind !== "map") throw new Error(`no map at ${key}`);
    map = e.value;
  }
  const last = path[path.length - 1]!;
  const e = map.items.find((i) => i.kind === "entry" && i.key === last);
  if (e && e.kind === "entry") e.value = { kind: "leaf", value: { type: "str", value } };
  else map.items.push({ kind: "entry", key: last, value: { kind: "leaf", value: { type: "str", value } } });
}

/** The ENC[…] text of a `key:` line in a YAML file (first match). */
export function encOf(text: string, key: string): string | undefined {
  return new RegExp(`^\\s*${key}: (ENC\\[[^\\]]+\\])`, "m").exec(text)?.[1];
}
