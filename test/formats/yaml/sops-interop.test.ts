import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { INTEROP_FIXTURES } from "../../helpers/paths.js";
import type { MapEntry } from "../../../src/tree/types.js";
import { emit, parse } from "./helpers.js";

const SOPS = join(homedir(), "go/bin/sops");
const hasSops = existsSync(SOPS);
const dir = mkdtempSync(join(tmpdir(), "sobre-yaml-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sopsDecrypt(file: string, keyFile: string): string {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: dir, XDG_CONFIG_HOME: dir, SOPS_AGE_KEY_FILE: keyFile };
  return execFileSync(SOPS, ["--decrypt", file], { env, cwd: dir }).toString();
}

describe("files we emit stay readable by SOPS", () => {
  it.skipIf(!hasSops)("re-rendered sops block and edited comments decrypt with the real sops binary (skipped without ~/go/bin/sops)", async () => {
    const source = join(INTEROP_FIXTURES, "fluxcd-kustomize-controller/algorithms-age.yaml");
    const key = join(INTEROP_FIXTURES, "fluxcd-kustomize-controller/keys/age.txt");
    const docs = await parse(readFileSync(source));
    const doc = docs[0]!;
    const sops = doc.items.find((i): i is MapEntry => i.kind === "entry" && i.key === "sops")!;
    const copy = JSON.parse(JSON.stringify(sops, (k, v) => (k === "src" ? undefined : v))) as MapEntry;
    doc.items = doc.items.filter((i) => i !== sops);
    doc.items.push({ kind: "comment", text: " a comment in clear (not encrypted, not MAC'd)" }, copy);
    const out = join(dir, "out.yaml");
    writeFileSync(out, emit(docs));
    expect(readFileSync(out, "utf8")).toContain("\nsops:\n    kms: []\n");
    const ours = sopsDecrypt(out, key);
    expect(ours).toContain("# a comment in clear");
    expect(ours.replace(/^# a comment in clear.*\n/m, "")).toBe(sopsDecrypt(source, key));
  });
});
