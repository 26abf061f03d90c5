/**
 * Comment attachment. Each comment line becomes a `Comment` item in the mapping or
 * sequence where go-yaml v3 + SOPS's YAML store put it (that container is the comment's
 * AAD): line comments before the entry they follow, foot chunks after the previous
 * token or at the end of the block that closes at their column, head chunks before the
 * next item. See `comment-chunks.ts` for the split itself.
 */
import type { Comment, MapNode, SeqNode } from "../../tree/types.js";
import { CH, type Cursor, isBlank, isBreak } from "./cursor.js";
import { type Chunk, type CommentLine, chunkComments } from "./comment-chunks.js";
import { commentNode } from "./nodes.js";
import { isDocumentMarker } from "./scalars.js";
import { commentSrc, type FileSrc } from "./src-types.js";

/** An open block collection, innermost last. */
export interface Open {
  node: MapNode | SeqNode;
  /** libyaml indentation column (keys / dashes). */
  col: number;
  /** `key:\n- x` sequences push no indentation level in libyaml. */
  indentless: boolean;
  parent: Open | undefined;
}

/** What the last token before a comment was. */
export interface Prior {
  kind: "scalar" | "value" | "entry" | "flow" | "doc" | "none";
  /** Container holding the entry/item the token belongs to. */
  holder: MapNode | SeqNode | undefined;
  /** `flow`: the flow collection just closed. */
  flowNode?: MapNode | SeqNode;
  /** The token is (the end of) a sequence item rather than a mapping value. */
  seqItem: boolean;
}

const NONE: readonly Comment[] = Object.freeze([]);

export class CommentEngine {
  readonly stack: Open[] = [];
  pending: Comment[] = [];
  /**
   * Foot comments of a `key:` or `-` indicator: go-yaml hands them to the next scalar
   * (or block end), so they land after that node instead.
   */
  deferred: Comment[] = [];
  private deliverDeferred = false;
  /** Updated in place on every token (one per value): allocating a new one each time is pure garbage. */
  readonly prior: Prior = { kind: "none", holder: undefined, seqItem: false, flowNode: undefined };
  root: MapNode | undefined;

  constructor(
    private readonly c: Cursor,
    private readonly file: FileSrc,
  ) {}

  private make(line: CommentLine, inline: boolean, sameLine: boolean): Comment {
    const src = commentSrc(this.file, line.start, line.end, this.c.text.slice(line.start + 1, line.end), inline, sameLine);
    return commentNode(src.text, src);
  }

  setPrior(kind: Prior["kind"], holder: MapNode | SeqNode | undefined, seqItem = false, flowNode?: MapNode | SeqNode): void {
    const p = this.prior;
    p.kind = kind;
    p.holder = holder;
    p.seqItem = seqItem;
    p.flowNode = flowNode;
    this.deliverDeferred = (kind === "scalar" || kind === "flow") && this.deferred.length > 0;
  }

  /** Take the deferred feet (a new mapping key claims them). */
  takeDeferred(): readonly Comment[] {
    if (this.deferred.length === 0) return NONE;
    const d = this.deferred;
    this.deferred = [];
    return d;
  }

  /** Flush waiting head comments into `node` (before its next item). */
  beforeItem(node: MapNode | SeqNode): void {
    if (this.pending.length === 0) return;
    (node.items as unknown[]).push(...this.pending);
    this.pending = [];
  }

  /** Flush waiting head comments into `node` before its last item. */
  beforeLast(node: MapNode | SeqNode): void {
    if (this.pending.length === 0) return;
    (node.items as unknown[]).splice(node.items.length - 1, 0, ...this.pending);
    this.pending = [];
  }

  /**
   * Consume everything after a token ending at `pos`: blanks, a comment on the same
   * line, line breaks, blank and comment lines. Returns the next content position.
   */
  trivia(pos: number, priorOnFirstLine: boolean): number {
    const t = this.c.text;
    // The usual case (after nearly every value): a line break, then the indentation of
    // the next token, which is no comment, break or tab; nothing to place or check.
    if (t.charCodeAt(pos) === CH.lf && !this.deliverDeferred) {
      let i = pos + 1;
      while (t.charCodeAt(i) === CH.space) i++;
      const ch = t.charCodeAt(i);
      if (ch !== CH.hash && ch !== CH.tab && ch !== CH.lf && ch !== CH.cr) return i;
      if (ch === CH.hash) {
        const next = this.headComments(pos + 1, i);
        if (next >= 0) return next;
      }
    }
    let i = this.c.skipBlanks(pos);
    if (t.charCodeAt(i) === CH.hash && this.prior.kind !== "entry" && this.prior.kind !== "none") {
      if (i === pos && pos > 0 && !isBlank(t.charCodeAt(pos - 1)) && !isBreak(t.charCodeAt(pos - 1))) {
        throw this.c.error(i, "comments must be separated from other tokens by white space");
      }
      this.placeLineComment({ start: i, end: this.c.lineEnd(i), col: this.c.column(i) });
      i = this.c.lineEnd(i);
    }
    if (this.deliverDeferred) {
      this.deliverDeferred = false;
      const holder = this.prior.holder ?? this.root;
      if (holder) (holder.items as unknown[]).push(...this.takeDeferred());
    }
    const scanStart = i;
    let newlines = 0;
    let tabAt = -1;
    for (;;) {
      const ch = t.charCodeAt(i);
      if (ch === CH.space) i++;
      else if (ch === CH.tab) {
        if (newlines > 0 && tabAt < 0) tabAt = i;
        i++;
      } else if (isBreak(ch)) {
        // A blank line may hold tabs, except one starting with a tab.
        if (tabAt >= 0 && this.c.column(tabAt) === 0) throw this.c.error(tabAt, "found a tab character that violates indentation");
        tabAt = -1;
        newlines++;
        i = this.c.afterBreak(i);
      } else break;
    }
    // go-yaml accepts a tab in front of a comment, not in front of content.
    if (tabAt >= 0 && t.charCodeAt(i) !== CH.hash && i < t.length) {
      throw this.c.error(tabAt, "found a tab character that violates indentation");
    }
    if (t.charCodeAt(i) !== CH.hash) return i;
    const { chunks, next } = chunkComments(this.c, {
      first: i,
      newlines,
      priorOnFirstLine,
      priorIsValue: this.prior.kind === "value",
      nextIndent: this.nextIndent(),
      scanStart,
    });
    this.assign(chunks, next);
    return next;
  }

  /**
   * Own-line comments right after a token's line break (`#` of the first at `first`,
   * its line at `lineStart`), all in one column and each ending in LF, followed by a
   * content line: exactly what `chunkComments` makes one head chunk of, which `assign`
   * only queues as pending head comments (nothing is deferred, so no block end claims
   * any). Every encrypted comment of a SOPS file sits like this. Returns the content
   * position, or -1 (nothing placed) for anything else.
   */
  private headComments(lineStart: number, first: number): number {
    if (this.deferred.length > 0) return -1;
    const t = this.c.text;
    const col = first - lineStart;
    const nextIndent = this.nextIndent();
    const ends: number[] = [];
    let at = first;
    for (;;) {
      const end = this.c.lineEnd(at);
      if (t.charCodeAt(end) !== CH.lf) return -1;
      ends.push(at, end);
      const s = end + 1;
      let j = s;
      while (t.charCodeAt(j) === CH.space) j++;
      const x = t.charCodeAt(j);
      if (x === CH.hash) {
        // A comment in another column may split the run into chunks.
        if (j - s !== col) return -1;
        at = j;
        continue;
      }
      if (x === CH.tab || x === CH.lf || x === CH.cr || Number.isNaN(x)) return -1;
      // Content left of the open blocks (and of the comments) would end a foot chunk.
      if (j - s < nextIndent && j - s !== col) return -1;
      if (j === s && isDocumentMarker(this.c, j)) return -1;
      for (let k = 0; k < ends.length; k += 2) this.pending.push(this.make({ start: ends[k]!, end: ends[k + 1]!, col }, false, false));
      return j;
    }
  }

  private nextIndent(): number {
    for (let k = this.stack.length - 1; k >= 0; k--) {
      const o = this.stack[k]!;
      if (!o.indentless) return Math.max(o.col, 0);
    }
    return 0;
  }

  /** A comment on the header line of a block scalar (`key: | # text`), after `setPrior`. */
  lineComment(at: number): void {
    this.placeLineComment({ start: at, end: this.c.lineEnd(at), col: this.c.column(at) });
  }

  private placeLineComment(line: CommentLine): void {
    const p = this.prior;
    const holder = p.holder ?? this.root;
    if (!holder) return;
    if (p.kind === "flow" && !p.seqItem && p.flowNode) {
      p.flowNode.items.unshift(this.make(line, false, true) as never);
      return;
    }
    if (p.kind === "doc" || p.kind === "none") {
      this.pending.push(this.make(line, false, true));
      return;
    }
    const inline = p.kind === "scalar" || p.kind === "flow";
    const items = holder.items as unknown[];
    items.splice(Math.max(items.length - 1, 0), 0, this.make(line, inline, true));
  }

  private assign(chunks: Chunk[], next: number): void {
    const t = this.c.text;
    const endOfDoc = next >= t.length || isDocumentMarker(this.c, next);
    const nextCol = next >= t.length ? this.c.column(next) : endOfDoc ? 0 : this.c.column(next);
    // Blocks closing before the next token, innermost first, with go-yaml's BLOCK-END position.
    const closing: { open: Open; at: number }[] = [];
    let blockMark = -1;
    const levels = this.stack.filter((o) => !o.indentless && o.col > nextCol).reverse();
    for (const open of levels) {
      let stop = blockMark;
      for (let k = chunks.length - 1; k >= 0; k--) {
        const ch = chunks[k]!;
        if (ch.end < stop) break;
        if (ch.col === open.col) blockMark = ch.start;
        stop = ch.scanMark;
      }
      closing.push({ open, at: blockMark });
    }
    if (endOfDoc) {
      for (const open of this.stack.filter((o) => !o.indentless && o.col <= nextCol).reverse()) {
        closing.push({ open, at: Number.MAX_SAFE_INTEGER });
      }
    }
    const priorHolder = this.prior.holder ?? this.root;
    const deferPrior = this.prior.kind === "value" || this.prior.kind === "entry";
    const endTarget = (o: Open): MapNode | SeqNode | undefined => (o.node.kind === "map" ? o.node : (o.parent?.node ?? this.root));
    let k = 0;
    // Feet waiting since an earlier `key:`/`-` (and this run's feet of such a token) are
    // claimed by the first block end, if one comes before the next node.
    const early = [...this.takeDeferred()];
    const late: Comment[] = [];
    for (const chunk of chunks) {
      if (chunk.kind === "foot" && chunk.mark === "prior" && deferPrior) early.push(...chunk.lines.map((l) => this.make(l, false, false)));
    }
    const first = closing[0];
    const firstNode = first ? endTarget(first.open) : undefined;
    if (firstNode && early.length > 0) (firstNode.items as unknown[]).push(...early);
    else this.deferred.push(...early);
    for (const chunk of chunks) {
      if (chunk.kind === "foot" && chunk.mark === "prior" && deferPrior) continue;
      const comments = chunk.lines.map((l) => this.make(l, false, false));
      if (chunk.kind === "foot" && chunk.mark === "prior" && priorHolder) {
        (priorHolder.items as unknown[]).push(...comments);
        continue;
      }
      if (chunk.kind === "foot") {
        while (k < closing.length && closing[k]!.at < chunk.start) k++;
        const target = closing[k];
        if (target) {
          const node = endTarget(target.open);
          if (node) {
            (node.items as unknown[]).push(...comments);
            continue;
          }
        }
        // Not claimed by a block end: go-yaml gives it to the next scalar as a foot.
        late.push(...comments);
        continue;
      }
      this.pending.push(...comments);
    }
    this.deferred.push(...late);
  }
}
