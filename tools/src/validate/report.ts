import pc from 'picocolors';
import { ExceptionUse, Finding, ObjectRef, ValidationReport, describeObject } from './findings';

type Colors = ReturnType<typeof pc.createColors>;

export interface TextOptions {
  /** ANSI colours (only on a terminal). @default false */
  readonly color?: boolean;
  /** Show at most this many findings, then say how many were left out. @default all */
  readonly limit?: number;
  /** Only findings of this severity and worse. @default 'warning' */
  readonly minSeverity?: 'error' | 'warning';
  /** List the exceptions. @default true */
  readonly exceptions?: boolean;
}

function sameObject(a: ObjectRef | undefined, b: ObjectRef | undefined): boolean {
  return a === b || (!!a && !!b && a.kind === b.kind && a.name === b.name && a.namespace === b.namespace && a.apiVersion === b.apiVersion);
}

export function summaryLine(report: ValidationReport): string {
  const n = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
  return `validate: ${n(report.files, 'file')}, ${n(report.objects, 'object')}, ${n(report.errors, 'error')}, ${n(report.warnings, 'warning')}, ${n(report.exceptions.length, 'exception')}`;
}

/**
 * The report for people: findings grouped by file and object, each with its rule, field path, message and fix;
 * then the declared exceptions; then one summary line.
 */
export function formatText(report: ValidationReport, options: TextOptions = {}): string {
  const c: Colors = pc.createColors(options.color ?? false);
  const shown = options.minSeverity === 'error' ? report.findings.filter((f) => f.severity === 'error') : report.findings;
  const limit = options.limit ?? shown.length;
  const lines: string[] = [];
  let file: string | undefined;
  let object: ObjectRef | undefined;
  for (const f of shown.slice(0, limit)) {
    if (f.file !== file) {
      if (file !== undefined) lines.push('');
      lines.push(c.bold(f.file));
      file = f.file;
      object = undefined;
    }
    if (f.object && !sameObject(f.object, object)) {
      lines.push(`  ${describeObject(f.object)} ${c.dim(`(${f.object.apiVersion})`)}`);
      object = f.object;
    }
    lines.push(formatFinding(f, c));
  }
  if (shown.length > limit) lines.push('', `… and ${shown.length - limit} more`);
  if ((options.exceptions ?? true) && report.exceptions.length) {
    if (lines.length) lines.push('');
    lines.push(c.bold(`Policy exceptions (${report.exceptions.length}):`));
    for (const e of report.exceptions) lines.push(formatException(e, c));
  }
  if (lines.length) lines.push('');
  lines.push(report.errors ? c.red(summaryLine(report)) : summaryLine(report));
  return `${lines.join('\n')}\n`;
}

function formatFinding(f: Finding, c: Colors): string {
  const severity = f.severity === 'error' ? c.red('error') : c.yellow('warning');
  const indent = f.object ? '    ' : '  ';
  const where = f.path ? `${f.path}: ` : '';
  return `${indent}${severity} ${c.cyan(f.rule)} ${where}${f.message}\n${indent}  ${c.dim(`fix: ${f.hint}`)}`;
}

function formatException(e: ExceptionUse, c: Colors): string {
  return `  ${c.cyan(e.rule)} ${describeObject(e.object)} ${c.dim(e.file)}\n    ${e.reason}`;
}

/** Version of the JSON shape below; bumped on any incompatible change. */
export const JSON_REPORT_VERSION = 1;

/**
 * The report for machines (`--format json`), documented in tools/src/validate/README.md:
 * `{ version, summary: {files, objects, errors, warnings, exceptions}, findings: [...], exceptions: [...] }`.
 */
export function formatJson(report: ValidationReport): string {
  return `${JSON.stringify({
    version: JSON_REPORT_VERSION,
    summary: {
      files: report.files,
      objects: report.objects,
      errors: report.errors,
      warnings: report.warnings,
      exceptions: report.exceptions.length,
    },
    findings: report.findings.map((f) => ({
      file: f.file,
      object: f.object ? objectJson(f.object) : null,
      rule: f.rule,
      severity: f.severity,
      path: f.path,
      message: f.message,
      hint: f.hint,
    })),
    exceptions: report.exceptions.map((e) => ({ file: e.file, object: objectJson(e.object), rule: e.rule, reason: e.reason })),
  }, null, 2)}\n`;
}

function objectJson(o: ObjectRef): { apiVersion: string; kind: string; namespace: string | null; name: string } {
  return { apiVersion: o.apiVersion, kind: o.kind, namespace: o.namespace ?? null, name: o.name };
}
