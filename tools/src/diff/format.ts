import pc from 'picocolors';
import type { ComponentSummary, DiffReport, ObjectDiff } from './compare';
import { FieldChange, formatValue, isInlineValue } from './fields';
import { componentKey, componentLabel } from './objects';
import { code, escapeHtml, fenced } from '../markdown';

export type Colors = ReturnType<typeof pc.createColors>;

/**
 * Colours for a stream: only on a terminal, never with NO_COLOR (https://no-color.org) or TERM=dumb;
 * FORCE_COLOR forces them. (picocolors' own default also colours whenever CI is set, even when piped.)
 */
export function colorsFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Colors {
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  const enabled = !env.NO_COLOR && (forced || (Boolean(stream.isTTY) && env.TERM !== 'dumb'));
  return pc.createColors(enabled);
}

export const DIFF_FORMATS = ['markdown', 'text', 'json'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

/** GitHub rejects comments over 65,536 characters; stay well under it, with room for a marker and a footer. */
export const MARKDOWN_MAX_CHARS = 60_000;

/** Field lines listed per object before "… and N more". */
const MAX_FIELD_LINES = 12;
/** More field changes than this, or any non-scalar one, and the object's YAML diff is shown too. */
const FIELD_LIST_ONLY_MAX = 8;
/** Lines of one object's YAML diff in markdown before it is cut. */
const MAX_DIFF_LINES = 200;

const STATUS_WORD: Record<ObjectDiff['status'], string> = { added: 'added', changed: 'changed', removed: 'removed' };

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function shortCommit(commit: string): string {
  return commit.slice(0, 12);
}

function counts(c: { added: number; changed: number; removed: number }): string {
  const parts = [
    c.added ? `${c.added} added` : '',
    c.changed ? `${c.changed} changed` : '',
    c.removed ? `${c.removed} removed` : '',
  ].filter(Boolean);
  return parts.join(', ') || 'no changes';
}

function objectName(o: Pick<ObjectDiff, 'namespace' | 'name'>): string {
  return o.namespace ? `${o.namespace}/${o.name}` : o.name;
}

/** Whether an object's YAML diff adds something to its field list. */
export function showsYamlDiff(o: ObjectDiff): boolean {
  const needed = o.changes.length > FIELD_LIST_ONLY_MAX || o.changes.some((c) => !isInlineValue(c.before) || !isInlineValue(c.after));
  return needed && o.diff !== '';
}

function describeCompound(value: unknown): string {
  if (Array.isArray(value)) return plural(value.length, 'item');
  if (value && typeof value === 'object') return plural(Object.keys(value).length, 'field');
  return 'multi-line text';
}

/** One field change as words, with `wrap` applied to the path and values. */
function fieldLine(c: FieldChange, wrap: (s: string) => string): string {
  const path = wrap(c.path);
  const inline = (v: unknown) => isInlineValue(v);
  switch (c.op) {
    case 'added':
      return inline(c.after) ? `${path}: added ${wrap(formatValue(c.after))}` : `${path}: added (${describeCompound(c.after)})`;
    case 'removed':
      return inline(c.before) ? `${path}: removed (was ${wrap(formatValue(c.before))})` : `${path}: removed (${describeCompound(c.before)})`;
    default:
      return inline(c.before) && inline(c.after)
        ? `${path}: ${wrap(formatValue(c.before))} → ${wrap(formatValue(c.after))}`
        : `${path}: changed (see the diff)`;
  }
}

// ---------------------------------------------------------------------------------------------------- JSON

/** The `--format json` document. Stable: fields are only ever added (bump `version` otherwise). */
export interface DiffJson {
  readonly version: 1;
  readonly base: { readonly ref: string; readonly commit: string };
  readonly environments: readonly string[];
  readonly changed: boolean;
  readonly totals: { readonly added: number; readonly changed: number; readonly removed: number };
  readonly components: ReadonlyArray<{ environment: string; component: string; added: number; changed: number; removed: number }>;
  readonly objects: ReadonlyArray<{
    environment: string;
    component: string;
    status: ObjectDiff['status'];
    apiVersion: string;
    previousApiVersion?: string;
    kind: string;
    namespace?: string;
    name: string;
    path: string;
    previousPath?: string;
    changes: readonly FieldChange[];
    diff: string;
  }>;
  readonly warnings: readonly string[];
}

export function toJson(report: DiffReport): DiffJson {
  return {
    version: 1,
    base: { ref: report.baseRef, commit: report.baseCommit },
    environments: report.environments,
    changed: report.objects.length > 0,
    totals: report.totals,
    components: report.components.map((c) => ({ environment: c.env, component: componentKey(c.component), added: c.added, changed: c.changed, removed: c.removed })),
    objects: report.objects.map((o) => ({
      environment: o.env,
      component: componentKey(o.component),
      status: o.status,
      apiVersion: o.apiVersion,
      ...(o.previousApiVersion ? { previousApiVersion: o.previousApiVersion } : {}),
      kind: o.kind,
      ...(o.namespace ? { namespace: o.namespace } : {}),
      name: o.name,
      path: o.path,
      ...(o.previousPath ? { previousPath: o.previousPath } : {}),
      changes: o.changes,
      diff: o.diff,
    })),
    warnings: report.warnings,
  };
}

export function renderJson(report: DiffReport): string {
  return `${JSON.stringify(toJson(report), null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------------- text

export function renderText(report: DiffReport, c: Colors): string {
  const out: string[] = [];
  const head = `dist/ at ${report.baseRef} (${shortCommit(report.baseCommit)}) → working tree`;
  if (report.objects.length === 0) {
    out.push(`${c.bold('No changes')} to the rendered objects: ${head} (${report.environments.join(', ') || 'no environments'})`);
    for (const w of report.warnings) out.push(c.yellow(`warning: ${w}`));
    return `${out.join('\n')}\n`;
  }
  out.push(`${c.bold('Rendered changes')}: ${head}: ${counts(report.totals)}`, '');
  const width = Math.max(...report.components.map((s) => `${s.env}  ${componentLabel(s.component)}`.length));
  for (const s of report.components) {
    const label = `${s.env}  ${componentLabel(s.component)}`.padEnd(width);
    out.push(`  ${label}  ${c.green(`+${s.added}`)} ${c.yellow(`~${s.changed}`)} ${c.red(`-${s.removed}`)}`);
  }
  let current = '';
  for (const o of report.objects) {
    const key = `${o.env}\0${componentKey(o.component)}`;
    if (key !== current) {
      current = key;
      out.push('', c.bold(c.underline(`${o.env} · ${componentLabel(o.component)}`)));
    }
    const mark = o.status === 'added' ? c.green('+') : o.status === 'removed' ? c.red('-') : c.yellow('~');
    const extra = [
      o.previousApiVersion ? `apiVersion ${o.previousApiVersion} → ${o.apiVersion}` : '',
      o.previousPath ? `moved from ${o.previousPath}` : '',
    ].filter(Boolean).join(', ');
    out.push(`${mark} ${c.bold(o.kind)} ${objectName(o)} ${c.dim(`(${STATUS_WORD[o.status]}, ${o.path}${extra ? `; ${extra}` : ''})`)}`);
    if (o.status !== 'changed') continue;
    for (const change of o.changes) out.push(`    ${fieldLine(change, (s) => s)}`);
    if (showsYamlDiff(o)) {
      for (const line of o.diff.split('\n')) {
        const colour = line.startsWith('@@') ? c.cyan : line.startsWith('+') ? c.green : line.startsWith('-') ? c.red : (s: string) => s;
        out.push(`    ${colour(line)}`);
      }
    }
  }
  for (const w of report.warnings) out.push('', c.yellow(`warning: ${w}`));
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------------- markdown




export interface MarkdownOptions {
  /** Cap on the whole body (GitHub comments take 65,536). @default MARKDOWN_MAX_CHARS */
  readonly maxChars?: number;
  /** The command that gives the full output, named in the truncation note. */
  readonly fullCommand?: string;
}

function markdownObjectFull(o: ObjectDiff): string {
  const lines: string[] = [];
  const extra = [
    o.previousApiVersion ? ` · apiVersion ${code(o.previousApiVersion)} → ${code(o.apiVersion)}` : '',
    o.previousPath ? ` · moved from ${code(o.previousPath)}` : '',
  ].join('');
  lines.push(`**${o.kind}** ${code(objectName(o))} · ${code(o.path)}${extra}`, '');
  const shown = o.changes.slice(0, MAX_FIELD_LINES);
  for (const change of shown) lines.push(`- ${fieldLine(change, code)}`);
  if (o.changes.length > shown.length) lines.push(`- … and ${plural(o.changes.length - shown.length, 'more field')} (see the diff)`);
  if (showsYamlDiff(o) || (o.changes.length > shown.length && o.diff)) {
    const diffLines = o.diff.split('\n');
    const cut = diffLines.length > MAX_DIFF_LINES;
    const body = cut ? [...diffLines.slice(0, MAX_DIFF_LINES), `… ${diffLines.length - MAX_DIFF_LINES} more lines`] : diffLines;
    lines.push('', fenced(body.join('\n'), 'diff'));
  }
  return `${lines.join('\n')}\n\n`;
}

function markdownObjectBrief(o: ObjectDiff): string {
  return `**${o.kind}** ${code(objectName(o))} · ${code(o.path)} · ${plural(o.changes.length, 'field')} changed _(diff left out: size limit)_\n\n`;
}

function markdownListItem(o: ObjectDiff): string {
  return `- ${o.kind} ${code(objectName(o))}${o.status === 'added' ? '' : ` (was ${code(o.path)})`}\n`;
}

function summaryTable(components: readonly ComponentSummary[], budget: number): { text: string; omitted: number } {
  const header = '| Environment | Component | Added | Changed | Removed |\n|---|---|--:|--:|--:|\n';
  let text = header;
  let omitted = 0;
  components.forEach((s, i) => {
    if (omitted) { omitted++; return; }
    const row = `| ${s.env} | ${componentLabel(s.component)} | ${s.added || '·'} | ${s.changed || '·'} | ${s.removed || '·'} |\n`;
    const reserve = i < components.length - 1 ? 80 : 0;
    if (text.length + row.length + reserve > budget) { omitted = 1; return; }
    text += row;
  });
  if (omitted) text += `| … | ${plural(omitted, 'more component')} | | | |\n`;
  return { text, omitted };
}

/**
 * A PR comment: headline, a summary table per environment and component, then one collapsible section per
 * component with the changed objects' field changes (and YAML diff where it helps) and the added/removed
 * objects by kind and name. The whole body stays under `maxChars`: past the budget objects lose their diff,
 * then sections are left out, and a note says what was cut.
 */
export function renderMarkdown(report: DiffReport, options: MarkdownOptions = {}): string {
  const maxChars = options.maxChars ?? MARKDOWN_MAX_CHARS;
  const fullCommand = options.fullCommand ?? `npm run diff -- --base ${report.baseRef}`;
  const where = `${code('dist/')} at ${code(report.baseRef)} (${code(shortCommit(report.baseCommit))}) → this change`;
  if (report.objects.length === 0) {
    const warnings = report.warnings.map((w) => `> ${escapeHtml(w)}\n`).join('');
    return `### Rendered changes: none\n\n${where}: the clusters get the same objects (${report.environments.join(', ') || 'no environments'}).\n${warnings}`;
  }

  const NOTE_RESERVE = 700;
  let body = `### Rendered changes: ${counts(report.totals)}\n\n${where} · environments: ${report.environments.join(', ')}\n\n`;
  const table = summaryTable(report.components, Math.max(2000, Math.floor(maxChars / 3)));
  body += `${table.text}\n`;

  const total = report.objects.length;
  let shownObjects = 0;
  let briefObjects = 0;
  let omittedObjects = 0;
  let omittedSections = 0;
  const open = report.components.length === 1 ? ' open' : '';
  const sections = groupByComponent(report.objects);
  for (const [index, group] of sections.entries()) {
    const first = group[0];
    const summary = report.components[index] ?? { added: 0, changed: 0, removed: 0 };
    const opening = `<details${open}><summary><b>${escapeHtml(first.env)}</b> · ${escapeHtml(componentLabel(first.component))}: ${counts(summary)}</summary>\n\n`;
    const closing = '</details>\n\n';
    const budget = () => maxChars - NOTE_RESERVE - closing.length - body.length;
    if (budget() < opening.length + 200) {
      omittedSections = sections.length - index;
      omittedObjects += sections.slice(index).reduce((n, g) => n + g.length, 0);
      break;
    }
    let section = opening;
    let left = 0;
    const add = (text: string): boolean => {
      if (section.length + text.length > budget()) return false;
      section += text;
      return true;
    };
    const changed = group.filter((o) => o.status === 'changed');
    for (const o of changed) {
      if (left === 0) {
        if (add(markdownObjectFull(o))) { shownObjects++; continue; }
        if (add(markdownObjectBrief(o))) { shownObjects++; briefObjects++; continue; }
      }
      left++;
    }
    for (const status of ['added', 'removed'] as const) {
      const items = group.filter((o) => o.status === status);
      if (!items.length) continue;
      if (left === 0 && add(`**${status === 'added' ? 'Added' : 'Removed'}** (${items.length})\n\n`)) {
        for (const o of items) {
          if (left === 0 && add(markdownListItem(o))) { shownObjects++; continue; }
          left++;
        }
        section += '\n';
      } else {
        left += items.length;
      }
    }
    if (left) section += `_… ${plural(left, 'more object')} of this component left out (size limit)._\n\n`;
    omittedObjects += left;
    body += section + closing;
  }

  if (shownObjects < total || briefObjects > 0 || table.omitted > 0) {
    const parts = [
      `showing ${shownObjects} of ${plural(total, 'object')}`,
      briefObjects ? `${plural(briefObjects, 'diff')} left out` : '',
      omittedSections ? `${plural(omittedSections, 'component section')} left out` : '',
      table.omitted ? `${plural(table.omitted, 'summary row')} left out` : '',
    ].filter(Boolean).join(', ');
    body += `> [!WARNING]\n> **Truncated** to stay under GitHub's comment size limit: ${parts}. ` +
      `Run ${code(fullCommand)} (or ${code('--format text')}) locally for the full diff.\n`;
  }
  for (const w of report.warnings) {
    const line = `> ${escapeHtml(w)}\n`;
    if (body.length + line.length <= maxChars) body += line;
  }
  return body.length > maxChars ? `${body.slice(0, maxChars - 40)}\n\n_(cut at the size limit)_\n` : body;
}

function groupByComponent(objects: readonly ObjectDiff[]): ObjectDiff[][] {
  const groups: ObjectDiff[][] = [];
  let key = '';
  for (const o of objects) {
    const k = `${o.env}\0${componentKey(o.component)}`;
    if (k !== key) { groups.push([]); key = k; }
    groups[groups.length - 1].push(o);
  }
  return groups;
}
