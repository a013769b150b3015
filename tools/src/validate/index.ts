/**
 * Validation of rendered trees (schema + platform policy). The synth calls `validateStagedTree` on the freshly
 * rendered staging tree before swapping it into dist/; `platformctl validate` checks files on disk.
 * Design, checks and the JSON report format: README.md beside this file.
 */
import { basename, relative } from 'node:path';
import { UserError } from '../errors';
import { Workspace } from '../workspace';
import { EnvironmentInfo, loadEnvironmentInfo } from './environments';
import { ValidationReport } from './findings';
import { formatText } from './report';
import { validateTree } from './validator';

export { CHECKS, describeObject } from './findings';
export type { CheckId, ExceptionUse, Finding, ObjectRef, Severity, ValidationReport } from './findings';
export { loadEnvironmentInfo } from './environments';
export type { EnvironmentInfo } from './environments';
export { POLICY } from './policy/rules';
export type { PolicyRule } from './policy/rules';
export { JSON_REPORT_VERSION, formatJson, formatText, summaryLine } from './report';
export { defaultRegistry, validateTree } from './validator';
export type { ValidateTreeOptions } from './validator';

export interface StagedTreeValidation {
  /** Staging root (contains <env>/ directories). */
  readonly root: string;
  /** Environments rendered into it. */
  readonly envs: readonly string[];
  /** Environments of the repository. @default loaded from the repository the staging root (or the cwd) is in */
  readonly environments?: ReadonlyMap<string, EnvironmentInfo>;
}

/** Findings shown in the synth's error message; the rest are counted. */
export const STAGED_REPORT_LIMIT = 50;

/** Throws a UserError describing every violation; returns normally when the tree is clean. */
export function validateStagedTree(tree: StagedTreeValidation): void {
  const environments = tree.environments ?? environmentsNear(tree.root);
  // Staging trees are named `.<dist>.staging-XXXXXX` beside the dist directory: report paths as <dist>/<env>/...
  const dist = /^\.(.+)\.staging-/.exec(basename(tree.root))?.[1] ?? 'dist';
  const report = validateTree({
    dir: tree.root,
    envs: tree.envs,
    environments,
    display: (abs) => `${dist}/${relative(tree.root, abs)}`,
  });
  if (report.errors > 0) throw new UserError(stagedFailure(report, dist));
}

/**
 * Validates one unit's output, in memory, as the synth renders it (before it is cached or written): the same
 * schema and policy checks as `validate`, over the unit's own objects — every cross-object rule (namespace
 * guardrails, Service and PDB selectors, custom resources against their CRDs) concerns objects one unit renders.
 * Throws a UserError with the report when anything fails.
 */
export function validateUnitFiles(input: {
  readonly files: ReadonlyArray<{ readonly path: string; readonly content: string }>;
  readonly environments: ReadonlyMap<string, EnvironmentInfo>;
  /** How dist/ is shown in messages. @default "dist" */
  readonly dist?: string;
}): void {
  const root = '/staging';
  const dist = input.dist ?? 'dist';
  const contents = new Map(input.files.map((f) => [`${root}/${f.path}`, f.content]));
  const files = input.files.map((f) => ({ abs: `${root}/${f.path}`, display: `${dist}/${f.path}`, env: f.path.slice(0, f.path.indexOf('/')) }));
  const report = validateTree({
    dir: root,
    envs: [...new Set(files.map((f) => f.env))],
    environments: input.environments,
    files,
    read: (abs) => contents.get(abs)!,
    display: (abs) => `${dist}/${abs.slice(root.length + 1)}`,
  });
  if (report.errors > 0) throw new UserError(stagedFailure(report, dist));
}

/** The synth's error message: the errors (capped), what was checked, and how to see everything. */
export function stagedFailure(report: ValidationReport, dist = 'dist'): string {
  const text = formatText(report, { limit: STAGED_REPORT_LIMIT, minSeverity: 'error', exceptions: false }).trimEnd();
  return `validation failed; ${dist}/ was left unchanged\n\n${text}\n`
    + `full report: platformctl synth --no-validate --out /tmp/${dist}-check && platformctl validate --dir /tmp/${dist}-check`;
}

function environmentsNear(root: string): Map<string, EnvironmentInfo> {
  let ws: Workspace;
  try {
    ws = Workspace.find(root);
  } catch {
    try {
      ws = Workspace.find(process.cwd());
    } catch {
      throw new UserError(`validation: no platform repository (environments/) at or above ${root} or the current directory`);
    }
  }
  return loadEnvironmentInfo(ws);
}
