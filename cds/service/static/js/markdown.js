// A small, safe renderer for the GitHub-flavoured markdown that CDS cards use: paragraphs (soft and
// hard line breaks), **strong** and *emphasis*, `code`, backslash escapes, "- " lists and GFM tables
// (alignment, escaped pipes). Everything else shows as the text it is. The output is built from
// DOM nodes: raw HTML in a card stays visible text and can never become markup.

import { el } from "./dom.js";

const ESCAPABLE = new Set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~");
const DELIMITER_CELL = /^\s*:?-+:?\s*$/;
const LIST_ITEM = /^\s{0,3}[-*+]\s+/;

/** The markdown `source` as a DocumentFragment. */
export function renderMarkdown(source) {
  const fragment = document.createDocumentFragment();
  for (const block of blocksOf(String(source ?? ""))) fragment.append(renderBlock(block));
  return fragment;
}

function renderBlock(block) {
  if (block.kind === "table") return renderTable(block);
  if (block.kind === "list") return el("ul", {}, block.items.map((item) => el("li", {}, inline(item))));
  return el("p", {}, inline(block.lines.join("\n")));
}

// ------------------------------------------------------------------------------------- blocks
function blocksOf(text) {
  const out = [];
  let group = [];
  for (const line of text.replace(/\r\n?/g, "\n").split("\n")) {
    if (line.trim() === "") {
      out.push(...classify(group));
      group = [];
    } else {
      group.push(line);
    }
  }
  out.push(...classify(group));
  return out;
}

/** Lines without a blank one between them: a table (possibly after a paragraph), a list or a paragraph. */
function classify(lines) {
  if (lines.length === 0) return [];
  for (let i = 0; i + 1 < lines.length; i++) {
    const header = splitRow(lines[i]);
    const delimiter = splitRow(lines[i + 1]);
    if (isDelimiterRow(delimiter) && header.length === delimiter.length && lines[i].includes("|")) {
      let end = i + 2;
      while (end < lines.length && lines[end].includes("|")) end++;
      const table = {
        kind: "table",
        header,
        align: delimiter.map(alignmentOf),
        rows: lines.slice(i + 2, end).map(splitRow),
      };
      return [...paragraphOrList(lines.slice(0, i)), table, ...classify(lines.slice(end))];
    }
  }
  return paragraphOrList(lines);
}

function paragraphOrList(lines) {
  if (lines.length === 0) return [];
  if (lines.every((line) => LIST_ITEM.test(line))) {
    return [{ kind: "list", items: lines.map((line) => line.replace(LIST_ITEM, "")) }];
  }
  return [{ kind: "paragraph", lines }];
}

function isDelimiterRow(cells) {
  return cells.length > 0 && cells.every((cell) => DELIMITER_CELL.test(cell));
}

function alignmentOf(cell) {
  const text = cell.trim();
  if (text.startsWith(":") && text.endsWith(":")) return "center";
  if (text.endsWith(":")) return "right";
  return null;
}

/** The cells of a table row: split on pipes that are not escaped, outer pipes optional. */
export function splitRow(line) {
  const cells = [];
  let cell = "";
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === "\\" && i + 1 < line.length) {
      cell += ch + line[i + 1]; // kept escaped: the inline pass turns "\|" into "|"
      i++;
    } else if (ch === "|") {
      cells.push(cell);
      cell = "";
    } else {
      cell += ch;
    }
  }
  cells.push(cell);
  if (cells.length > 1 && cells[0].trim() === "" && line.trimStart().startsWith("|")) cells.shift();
  if (cells.length > 1 && cells[cells.length - 1].trim() === "" && /(^|[^\\])\|\s*$/.test(line)) cells.pop();
  return cells.map((c) => c.trim());
}

function renderTable({ header, align, rows }) {
  const cellOf = (tag, text, column) =>
    el(tag, { class: align[column] ? `align-${align[column]}` : null, scope: tag === "th" ? "col" : null }, inline(text));
  const width = header.length;
  const body = rows.map((row) =>
    el("tr", {}, Array.from({ length: width }, (_, column) => cellOf("td", row[column] ?? "", column))),
  );
  return el(
    "div",
    { class: "md-table-wrap" },
    el(
      "table",
      { class: "md-table" },
      el("thead", {}, el("tr", {}, header.map((text, column) => cellOf("th", text, column)))),
      body.length ? el("tbody", {}, body) : null,
    ),
  );
}

// ------------------------------------------------------------------------------------- inline
/** Inline markdown as an array of nodes. */
export function inline(text) {
  const nodes = [];
  let buffer = "";
  const flush = () => {
    if (buffer) nodes.push(document.createTextNode(buffer));
    buffer = "";
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "\\" && text[i + 1] === "\n") {
      flush();
      nodes.push(el("br"));
      i += 2;
    } else if (ch === "\\" && ESCAPABLE.has(text[i + 1])) {
      buffer += text[i + 1];
      i += 2;
    } else if (ch === "\n") {
      const hard = / {2,}$/.test(buffer);
      buffer = buffer.replace(/ +$/, "");
      if (hard) {
        flush();
        nodes.push(el("br"));
      } else {
        buffer += "\n";
      }
      i += 1;
    } else if (ch === "`") {
      const span = codeSpan(text, i);
      if (span) {
        flush();
        nodes.push(el("code", {}, span.content));
        i = span.end;
      } else {
        const run = runLength(text, i, "`");
        buffer += text.slice(i, i + run);
        i += run;
      }
    } else if (ch === "*" || ch === "_") {
      const found = emphasis(text, i);
      if (found) {
        flush();
        nodes.push(el(found.tag, {}, inline(found.inner)));
        i = found.end;
      } else {
        const run = runLength(text, i, ch);
        buffer += text.slice(i, i + run);
        i += run;
      }
    } else {
      buffer += ch;
      i += 1;
    }
  }
  flush();
  return nodes;
}

function runLength(text, start, ch) {
  let end = start;
  while (text[end] === ch) end++;
  return end - start;
}

function codeSpan(text, start) {
  const ticks = runLength(text, start, "`");
  let i = start + ticks;
  while (i < text.length) {
    if (text[i] === "`") {
      const run = runLength(text, i, "`");
      if (run === ticks) {
        let content = text.slice(start + ticks, i).replace(/\n/g, " ");
        if (/^ .*[^ ].* $/.test(content)) content = content.slice(1, -1);
        return { content, end: i + run };
      }
      i += run;
    } else {
      i += 1;
    }
  }
  return null;
}

/** `**x**` / `__x__` (strong) or `*x*` / `_x_` (emphasis) opening at `start`, or null. */
function emphasis(text, start) {
  const ch = text[start];
  const run = runLength(text, start, ch);
  const size = run >= 2 ? 2 : 1;
  const marker = ch.repeat(size);
  const after = text[start + size];
  if (after === undefined || /\s/.test(after)) return null; // an opener is followed by a character
  if (ch === "_" && /[\p{L}\p{N}]/u.test(text[start - 1] ?? "")) return null; // snake_case stays text
  const close = closingMarker(text, start + size, marker);
  if (close < 0) return null;
  return { tag: size === 2 ? "strong" : "em", inner: text.slice(start + size, close), end: close + size };
}

function closingMarker(text, from, marker) {
  const ch = marker[0];
  let i = from;
  while (i < text.length) {
    if (text[i] === "\\" && ESCAPABLE.has(text[i + 1])) {
      i += 2;
    } else if (text[i] === "`") {
      const span = codeSpan(text, i);
      i = span ? span.end : i + runLength(text, i, "`");
    } else if (text[i] === ch) {
      const run = runLength(text, i, ch);
      const closes = run >= marker.length && i > from && !/\s/.test(text[i - 1]);
      const wordAfter = ch === "_" && /[\p{L}\p{N}]/u.test(text[i + run] ?? "");
      if (closes && !wordAfter && (marker.length === 2 || run !== 2)) return i + run - marker.length;
      i += run;
    } else {
      i += 1;
    }
  }
  return -1;
}
