/**
 * Metric names used by a PromQL expression (or a Grafana `label_values(<selector>, <label>)` query).
 * Not a parser: it removes everything that can hold a non-metric identifier (strings, label matchers, ranges,
 * label lists of by/without/on/ignoring/group_*, offsets), then keeps the identifiers that are not functions,
 * aggregations or keywords. Good enough to catch a misspelt or invented metric, which is what it is for.
 */
const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan']);

export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/label_values\(\s*(.*?)\s*,\s*\w+\s*\)/gs, ' $1 ')
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\boffset\s+-?\w+/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/(?<![\w.$])[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const rest = stripped.slice((match.index ?? 0) + match[0].length);
    if (/^\s*\(/.test(rest)) continue;
    if (KEYWORDS.has(match[0].toLowerCase())) continue;
    names.add(match[0]);
  }
  return [...names].sort();
}
