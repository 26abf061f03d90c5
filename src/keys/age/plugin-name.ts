/** Plugin names from `age1NAME1…` recipients and `AGE-PLUGIN-NAME-1…` identities. */
import { bech32Decode } from "./bech32.js";

const NAME = /^[a-z0-9+\-._]+$/;

/** The plugin name of `age1NAME1…`; throws if it is not a valid plugin recipient. */
export function pluginRecipientName(recipient: string): string {
  const { hrp } = bech32Decode(recipient);
  const name = hrp.slice("age1".length);
  if (!hrp.startsWith("age1") || !NAME.test(name)) throw new Error("invalid plugin recipient");
  return name;
}

/** The plugin name of `AGE-PLUGIN-NAME-1…`; throws if it is not a valid plugin identity. */
export function pluginIdentityName(identity: string): string {
  const { hrp } = bech32Decode(identity);
  if (!hrp.startsWith("AGE-PLUGIN-") || !hrp.endsWith("-")) throw new Error("invalid plugin identity");
  const name = hrp.slice("AGE-PLUGIN-".length, -1).toLowerCase();
  if (!NAME.test(name)) throw new Error("invalid plugin identity");
  return name;
}
