// Memory/CPU per stage of decrypt and encrypt, in-process (run with vite-node, --expose-gc).
import { readFileSync } from "node:fs";
import { loadFormat } from "../../src/formats/registry.js";
import { detachMetadata } from "../../src/operations/sops-document.js";
import { decryptTree } from "../../src/tree/decrypt-tree.js";
import { encryptTree } from "../../src/tree/encrypt-tree.js";
import { IvMemory } from "../../src/tree/cipher-jobs.js";
import { unwrapDataKey } from "../../src/keys/groups.js";
import { createKeyContext } from "../../src/operations/key-context.js";

const [fmtName, plainPath, encPath] = process.argv.slice(2) as [string, string, string];
const gc = (globalThis as { gc?: () => void }).gc!;
let last = performance.now();
function stage(name: string): void {
  gc();
  const m = process.memoryUsage();
  const now = performance.now();
  console.log(`${name.padEnd(22)} ${(now - last).toFixed(0).padStart(6)} ms  heap ${(m.heapUsed / 1e6).toFixed(0)} MB  ext ${((m.external + m.arrayBuffers) / 1e6).toFixed(0)} MB  rss ${(m.rss / 1e6).toFixed(0)} MB`);
  last = performance.now();
}
const format = await loadFormat(fmtName as never);
stage("start");
const enc = readFileSync(encPath);
const docs = await format.parse(enc, { file: encPath, mode: "encrypted" } as never);
stage("parse encrypted");
const md = detachMetadata(docs, encPath);
const ctx = createKeyContext({ env: process.env, cwd: process.cwd() } as never);
const key = await unwrapDataKey(md.keyGroups, md.shamirThreshold, ctx);
stage("unwrap");
const iv = new IvMemory();
decryptTree(docs, { dataKey: key, selection: md.selection, macOnlyEncrypted: md.macOnlyEncrypted, ivMemory: iv, file: encPath });
stage("decrypt tree");
const out = format.emit(docs, { file: encPath } as never);
stage(`emit (${(out.length / 1e6).toFixed(1)} MB)`);
const plain = readFileSync(plainPath);
const pdocs = await format.parse(plain, { file: plainPath, mode: "plain" } as never);
stage("parse plain");
encryptTree(pdocs, { dataKey: key, selection: md.selection, macOnlyEncrypted: false, file: plainPath });
stage("encrypt tree");
const out2 = format.emit(pdocs, { file: plainPath } as never);
stage(`emit (${(out2.length / 1e6).toFixed(1)} MB)`);
void iv;
