import type { ScalarValue } from "./types.js";
import { formatFloatF } from "./float-format.js";

/**
 * Scalar ↔ plaintext bytes, exactly as SOPS's `ToBytes` and cipher `Decrypt` do:
 * these bytes are both what gets encrypted and what the MAC hashes.
 */

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** The `type:` tag written into `ENC[…]` for a value. */
export function encTypeOf(value: ScalarValue): string {
  return value.type === "bytes" ? "str" : value.type;
}

/** Plaintext bytes of a value (SOPS `ToBytes`). Null has none (it is never walked). */
export function toPlaintext(value: ScalarValue): Uint8Array {
  switch (value.type) {
    case "str":
      return utf8.encode(value.value);
    case "bytes":
      return value.value;
    case "int":
      return utf8.encode(value.value.toString());
    case "float":
      return utf8.encode(formatFloatF(value.value));
    case "bool":
      return utf8.encode(value.value ? "True" : "False");
    case "null":
      return new Uint8Array(0);
    default:
      return utf8.encode(value.value);
  }
}

/**
 * `toPlaintext` as text where the value is text (everything but raw bytes): the batch
 * cipher writes it straight into its packed buffer, skipping a Uint8Array per value.
 * Encoding the result as UTF-8 gives exactly `toPlaintext(value)`.
 */
export function toPlaintextText(value: ScalarValue): string | Uint8Array {
  switch (value.type) {
    case "str":
      return value.value;
    case "bytes":
      return value.value;
    case "int":
      return value.value.toString();
    case "float":
      return formatFloatF(value.value);
    case "bool":
      return value.value ? "True" : "False";
    case "null":
      return "";
    default:
      return value.value;
  }
}

const INT = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?$/;
const TRUE = new Set(["1", "t", "T", "TRUE", "true", "True"]);
const FALSE = new Set(["0", "f", "F", "FALSE", "false", "False"]);
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** UTF-8 text of `bytes` without copying them first (decrypted values are views into one buffer). */
function utf8Text(bytes: Uint8Array): string {
  return (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).toString("utf8");
}

/** Thrown for a plaintext that does not parse as its declared type. Carries no plaintext. */
export class PlaintextTypeError extends Error {}

function parseGoFloat(text: string): number {
  const lower = text.toLowerCase();
  const sign = lower.startsWith("-") ? -1 : 1;
  const bare = lower.replace(/^[+-]/, "");
  if (bare === "inf" || bare === "infinity") return sign * Infinity;
  if (bare === "nan") return NaN;
  if (!FLOAT.test(text)) throw new PlaintextTypeError("invalid float");
  return Number(text.replace(/_/g, ""));
}

/** Decode decrypted bytes according to the ENC `type:` tag. */
export function fromPlaintext(type: string, bytes: Uint8Array): ScalarValue {
  switch (type) {
    case "str":
    case "bytes": {
      try {
        return { type: "str", value: strictUtf8.decode(bytes) };
      } catch {
        return { type: "bytes", value: Uint8Array.from(bytes) };
      }
    }
    case "int": {
      const text = utf8Text(bytes);
      if (!INT.test(text)) throw new PlaintextTypeError("invalid int");
      const value = BigInt(text);
      if (value < INT64_MIN || value > INT64_MAX) throw new PlaintextTypeError("int out of 64-bit range");
      return { type: "int", value };
    }
    case "float":
      return { type: "float", value: parseGoFloat(utf8Text(bytes)) };
    case "bool": {
      const text = utf8Text(bytes);
      if (TRUE.has(text)) return { type: "bool", value: true };
      if (FALSE.has(text)) return { type: "bool", value: false };
      throw new PlaintextTypeError("invalid bool");
    }
    case "time":
    case "datetime_local":
    case "date_local":
    case "time_local":
      return { type, value: utf8Text(bytes) };
    default:
      throw new PlaintextTypeError(`unknown datatype "${type}"`);
  }
}
