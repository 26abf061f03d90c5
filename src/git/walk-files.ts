import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** Directories never worth walking for secrets drift. */
const SKIP = new Set([".git", "node_modules", ".hg", ".svn"]);

/**
 * Every regular file under `root` (absolute paths, sorted per directory for stable
 * output), skipping VCS and dependency folders and not following symlinks.
 */
export function walkFiles(root: string): string[] {
  const out: string[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP.has(e.name)) stack.push(p);
      } else if (e.isFile()) out.push(p);
    }
  }
  return out.sort();
}

/** Size in bytes, or undefined if unreadable. */
export function fileSize(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}
