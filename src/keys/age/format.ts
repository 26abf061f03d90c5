/**
 * The age v1 file header (C2SP age.md): stanzas, the header MAC line, strict unpadded
 * base64, and the ASCII armor SOPS stores in `enc`. Pure encoding; no secrets handled.
 */

/** One recipient stanza: `-> type args…` plus a binary body. */
export interface Stanza {
  readonly type: string;
  readonly args: readonly string[];
  readonly body: Uint8Array;
}

/** A parsed binary age file. `headerNoMac` is the MAC input (through `---`). */
export interface ParsedFile {
  readonly stanzas: Stanza[];
  readonly mac: Uint8Array;
  readonly headerNoMac: Uint8Array;
  readonly payload: Uint8Array;
}

const INTRO = "age-encryption.org/v1\n";
const COLUMNS = 64;
const ARMOR_BEGIN = "-----BEGIN AGE ENCRYPTED FILE-----";
const ARMOR_END = "-----END AGE ENCRYPTED FILE-----";
const B64_CHARS = /^[A-Za-z0-9+/]*$/;
const ARG_CHARS = /^[\x21-\x7e]+$/;

/** Unpadded standard base64, as used throughout the age header. */
export function b64Encode(data: Uint8Array): string {
  return Buffer.from(data).toString("base64").replace(/=+$/, "");
}

/** Strict unpadded base64: canonical only (Buffer's decoder alone is lenient). */
export function b64Decode(s: string): Uint8Array {
  if (!B64_CHARS.test(s) || s.length % 4 === 1) throw new Error("invalid base64");
  const out = Buffer.from(s, "base64");
  if (b64Encode(out) !== s) throw new Error("non-canonical base64");
  return new Uint8Array(out);
}

function wrapBody(body: Uint8Array): string {
  const text = b64Encode(body);
  let out = "";
  // The final line is always shorter than 64 columns, so it may be empty.
  for (let i = 0; i <= text.length; i += COLUMNS) out += text.slice(i, i + COLUMNS) + "\n";
  return out;
}

/** The header through `---` (the MAC input), for the given stanzas. */
export function encodeHeaderNoMac(stanzas: readonly Stanza[]): Uint8Array {
  let text = INTRO;
  for (const s of stanzas) text += `-> ${[s.type, ...s.args].join(" ")}\n${wrapBody(s.body)}`;
  return new TextEncoder().encode(text + "---");
}

/** Split a binary age file into stanzas, MAC and payload. Throws on any syntax defect. */
export function parseFile(file: Uint8Array): ParsedFile {
  let pos = 0;
  const nextLine = (): string => {
    const nl = file.indexOf(0x0a, pos);
    if (nl < 0) throw new Error("truncated header");
    const line = Buffer.from(file.subarray(pos, nl)).toString("latin1");
    pos = nl + 1;
    return line;
  };
  if (nextLine() + "\n" !== INTRO) throw new Error("unknown age format version");
  const stanzas: Stanza[] = [];
  for (;;) {
    const lineStart = pos;
    const line = nextLine();
    if (line.startsWith("--- ") || line === "---") {
      const mac = b64Decode(line.slice(4));
      if (mac.length !== 32) throw new Error("invalid header MAC length");
      return {
        stanzas,
        mac,
        headerNoMac: file.subarray(0, lineStart + 3),
        payload: file.subarray(pos),
      };
    }
    if (!line.startsWith("-> ")) throw new Error("malformed header line");
    const args = line.slice(3).split(" ");
    if (args.some((a) => !ARG_CHARS.test(a))) throw new Error("malformed stanza arguments");
    let text = "";
    for (;;) {
      const bodyLine = nextLine();
      if (bodyLine.length > COLUMNS) throw new Error("stanza body line too long");
      text += bodyLine;
      if (bodyLine.length < COLUMNS) break;
    }
    stanzas.push({ type: args[0]!, args: args.slice(1), body: b64Decode(text) });
  }
}

/** Armor a binary age file: PEM-like, padded base64 in 64-column lines, final newline. */
export function armor(file: Uint8Array): string {
  const text = Buffer.from(file).toString("base64");
  let out = ARMOR_BEGIN + "\n";
  for (let i = 0; i < text.length; i += COLUMNS) out += text.slice(i, i + COLUMNS) + "\n";
  return out + ARMOR_END + "\n";
}

/** Whether `text` looks armored (surrounding whitespace allowed). */
export function isArmored(text: string): boolean {
  return text.trimStart().startsWith(ARMOR_BEGIN);
}

/** Whether identity-file text is an age-encrypted file rather than plain identities. */
export function isEncryptedIdentityFile(text: string): boolean {
  return text.startsWith("age-encryption.org/") || isArmored(text);
}

/**
 * Strict armor decoding, as age's reader: whitespace around the block and CRLF are
 * tolerated; every line but the last must be exactly 64 columns; base64 is canonical.
 */
export function dearmor(text: string): Uint8Array {
  const lines = text.trim().replace(/\r\n/g, "\n").split("\n");
  if (lines[0] !== ARMOR_BEGIN) throw new Error("invalid armor header");
  if (lines[lines.length - 1] !== ARMOR_END) throw new Error("invalid armor footer");
  const body = lines.slice(1, -1);
  if (body.length === 0) throw new Error("empty armored file");
  body.forEach((l, i) => {
    const last = i === body.length - 1;
    if (last ? l.length === 0 || l.length > COLUMNS : l.length !== COLUMNS) {
      throw new Error("invalid armor line length");
    }
  });
  const joined = body.join("");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(joined) || joined.length % 4 !== 0) throw new Error("invalid armor base64");
  const out = Buffer.from(joined, "base64");
  if (out.toString("base64") !== joined) throw new Error("non-canonical armor base64");
  return new Uint8Array(out);
}
