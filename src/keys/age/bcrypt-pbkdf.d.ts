/** Types for the untyped `bcrypt-pbkdf` package (OpenSSH's KDF for encrypted keys). */
declare module "bcrypt-pbkdf" {
  /** Fills `key` (length `keylen`); returns 0 on success, -1 on bad arguments. */
  export function pbkdf(
    pass: Uint8Array,
    passlen: number,
    salt: Uint8Array,
    saltlen: number,
    key: Uint8Array,
    keylen: number,
    rounds: number,
  ): number;
}
