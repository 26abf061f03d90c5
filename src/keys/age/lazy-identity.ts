/**
 * Identities whose code loads on first use. Parsing keys.txt stays synchronous and cheap;
 * the modules for rare kinds (plugins, post-quantum, passphrase-encrypted files) are
 * imported only when a file is actually unwrapped with such an identity, so an
 * X25519-only decrypt never parses them.
 */
import type { Stanza } from "./format.js";
import type { AgeIdentity } from "./identity.js";

export interface LazyIdentityOptions {
  source: string;
  interactive?: boolean;
  /** When set, a header with none of these stanza types is not ours: no load at all. */
  stanzaTypes?: readonly string[];
  load: () => Promise<AgeIdentity>;
}

/** An AgeIdentity that builds the real one (once) on its first unwrap. */
export function lazyIdentity(opts: LazyIdentityOptions): AgeIdentity {
  let real: Promise<AgeIdentity> | undefined;
  return {
    source: opts.source,
    ...(opts.interactive ? { interactive: true } : {}),
    async unwrap(stanzas: readonly Stanza[], header: Uint8Array) {
      const types = opts.stanzaTypes;
      if (types && !stanzas.some((s) => types.includes(s.type))) return null;
      real ??= opts.load();
      return (await real).unwrap(stanzas, header);
    },
  };
}
