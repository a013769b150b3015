import type { Colors } from '../diff/format';
import { componentKey, componentLabel, DistObject } from '../diff/objects';
import type { KubectlError } from './classify';
import { ComponentPreview, PREVIEW_EXIT, PreviewReport } from './preview';
import type { PruneCandidate } from './prune';
import { code, escapeHtml, fenced } from '../markdown';

export const PREVIEW_FORMATS = ['text', 'markdown', 'json'] as const;
export type PreviewFormat = (typeof PREVIEW_FORMATS)[number];

const OUTCOME_WORDS: Record<PreviewReport['outcome'], string> = {
  'no-changes': 'no changes',
  changes: 'changes',
  errors: 'errors',
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function objectName(o: { namespace?: string; name: string }): string {
  return o.namespace ? `${o.namespace}/${o.name}` : o.name;
}

function listObjects(objects: readonly DistObject[], max = 5): string {
  const shown = objects.slice(0, max).map((o) => `${o.kind} ${objectName(o)}`);
  return objects.length > max ? `${shown.join(', ')}, … ${objects.length - max} more` : shown.join(', ');
}

/** One line per component: what would happen to it. */
export function componentResult(c: ComponentPreview): string {
  const create = c.changes.filter((x) => x.action === 'create').length;
  const unverified = c.changes.filter((x) => x.unverified).length;
  const update = c.changes.filter((x) => x.action === 'update').length;
  const skipped = c.notes.reduce((n, x) => n + x.objects.length, 0);
  const failed = c.problems.reduce((n, x) => n + x.objects.length, 0);
  const parts = [
    create ? `${create} to create${unverified ? ` (${unverified} not validated yet)` : ''}` : '',
    update ? `${update} to update` : '',
    c.prune.length ? `${c.prune.length} to prune` : '',
    skipped ? `${skipped} not previewed` : '',
    failed ? `${plural(failed, 'object')} failed` : '',
  ].filter(Boolean);
  if (!c.checked) parts.push('not checked (the preview stopped)');
  return parts.length ? parts.join(', ') : `no changes (${plural(c.objects, 'object')})`;
}

function errorLine(e: KubectlError): string {
  return `[${e.kind}] ${e.message}`;
}

function exitCodeOf(report: PreviewReport): number {
  return PREVIEW_EXIT[report.outcome];
}

// ---------------------------------------------------------------------------------------------------- JSON

/** The `preview --format json` document (stable; fields are only added). */
export function previewJson(report: PreviewReport): unknown {
  const ref = (o: { apiVersion?: string; kind: string; namespace?: string; name: string; manifest?: { apiVersion: string } }) => ({
    apiVersion: o.apiVersion ?? o.manifest?.apiVersion,
    kind: o.kind,
    ...(o.namespace ? { namespace: o.namespace } : {}),
    name: o.name,
  });
  const error = (e: KubectlError) => ({ kind: e.kind, message: e.message, detail: e.detail });
  return {
    version: 1,
    environment: report.env,
    ...(report.context ? { context: report.context } : {}),
    outcome: report.outcome,
    exitCode: exitCodeOf(report),
    ...(report.fatal ? { fatal: error(report.fatal) } : {}),
    steps: report.steps,
    components: report.components.map((c) => ({
      component: componentKey(c.component),
      objects: c.objects,
      changes: c.changes.map((x) => ({ ...ref(x.object), path: x.object.path, action: x.action, ...(x.unverified ? { unverified: x.unverified } : {}), diff: x.diff })),
      notes: c.notes.map((n) => ({ reason: n.reason, objects: n.objects.map(ref) })),
      problems: c.problems.map((p) => ({ ...error(p.error), objects: p.objects.map(ref) })),
      prune: c.prune.map((p: PruneCandidate) => ref(p)),
    })),
    prune: { checked: report.prune.checked, unservedTypes: report.prune.unservedTypes, ...(report.prune.error ? { error: error(report.prune.error) } : {}) },
  };
}

export function renderPreviewJson(report: PreviewReport): string {
  return `${JSON.stringify(previewJson(report), null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------------- text

export function renderPreviewText(report: PreviewReport, c: Colors): string {
  const out: string[] = [];
  const target = report.context ? `context ${report.context}` : 'the current kubeconfig context';
  out.push(`${c.bold(`Live preview of dist/${report.env}/`)} against ${target} (kubectl diff --server-side, in sync order)`, '');
  const width = Math.max(8, ...report.components.map((x) => componentLabel(x.component).length));
  for (const comp of report.components) {
    const line = componentResult(comp);
    const colour = comp.problems.length ? c.red : comp.changes.length || comp.prune.length ? c.yellow : c.dim;
    out.push(`  ${componentLabel(comp.component).padEnd(width)}  ${colour(line)}`);
  }
  for (const comp of report.components) {
    if (!comp.changes.length && !comp.prune.length && !comp.notes.length && !comp.problems.length) continue;
    out.push('', c.bold(c.underline(componentLabel(comp.component))));
    for (const change of comp.changes) {
      const mark = change.action === 'create' ? c.green('+') : c.yellow('~');
      out.push(`${mark} ${c.bold(change.object.kind)} ${objectName(change.object)} ${c.dim(`(${change.action}${change.unverified ? `; not validated: ${change.unverified}` : ''})`)}`);
      for (const line of change.diff ? change.diff.split('\n') : []) {
        const colour = line.startsWith('@@') ? c.cyan : line.startsWith('+') ? c.green : line.startsWith('-') ? c.red : (s: string) => s;
        out.push(`    ${colour(line)}`);
      }
    }
    for (const p of comp.prune) out.push(`${c.red('-')} ${c.bold(p.kind)} ${objectName(p)} ${c.dim('(would be pruned: in the cluster with this repository\'s labels, gone from dist/)')}`);
    for (const n of comp.notes) out.push(`${c.dim('·')} ${listObjects(n.objects)}: ${c.dim(n.reason)}`);
    for (const p of comp.problems) {
      out.push(`${c.red('✗')} ${listObjects(p.objects)}: ${c.red(errorLine(p.error))}`);
      for (const line of p.error.detail.split('\n').filter(Boolean)) out.push(`    ${c.dim(line)}`);
    }
  }
  if (report.prune.error) out.push('', c.red(`prune check failed: ${errorLine(report.prune.error)}`));
  else if (report.prune.unservedTypes.length) out.push('', c.dim(`prune check skipped kinds the cluster does not serve: ${report.prune.unservedTypes.join(', ')}`));
  if (report.fatal) {
    out.push('', c.red(`error: ${errorLine(report.fatal)}`));
    for (const line of report.fatal.detail.split('\n').filter(Boolean)) out.push(`    ${c.dim(line)}`);
    if (report.steps.length) out.push(c.dim(`(stopped after ${plural(report.steps.length, 'step')}: ${report.steps.map((s) => s.id).join(', ')})`));
  }
  const outcome = OUTCOME_WORDS[report.outcome];
  const colour = report.outcome === 'errors' ? c.red : report.outcome === 'changes' ? c.yellow : c.green;
  out.push('', `Result: ${colour(c.bold(outcome))} (exit ${exitCodeOf(report)})`);
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------------- markdown




export interface PreviewMarkdownOptions {
  /** Cap on the whole section. @default 20000 */
  readonly maxChars?: number;
}

/** A section for the PR comment: result per component, errors in full, object diffs collapsed, size-capped. */
export function renderPreviewMarkdown(report: PreviewReport, options: PreviewMarkdownOptions = {}): string {
  const maxChars = options.maxChars ?? 20_000;
  const icon = report.outcome === 'errors' ? '❌' : report.outcome === 'changes' ? '📝' : '✅';
  let body = `### ${icon} Live preview: ${code(report.env)} — ${OUTCOME_WORDS[report.outcome]}\n\n`
    + `Server-side dry-run (${code('kubectl diff --server-side')}) of ${code(`dist/${report.env}/`)} against the cluster, in sync order.\n\n`;
  if (report.fatal) {
    body += `> [!CAUTION]\n> **${escapeHtml(report.fatal.kind)}**: ${escapeHtml(report.fatal.message)}\n\n${fenced(report.fatal.detail, 'text')}\n\n`;
  }
  if (report.components.length) {
    body += '| Component | Result |\n|---|---|\n';
    for (const comp of report.components) body += `| ${componentLabel(comp.component)} | ${componentResult(comp)} |\n`;
    body += '\n';
  }
  const problems = report.components.flatMap((comp) => comp.problems.map((p) => ({ comp, p })));
  if (problems.length || report.prune.error) {
    body += '> [!CAUTION]\n';
    for (const { comp, p } of problems.slice(0, 20)) {
      body += `> **${escapeHtml(componentLabel(comp.component))}** (${escapeHtml(listObjects(p.objects, 3))}): ${escapeHtml(errorLine(p.error))}\n`;
    }
    if (problems.length > 20) body += `> … ${problems.length - 20} more\n`;
    if (report.prune.error) body += `> **prune check**: ${escapeHtml(errorLine(report.prune.error))}\n`;
    body += '\n';
  }
  const note = '_… left out (size limit): run `npm run preview -- --env ' + report.env + '` for everything._\n';
  let truncated = false;
  for (const comp of report.components) {
    if (!comp.changes.length && !comp.prune.length && !comp.notes.length) continue;
    let section = `<details><summary>${escapeHtml(componentLabel(comp.component))}: ${escapeHtml(componentResult(comp))}</summary>\n\n`;
    const closing = '</details>\n\n';
    const room = () => maxChars - body.length - closing.length - note.length;
    if (room() < section.length + 100) { truncated = true; break; }
    const add = (text: string): boolean => {
      if (section.length + text.length > room()) return false;
      section += text;
      return true;
    };
    let cut = false;
    for (const change of comp.changes) {
      const head = `**${change.object.kind}** ${code(objectName(change.object))}: ${change.action}${change.unverified ? ` _(not validated: ${escapeHtml(change.unverified)})_` : ''}\n\n`;
      const full = change.diff ? `${head}${fenced(change.diff, 'diff')}\n\n` : head;
      if (!cut && (add(full) || add(head))) continue;
      cut = true;
    }
    if (comp.prune.length && !cut) {
      add(`**Would be pruned** (in the cluster with this repository's labels, gone from ${code('dist/')}):\n\n`);
      for (const p of comp.prune) if (!add(`- ${p.kind} ${code(objectName(p))}\n`)) { cut = true; break; }
      section += '\n';
    }
    for (const n of comp.notes) if (!cut && !add(`- ${escapeHtml(listObjects(n.objects))}: ${escapeHtml(n.reason)}\n`)) cut = true;
    if (cut) { truncated = true; section += '\n_… more left out (size limit)._\n\n'; }
    body += `${section}\n${closing}`;
  }
  if (truncated) body += note;
  return body.length > maxChars ? `${body.slice(0, maxChars - 40)}\n\n_(cut at the size limit)_\n` : body;
}
