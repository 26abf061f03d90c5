import type { EncRanges } from "../tree/enc-ranges.js";
import type { MapNode, Node } from "../tree/types.js";

export type FormatName = "yaml" | "json" | "toml" | "dotenv" | "ini" | "binary";

export interface ParseContext {
  /** Shown in error messages (`secrets.yaml:3:7: …`). */
  file: string;
  /**
   * `encrypted`: the input is expected to be an encrypted file (binary: parse the JSON
   * envelope; dotenv/INI: unflatten `sops_…` / `[sops]` into a nested `sops` entry).
   * `plain`: the input is user plaintext about to be encrypted.
   */
  mode: "plain" | "encrypted";
  /**
   * Encrypted mode, decrypt path only (`openEncryptedFile`): a parser that can may leave
   * ENC values as byte ranges of the input (pending leaves, `tree/enc-ranges.ts`) and hand
   * their table here; the caller must then pass it to `decryptTree`.
   */
  encRanges?: (ranges: EncRanges) => void;
}

export interface EmitContext {
  file: string;
  /** Indent width for block structures (YAML default 4, JSON default tab when undefined). */
  indent?: number;
}

/**
 * A file format: text ↔ tree. The `sops` metadata travels as an ordinary top-level
 * entry named `sops` (a MapNode), appended last; flat formats (dotenv, INI) flatten and
 * unflatten it themselves. Formats keep layout hints in node `src` so that a tree parsed
 * from text and emitted again reproduces the text byte for byte where nothing changed.
 */
export interface Format {
  readonly name: FormatName;
  /**
   * Parse a whole file. Returns one MapNode per document (only YAML has several).
   * May be async so a format can lazy-load a heavy fallback parser.
   */
  parse(input: Uint8Array, ctx: ParseContext): MapNode[] | Promise<MapNode[]>;
  /** Emit whole documents. A `sops` entry, if present, is emitted as the file's metadata. */
  emit(documents: MapNode[], ctx: EmitContext): Uint8Array;
  /**
   * Optional: put an edited or converted tree into the order this format reads it back
   * in (TOML moves a table's keys before its sub-tables), so the MAC computed before
   * emitting matches the one computed after reading. Called before encryption.
   */
  prepare?(documents: MapNode[], ctx: EmitContext): void;
  /** Emit one extracted value (`--extract`): scalars raw, subtrees in this format. */
  emitValue(node: Node, ctx: EmitContext): Uint8Array;
}
