import type { MasterKey } from "../keys/types.js";
import type { SelectionOptions } from "../tree/selection.js";
import type { OptionValues } from "./args.js";
import type { CliIO } from "./io.js";

export interface CreationInput {
  values: OptionValues;
  io: CliIO;
  /** Path used for rule matching. */
  file: string | undefined;
  flagRecipients: MasterKey[];
  flagSelection: SelectionOptions;
}

export interface Creation {
  groups: MasterKey[][];
  shamirThreshold: number;
  selection: SelectionOptions;
  macOnlyEncrypted: boolean;
  indent?: number;
}

/**
 * Recipients and options for a new file: command-line flags win; otherwise the first
 * matching `.sops.yaml` creation rule (see src/config).
 */
export async function resolveCreation(input: CreationInput): Promise<Creation> {
  const { values } = input;
  const threshold = (values["shamir-secret-sharing-threshold"] as number | undefined) ?? 0;
  const macOnlyEncrypted = !!values["mac-only-encrypted"];
  if (input.flagRecipients.length > 0) {
    return { groups: [input.flagRecipients], shamirThreshold: threshold, selection: input.flagSelection, macOnlyEncrypted };
  }
  const { creationFromConfig } = await import("../config/creation-from-config.js");
  return creationFromConfig(input);
}
