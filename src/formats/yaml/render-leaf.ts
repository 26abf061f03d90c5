/**
 * Re-rendering a changed scalar in the style it had in the source: a single-quoted
 * leaf stays single-quoted, a block scalar keeps its `|`/`>` header and indentation.
 * A plain leaf gets go-yaml v3's choice, which is plain exactly when go-yaml's encoder
 * would write the string plain (so `no`, `on`, `1:30`, `0o17`, `.inf` come back
 * double-quoted, as `sops -d` prints them). When a kept style cannot hold the new value
 * (a newline in a quoted style, …) the go-yaml choice is used too. Non-string values
 * are always written plain.
 */
import type { ScalarValue } from "../../tree/types.js";
import { analyzeScalar, goStringStyle } from "./scalar-style.js";
import { blockHeader, literalLines, renderDouble, renderDoubleMinimal, renderNonString, renderSingle } from "./scalar-render.js";
import { inFlow, isSeqItem, type LeafSrc, parentIndentOf, type ScalarStyle, styleOf } from "./src-types.js";

const ENC_VALUE = /^ENC\[[A-Z0-9_]+,data:[A-Za-z0-9+/=]*,iv:[A-Za-z0-9+/=]+,tag:[A-Za-z0-9+/=]+,type:[a-z_]+\]$/;

export interface LeafTarget {
  style: ScalarStyle;
  flow: boolean;
  /** libyaml indentation of the enclosing block (-1 at top level). */
  parentIndent: number;
  /** Column for block scalar content. */
  blockIndent: number;
  indicator?: string | undefined;
  eol: string;
}

export function targetOf(src: LeafSrc, step: number, eol: string): LeafTarget {
  return {
    style: styleOf(src),
    flow: inFlow(src),
    parentIndent: parentIndentOf(src),
    // go-yaml places a new block's lines two past a dash, or at the next multiple of the
    // indent width past a key.
    blockIndent: src.blockIndent ?? (isSeqItem(src) ? parentIndentOf(src) + 2 : step * Math.floor((Math.max(parentIndentOf(src), 0) + step) / step)),
    indicator: src.indicator,
    eol,
  };
}

function block(s: string, t: LeafTarget, folded: boolean): string {
  const digit = t.indicator ? Number(t.indicator) : t.blockIndent - Math.max(t.parentIndent, 0);
  let header = blockHeader(s, folded ? ">" : "|", digit);
  if (t.indicator && !/\d/.test(header)) header = header[0] + t.indicator + header.slice(1);
  const pad = " ".repeat(t.blockIndent);
  const body = literalLines(s).map((l) => (l === "" ? "" : pad + l));
  return body.length > 0 ? header + t.eol + body.join(t.eol) : header;
}

/** A folded scalar can only hold a single line (plus final newlines) without re-folding. */
function foldedOk(s: string): boolean {
  const core = s.replace(/\n+$/, "");
  return !core.includes("\n") && !core.startsWith(" ") && !core.startsWith("\t") && core.length > 0;
}

/** `renderLeaf` for a parsed leaf; the target is only built for a string that is not a plain `ENC[…]`. */
export function renderLeafAt(v: ScalarValue, src: LeafSrc, step: number, eol: string): string {
  // Non-strings are written plain whatever the target (every number and bool of a decrypt).
  if (v.type !== "str" && v.type !== "bytes") return renderNonString(v);
  if (v.type === "str" && (src.bits & 15) === 0 /* plain, not flow */) {
    const s = v.value;
    if (s.startsWith("ENC[") && ENC_VALUE.test(s)) return s;
    // A string go-yaml writes plain (most values of a decrypt) needs no target.
    if (goStringStyle(s, false, false) === "plain") return s;
  }
  return renderLeaf(v, targetOf(src, step, eol));
}

/** Text replacing a changed leaf's span. */
export function renderLeaf(v: ScalarValue, t: LeafTarget): string {
  if (v.type === "bytes") return "!!binary " + Buffer.from(v.value).toString("base64");
  if (v.type !== "str") return renderNonString(v);
  const s = v.value;
  // Fast path: an ENC[…] value where it was plain (the bulk of an encrypt).
  if (t.style === "plain" && !t.flow && s.startsWith("ENC[") && ENC_VALUE.test(s)) return s;
  const a = analyzeScalar(s);
  switch (t.style) {
    case "plain":
      // Plain only where go-yaml would write it plain too (not `no`, `1:30`, `1e3`, …):
      // the text must read back as this string for YAML 1.1 and 1.2 readers alike.
      break;
    case "single":
      if (a.single && !a.multiline) return renderSingle(s);
      break;
    case "double":
      return renderDoubleMinimal(s);
    case "literal":
      if (!t.flow && a.block) return block(s, t, false);
      break;
    case "folded":
      if (!t.flow && a.block && foldedOk(s)) return block(s, t, true);
      if (!t.flow && a.block) return block(s, t, false);
      break;
  }
  switch (goStringStyle(s, t.flow, false, a)) {
    case "plain":
      return s;
    case "single":
      return renderSingle(s);
    case "double":
      return renderDouble(s);
    case "literal":
      return block(s, { ...t, indicator: undefined }, false);
  }
}
