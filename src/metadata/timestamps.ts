/** Timestamps as SOPS writes and reads them. */

const RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** `YYYY-MM-DDTHH:MM:SSZ` in UTC, to the second. */
export function nowRfc3339(now: Date = new Date()): string {
  return now.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * The MAC's AAD: `lastmodified` re-rendered as Go's RFC 3339 (seconds only, `Z` for a
 * zero offset, else the stored offset). `undefined` when the text is not RFC 3339.
 */
export function macAad(lastModified: string): string | undefined {
  const m = RFC3339.exec(lastModified.trim());
  if (!m) return undefined;
  const offset = m[4]!;
  const zone = offset === "Z" || offset === "z" || offset === "+00:00" || offset === "-00:00" ? "Z" : offset;
  return `${m[1]}T${m[2]}${zone}`;
}
