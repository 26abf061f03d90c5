/**
 * Parsing identity text (keys.txt, SOPS_AGE_KEY, command output) into identities.
 * A bad line is recorded as `location:line: reason` and skipped, so one typo does not
 * hide the other keys; the line itself (a secret) is never echoed.
 */
import { bech32Decode } from "./bech32.js";
import type { AgeIdentity } from "./identity.js";
import { lazyIdentity } from "./lazy-identity.js";
import type { PluginUi } from "./plugin.js";
import { pluginIdentityName } from "./plugin-name.js";
import { x25519Identity } from "./x25519.js";
import { decodeX25519Identity } from "./x25519-codec.js";

/** The post-quantum stanza type (pq.ts handles it; its code loads only for such headers). */
const PQ_STANZA = "mlkem768x25519";

/** Identities found in one source plus the problems met (already located, secret-free). */
export interface ParsedIdentities {
  identities: AgeIdentity[];
  errors: string[];
}

function parseOne(word: string, source: string, ui: PluginUi): AgeIdentity {
  if (word.startsWith("AGE-PLUGIN-")) {
    pluginIdentityName(word);
    // Plugins may ask for a PIN or a touch: interactive, tried after plain keys.
    return lazyIdentity({ source, interactive: true, load: async () => (await import("./plugin.js")).pluginIdentity(word, source, ui) });
  }
  if (word.startsWith("AGE-SECRET-KEY-PQ-1")) {
    // Checked cheaply here; the post-quantum library loads only if a stanza needs it.
    if (bech32Decode(word).hrp !== "AGE-SECRET-KEY-PQ-") throw new Error("malformed identity");
    return lazyIdentity({ source, stanzaTypes: [PQ_STANZA], load: async () => (await import("./pq.js")).pqIdentity(word, source) });
  }
  if (word.startsWith("AGE-SECRET-KEY-1")) return x25519Identity(decodeX25519Identity(word), source);
  if (word.startsWith("age1") || word.startsWith("ssh-")) throw new Error("this is a recipient (public key), not an identity");
  throw new Error("unknown identity type");
}

/**
 * Parse identity text. `location` names the source in messages; `multiplePerLine`
 * splits lines on whitespace (SOPS does this for SOPS_AGE_KEY only).
 */
export function parseIdentityText(
  text: string,
  location: string,
  ui: PluginUi,
  multiplePerLine = false,
): ParsedIdentities {
  const out: ParsedIdentities = { identities: [], errors: [] };
  text.split("\n").forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#")) return;
    const where = `${location}:${index + 1}`;
    for (const word of multiplePerLine ? line.split(/\s+/) : [line]) {
      try {
        out.identities.push(parseOne(word, where, ui));
      } catch (err) {
        const reason = err instanceof Error ? err.message : "invalid identity";
        out.errors.push(`${where}: invalid identity: ${reason}`);
      }
    }
  });
  return out;
}
