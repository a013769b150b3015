/**
 * Validation of the schedules Velero accepts (robfig/cron's standard parser): five fields
 * (minute hour day-of-month month day-of-week) or a descriptor (@daily, @weekly, ..., @every 12h).
 */

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** `?` means "any" here (day-of-month, day-of-week). */
  readonly question?: boolean;
}

const FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31, question: true },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'], question: true },
];

const DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];
const EVERY = /^@every (?=\d)(\d+h)?(\d+m)?(\d+s)?$/;

export const CRON_HINT = 'a cron schedule like "0 2 * * *" (minute hour day-of-month month day-of-week) or @daily/@weekly/@every 12h';

function value(text: string, field: CronField): number | undefined {
  const named = field.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return field.min + named;
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= field.min && n <= field.max ? n : undefined;
}

function fieldProblem(text: string, field: CronField): string | undefined {
  for (const item of text.split(',')) {
    const [range, step, extra] = item.split('/');
    if (extra !== undefined || range === '') return `${field.name}: "${item}" is not a value, range or step`;
    if (step !== undefined && !(/^\d+$/.test(step) && Number(step) >= 1)) return `${field.name}: step "/${step}" must be a positive number`;
    if (range === '*' || (range === '?' && field.question)) continue;
    const [from, to, more] = range.split('-');
    if (more !== undefined) return `${field.name}: "${range}" is not a range`;
    const a = value(from, field);
    const b = to === undefined ? a : value(to, field);
    if (a === undefined || b === undefined) {
      const allowed = `${field.min}-${field.max}${field.names ? ` or ${field.names[0]}-${field.names.at(-1)}` : ''}`;
      return `${field.name}: "${range}" is outside ${allowed}`;
    }
    if (b < a) return `${field.name}: range "${range}" runs backwards`;
  }
  return undefined;
}

/** What is wrong with a schedule, or undefined when Velero will accept it. */
export function cronProblem(schedule: string): string | undefined {
  const trimmed = schedule.trim();
  if (trimmed.startsWith('@')) {
    return DESCRIPTORS.includes(trimmed) || EVERY.test(trimmed) ? undefined : `unknown descriptor "${trimmed}"`;
  }
  const fields = trimmed.split(/\s+/);
  if (fields.length !== 5) return `has ${fields.length} fields, expected 5 (minute hour day-of-month month day-of-week)`;
  for (const [i, field] of FIELDS.entries()) {
    const problem = fieldProblem(fields[i], field);
    if (problem) return problem;
  }
  return undefined;
}
