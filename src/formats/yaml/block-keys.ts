/**
 * Reading the key of a block mapping entry: the cached path for the plain keys real
 * files repeat in every record, the general scanners for the rest, and the duplicate
 * check over the keys of the open mappings.
 */
import { CH, type Cursor } from "./cursor.js";
import { KeyCache, mapKey, OpenMapKeys } from "./keys.js";
import { scalarValue } from "./properties.js";
import { scanDoubleQuoted, scanPlain, scanSingleQuoted } from "./scalars.js";
import type { ScalarStyle } from "./src-types.js";

export class BlockKeys {
  private readonly cache = new KeyCache();
  private readonly seen = new OpenMapKeys();
  /** End of the key text read by the last `read`. */
  end = 0;

  constructor(private readonly c: Cursor) {}

  /** A mapping starts: its keys are checked for duplicates until `close`. */
  open(): void {
    this.seen.open();
  }

  close(): void {
    this.seen.close();
  }

  /** Read the key of the entry at `i` (its text at `k`, first character `kc`, after properties with `tag`). */
  read(i: number, k: number, kc: number, col: number, tag: string | undefined): string {
    const { c, seen } = this;
    const simple = tag === undefined ? this.cache.simpleEnd(c.text, k) : -1;
    if (simple >= 0) {
      const hit = this.cache.get(c.text, k, simple);
      if (hit !== undefined) {
        if (!seen.claim(hit)) throw c.error(i, `mapping key "${hit}" already defined`, "remove or rename the duplicate key");
        this.end = simple;
        return hit;
      }
    }
    let style: ScalarStyle = "plain";
    let s;
    if (kc === CH.squote) [style, s] = ["single", scanSingleQuoted(c, k)];
    else if (kc === CH.dquote) [style, s] = ["double", scanDoubleQuoted(c, k)];
    else s = scanPlain(c, k, col, false, true);
    const keyValue = scalarValue(c, k, s.value, style === "plain", tag);
    const key = mapKey(c, i, keyValue, style === "plain" && tag === undefined, seen);
    if (simple >= 0 && s.end === simple && key.length === simple - k) this.cache.put(key);
    this.end = s.end;
    return key;
  }
}
