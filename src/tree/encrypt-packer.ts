/**
 * Packs encrypt jobs offered one at a time, twice in the same order: `measure` (sizes,
 * offsets, IV lengths, types), then `write` (the AAD and plaintext bytes). A tree walker
 * can thus pack straight from the tree, walking it twice, without keeping an array of
 * plaintexts, one of AAD strings and one of types for the whole batch (for 100k values
 * some 10 MB of old-space strings and arrays, plus the large arrays they grow through).
 * Every per-value string is then short-lived garbage.
 *
 * Jobs are handled in groups: when a group's AADs and plaintexts are all ASCII text,
 * one joined string gives every length (byte offsets are string offsets) and one native
 * call writes the group; otherwise each job is measured and written on its own.
 */
import { randomFillSync } from "node:crypto";
import type { Alloc, PackedEncrypt } from "./cipher-pack.js";

/** SOPS value IVs are 32 bytes. */
const IV_BYTES = 32;

/** `ENC[AES256_GCM,data:` `,iv:` `,tag:` + 24 tag characters, `,type:` and `]`. */
const ENC_FIXED = 20 + 4 + 5 + 24 + 6 + 1;

/** Jobs per group (one join and one native write each when ASCII). */
const GROUP = 256;

/** Length of padded base64 for `n` bytes. */
function b64Len(n: number): number {
  return Math.ceil(n / 3) * 4;
}

export class EncryptPacker {
  private count = 0;
  private written = 0;
  private readonly typeNames: string[] = [];
  private readonly typeCodes: Uint8Array;
  private readonly encOffs: Int32Array;
  private readonly offs: Int32Array;
  private readonly ivOffs: Int32Array;
  /** Per group: 1 when it was packed as one ASCII string. */
  private readonly asciiGroups: Uint8Array;
  /** IVs to reuse, by job (rare: edit/set/merge of unchanged values). */
  private readonly reuse = new Map<number, Uint8Array>();
  private readonly aads: string[] = [];
  private readonly plains: (string | Uint8Array)[] = [];
  private size = 0;
  private ivSize = 0;
  private encSize = 0;
  private bytes: Buffer | undefined;
  private ivs: Buffer | undefined;

  /** `maxJobs`: at least the number of jobs that will be measured. */
  constructor(
    maxJobs: number,
    private readonly alloc: Alloc,
  ) {
    this.typeCodes = alloc.bytes(maxJobs);
    this.encOffs = alloc.ints(maxJobs + 1);
    this.offs = alloc.ints(2 * maxJobs + 1);
    this.ivOffs = alloc.ints(maxJobs + 1);
    this.asciiGroups = new Uint8Array(Math.ceil(maxJobs / GROUP));
  }

  /** Jobs measured so far. */
  get jobs(): number {
    return this.count;
  }

  /** Pass 1: job `jobs` (text is encrypted as its UTF-8 bytes); `reuseIv` replaces a fresh IV. */
  measure(aad: string, plaintext: string | Uint8Array, type: string, reuseIv?: Uint8Array): void {
    if (this.bytes) throw new Error("internal error: encrypt job measured after packing began");
    const i = this.count++;
    if (i >= this.typeCodes.length) throw new Error("internal error: more encrypt jobs than counted");
    let code = this.typeNames.indexOf(type);
    if (code < 0) {
      if (this.typeNames.length === 255) throw new Error("too many distinct value types");
      code = this.typeNames.push(type) - 1;
    }
    this.typeCodes[i] = code;
    this.ivOffs[i] = this.ivSize;
    if (reuseIv) this.reuse.set(i, reuseIv);
    this.ivSize += reuseIv?.length ?? IV_BYTES;
    this.aads.push(aad);
    this.plains.push(plaintext);
    if (this.aads.length === GROUP) this.measureGroup();
  }

  /** Offsets and ENC text lengths of the pending group (jobs `count - pending`..`count`). */
  private measureGroup(): void {
    const { aads, plains, offs, encOffs, ivOffs, typeCodes, typeNames } = this;
    const n = aads.length;
    if (n === 0) return;
    const g = this.count - n;
    const joined = asciiJoin(aads, plains);
    if (joined !== undefined) this.asciiGroups[g / GROUP] = 1;
    let pos = this.size;
    for (let k = 0; k < n; k++) {
      const i = g + k;
      const p = plains[k]!;
      const aadLen = joined !== undefined ? aads[k]!.length : Buffer.byteLength(aads[k]!, "utf8");
      const len = joined !== undefined || typeof p !== "string" ? p.length : Buffer.byteLength(p, "utf8");
      offs[2 * i] = pos;
      pos += aadLen;
      offs[2 * i + 1] = pos;
      pos += len;
      const ivLen = (i + 1 < this.count ? ivOffs[i + 1]! : this.ivSize) - ivOffs[i]!;
      encOffs[i] = this.encSize;
      this.encSize += ENC_FIXED + b64Len(len) + b64Len(ivLen) + typeNames[typeCodes[i]!]!.length;
    }
    this.size = pos;
    aads.length = plains.length = 0;
  }

  /** After pass 1: the packed buffers are allocated and the IVs drawn. */
  private begin(): { bytes: Buffer; ivs: Buffer } {
    if (this.bytes && this.ivs) return { bytes: this.bytes, ivs: this.ivs };
    this.measureGroup();
    const count = this.count;
    this.offs[2 * count] = this.size;
    this.ivOffs[count] = this.ivSize;
    this.encOffs[count] = this.encSize;
    const bytes = (this.bytes = this.alloc.bytes(this.size));
    const ivs = (this.ivs = this.alloc.bytes(this.ivSize));
    // One CSPRNG call for the whole batch: per-value calls cost more than the AES-GCM.
    randomFillSync(ivs);
    for (const [i, iv] of this.reuse) ivs.set(iv, this.ivOffs[i]!);
    this.reuse.clear();
    return { bytes, ivs };
  }

  /** Pass 2: the next job's AAD and plaintext, exactly as measured. */
  write(aad: string, plaintext: string | Uint8Array): void {
    this.begin();
    if (this.written + this.aads.length >= this.count) throw new Error("internal error: more encrypt jobs written than measured");
    this.aads.push(aad);
    this.plains.push(plaintext);
    if (this.aads.length === GROUP) this.writeGroup();
  }

  private writeGroup(): void {
    const { aads, plains, offs } = this;
    const bytes = this.bytes!;
    const n = aads.length;
    if (n === 0) return;
    const g = this.written;
    const end = offs[2 * (g + n)]!;
    let pos = offs[2 * g]!;
    const joined = this.asciiGroups[g / GROUP] === 1 ? asciiJoin(aads, plains) : undefined;
    if (joined !== undefined && pos + joined.length === end) pos += bytes.write(joined, pos, "latin1");
    else {
      for (let k = 0; k < n; k++) {
        pos += bytes.write(aads[k]!, pos, "utf8");
        const p = plains[k]!;
        if (typeof p === "string") pos += bytes.write(p, pos, "utf8");
        else {
          bytes.set(p, pos);
          pos += p.length;
        }
      }
    }
    if (pos !== end) throw new Error("internal error: encrypt jobs changed between measuring and packing");
    this.written += n;
    aads.length = plains.length = 0;
  }

  /** The packed batch (every measured job written). */
  finish(): PackedEncrypt {
    const { bytes, ivs } = this.begin();
    this.writeGroup();
    if (this.written !== this.count) throw new Error("internal error: fewer encrypt jobs written than measured");
    const { count, offs, ivOffs, typeCodes, typeNames, encOffs } = this;
    return { count, bytes, offs, ivs, ivOffs, typeCodes, typeNames, encOffs };
  }
}

/** The texts joined when all are ASCII strings (then one write packs them); else undefined. */
function asciiJoin(aads: readonly string[], plains: readonly (string | Uint8Array)[]): string | undefined {
  const parts = new Array<string>(2 * aads.length);
  for (let k = 0; k < aads.length; k++) {
    const p = plains[k]!;
    if (typeof p !== "string") return undefined;
    parts[2 * k] = aads[k]!;
    parts[2 * k + 1] = p;
  }
  const joined = parts.join("");
  return Buffer.byteLength(joined, "utf8") === joined.length ? joined : undefined;
}
