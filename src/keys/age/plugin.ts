/**
 * age plugin recipients (`age1NAME1…`) and identities (`AGE-PLUGIN-NAME-1…`): the
 * client side of the `recipient-v1` and `identity-v1` state machines (C2SP
 * age-plugin.md), talking to `age-plugin-NAME` found on PATH.
 */
import type { Stanza } from "./format.js";
import type { AgeIdentity, AgeRecipient } from "./identity.js";
import { PluginConnection } from "./plugin-io.js";
import { pluginIdentityName, pluginRecipientName } from "./plugin-name.js";

/** What plugins may ask of the user; both optional (non-interactive runs). */
export interface PluginUi {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly warn: (message: string) => void;
  readonly promptSecret?: (question: string) => Promise<string>;
}

/**
 * Answer the commands both state machines share (msg, confirm, request-*). Returns
 * false for commands it does not know, which get `unsupported`.
 */
async function handleCommon(conn: PluginConnection, s: Stanza, ui: PluginUi): Promise<boolean> {
  const prefix = `age-plugin-${conn.name}`;
  switch (s.type) {
    case "msg":
      ui.warn(`${prefix}: ${new TextDecoder().decode(s.body)}`);
      conn.write("ok");
      return true;
    case "request-secret":
    case "request-public": {
      if (!ui.promptSecret) {
        conn.write("fail");
        return true;
      }
      try {
        const value = await ui.promptSecret(`${prefix}: ${new TextDecoder().decode(s.body)}`);
        conn.write("ok", [], new TextEncoder().encode(value));
      } catch {
        conn.write("fail");
      }
      return true;
    }
    case "confirm":
      // No yes/no prompt is injected into key clients; refusing is always safe.
      conn.write("fail");
      return true;
    default:
      return false;
  }
}

function errorText(conn: PluginConnection, s: Stanza): Error {
  const body = new TextDecoder().decode(s.body).slice(0, 500);
  return new Error(`age-plugin-${conn.name}: ${body || "plugin reported an error"}`);
}

/** A recipient served by `age-plugin-NAME --age-plugin=recipient-v1`. */
export function pluginRecipient(recipient: string, ui: PluginUi): AgeRecipient {
  const name = pluginRecipientName(recipient);
  return {
    async wrap(fileKey) {
      const conn = PluginConnection.open(name, "recipient-v1", ui.env);
      try {
        conn.write("add-recipient", [recipient]);
        conn.write("wrap-file-key", [], fileKey);
        conn.write("done");
        const stanzas: Stanza[] = [];
        for (;;) {
          const s = await conn.read();
          if (s.type === "done") break;
          if (s.type === "recipient-stanza") {
            if (s.args.length < 2 || s.args[0] !== "0") throw new Error(`age-plugin-${name}: malformed recipient-stanza`);
            stanzas.push({ type: s.args[1]!, args: s.args.slice(2), body: s.body });
            conn.write("ok");
          } else if (s.type === "error") {
            conn.write("ok");
            throw errorText(conn, s);
          } else if (s.type === "labels") {
            conn.write("ok");
          } else if (!(await handleCommon(conn, s, ui))) {
            conn.write("unsupported");
          }
        }
        if (stanzas.length === 0) throw new Error(`age-plugin-${name}: returned no recipient stanza`);
        return stanzas;
      } finally {
        conn.close();
      }
    },
  };
}

/** An identity served by `age-plugin-NAME --age-plugin=identity-v1`. */
export function pluginIdentity(identity: string, source: string, ui: PluginUi): AgeIdentity {
  const name = pluginIdentityName(identity);
  return {
    source,
    // Plugins may ask for a PIN or a touch: try them after plain keys.
    interactive: true,
    async unwrap(stanzas) {
      const conn = PluginConnection.open(name, "identity-v1", ui.env);
      try {
        conn.write("add-identity", [identity]);
        for (const s of stanzas) conn.write("recipient-stanza", ["0", s.type, ...s.args], s.body);
        conn.write("done");
        let fileKey: Uint8Array | null = null;
        for (;;) {
          const s = await conn.read();
          if (s.type === "done") break;
          if (s.type === "file-key") {
            if (s.args.length !== 1 || s.args[0] !== "0" || fileKey) throw new Error(`age-plugin-${name}: malformed file-key`);
            fileKey = s.body;
            conn.write("ok");
          } else if (s.type === "error") {
            conn.write("ok");
            throw errorText(conn, s);
          } else if (!(await handleCommon(conn, s, ui))) {
            conn.write("unsupported");
          }
        }
        return fileKey;
      } finally {
        conn.close();
      }
    },
  };
}
