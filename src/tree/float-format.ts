/**
 * Go `strconv.FormatFloat(f, fmt, -1, 64)` for the formats SOPS relies on. JavaScript's
 * own rendering switches to exponents at different thresholds, which would change the
 * MAC input and the emitted text, so we derive everything from the shortest round-trip
 * digits (`toExponential()` with no argument) and lay them out as Go does.
 */

interface Digits {
  negative: boolean;
  /** Shortest decimal digits, no leading zeros (for 0: "0"). */
  digits: string;
  /** Position of the decimal point relative to the digit string start (Go's `dp`). */
  point: number;
}

function shortestDigits(value: number): Digits {
  const negative = value < 0 || Object.is(value, -0);
  const [mantissa = "0", exponent = "0"] = Math.abs(value).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  return { negative, digits, point: Number(exponent) + 1 };
}

function special(value: number): string | undefined {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return undefined;
}

/** `%f` with shortest precision: positional, never an exponent (`1e21` → `1000000000000000000000`). */
export function formatFloatF(value: number): string {
  const s = special(value);
  if (s) return s;
  const { negative, digits, point } = shortestDigits(value);
  let out: string;
  if (digits === "0") out = "0";
  else if (point <= 0) out = "0." + "0".repeat(-point) + digits;
  else if (point >= digits.length) out = digits + "0".repeat(point - digits.length);
  else out = digits.slice(0, point) + "." + digits.slice(point);
  return (negative ? "-" : "") + out;
}

/** `%e` with shortest precision, Go style exponent (`e+06`, at least two exponent digits). */
export function formatFloatE(value: number, upper = false): string {
  const s = special(value);
  if (s) return s;
  const { negative, digits, point } = shortestDigits(value);
  const exp = digits === "0" ? 0 : point - 1;
  const mant = digits.length > 1 ? digits[0] + "." + digits.slice(1) : digits;
  const expAbs = Math.abs(exp).toString().padStart(2, "0");
  return (negative ? "-" : "") + mant + (upper ? "E" : "e") + (exp < 0 ? "-" : "+") + expAbs;
}

/**
 * `%g` with shortest precision (go-yaml v3 float emission): exponent form when the
 * decimal exponent is < -4 or >= 6 (strconv sets eprec = 6 for shortest), e.g.
 * `1000`, `1e+06`, `123456.7`, `1.2345678e+06`, `1e-05`.
 */
export function formatFloatG(value: number, upper = false): string {
  const s = special(value);
  if (s) return s;
  const { digits, point } = shortestDigits(value);
  const exp = digits === "0" ? 0 : point - 1;
  if (exp < -4 || exp >= 6) return formatFloatE(value, upper);
  return formatFloatF(value);
}
