/**
 * go-yaml v3's scalar style choice (`encode.go` stringv + emitter analysis): strings
 * that would resolve to another type are double-quoted, multi-line ones literal,
 * plain-unsafe ones single-quoted, anything with special characters double-quoted.
 * Note go-yaml treats characters outside the BMP as non-printable (emoji → `\U…`).
 */
import { resolvesToNonString } from "./resolve.js";

export interface ScalarAnalysis {
  multiline: boolean;
  flowPlain: boolean;
  blockPlain: boolean;
  single: boolean;
  block: boolean;
}

/** go-yaml `is_printable` by code point (LF, ASCII, BMP minus surrogates/BOM/FFFE-FFFF). */
export function isPrintable(cp: number): boolean {
  return (
    cp === 0x0a ||
    (cp >= 0x20 && cp <= 0x7e) ||
    (cp >= 0xa0 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff)
  );
}

export function isBreakCp(cp: number): boolean {
  return cp === 0x0a || cp === 0x0d || cp === 0x85 || cp === 0x2028 || cp === 0x2029;
}


/** ASCII classes: 1 = indicator when first (#,[]{}&*!|>'"%@`), 2 = flow indicator anywhere (,?[]{}). */
const CLASS = new Uint8Array(128);
for (const ch of "#,[]{}&*!|>'\"%@`") CLASS[ch.charCodeAt(0)]! |= 1;
for (const ch of ",?[]{}") CLASS[ch.charCodeAt(0)]! |= 2;

const isBlankCu = (c: number): boolean => c === 0x20 || c === 0x09;
const isBreakCu = (c: number): boolean => c === 0x0a || c === 0x0d || c === 0x85 || c === 0x2028 || c === 0x2029;

/** Port of `yaml_emitter_analyze_scalar` over UTF-16 code units (astral characters are non-printable for go-yaml). */
const SIMPLE = /^[A-Za-z0-9_(][A-Za-z0-9_.\/+=@()-]*(?: [A-Za-z0-9_.\/+=@()-]+)*$/;
const ENC = /^ENC\[[A-Z0-9_]+,data:[A-Za-z0-9+/=]*,iv:[A-Za-z0-9+/=]+,tag:[A-Za-z0-9+/=]+,type:[a-z_]+\]$/;
const ALL_OK: ScalarAnalysis = Object.freeze({ multiline: false, flowPlain: true, blockPlain: true, single: true, block: true });
const ENC_OK: ScalarAnalysis = Object.freeze({ multiline: false, flowPlain: false, blockPlain: true, single: true, block: true });

export function analyzeScalar(s: string): ScalarAnalysis {
  // Fast paths for the two shapes that dominate big files: simple words and ENC[…] values.
  if (s.length < 512) {
    if (SIMPLE.test(s) && !s.startsWith("---") && !s.startsWith("...")) return ALL_OK;
    if (s.charCodeAt(0) === 69 && ENC.test(s)) return ENC_OK;
  }
  const n = s.length;
  if (n === 0) return { multiline: false, flowPlain: false, blockPlain: true, single: true, block: false };
  let blockInd = false;
  let flowInd = false;
  if (s.startsWith("---") || s.startsWith("...")) blockInd = flowInd = true;
  let lineBreaks = false;
  let special = false;
  let tabs = false;
  let breakSpace = false;
  let spaceBreak = false;
  let precededByWs = true;
  let prevSpace = false;
  let prevBreak = false;
  for (let i = 0; i < n; i++) {
    const cu = s.charCodeAt(i);
    const next = i + 1 < n ? s.charCodeAt(i + 1) : -1;
    const followedByWs = next === -1 || isBlankCu(next) || isBreakCu(next);
    if (i === 0) {
      if (cu < 128 && (CLASS[cu]! & 1) !== 0) flowInd = blockInd = true;
      else if (cu === 63 || cu === 58) {
        flowInd = true;
        if (followedByWs) blockInd = true;
      } else if (cu === 45 && followedByWs) flowInd = blockInd = true;
    } else if (cu < 128 && (CLASS[cu]! & 2) !== 0) flowInd = true;
    else if (cu === 58) {
      flowInd = true;
      if (followedByWs) blockInd = true;
    } else if (cu === 35 && precededByWs) flowInd = blockInd = true;
    if (cu === 0x09) tabs = true;
    else if (cu < 0x20 || cu > 0x7e) {
      if ((cu >= 0xd800 && cu <= 0xdfff) || !isPrintable(cu)) special = true;
    }
    if (cu === 0x20) {
      if (prevBreak) breakSpace = true;
      prevSpace = true;
      prevBreak = false;
    } else if (isBreakCu(cu)) {
      lineBreaks = true;
      if (prevSpace) spaceBreak = true;
      prevSpace = false;
      prevBreak = true;
    } else {
      prevSpace = false;
      prevBreak = false;
    }
    precededByWs = isBlankCu(cu) || isBreakCu(cu);
  }
  const first = s.charCodeAt(0);
  const last = s.charCodeAt(n - 1);
  const leadingSpace = first === 0x20;
  const leadingBreak = isBreakCu(first);
  const trailingSpace = last === 0x20;
  const trailingBreak = isBreakCu(last);
  const a: ScalarAnalysis = { multiline: lineBreaks, flowPlain: true, blockPlain: true, single: true, block: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) a.flowPlain = a.blockPlain = false;
  if (trailingSpace) a.block = false;
  if (breakSpace) a.flowPlain = a.blockPlain = a.single = false;
  if (spaceBreak || tabs || special) a.flowPlain = a.blockPlain = a.single = false;
  if (spaceBreak || special) a.block = false;
  if (lineBreaks) a.flowPlain = a.blockPlain = false;
  if (flowInd) a.flowPlain = false;
  if (blockInd) a.blockPlain = false;
  return a;
}

export type EmitStyle = "plain" | "single" | "double" | "literal";

/**
 * The style go-yaml v3 picks for a string: `flow` inside flow collections, `key` for
 * mapping keys (simple-key context).
 */
export function goStringStyle(s: string, flow = false, key = false, analysis?: ScalarAnalysis): EmitStyle {
  const canPlain = !resolvesToNonString(s) && !isBase60Float(s) && !isOldBool(s);
  let style: EmitStyle = s.includes("\n") ? (flow ? "double" : "literal") : canPlain ? "plain" : "double";
  const a = analysis ?? analyzeScalar(s);
  if (key && a.multiline) style = "double";
  if (style === "plain") {
    if ((flow && !a.flowPlain) || (!flow && !a.blockPlain)) style = "single";
    if (s.length === 0 && (flow || key)) style = "single";
  }
  if (style === "single" && !a.single) style = "double";
  if (style === "literal" && (!a.block || flow || key)) style = "double";
  return style;
}

const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
function isBase60Float(s: string): boolean {
  return s.includes(":") && BASE60.test(s);
}
const OLD_BOOLS = new Set(["y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N", "no", "No", "NO", "off", "Off", "OFF"]);
function isOldBool(s: string): boolean {
  return OLD_BOOLS.has(s);
}
