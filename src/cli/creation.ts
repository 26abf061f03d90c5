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
  // The config applies even with recipients on the command line (selection, threshold, indent).
  const { creationFromConfig } = await import("../config/creation-from-config.js");
  return creationFromConfig(input);
}
