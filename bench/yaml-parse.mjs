// Micro-benchmark for the YAML fast path: parse + emit of a ~100k-value file.
// Usage: npm run build && node bench/yaml-parse.mjs   (uses dist/ when present, else esbuild on the fly)
// Times are CPU time of this process (wall time is unreliable on a shared machine).
const performance = { now: () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; } };
import { existsSync } from "node:fs";
import { resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
let mod;
const dist = resolve(root, "dist/formats/yaml/index.js");
if (existsSync(dist)) mod = await import(dist);
else {
  const { build } = await import("esbuild");
  const out = resolve(root, "node_modules/.cache/yaml-bench.mjs");
  await build({ entryPoints: [resolve(root, "src/formats/yaml/index.ts")], bundle: true, platform: "node", format: "esm", outfile: out, external: ["yaml"], logLevel: "error" });
  mod = await import(out);
}
const { yamlFormat } = mod;

function makeDoc(values) {
  const lines = ["# generated benchmark input"];
  let n = 0;
  for (let s = 0; n < values; s++) {
    lines.push(`service_${s}:`, `    # settings of service ${s}`);
    for (let k = 0; k < 20 && n < values; k++, n++) {
      if (k % 7 === 3) lines.push(`    list_${k}:`, `        - item-${n}`, `        - ${n}`), n++;
      else lines.push(`    key_${k}: ${k % 3 === 0 ? n : k % 3 === 1 ? `"quoted value ${n}"` : `plain value number ${n} # note`}`);
    }
  }
  return lines.join("\n") + "\n";
}

const text = makeDoc(Number(process.argv[2] ?? 100_000));
const input = new TextEncoder().encode(text);
console.log(`input: ${(input.length / 1e6).toFixed(2)} MB`);
for (let round = 0; round < 3; round++) {
  let t = performance.now();
  const docs = await yamlFormat.parse(input, { file: "bench.yaml", mode: "plain" });
  const tParse = performance.now() - t;
  t = performance.now();
  yamlFormat.emit(docs, { file: "bench.yaml" });
  const tSame = performance.now() - t;
  let count = 0;
  const walk = (n) => {
    if (n.kind === "leaf") {
      if (n.value.type !== "null") n.value = { type: "str", value: `ENC[AES256_GCM,data:${count++},iv:AAAA,tag:BBBB,type:str]` };
      return;
    }
    for (const it of n.items) {
      if (it.kind === "comment") it.text = "ENC[AES256_GCM,data:c,iv:x,tag:y,type:comment]";
      else walk(it.kind === "entry" ? it.value : it);
    }
  };
  docs.forEach(walk);
  t = performance.now();
  yamlFormat.emit(docs, { file: "bench.yaml" });
  const tChanged = performance.now() - t;
  console.log(`parse ${tParse.toFixed(0)} ms, emit unchanged ${tSame.toFixed(0)} ms, emit all changed ${tChanged.toFixed(0)} ms (${count} values)`);
}
