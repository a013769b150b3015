import type { z } from 'zod';

/** A problem the user can fix; printed without a stack trace, exit code 1. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

export interface FieldProblem {
  /** Field path like `nodePools[0].taints[1].effect`; empty for the whole document. */
  readonly path: string;
  /** What is wrong and what is allowed. */
  readonly message: string;
}

/** An invalid input file: names the file, each field path and what is allowed. */
export class SpecError extends UserError {
  constructor(readonly file: string, readonly problems: readonly FieldProblem[], readonly what = 'definition') {
    super(`${file}: invalid ${what}\n${problems.map((p) => `  ${p.path || '(document)'}: ${p.message}`).join('\n')}`);
    this.name = 'SpecError';
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    const name = String(key);
    const safe = /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
    if (safe !== name) return `${out}[${safe}]`;
    return out ? `${out}.${name}` : name;
  }, '');
}

function describeInput(input: unknown): string {
  if (input === undefined) return 'nothing';
  const text = JSON.stringify(input);
  return text === undefined ? String(input) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** zod issues → field problems, with the offending value when it helps. */
export function zodProblems(error: z.ZodError, prefix: readonly PropertyKey[] = []): FieldProblem[] {
  return error.issues.map((issue) => {
    const shown = issue.code === 'unrecognized_keys' || issue.code === 'custom' || !('input' in issue)
      ? '' : ` (got ${describeInput(issue.input)})`;
    return { path: formatPath([...prefix, ...issue.path]), message: `${issue.message}${shown}` };
  });
}
