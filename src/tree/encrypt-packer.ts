/**
 * Packs encrypt jobs offered one at a time, twice in the same order: `measure` (sizes,
 * offsets, IV lengths, types), then `write` (the AAD and plaintext bytes). A tree walker
 * can thus pack straight from the tree, walking it twice, without keeping an array of
 * plaintexts, one of AAD strings and one of types for the whole batch (for 100k values
 * some 10 MB of old-space strings and arrays, plus the large arrays they grow through).
 *
 * IVs are not packed: fresh ones are drawn when the output is laid out and written
 * straight into their place in it (`placeIvs`, cipher-encrypt.ts); only reused ones are
 * kept until then.
 *
 * An AAD comes in parts (`head`, then `key` and `:` when `key` is given; see
 * walk.ts) and nothing is allocated per job: lengths and bytes of ASCII text are
 * handled in JavaScript (`text-bytes.ts`), so packing 100k values leaves almost no
 * garbage on the main thread (see text-bytes.ts for why that matters).
 */
import type { Alloc, PackedEncrypt } from "./cipher-pack.js";
import { utf8Length, writeUtf8 } from "./text-bytes.js";

/** SOPS value IVs are 32 bytes. */
const IV_BYTES = 32;

/** `ENC[AES256_GCM,data:` `,iv:` `,tag:` + 24 tag characters, `,type:` and `]`. */
const ENC_FIXED = 20 + 4 + 5 + 24 + 6 + 1;

const COLON = 0x3a;

/** Length of padded base64 for `n` bytes. */
function b64Len(n: number): number {
  return Math.ceil(n / 3) * 4;
}

function aadLength(head: string, key: string | undefined): number {
  return key === undefined ? utf8Length(head) : utf8Length(head) + utf8Length(key) + 1;
}

export class EncryptPacker {
  private count = 0;
  private written = 0;
  private readonly typeNames: string[] = [];
  private readonly typeCodes: Uint8Array;
  private readonly encOffs: Int32Array;
  private readonly offs: Int32Array;
  /** IVs to reuse, by job (rare: edit/set/merge of unchanged values). */
  private readonly reuse = new Map<number, Uint8Array>();
  private size = 0;
  private encSize = 0;
  private bytes: Buffer | undefined;

  /** `maxJobs`: at least the number of jobs that will be measured. */
  constructor(
    maxJobs: number,
    private readonly alloc: Alloc,
  ) {
    this.typeCodes = alloc.bytes(maxJobs);
    this.encOffs = alloc.ints(maxJobs + 1);
    this.offs = alloc.ints(2 * maxJobs + 1);
  }

  /** Jobs measured so far. */
  get jobs(): number {
    return this.count;
  }

  /**
   * Pass 1: the next job, AAD `head` (+ `key` + `:`), plaintext (text is encrypted as its
   * UTF-8 bytes), type; `reuseIv` replaces a fresh IV.
   */
  measure(head: string, key: string | undefined, plaintext: string | Uint8Array, type: string, reuseIv?: Uint8Array): void {
    if (this.bytes) throw new Error("internal error: encrypt job measured after packing began");
    const i = this.count++;
    if (i >= this.typeCodes.length) throw new Error("internal error: more encrypt jobs than counted");
    let code = this.typeNames.indexOf(type);
    if (code < 0) {
      if (this.typeNames.length === 255) throw new Error("too many distinct value types");
      code = this.typeNames.push(type) - 1;
    }
    this.typeCodes[i] = code;
    const ivLen = reuseIv?.length ?? IV_BYTES;
    if (reuseIv) this.reuse.set(i, reuseIv);
    const len = typeof plaintext === "string" ? utf8Length(plaintext) : plaintext.length;
    this.offs[2 * i] = this.size;
    this.size += aadLength(head, key);
    this.offs[2 * i + 1] = this.size;
    this.size += len;
    this.encOffs[i] = this.encSize;
    this.encSize += ENC_FIXED + b64Len(len) + b64Len(ivLen) + type.length;
  }

  /** After pass 1: the packed buffer is allocated. */
  private begin(): Buffer {
    if (this.bytes) return this.bytes;
    const count = this.count;
    this.offs[2 * count] = this.size;
    this.encOffs[count] = this.encSize;
    this.bytes = this.alloc.bytes(this.size);
    return this.bytes;
  }

  /** Pass 2: the next job's AAD and plaintext, exactly as measured. */
  write(head: string, key: string | undefined, plaintext: string | Uint8Array): void {
    const bytes = this.begin();
    const i = this.written;
    if (i >= this.count) throw new Error("internal error: more encrypt jobs written than measured");
    const offs = this.offs;
    let pos = writeUtf8(bytes, head, offs[2 * i]!);
    if (key !== undefined) {
      pos = writeUtf8(bytes, key, pos);
      bytes[pos++] = COLON;
    }
    const ok = pos === offs[2 * i + 1]!;
    if (typeof plaintext === "string") pos = writeUtf8(bytes, plaintext, pos);
    else {
      bytes.set(plaintext, pos);
      pos += plaintext.length;
    }
    if (!ok || pos !== offs[2 * i + 2]!) throw new Error("internal error: encrypt jobs changed between measuring and packing");
    this.written = i + 1;
  }

  /** The packed batch (every measured job written). */
  finish(): PackedEncrypt {
    const bytes = this.begin();
    if (this.written !== this.count) throw new Error("internal error: fewer encrypt jobs written than measured");
    const { count, offs, typeCodes, typeNames, encOffs, reuse } = this;
    return { count, bytes, offs, typeCodes, typeNames, encOffs, reuseIvs: reuse };
  }
}
