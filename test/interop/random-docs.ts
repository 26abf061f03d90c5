/**
 * fast-check generators of documents both tools can represent, and serializers that
 * write them as plaintext input files. Values: nested maps/lists, strings with unicode
 * and YAML-hostile characters, 64-bit ints, finite floats, bools, nulls.
 */
import fc from "fast-check";
import type { InteropFormat } from "./cross.js";

export class Float {
  constructor(readonly value: number) {}
}
export type Value = string | bigint | Float | boolean | null | Value[] | { [key: string]: Value };

const PLAIN_CHARS = "abcxyzABCXYZ0189 _-.:/,".split("");
const UNICODE_CHARS = ["é", "ü", "ß", "Ω", "✓", "日", "本", "🔐", "😀", "ñ"];
const HOSTILE_CHARS = ['"', "'", "#", "\\", "\n", "\t", "{", "}", "[", "]", "&", "*", "!", "|", ">", "%", "@", "`", "?", ","];
const TRICKY = ["", "true", "false", "null", "~", "yes", "no", "on", "off", "123", "-7", "1.5", "1e3", "0x1F", "0o17", ".inf", "NaN", " lead", "trail ", "- a", "a: b", "---", "#hash", "multi\nline", "end\n", "2001-12-14", "=", "ÿ"];

function stringOf(chars: fc.Arbitrary<string>, maxLength = 16): fc.Arbitrary<string> {
  return fc.oneof({ weight: 4, arbitrary: fc.string({ unit: chars, maxLength }) }, { weight: 1, arbitrary: fc.constantFrom(...TRICKY) });
}

const anyChar = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...PLAIN_CHARS) },
  { weight: 2, arbitrary: fc.constantFrom(...UNICODE_CHARS) },
  { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_CHARS) },
);

const INT64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
const int = fc.oneof(fc.bigInt({ min: -1000n, max: 1000n }), INT64);
const float = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0.5, -2.25, 1e21, 1.5e-7, 123456.789, 3.0)).map((n) => new Float(n));
const key = fc.oneof({ weight: 5, arbitrary: fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_-]{0,10}$/) }, { weight: 1, arbitrary: fc.constantFrom("clé", "名前", "key with space", "ключ", "a.b") });

/** Nested documents for YAML and JSON (top level: a non-empty map). */
export function treeDocument(): fc.Arbitrary<{ [key: string]: Value }> {
  const scalar: fc.Arbitrary<Value> = fc.oneof({ weight: 4, arbitrary: stringOf(anyChar) }, { weight: 2, arbitrary: int }, { weight: 2, arbitrary: float }, { weight: 1, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.constant(null) });
  const { value } = fc.letrec<{ value: Value }>((tie) => ({
    value: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      { weight: 5, arbitrary: scalar },
      { weight: 1, arbitrary: fc.array(tie("value"), { maxLength: 4 }) },
      { weight: 1, arbitrary: fc.dictionary(key, tie("value"), { maxKeys: 4 }) },
    ),
  }));
  return fc.dictionary(key, value, { minKeys: 1, maxKeys: 6 });
}

/** Flat string documents for dotenv (no newlines or backslashes: SOPS's `\n` escaping is lossy). */
export function dotenvDocument(): fc.Arbitrary<[string, string][]> {
  const chars = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...PLAIN_CHARS, "=", "#", '"', "'", "$") }, { weight: 2, arbitrary: fc.constantFrom(...UNICODE_CHARS) });
  const k = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/).filter((s) => !s.toLowerCase().startsWith("sops_"));
  // A value opening with a quote is read differently on purpose (INTEROP.md, difference 2).
  const value = fc.string({ unit: chars, maxLength: 20 }).filter((s) => !/^["']/.test(s));
  return fc.uniqueArray(fc.tuple(k, value), { minLength: 1, maxLength: 8, selector: ([name]) => name });
}

/** INI sections of key = value (values go-ini keeps verbatim: no quotes, ;, #, edge spaces). */
export function iniDocument(): fc.Arbitrary<[string, [string, string][]][]> {
  const chars = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(..."abcXYZ0189_-./@+ ".split("")) }, { weight: 1, arbitrary: fc.constantFrom(...UNICODE_CHARS) });
  const value = fc.string({ unit: chars, maxLength: 20 }).map((s) => s.trim());
  const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/).filter((s) => s !== "sops");
  const section = fc.tuple(name, fc.uniqueArray(fc.tuple(name, value), { minLength: 1, maxLength: 5, selector: ([k]) => k }));
  return fc.uniqueArray(section, { minLength: 1, maxLength: 4, selector: ([n]) => n });
}

function floatText(n: number): string {
  if (Object.is(n, -0)) return "-0.0";
  const s = String(n);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

function scalarText(v: Exclude<Value, Value[] | { [key: string]: Value }>): string {
  if (v === null) return "null";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "boolean") return String(v);
  return floatText(v.value);
}

function isCollection(v: Value): v is Value[] | { [key: string]: Value } {
  return v !== null && typeof v === "object" && !(v instanceof Float);
}

/** JSON text (tab-indented like SOPS). */
export function toJson(v: Value, indent = ""): string {
  if (!isCollection(v)) return scalarText(v);
  const inner = indent + "\t";
  if (Array.isArray(v)) return v.length === 0 ? "[]" : `[\n${v.map((x) => inner + toJson(x, inner)).join(",\n")}\n${indent}]`;
  const entries = Object.entries(v);
  return entries.length === 0 ? "{}" : `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${toJson(x, inner)}`).join(",\n")}\n${indent}}`;
}

/** Block-style YAML with double-quoted strings and keys (4-space indent, like SOPS). */
export function toYaml(v: { [key: string]: Value }): string {
  const lines: string[] = [];
  const emit = (value: Value, indent: string, lead: string): void => {
    if (!isCollection(value)) return void lines.push(`${lead} ${scalarText(value)}`);
    if (Array.isArray(value)) {
      if (value.length === 0) return void lines.push(`${lead} []`);
      lines.push(lead);
      for (const item of value) emit(item, indent + "    ", `${indent}    -`);
      return;
    }
    const entries = Object.entries(value);
    if (entries.length === 0) return void lines.push(`${lead} {}`);
    lines.push(lead);
    for (const [k, x] of entries) emit(x, indent + "    ", `${indent}    ${JSON.stringify(k)}:`);
  };
  for (const [k, x] of Object.entries(v)) emit(x, "", `${JSON.stringify(k)}:`);
  return lines.join("\n") + "\n";
}

export function toDotenv(pairs: [string, string][]): string {
  return pairs.map(([k, v]) => `${k}=${v}\n`).join("");
}

export function toIni(sections: [string, [string, string][]][]): string {
  return sections.map(([name, pairs]) => `[${name}]\n${pairs.map(([k, v]) => `${k} = ${v}\n`).join("")}`).join("\n");
}

/** One generated plaintext file per format. */
export function plaintextArbitrary(format: InteropFormat): fc.Arbitrary<string | Uint8Array> {
  switch (format) {
    case "yaml":
      return treeDocument().map(toYaml);
    case "json":
      return treeDocument().map((d) => toJson(d) + "\n");
    case "dotenv":
      return dotenvDocument().map(toDotenv);
    case "ini":
      return iniDocument().map(toIni);
    case "binary":
      return fc.uint8Array({ maxLength: 256 });
  }
}
