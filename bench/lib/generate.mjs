// Deterministic benchmark documents: N values in YAML, JSON, TOML or dotenv.
//
// Every "record" holds 10 values of mixed types (strings of several shapes, ints, floats,
// booleans, a two-item list), like a realistic config: a service with credentials, ports
// and flags. YAML records also carry one comment (SOPS encrypts comments too).

/** Values per record; sizes must be multiples of it. */
export const VALUES_PER_RECORD = 10;

/** Small seeded PRNG (mulberry32): the same inputs every run, on every machine. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hex(rand, n) {
  let s = "";
  for (let i = 0; i < n; i++) s += "0123456789abcdef"[Math.floor(rand() * 16)];
  return s;
}

/** The 10 values of record `i`, as [key, value] with JS types (arrays = lists). */
function record(i, rand) {
  const id = String(i).padStart(6, "0");
  return [
    ["user", `svc-${id}`],
    ["password", hex(rand, 32)],
    ["host", `db-${id}.internal.example.com`],
    ["port", 1024 + (i % 60000)],
    ["ratio", Math.round(rand() * 1000) / 1000 + 0.5],
    ["enabled", i % 3 !== 0],
    ["url", `https://api-${id}.example.com/v1/resources?page=${i % 97}`],
    ["tags", [`team-${i % 17}`, `tier-${i % 5}`]],
    ["note", `rotated on 2026-${String((i % 12) + 1).padStart(2, "0")}-15 by ops`],
  ];
}

function yamlScalar(v) {
  if (typeof v === "string") return /^[\w.@/-]+$/.test(v) && !/^\d/.test(v) ? v : JSON.stringify(v);
  return String(v);
}

function tomlScalar(v) {
  return typeof v === "string" ? JSON.stringify(v) : String(v);
}

function records(count, seed) {
  const rand = prng(seed);
  const out = [];
  for (let i = 0; i < count; i++) out.push(record(i, rand));
  return out;
}

function yaml(recs) {
  const lines = ["# sobre benchmark document (generated)"];
  recs.forEach((rec, i) => {
    lines.push(`service_${String(i).padStart(6, "0")}:`, `  # owner: team ${i % 17}`);
    for (const [k, v] of rec) {
      if (Array.isArray(v)) lines.push(`  ${k}:`, ...v.map((x) => `    - ${yamlScalar(x)}`));
      else lines.push(`  ${k}: ${yamlScalar(v)}`);
    }
  });
  return `${lines.join("\n")}\n`;
}

function json(recs) {
  const obj = {};
  recs.forEach((rec, i) => {
    obj[`service_${String(i).padStart(6, "0")}`] = Object.fromEntries(rec);
  });
  return `${JSON.stringify(obj, null, 2)}\n`;
}

function toml(recs) {
  const lines = ["# sobre benchmark document (generated)"];
  recs.forEach((rec, i) => {
    lines.push("", `[service_${String(i).padStart(6, "0")}]`);
    for (const [k, v] of rec) {
      lines.push(`${k} = ${Array.isArray(v) ? `[${v.map(tomlScalar).join(", ")}]` : tomlScalar(v)}`);
    }
  });
  return `${lines.join("\n")}\n`;
}

function dotenv(recs) {
  const lines = ["# sobre benchmark document (generated)"];
  recs.forEach((rec, i) => {
    const prefix = `SERVICE_${String(i).padStart(6, "0")}`;
    for (const [k, v] of rec) {
      if (Array.isArray(v)) v.forEach((x, j) => lines.push(`${prefix}_${k.toUpperCase()}_${j}=${x}`));
      else lines.push(`${prefix}_${k.toUpperCase()}=${v}`);
    }
  });
  return `${lines.join("\n")}\n`;
}

const EMITTERS = { yaml, json, toml, dotenv };
/** File extension per format (what both sobre and sops use to detect the format). */
export const EXTENSIONS = { yaml: "yaml", json: "json", toml: "toml", dotenv: "env" };
export const FORMATS = Object.keys(EMITTERS);

/** A document with exactly `values` leaf values in `format`. */
export function generateDocument(format, values, seed = 42) {
  if (values % VALUES_PER_RECORD !== 0) throw new Error(`values must be a multiple of ${VALUES_PER_RECORD}`);
  return EMITTERS[format](records(values / VALUES_PER_RECORD, seed));
}
