import { UsageError } from "../errors.js";
import type { Creation, CreationInput } from "../cli/creation.js";

/**
 * Creation options from `.sops.yaml`. Placeholder until the config module lands:
 * without recipients on the command line there is nothing to encrypt for.
 */
export async function creationFromConfig(_input: CreationInput): Promise<Creation> {
  throw new UsageError("no recipients given and no .sops.yaml creation rule matched", {
    exitCode: 111,
    hint: "pass --age age1… (or set SOPS_AGE_RECIPIENTS), or add a creation rule to .sops.yaml",
  });
}
