// Micro-benchmark of the value cipher batch (run with vite-node). Not part of npm run bench.
import { randomBytes } from "node:crypto";
import { parseEnc } from "../../src/crypto/cipher.js";
import * as cur from "../../src/tree/cipher-jobs.js";

const alt = process.env["ALT_JOBS"] ? ((await import(process.env["ALT_JOBS"])) as typeof cur) : undefined;
const n = Number(process.argv[2] ?? 100_000);
const key = randomBytes(32);
const jobs = Array.from({ length: n }, (_, i) => ({ plaintext: Buffer.from(`value-${i}-abcdefghijklmnop`), aad: `service_${i}:password:`, type: "str" }));
const enc = cur.runEncryptJobs(key, jobs);
const djobs = enc.map((t, i) => ({ parsed: parseEnc(t)!, aad: jobs[i]!.aad }));

function time(label: string, fn: () => unknown): void {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const c = process.cpuUsage(c0);
  console.log(`${label.padEnd(28)} wall ${(performance.now() - t0).toFixed(0).padStart(5)} ms  cpu ${((c.user + c.system) / 1000).toFixed(0).padStart(5)} ms`);
}
for (let r = 0; r < 3; r++) {
  if (alt) time("old encrypt", () => alt.runEncryptJobs(key, jobs));
  time("new encrypt (1 thread)", () => cur.runEncryptJobs(key, jobs, { parallelMinJobs: Infinity }));
  time("new encrypt (worker)", () => cur.runEncryptJobs(key, jobs, { parallelMinJobs: 1 }));
  if (alt) time("old decrypt", () => alt.runDecryptJobs(key, djobs));
  time("new decrypt (1 thread)", () => cur.runDecryptJobs(key, djobs, { parallelMinJobs: Infinity }));
  time("new decrypt (worker)", () => cur.runDecryptJobs(key, djobs, { parallelMinJobs: 1 }));
}
