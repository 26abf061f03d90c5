/**
 * go-yaml v3 timestamp recognition: Go `time.Parse` with the layouts
 * `2006-1-2T15:4:5.999999999Z07:00` (also lower-case `t`), `2006-1-2 15:4:5.999999999`
 * and `2006-1-2`, tried only when the text starts with four digits and `-`.
 * The result is rendered as Go's RFC 3339 with nanoseconds (trailing zeros dropped).
 */

const DATE = "(\\d{4})-(\\d{1,2})-(\\d{1,2})";
const CLOCK = "(\\d{1,2}):(\\d{1,2}):(\\d{1,2})(?:[.,](\\d+))?";
const WITH_ZONE = new RegExp(`^${DATE}[Tt]${CLOCK}(Z|[+-]\\d{2}:\\d{2})$`);
const NO_ZONE = new RegExp(`^${DATE} ${CLOCK}$`);
const DATE_ONLY = new RegExp(`^${DATE}$`);

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (MONTH_DAYS[month - 1] ?? 0);
}

const pad = (n: number, w = 2): string => String(n).padStart(w, "0");

/** Returns the RFC 3339 (nano) text or undefined when go-yaml would keep a string. */
export function parseGoTimestamp(text: string): string | undefined {
  let m = WITH_ZONE.exec(text);
  let zone = "Z";
  if (m) zone = m[8] === "Z" || m[8] === undefined ? "Z" : m[8];
  else m = NO_ZONE.exec(text) ?? DATE_ONLY.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  if (zone !== "Z") {
    const zh = Number(zone.slice(1, 3));
    const zm = Number(zone.slice(4, 6));
    if (zh > 24 || zm > 59) return undefined;
    if (zh === 0 && zm === 0) zone = "Z";
  }
  // Go keeps at most nine fraction digits (truncating), then drops trailing zeros.
  const fraction = (m[7] ?? "").slice(0, 9).replace(/0+$/, "");
  const clock = `${pad(hour)}:${pad(minute)}:${pad(second)}${fraction ? "." + fraction : ""}`;
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${clock}${zone}`;
}
