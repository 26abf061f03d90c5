/**
 * Passphrase-encrypted identity files (an age file whose single `scrypt` stanza guards
 * a keys.txt), as SOPS and age accept for SOPS_AGE_KEY_FILE and keys.txt. scrypt comes
 * from node:crypto; the passphrase is asked for only when a file needs decrypting.
 */
import { scrypt } from "node:crypto";
import { b64Decode, dearmor, isArmored, parseFile } from "./format.js";
import { checkFileKey, type AgeIdentity } from "./identity.js";
import { open } from "./primitives.js";
import { decryptWithFileKey } from "./stream.js";

const LABEL = "age-encryption.org/v1/scrypt";
/** age refuses work factors above 2^22 on decryption (~4 GiB·s); so do we. */
const MAX_LOG_N = 22;

function deriveKey(passphrase: string, salt: Uint8Array, logN: number): Promise<Uint8Array> {
  const N = 2 ** logN;
  return new Promise((resolve, reject) => {
    const fullSalt = Buffer.concat([Buffer.from(LABEL), salt]);
    scrypt(passphrase, fullSalt, 32, { N, r: 8, p: 1, maxmem: 256 * N * 8 }, (err, key) =>
      err ? reject(err) : resolve(new Uint8Array(key)),
    );
  });
}

/** Decrypt a passphrase-protected identity file to its plaintext identity text. */
export async function decryptIdentityFile(raw: string, passphrase: string): Promise<string> {
  const binary = isArmored(raw) ? dearmor(raw) : new Uint8Array(Buffer.from(raw, "latin1"));
  const file = parseFile(binary);
  const stanza = file.stanzas[0];
  if (file.stanzas.length !== 1 || stanza?.type !== "scrypt") {
    throw new Error("encrypted identity file is not passphrase-protected (scrypt)");
  }
  if (stanza.args.length !== 2 || !/^[1-9][0-9]*$/.test(stanza.args[1]!)) throw new Error("invalid scrypt stanza");
  const salt = b64Decode(stanza.args[0]!);
  const logN = Number(stanza.args[1]);
  if (salt.length !== 16 || stanza.body.length !== 32) throw new Error("invalid scrypt stanza");
  if (logN > MAX_LOG_N) throw new Error("scrypt work factor too large");
  const fileKey = open(await deriveKey(passphrase, salt, logN), stanza.body);
  if (fileKey === null) throw new Error("incorrect passphrase");
  return new TextDecoder().decode(decryptWithFileKey(checkFileKey(fileKey, "scrypt"), file));
}

/**
 * An identity backed by an encrypted identity file: on first use it asks for the
 * passphrase, decrypts, parses the identities inside and delegates to them.
 */
export function encryptedIdentityFile(options: {
  raw: string;
  source: string;
  askPassphrase: () => Promise<string>;
  parse: (text: string) => AgeIdentity[];
}): AgeIdentity {
  let inner: Promise<AgeIdentity[]> | undefined;
  return {
    source: options.source,
    interactive: true,
    async unwrap(stanzas, header) {
      inner ??= options.askPassphrase().then((pass) => decryptIdentityFile(options.raw, pass)).then(options.parse);
      for (const id of await inner) {
        const key = await id.unwrap(stanzas, header);
        if (key !== null) return key;
      }
      return null;
    },
  };
}
