/**
 * INI parsing with go-ini (gopkg.in/ini.v1, SOPS's LoadOptions{AllowNonUniqueSections})
 * semantics: `=`/`:` delimiters, trimmed keys and values, inline `;`/`#` comments,
 * `"…"`/`'…'` stripped when they surround the value, backtick and `"""` values (which
 * may span lines), `\` continuation lines, `-` auto-increment keys, duplicate keys
 * overwrite, duplicate sections kept. Comments go to the next key (stored as a comment
 * entry right after it, as SOPS does) or section (first item); comments at the end
 * of the file belong to nothing (go-ini drops them; they stay layout here).
 */
import { FormatError } from "../../errors.js";
import type { Comment, Leaf, MapEntry, MapNode } from "../../tree/types.js";
import { IniDocSrc, IniKeySrc, IniSectionSrc, type LeadLine } from "./layout.js";

interface Section {
  entry: MapEntry;
  items: (MapEntry | Comment)[];
  keys: Map<string, MapEntry>;
  count: number;
}

type ValueKind = "plain" | "quoted" | "multiline" | "continuation";

function splitEol(line: string): [string, string] {
  if (line.endsWith("\r\n")) return [line.slice(0, -2), "\r\n"];
  if (line.endsWith("\n")) return [line.slice(0, -1), "\n"];
  return [line, ""];
}

/** SOPS's `stripCommentChar`: drop the leading run of `;`+spaces or `#`+spaces. */
function stripComment(text: string): string {
  if (text.startsWith(";")) return text.replace(/^[; ]+/, "");
  if (text.startsWith("#")) return text.replace(/^[# ]+/, "");
  return text;
}

function surrounded(s: string, q: string): boolean {
  return s.length >= 2 && s[0] === q && s[s.length - 1] === q && s.indexOf(q, 1) === s.length - 1;
}

export class IniParser {
  private readonly lines: string[];
  private n = 0;
  private comment = "";
  private pending: LeadLine[] = [];
  private readonly sections: Section[] = [];

  constructor(
    text: string,
    private readonly file: string,
  ) {
    this.lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  }

  private fail(message: string, line: number, hint: string): never {
    throw new FormatError(`${this.file}:${line}:1: ${message}`, { position: { line, column: 1 }, hint });
  }

  private takeComment(): string | undefined {
    const text = this.comment.trim();
    this.comment = "";
    return text === "" ? undefined : stripComment(text);
  }

  private newSection(name: string, src: IniSectionSrc | undefined): Section {
    const map: MapNode = { kind: "map", items: [] };
    const entry: MapEntry = { kind: "entry", key: name, value: map, src };
    const section: Section = { entry, items: map.items, keys: new Map(), count: 1 };
    this.sections.push(section);
    return section;
  }

  parse(bom: boolean): MapNode {
    let section = this.newSection("DEFAULT", new IniSectionSrc([], "", "", "", "DEFAULT", undefined));
    while (this.n < this.lines.length) {
      const lineNo = this.n + 1;
      const line = this.lines[this.n++]!;
      const t = line.trimStart();
      if (t === "") {
        this.pending.push({ raw: line, comment: false });
      } else if (t[0] === "#" || t[0] === ";") {
        this.comment += t;
        this.pending.push({ raw: line, comment: true });
      } else if (t[0] === "[") {
        section = this.section(line, t, lineNo);
      } else {
        this.key(section, line, t, lineNo);
      }
    }
    const root: MapNode = { kind: "map", items: this.sections.map((s) => s.entry) };
    root.src = new IniDocSrc(bom, this.pending);
    return root;
  }

  private section(line: string, t: string, lineNo: number): Section {
    const [content, eol] = splitEol(line);
    const close = t.lastIndexOf("]");
    if (close < 0) this.fail("unclosed section header", lineNo, "close the section name with ']'");
    const name = t.slice(1, close);
    if (name === "") this.fail("empty section name", lineNo, "give the section a name, e.g. [main]");
    const ws = line.length - t.length;
    const after = content.slice(ws + close + 1);
    const at = after.search(/[#;]/);
    if (at >= 0) this.comment += t.slice(close + 1 + at);
    const inline = at >= 0 ? after : "";
    const comment = this.takeComment();
    const header = content.slice(0, ws + close + 1) + (at >= 0 ? "" : after);
    const src = new IniSectionSrc(this.pending, header, inline, eol, name, comment);
    this.pending = [];
    const section = this.newSection(name, src);
    if (comment !== undefined) section.items.push({ kind: "comment", text: comment });
    return section;
  }

  private keyName(t: string, lineNo: number): [string, number] {
    const quote = t.startsWith('"""') && t.length > 6 ? '"""' : t[0] === '"' ? '"' : t[0] === "`" ? "`" : "";
    const noDelimiter = (): never =>
      this.fail("key-value delimiter not found", lineNo, "write `key = value` (or start a comment line with ; or #)");
    if (quote) {
      const pos = t.indexOf(quote, quote.length);
      if (pos < 0) this.fail("missing closing quote of the key name", lineNo, `close the key with ${quote}`);
      const i = t.slice(pos + quote.length).search(/[=:]/);
      if (i < 0) noDelimiter();
      return [t.slice(quote.length, pos).trim(), pos + quote.length + i + 1];
    }
    const i = t.search(/[=:]/);
    if (i < 0) noDelimiter();
    if (i === 0) this.fail("empty key name", lineNo, "write `key = value`");
    return [t.slice(0, i).trim(), i + 1];
  }

  /** go-ini `readValue`; may consume following lines. */
  private value(input: string, lineNo: number): [string, ValueKind] {
    const line = input.trimStart();
    if (line === "") return ["", "plain"];
    const quote = line.length > 3 && line.startsWith('"""') ? '"""' : line[0] === "`" ? "`" : "";
    if (quote) {
      const pos = line.slice(quote.length).lastIndexOf(quote);
      if (pos >= 0) return [line.slice(quote.length, quote.length + pos), "quoted"];
      let value = line.slice(quote.length);
      for (;;) {
        const next = this.lines[this.n++];
        if (next === undefined) this.fail("missing closing quote of a multi-line value", lineNo, `close the value with ${quote}`);
        const at = next.lastIndexOf(quote);
        if (at >= 0) {
          value += next.slice(0, at);
          const c = next.slice(at).search(/[#;]/);
          if (c >= 0) this.comment += next.slice(at + c).trim();
          return [value, "multiline"];
        }
        value += next;
      }
    }
    let text = line.trim();
    if (text.endsWith("\\")) {
      text = text.slice(0, -1);
      for (;;) {
        const next = (this.lines[this.n] ?? "").trim();
        if (this.n < this.lines.length) this.n++;
        if (next === "") break;
        text += next;
        if (!text.endsWith("\\")) break;
        text = text.slice(0, -1);
      }
      return [text, "continuation"];
    }
    const c = text.search(/[#;]/);
    if (c >= 0) {
      this.comment += text.slice(c);
      text = text.slice(0, c).trim();
    }
    if (surrounded(text, "'") || surrounded(text, '"')) text = text.slice(1, -1);
    return [text, "plain"];
  }

  private key(section: Section, line: string, t: string, lineNo: number): void {
    let [name, offset] = this.keyName(t, lineNo);
    if (name === "-") name = "#" + String(section.count++);
    if (name === "") this.fail("empty key name", lineNo, "write `key = value`");
    const ws = line.length - t.length;
    const first = this.n;
    const [value, kind] = this.value(t.slice(offset), lineNo);
    const rest = line.slice(ws + offset) + this.lines.slice(first, this.n).join("");
    const [body, eol] = splitEol(rest);
    const gap = /^[^\S\r\n]*/.exec(body)![0];
    let valueRaw = body.slice(gap.length);
    let inline = "";
    const split = (at: number): void => {
      inline = valueRaw.slice(at);
      valueRaw = valueRaw.slice(0, at);
    };
    if (kind === "plain") {
      const c = valueRaw.search(/[#;]/);
      if (c >= 0) split(valueRaw.slice(0, c).trimEnd().length);
    } else if (kind === "multiline") {
      const q = valueRaw.startsWith('"""') ? '"""' : "`";
      split(valueRaw.lastIndexOf(q) + q.length);
    }
    const comment = this.takeComment();
    const existing = section.keys.get(name);
    if (existing) {
      // go-ini overwrites the value (and the comment) of a repeated key in place.
      (existing.value as Leaf).value = { type: "str", value };
      const i = section.items.indexOf(existing);
      const next = section.items[i + 1];
      if (next?.kind === "comment") section.items.splice(i + 1, 1);
      if (comment !== undefined) section.items.splice(i + 1, 0, { kind: "comment", text: comment });
      this.pending = this.pending.filter((l) => !l.comment);
      return;
    }
    const leaf: Leaf = { kind: "leaf", value: { type: "str", value } };
    const keyPart = line.slice(0, ws + offset);
    const src = new IniKeySrc(this.pending, keyPart, gap, valueRaw, inline, eol, name, value, comment);
    this.pending = [];
    const entry: MapEntry = { kind: "entry", key: name, value: leaf, src };
    section.keys.set(name, entry);
    section.items.push(entry);
    if (comment !== undefined) section.items.push({ kind: "comment", text: comment });
  }
}
