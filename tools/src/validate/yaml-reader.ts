import YAML from 'yaml';

/**
 * Reads manifests the way Kubernetes tooling does (YAML 1.1: `yes`/`on` are booleans, `0755` is octal), fast.
 *
 * The synth writes block-style YAML with a small set of features; a full YAML parser spends most of its time on
 * what those files never use, and 80,000 of them are read before every swap. So the common case goes through a
 * small reader for exactly that subset, which gives up (never guesses) on anything else: comments after values,
 * anchors, tags, flow collections with content, multi-line plain or quoted scalars, folded scalars, unusual
 * numbers, duplicate keys, several documents... Those files, and every file with an error, are read by the
 * `yaml` package with the same YAML 1.1 schema. tools/test/validate/yaml-reader.test.ts checks both readers
 * give the same values.
 */

export interface ParsedFile {
  /** The documents of the file (empty documents left out). */
  readonly documents: unknown[];
  /** The first syntax error, with its line, when the file is not valid YAML. */
  readonly error?: string;
  /** True when the fast reader handled the file. */
  readonly fast: boolean;
}

/** Thrown by the fast reader when the text uses something outside its subset. */
class Unsupported extends Error {}
const UNSUPPORTED = new Unsupported('unsupported');

/** Timestamps stay strings (as in Kubernetes' YAML → JSON conversion); everything else is YAML 1.1. */
const FULL_OPTIONS: YAML.ParseOptions & YAML.DocumentOptions & YAML.SchemaOptions = {
  version: '1.1',
  customTags: (tags) => tags.filter((t) => !(typeof t === 'object' && 'tag' in t && t.tag === 'tag:yaml.org,2002:timestamp')),
};

export function parseManifestText(text: string): ParsedFile {
  try {
    const value = new FastReader(text).document();
    return { documents: value === null || value === undefined ? [] : [value], fast: true };
  } catch (err) {
    if (!(err instanceof Unsupported)) throw err;
  }
  return parseFull(text);
}

/** The full YAML 1.1 reader (also used by tests as the reference). */
export function parseFull(text: string): ParsedFile {
  const documents: unknown[] = [];
  for (const doc of YAML.parseAllDocuments(text, FULL_OPTIONS)) {
    if (doc.errors.length) {
      const e = doc.errors[0];
      const where = e.linePos?.[0] ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}: ` : '';
      return { documents, error: `${where}${e.message.split('\n')[0]}`, fast: false };
    }
    const value = doc.toJS({ maxAliasCount: 100 });
    if (value !== null && value !== undefined) documents.push(value);
  }
  return { documents, fast: false };
}

const BOOL_TRUE = /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
const BOOL_FALSE = /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;
const SIMPLE_INT = /^-?(?:0|[1-9][0-9]*)$/;
const SIMPLE_FLOAT = /^-?[0-9]+\.[0-9]+$/;
/** Every other plain scalar YAML 1.1 does not read as a string (yaml's yaml-1.1 schema): left to the full reader. */
const OTHER_NON_STRING = new RegExp([
  /^[-+]?0b[0-1_]+$/, /^[-+]?0[0-7_]+$/, /^[-+]?[0-9][0-9_]*$/, /^[-+]?0x[0-9a-fA-F_]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/, /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/, /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/,
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/, /^<<$/,
].map((r) => r.source).join('|'));

function resolvePlain(s: string): unknown {
  if (s.length <= 5) {
    switch (s) {
      case '~': case 'null': case 'Null': case 'NULL': return null;
      default: break;
    }
    if (BOOL_TRUE.test(s)) return true;
    if (BOOL_FALSE.test(s)) return false;
  }
  const c = s.charCodeAt(0);
  // Only these first characters can start a YAML 1.1 number, timestamp or merge key ("e5" is a float there).
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46 || c === 60 || c === 69 || c === 101) {
    if (SIMPLE_INT.test(s)) {
      const n = Number(s);
      if (!Number.isSafeInteger(n)) throw UNSUPPORTED;
      return n;
    }
    if (SIMPLE_FLOAT.test(s)) return parseFloat(s);
    if (OTHER_NON_STRING.test(s)) throw UNSUPPORTED;
  }
  return s;
}

/** Characters a plain scalar may not start with (YAML indicators). */
function isIndicator(c: string): boolean {
  return '-?:,[]{}#&*!|>\'"%@`'.includes(c);
}

class FastReader {
  /** Per line: offset of its first character, of its end (before "\n"), and its indentation (spaces). */
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly indents: number[] = [];
  private pos = 0;
  private readonly endsWithNewline: boolean;

  constructor(private readonly text: string) {
    if (text.includes('\r')) throw UNSUPPORTED;
    this.endsWithNewline = text.endsWith('\n');
    let offset = 0;
    const length = this.endsWithNewline ? text.length - 1 : text.length;
    while (offset <= length) {
      let end = text.indexOf('\n', offset);
      if (end === -1 || end > length) end = length;
      let i = offset;
      while (i < end && text.charCodeAt(i) === 32) i++;
      this.starts.push(offset);
      this.ends.push(end);
      this.indents.push(i - offset);
      offset = end + 1;
      if (end === length) break;
    }
  }

  private get count(): number {
    return this.starts.length;
  }

  /** First non-space character of line `i`. */
  private first(i: number): number {
    return this.starts[i] + this.indents[i];
  }

  private blank(i: number): boolean {
    return this.first(i) >= this.ends[i];
  }

  /** Moves past blank and comment lines; structural lines must not start with a tab. */
  private skip(): boolean {
    while (this.pos < this.count) {
      const f = this.first(this.pos);
      if (f < this.ends[this.pos]) {
        const c = this.text.charCodeAt(f);
        if (c === 35 /* # */) { this.pos++; continue; }
        if (c === 9 /* tab */) throw UNSUPPORTED;
        return true;
      }
      this.pos++;
    }
    return false;
  }

  document(): unknown {
    if (!this.skip()) return null;
    const f = this.first(this.pos);
    const line = this.text.slice(f, this.ends[this.pos]);
    if (line.startsWith('%')) throw UNSUPPORTED;
    if (line === '---') {
      this.pos++;
      if (!this.skip()) return null;
    }
    if (this.indents[this.pos] !== 0) throw UNSUPPORTED;
    const value = this.block(0);
    if (this.skip()) throw UNSUPPORTED; // a second document, "...", or something out of place
    return value;
  }

  private isSeqItem(i: number): boolean {
    const f = this.first(i);
    return this.text.charCodeAt(f) === 45 /* - */ && (f + 1 === this.ends[i] || this.text.charCodeAt(f + 1) === 32);
  }

  private block(indent: number): unknown {
    if (this.isSeqItem(this.pos)) return this.sequence(indent);
    const f = this.first(this.pos);
    if (this.keyEnd(f, this.ends[this.pos]) < 0) throw UNSUPPORTED; // a scalar on its own line
    return this.mapping(indent);
  }

  private mapping(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    while (this.skip()) {
      const i = this.pos;
      const ind = this.indents[i];
      if (ind < indent) break;
      if (ind > indent || this.isSeqItem(i)) throw UNSUPPORTED;
      const f = this.first(i);
      const end = this.ends[i];
      const colon = this.keyEnd(f, end);
      if (colon < 0) throw UNSUPPORTED;
      const key = this.key(f, colon);
      if (Object.prototype.hasOwnProperty.call(out, key) || key === '__proto__') throw UNSUPPORTED;
      let v = colon + 1;
      while (v < end && this.text.charCodeAt(v) === 32) v++;
      this.pos++;
      out[key] = v >= end ? this.nested(indent, true) : this.inline(v, end, indent);
    }
    return out;
  }

  private sequence(indent: number): unknown[] {
    const out: unknown[] = [];
    while (this.skip()) {
      const i = this.pos;
      const ind = this.indents[i];
      if (ind < indent) break;
      if (ind > indent) throw UNSUPPORTED;
      if (!this.isSeqItem(i)) break;
      const end = this.ends[i];
      let c = this.first(i) + 1;
      while (c < end && this.text.charCodeAt(c) === 32) c++;
      if (c >= end) {
        this.pos++;
        out.push(this.nested(indent, false));
        continue;
      }
      if (this.text.charCodeAt(c) === 45 /* - */ && (c + 1 === end || this.text.charCodeAt(c + 1) === 32)) throw UNSUPPORTED;
      if (this.keyEnd(c, end) >= 0) {
        // "- key: value": a mapping whose indentation is the column of its first key.
        const column = c - this.starts[i];
        this.indents[i] = column;
        out.push(this.mapping(column));
      } else {
        this.pos++;
        out.push(this.inline(c, end, indent));
      }
    }
    return out;
  }

  /** The value of a key or item with nothing after it on its line. */
  private nested(indent: number, compactSequence: boolean): unknown {
    if (!this.skip()) return null;
    const ind = this.indents[this.pos];
    if (ind > indent) return this.block(ind);
    if (ind === indent && compactSequence && this.isSeqItem(this.pos)) return this.sequence(indent);
    return null;
  }

  /** Index of the ":" ending a mapping key that starts at `f`, or -1 if the line is not a key. */
  private keyEnd(f: number, end: number): number {
    const t = this.text;
    const q = t[f];
    if (q === '"' || q === "'") {
      const close = q === '"' ? this.doubleQuotedEnd(f, end) : this.singleQuotedEnd(f, end);
      if (close < 0) return -1;
      let c = close + 1;
      while (c < end && t.charCodeAt(c) === 32) c++;
      return t[c] === ':' && (c + 1 === end || t.charCodeAt(c + 1) === 32) ? c : -1;
    }
    for (let c = t.indexOf(':', f); c !== -1 && c < end; c = t.indexOf(':', c + 1)) {
      if (c + 1 === end || t.charCodeAt(c + 1) === 32) return c;
    }
    return -1;
  }

  private key(f: number, colon: number): string {
    const t = this.text;
    if (t[f] === '"') return this.doubleQuoted(f, this.doubleQuotedEnd(f, colon));
    if (t[f] === "'") return this.singleQuoted(f, this.singleQuotedEnd(f, colon));
    const key = t.slice(f, colon).trimEnd();
    if (key === '' || isIndicator(key[0]) || key.includes(' #') || key.includes('\t')) throw UNSUPPORTED;
    if (typeof resolvePlain(key) !== 'string') throw UNSUPPORTED;
    return key;
  }

  /** A value that starts on the key's (or item's) line at offset `v`. */
  private inline(v: number, end: number, parentIndent: number): unknown {
    const t = this.text;
    const c = t[v];
    if (c === '"' || c === "'") {
      const close = c === '"' ? this.doubleQuotedEnd(v, end) : this.singleQuotedEnd(v, end);
      if (close < 0) throw UNSUPPORTED;
      for (let k = close + 1; k < end; k++) if (t.charCodeAt(k) !== 32) throw UNSUPPORTED;
      return c === '"' ? this.doubleQuoted(v, close) : this.singleQuoted(v, close);
    }
    if (c === '|') return this.literal(v, end, parentIndent);
    const raw = t.slice(v, end).trimEnd();
    if (c === '[' || c === '{') {
      if (raw === '[]') return [];
      if (raw === '{}') return {};
      throw UNSUPPORTED;
    }
    if (isIndicator(c) && !(c === '-' || c === '?' || c === ':')) throw UNSUPPORTED;
    if ((c === '-' || c === '?' || c === ':') && (raw.length === 1 || raw[1] === ' ')) throw UNSUPPORTED;
    if (raw.includes(' #') || raw.includes(': ') || raw.endsWith(':') || raw.includes('\t')) throw UNSUPPORTED;
    return resolvePlain(raw);
  }

  private doubleQuotedEnd(f: number, end: number): number {
    const t = this.text;
    for (let c = f + 1; c < end; c++) {
      const ch = t.charCodeAt(c);
      if (ch === 92 /* \ */) { c++; continue; }
      if (ch === 34 /* " */) return c;
    }
    return -1;
  }

  private singleQuotedEnd(f: number, end: number): number {
    const t = this.text;
    for (let c = f + 1; c < end; c++) {
      if (t.charCodeAt(c) === 39 /* ' */) {
        if (t.charCodeAt(c + 1) === 39 && c + 1 < end) { c++; continue; }
        return c;
      }
    }
    return -1;
  }

  private singleQuoted(f: number, close: number): string {
    return this.text.slice(f + 1, close).replace(/''/g, "'");
  }

  private doubleQuoted(f: number, close: number): string {
    const t = this.text;
    const body = t.slice(f + 1, close);
    if (!body.includes('\\')) return body;
    let out = '';
    for (let i = 0; i < body.length; i++) {
      const ch = body[i];
      if (ch !== '\\') { out += ch; continue; }
      const e = body[++i];
      switch (e) {
        case '0': out += '\0'; break;
        case 'a': out += '\x07'; break;
        case 'b': out += '\b'; break;
        case 't': case '\t': out += '\t'; break;
        case 'n': out += '\n'; break;
        case 'v': out += '\v'; break;
        case 'f': out += '\f'; break;
        case 'r': out += '\r'; break;
        case 'e': out += '\x1b'; break;
        case ' ': out += ' '; break;
        case '"': out += '"'; break;
        case '/': out += '/'; break;
        case '\\': out += '\\'; break;
        case 'N': out += '\u0085'; break;
        case '_': out += '\u00a0'; break;
        case 'L': out += '\u2028'; break;
        case 'P': out += '\u2029'; break;
        case 'x': case 'u': case 'U': {
          const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
          const hex = body.slice(i + 1, i + 1 + len);
          if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) throw UNSUPPORTED;
          const code = parseInt(hex, 16);
          if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw UNSUPPORTED;
          out += String.fromCodePoint(code);
          i += len;
          break;
        }
        default: throw UNSUPPORTED;
      }
    }
    return out;
  }

  /** `|` and `|-` block scalars with auto-detected indentation (what the synth writes for multi-line strings). */
  private literal(v: number, end: number, parentIndent: number): string {
    const header = this.text.slice(v + 1, end).trimEnd();
    if (header !== '' && header !== '-') throw UNSUPPORTED; // keep (+), explicit indentation, comments
    const strip = header === '-';
    const lines: string[] = [];
    let indent = -1;
    let i = this.pos;
    let lastContent = -1;
    for (; i < this.count; i++) {
      const lineIndent = this.indents[i];
      if (this.blank(i)) {
        if (indent === -1) {
          if (lineIndent > 0) throw UNSUPPORTED; // leading blank lines with spaces: let the full reader judge
          lines.push('');
        } else {
          lines.push(lineIndent > indent ? this.text.slice(this.starts[i] + indent, this.ends[i]) : '');
          if (lineIndent > indent) lastContent = lines.length - 1;
        }
        continue;
      }
      if (indent === -1) {
        if (lineIndent <= parentIndent) break;
        indent = lineIndent;
      }
      if (lineIndent < indent) break;
      lines.push(this.text.slice(this.starts[i] + indent, this.ends[i]));
      lastContent = lines.length - 1;
    }
    if (indent === -1 || lastContent === -1) throw UNSUPPORTED; // empty block scalar
    if (i === this.count && !this.endsWithNewline) throw UNSUPPORTED;
    this.pos = i;
    const body = lines.slice(0, lastContent + 1).join('\n');
    return strip ? body : `${body}\n`;
  }
}
