/**
 * Character classes of the `ENC[…]` syntax (ASCII only), shared by the string check
 * (`encTypeOfText`) and the byte check (`scanEncBytes`) so both accept the same texts.
 */

/** `[A-Za-z0-9+/]`: std base64 alphabet. */
export const B64 = 1;
/** `[AQgw]`: may precede `==` (zero unused bits). */
export const PAD2 = 2;
/** `[AEIMQUYcgkosw048]`: may precede `=`. */
export const PAD1 = 4;
/** `[a-z_]`: type tag characters. */
export const TYPE = 8;
let classes: Uint8Array | undefined;

/** Class bits per character code below 128 (built on first use). */
export function classTable(): Uint8Array {
  if (!classes) {
    const t = new Uint8Array(128);
    const mark = (chars: string, bit: number): void => {
      for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)]! |= bit;
    };
    mark("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", B64);
    mark("AQgw", PAD2);
    mark("AEIMQUYcgkosw048", PAD1);
    mark("abcdefghijklmnopqrstuvwxyz_", TYPE);
    classes = t;
  }
  return classes;
}

/** Whether `c` (a char code or byte; NaN or undefined past the end) has class `bit`. */
export function is(t: Uint8Array, c: number, bit: number): boolean {
  return c < 128 && (t[c]! & bit) !== 0;
}
