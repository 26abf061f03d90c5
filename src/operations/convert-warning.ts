/** Tell the user which TOML local date/time values became strings in another format. */
export function warnLowered(paths: readonly string[], file: string, format: string, warn: (m: string) => void): void {
  if (paths.length === 0) return;
  const shown = paths.slice(0, 5).join(", ") + (paths.length > 5 ? `, … (${paths.length} in all)` : "");
  warn(`${file}: TOML local date/time values have no ${format} type and are written as strings: ${shown}`);
}
