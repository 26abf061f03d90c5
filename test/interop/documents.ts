/** Fixed plaintext documents for the interop suite, one per format, with comments where the format has them. */
import type { InteropFormat } from "./cross.js";

export const YAML_DOC = `# top-level comment
name: sobre
port: 8080
ratio: 0.75
huge: 12345678901234
tiny: 1.5e-07
enabled: true
disabled: false
nothing: null
unicode: "héllo wörld ✓ 日本語 🔐"
quoted: "123"
multi: |
    line one
    line two
folded: >-
    folded text
    continues here
list:
    - a
    - 2
    - 3.5
    - false
    - null
nested:
    # inner comment
    key: value
    deeper:
        - x: 1
          y:
            - 1
            - 2
        - z: "with: colon"
empty_string: ""
`;

export const JSON_DOC = `{
	"name": "sobre",
	"port": 8080,
	"ratio": 0.75,
	"huge": 9007199254740993,
	"tiny": 1.5e-7,
	"enabled": true,
	"nothing": null,
	"unicode": "héllo wörld ✓ 日本語 🔐 \\u0001 \\"q\\"",
	"list": ["a", 2, 3.5, false, null, {"k": "v"}],
	"nested": {"key": "value", "deeper": [{"x": 1}, []], "empty": {}},
	"empty_string": ""
}
`;

export const DOTENV_DOC = `# database settings
DB_USER=admin
DB_PASSWORD=hunter2 with spaces
EMPTY=
UNICODE=héllo ✓ 日本語
EQUALS=a=b=c
MULTILINE=first\\nsecond
#second comment
PORT=5432
`;

export const INI_DOC = `; global comment
[database]
user = admin
password = hunter2
port = 5432

[server]
; section comment
host = example.com
unicode = héllo ✓
`;

/** Bytes that are not valid UTF-8, a NUL, CRLF and a trailing newline. */
export const BINARY_DOC = new Uint8Array([0x00, 0x01, 0xff, 0xfe, 0x80, 0x41, 0x0d, 0x0a, 0xe2, 0x9c, 0x93, 0xc3, 0x28, 0x0a]);

export const DOCS: Record<InteropFormat, string | Uint8Array> = {
  yaml: YAML_DOC,
  json: JSON_DOC,
  dotenv: DOTENV_DOC,
  ini: INI_DOC,
  binary: BINARY_DOC,
};

export const FORMATS: readonly InteropFormat[] = ["yaml", "json", "dotenv", "ini", "binary"];
