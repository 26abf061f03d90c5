/**
 * ENC texts decoded where they lie in the input (`cipher-ranges-pack.ts`,
 * `cipher-ranges-batch.ts`): with the input on shared memory a worker thread decodes and
 * decrypts its share in place; results must equal the packed-copy path's, job by job,
 * including malformed texts, failed authentication and texts only the string check takes.
 */
import { describe, expect, it } from "vitest";
import { encryptValue } from "../../src/crypto/cipher.js";
import { SHARED_ALLOC } from "../../src/tree/cipher-pack.js";
import { runChunked } from "../../src/tree/cipher-pool.js";
import { prepareDecryptTexts, runPreparedDecrypt } from "../../src/tree/cipher-texts.js";
import { rangesOver } from "../helpers/enc-ranges-over.js";

const KEY = Buffer.alloc(32, 9);
const N = 3000;

/** N ENC texts one per line, some broken on purpose; the AADs they were made with. */
function corpus(): { lines: string[]; aads: string[] } {
  const lines: string[] = [];
  const aads: string[] = [];
  for (let i = 0; i < N; i++) {
    const aad = `k${i}:`;
    let text = encryptValue(KEY, Buffer.from(`value ${i} ${"x".repeat(i % 50)}${i % 7 === 0 ? "\né" : ""}`), aad, "str");
    if (i === 5) text = text.replace(",tag:", ",tag:!"); // malformed
    if (i === 1500) text += "\u00a0"; // non-ASCII whitespace: only the string check takes it
    if (i === 2100) text = text.replace("type:str]", "type:bogus type]"); // malformed type
    lines.push(text);
    aads.push(i === 2500 ? "wrong:" : aad); // fails authentication
  }
  return { lines, aads };
}

type Result = { types: (string | undefined)[]; ok: boolean[]; plain: string[]; ranged: boolean };

function decryptAll(source: Uint8Array, lines: string[], aads: string[], encs: (string | number)[], parallel: boolean): Result {
  const opts = parallel ? { parallelMinJobs: 2 } : undefined;
  const prepared = prepareDecryptTexts(encs, aads, opts, rangesOver(source, lines));
  const out = runPreparedDecrypt(KEY, prepared, opts);
  const ok: boolean[] = [];
  const plain: string[] = [];
  for (let i = 0; i < encs.length; i++) {
    ok.push(out.ok(i));
    plain.push(out.ok(i) ? out.buffer(i).toString("utf8", out.start(i), out.end(i)) : "");
  }
  return { types: prepared.types, ok, plain, ranged: prepared.source !== undefined };
}

describe("decrypting ENC texts in place (input ranges)", () => {
  const { lines, aads } = corpus();
  const text = Buffer.from(lines.join("\n") + "\n", "utf8");
  const sharedSource = Buffer.from(new SharedArrayBuffer(text.length));
  text.copy(sharedSource);
  // Mostly ranges, some jobs given as strings (as comments or escaped values are).
  const encs = lines.map((line, i) => (i % 97 === 3 ? line : i));
  const reference = decryptAll(text, lines, aads, lines.slice(), false);

  it("the string path, the local in-place path and the shared in-place path agree", () => {
    expect(reference.ranged).toBe(false);
    expect(reference.types[5]).toBeUndefined();
    expect(reference.types[2100]).toBeUndefined();
    expect(reference.types[1500]).toBe("str");
    expect(reference.ok[2500]).toBe(false);
    expect(reference.plain[7]).toBe("value 7 xxxxxxx\né");
    const local = decryptAll(text, lines, aads, encs, false);
    const shared = decryptAll(sharedSource, lines, aads, encs, true);
    expect(local.ranged).toBe(true);
    expect(shared.ranged).toBe(true);
    for (const r of [local, shared]) {
      expect(r.types).toEqual(reference.types);
      expect(r.ok).toEqual(reference.ok);
      expect(r.plain).toEqual(reference.plain);
    }
  });

  it("a worker batch over an input not on shared memory packs copies (the worker could not read it)", () => {
    const copied = decryptAll(text, lines, aads, encs, true);
    expect(copied.ranged).toBe(false);
    expect(copied.plain).toEqual(reference.plain);
    expect(copied.ok).toEqual(reference.ok);
  });

  it("the worker thread's own copy of the loop decrypts in place (no main-thread fallback)", () => {
    const prepared = prepareDecryptTexts(encs, aads, { parallelMinJobs: 2 }, rangesOver(sharedSource, lines));
    const { count, bytes, offs, outOffs, outSize } = prepared.packed;
    const out = SHARED_ALLOC.bytes(outSize);
    const ok = new Uint8Array(new SharedArrayBuffer(count));
    const batch = { kind: "decrypt-ranges", src: prepared.source, bytes, offs, out, outOffs, ok };
    runChunked(KEY, count, batch, true, () => {
      throw new Error("the main thread had to redo a chunk");
    }, { mainThreadJoins: false });
    for (let i = 0; i < count; i++) {
      expect(ok[i] === 1).toBe(reference.ok[i]);
      if (ok[i]) expect(out.toString("utf8", outOffs[i], outOffs[i + 1])).toBe(reference.plain[i]);
    }
  });
});
