import type { FormatName } from "../formats/types.js";

const WELCOME = "Welcome to sobre! Replace these example values with your secrets, save and quit.";

/**
 * What `sobre edit NEW_FILE` opens: a small example in the file's format (SOPS does the
 * same). Saving it unchanged creates nothing (exit 200), so an aborted edit leaves no
 * file behind.
 */
export function newFileTemplate(format: FormatName): string {
  switch (format) {
    case "yaml":
      return `hello: ${WELCOME}\n# Comments are kept (and encrypted with the value that follows).\nexample_key: example_value\nexample_array:\n    - example_value1\n    - example_value2\nexample_number: 1234.56789\nexample_booleans:\n    - true\n    - false\n`;
    case "json":
      return `{\n\t"hello": "${WELCOME}",\n\t"example_key": "example_value",\n\t"example_array": [\n\t\t"example_value1",\n\t\t"example_value2"\n\t],\n\t"example_number": 1234.56789,\n\t"example_booleans": [\n\t\ttrue,\n\t\tfalse\n\t]\n}\n`;
    case "toml":
      return `hello = "${WELCOME}"\nexample_key = "example_value"\nexample_array = ["example_value1", "example_value2"]\nexample_number = 1234.56789\n`;
    case "dotenv":
      return `hello=${WELCOME}\nexample_key=example_value\n`;
    case "ini":
      return `[example]\nhello = ${WELCOME}\nexample_key = example_value\n`;
    case "binary":
      return `${WELCOME}\n`;
  }
}
