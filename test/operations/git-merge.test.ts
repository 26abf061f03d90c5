import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { gitMerge } from "../../src/operations/git-merge.js";
import { createKeyContext } from "../../src/operations/key-context.js";
import { encryptTo, hermeticEnv, sobre } from "../exec/helpers.js";
import { editFile, encOf, setValue } from "../git/repo.js";

describe("gitMerge", () => {
  let dir: string;
  let env: Record<string, string>;
  let base: Buffer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "sobre-merge-op-"));
    env = hermeticEnv();
    await encryptTo(join(dir, "base.yaml"), "a: one\nb: two\nc: three\n", env);
    base = readFileSync(join(dir, "base.yaml"));
  });
  const ctx = () => createKeyContext({ env, cwd: dir });
  const variant = async (name: string, mutate: Parameters<typeof editFile>[2]): Promise<Buffer> => {
    const p = join(dir, name);
    writeFileSync(p, base);
    await editFile(p, env, mutate);
    return readFileSync(p);
  };
  const decrypted = async (bytes: Uint8Array): Promise<string> => {
    const p = join(dir, `out-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(p, bytes);
    const r = await sobre(["decrypt", p], env, dir);
    expect(r.stderr).toBe("");
    return r.stdout;
  };

  it("returns ours's bytes untouched when theirs changed nothing", async () => {
    const ours = await variant("o1.yaml", (d) => setValue(d, ["a"], "ONE"));
    const r = await gitMerge({ base, ours, theirs: base, path: "s.yaml", keyContext: ctx() });
    expect(r.kind === "merged" && Buffer.from(r.output).equals(ours)).toBe(true);
  });

  it("adopts theirs's new data key when theirs re-encrypted (rotation) and ours only edited", async () => {
    const ours = await variant("o2.yaml", (d) => setValue(d, ["a"], "ONE"));
    // A fresh encryption = a new data key (what `sobre rotate` produces), plus a value change.
    const rotatedPath = join(dir, "rotated.yaml");
    const theirsText = await encryptTo(rotatedPath, "a: one\nb: two\nc: THREE\n", env);
    const r = await gitMerge({ base, ours, theirs: Buffer.from(theirsText), path: "s.yaml", keyContext: ctx() });
    if (r.kind !== "merged") throw new Error("expected a merge");
    expect(r.conflicts).toEqual([]);
    expect(r.notes.join(" ")).toContain("theirs");
    const text = Buffer.from(r.output).toString("utf8");
    // Under theirs's key: their wrapped data key and their unchanged value ciphertexts.
    expect(text).toContain(/-----BEGIN AGE ENCRYPTED FILE-----[\s\S]*?-----END AGE ENCRYPTED FILE-----/.exec(theirsText)![0].split("\n")[1]);
    expect(encOf(text, "b")).toBe(encOf(theirsText, "b"));
    expect(encOf(text, "c")).toBe(encOf(theirsText, "c"));
    const plain = await decrypted(r.output);
    expect(plain).toBe("a: ONE\nb: two\nc: THREE\n");
  });

  it("both sides re-keyed differently: a conflict, ours kept, file still valid", async () => {
    const ours = Buffer.from(await encryptTo(join(dir, "ro.yaml"), "a: one\nb: two\nc: three\n", env));
    const theirs = Buffer.from(await encryptTo(join(dir, "rt.yaml"), "a: one\nb: TWO\nc: three\n", env));
    const r = await gitMerge({ base, ours, theirs, path: "s.yaml", keyContext: ctx() });
    if (r.kind !== "merged") throw new Error("expected a merge");
    expect(r.conflicts.join(" ")).toContain("sops");
    expect(await decrypted(r.output)).toBe("a: one\nb: TWO\nc: three\n");
  });

  it("add/add without a base: equal files merge, plaintext on every side is not ours to merge", async () => {
    const r = await gitMerge({ base: Buffer.alloc(0), ours: base, theirs: base, path: "s.yaml", keyContext: ctx() });
    expect(r.kind === "merged" && r.conflicts.length === 0).toBe(true);
    const plain = Buffer.from("a: 1\n");
    expect((await gitMerge({ base: plain, ours: plain, theirs: plain, path: "s.yaml", keyContext: ctx() })).kind).toBe("not-sops");
    const mixed = await gitMerge({ base, ours: base, theirs: plain, path: "s.yaml", keyContext: ctx() });
    expect(mixed.kind === "merged" && mixed.conflicts[0]).toContain("theirs not encrypted");
  });
});
