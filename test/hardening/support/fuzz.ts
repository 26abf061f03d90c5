import fc from "fast-check";
import { expect, vi } from "vitest";
import { SobreError } from "../../../src/errors.js";

/**
 * Shared fuzzing harness. Every parser must either return or throw a SobreError with a
 * SOPS exit code whose message and hint never contain the planted marker secret.
 * Budget: a quick seeded run by default, a long random one with SOBRE_FUZZ_LONG=1.
 */
export const LONG = process.env.SOBRE_FUZZ_LONG === "1";

// Long runs do 50× the cases: give every test in a file that imports this up to 15 min.
if (LONG) vi.setConfig({ testTimeout: 900_000, hookTimeout: 900_000 });

/** A plaintext that must never surface in an error message, hint or stderr. */
export const MARKER = "s3cr3t-MARKER-q7Zx";

/** Per-case time limit for in-process parser runs. */
export const CASE_MS = 2_000;

const EXIT_CODES = new Set([1, 2, 3, 4, 5, 6, 7, 21, 23, 24, 25, 49, 51, 52, 61, 85, 91, 92, 100, 111, 128, 200, 201, 202, 203]);

/** fast-check parameters: fixed seed by default (reproducible CI), random when long. */
export function fcParams(runs: number): fc.Parameters<unknown> {
  return LONG ? { numRuns: runs * 50 } : { numRuns: runs, seed: 0x50b7e };
}

/** What an input did: returned, or failed with a SobreError. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: SobreError };

/**
 * Run `fn`; any throw that is not a SobreError (RangeError, TypeError, plain Error…) or
 * that leaks `secret` fails the test with the offending input attached.
 */
export async function expectSobre<T>(fn: () => T | Promise<T>, input: unknown, secret = MARKER): Promise<Outcome<T>> {
  let value: T;
  const started = performance.now();
  // Parsers are synchronous, so a timer cannot interrupt a hang; a slow case (quadratic
  // blow-up) still fails here, and the spawned-CLI fuzz kills a real hang.
  const checkTime = (): void => {
    const ms = performance.now() - started;
    if (ms > CASE_MS) expect.fail(`case took ${Math.round(ms)} ms (limit ${CASE_MS}): ${stringify(input)}`);
  };
  try {
    value = await fn();
    checkTime();
  } catch (err) {
    checkTime();
    if (!(err instanceof SobreError)) {
      const what = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      expect.fail(`non-SobreError ${what}\ninput: ${stringify(input)}\n${err instanceof Error ? err.stack : ""}`);
    }
    expect(EXIT_CODES.has(err.exitCode), `exit code ${err.exitCode} is a SOPS code`).toBe(true);
    // A YAML tag or tag handle is syntax the user wrote (`!name`), not a value: messages may name it.
    const scrub = (text: string): string => text.replace(/tag (handle )?!\S*/g, "tag !…");
    expect(scrub(err.message)).not.toContain(secret);
    expect(scrub(err.hint ?? "")).not.toContain(secret);
    return { ok: false, error: err };
  }
  return { ok: true, value };
}

/** JSON for failure messages: bigint and bytes made printable, long inputs cut. */
function stringify(input: unknown): string {
  return JSON.stringify(show(input), (_, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
}

function show(input: unknown): unknown {
  if (input instanceof Uint8Array) {
    const text = Buffer.from(input).toString("utf8");
    return text.length > 400 ? `${text.slice(0, 400)}…(${text.length} bytes)` : text;
  }
  if (typeof input === "string" && input.length > 400) return `${input.slice(0, 400)}…(${input.length} chars)`;
  return input;
}

/** Byte-level mutations of a valid input: flip, insert, delete, duplicate a slice, truncate. */
export function mutated(base: Uint8Array, opts: { marker?: boolean } = {}): fc.Arbitrary<Uint8Array> {
  // In an encrypted file the marker must not be inserted as cleartext: it would become a
  // key name, which is public by design and may be quoted in messages.
  const tokens = opts.marker === false ? TOKENS.filter((t) => t !== MARKER) : TOKENS;
  const n = base.length;
  const pos = fc.nat({ max: Math.max(0, n - 1) });
  const op = fc.oneof(
    fc.record({ kind: fc.constant("flip" as const), at: pos, byte: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant("insert" as const), at: pos, bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
    fc.record({ kind: fc.constant("insertToken" as const), at: pos, token: fc.constantFrom(...tokens) }),
    fc.record({ kind: fc.constant("delete" as const), at: pos, len: fc.integer({ min: 1, max: 16 }) }),
    fc.record({ kind: fc.constant("dup" as const), at: pos, len: fc.integer({ min: 1, max: 64 }) }),
    fc.record({ kind: fc.constant("truncate" as const), at: pos }),
  );
  return fc.array(op, { minLength: 1, maxLength: 4 }).map((ops) => {
    let buf = Buffer.from(base);
    for (const o of ops) {
      const at = Math.min(o.at, buf.length);
      switch (o.kind) {
        case "flip":
          if (buf.length > 0) buf[Math.min(at, buf.length - 1)] = o.byte;
          break;
        case "insert":
          buf = Buffer.concat([buf.subarray(0, at), o.bytes, buf.subarray(at)]);
          break;
        case "insertToken":
          buf = Buffer.concat([buf.subarray(0, at), Buffer.from(o.token), buf.subarray(at)]);
          break;
        case "delete":
          buf = Buffer.concat([buf.subarray(0, at), buf.subarray(at + o.len)]);
          break;
        case "dup":
          buf = Buffer.concat([buf.subarray(0, at + o.len), buf.subarray(at)]);
          break;
        case "truncate":
          buf = buf.subarray(0, at);
          break;
      }
    }
    return new Uint8Array(buf);
  });
}

/** Syntax-significant fragments for every format, so mutations reach deep parser states. */
const TOKENS = [
  "{", "}", "[", "]", ",", ":", "=", "\"", "'", "\\", "\\u", "\\U0010FFFF", "\\x", "\n", "\r\n", "\t", " ", "#", ";", "- ", "? ",
  "&a ", "*a", "!!binary ", "!tag ", "|", ">", "|-", "---\n", "...\n", "%YAML 1.2\n", "<<: ", "[[", "]]", "\"\"\"", "'''",
  "0x", "1e999", "-0", "nan", "inf", "1979-05-27T07:32:00Z", "true", "null", "~", "export ", "\u0000", "\uFEFF", "\uD800",
  "ENC[AES256_GCM,data:", ",iv:", ",tag:", ",type:str]", "sops", "sops_", "[sops]", MARKER,
];

/** Arbitrary bytes: raw, or text made of the tokens above plus random characters. */
export function hostileBytes(maxLength = 200): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.uint8Array({ maxLength }),
    fc.array(fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 4 }), fc.constant(MARKER)), { maxLength: maxLength / 4 }).map((parts) => new Uint8Array(Buffer.from(parts.join(""), "utf8"))),
  );
}

/** A per-case wall-clock limit: a parser that hangs fails instead of stalling the suite. */
export async function withinMs<T>(ms: number, p: Promise<T>, input: unknown): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`case took longer than ${ms} ms: ${stringify(input)}`)), ms);
  });
  try {
    return await Promise.race([p, limit]);
  } finally {
    clearTimeout(timer);
  }
}
