/**
 * TOML keys: reading (bare, quoted, dotted), writing, and a per-table index so that
 * duplicate checks stay O(1) on tables with many keys.
 */
import type { MapEntry, MapNode } from "../../tree/types.js";
import { type Cursor, isBareKeyChar } from "./cursor.js";
import { readString, writeBasic } from "./strings.js";
import { MAX_NESTING, NESTING_HINT, NESTING_MESSAGE } from "../../tree/nesting.js";

/** A key as read: its segments, its text and where each segment starts. */
export interface ParsedKey {
  /** The unquoted key segments (`a."b.c"` → `["a", "b.c"]`). */
  parts: string[];
  /** The key as written, without surrounding whitespace. */
  raw: string;
  /** Offset where each segment starts (for error positions). */
  at: number[];
}

function readSimpleKey(cur: Cursor): string {
  const c = cur.code();
  if (c === 0x22 || c === 0x27) return readString(cur, false).value;
  const start = cur.pos;
  while (cur.pos < cur.len && isBareKeyChar(cur.code())) cur.pos++;
  if (cur.pos === start) {
    cur.fail("expected a key", "bare keys use A-Z a-z 0-9 _ -; quote other keys (\"my key\")");
  }
  return cur.text.slice(start, cur.pos);
}

/** Read a (dotted) key; the cursor ends right after the last segment. */
export function readKey(cur: Cursor): ParsedKey {
  const start = cur.pos;
  const parts: string[] = [];
  const at: number[] = [];
  for (;;) {
    // Each dotted part is one level of nesting (and dotted keys cost O(parts²) to place).
    if (parts.length >= MAX_NESTING) cur.fail(NESTING_MESSAGE, NESTING_HINT);
    at.push(cur.pos);
    parts.push(readSimpleKey(cur));
    const end = cur.pos;
    cur.ws();
    if (cur.code() !== 0x2e) {
      cur.pos = end;
      return { parts, raw: cur.text.slice(start, end), at };
    }
    cur.pos++;
    cur.ws();
  }
}

/** A key as TOML text: bare when possible, else a basic string. */
export function writeKey(key: string): string {
  if (key.length === 0) return '""';
  for (let i = 0; i < key.length; i++) if (!isBareKeyChar(key.charCodeAt(i))) return writeBasic(key);
  return key;
}

/** Dotted key path as TOML text. */
export function writePath(path: readonly string[]): string {
  return path.map(writeKey).join(".");
}

/** Key → entry lookup per table, built while parsing. */
export class KeyIndex {
  private readonly byMap = new Map<MapNode, Map<string, MapEntry>>();

  get(map: MapNode, key: string): MapEntry | undefined {
    return this.byMap.get(map)?.get(key);
  }

  add(map: MapNode, entry: MapEntry): void {
    let keys = this.byMap.get(map);
    if (!keys) {
      keys = new Map();
      this.byMap.set(map, keys);
    }
    keys.set(entry.key, entry);
  }
}
