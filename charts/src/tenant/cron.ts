import { Cron } from 'cdk8s';

/**
 * Cron schedules as the Kubernetes CronJob controller parses them (robfig/cron, standard parser): five fields
 * "minute hour day-of-month month day-of-week", or one of the macros. No seconds field, no `TZ=` prefix (use the
 * CronJob's `timeZone`), no `@every`.
 */
export const CRON_HINT = 'a cron schedule: 5 fields "minute hour day-of-month month day-of-week" like "0 2 * * *", or @hourly, @daily, @weekly, @monthly, @yearly';

const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

interface Field {
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const FIELDS: readonly Field[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS },
  { min: 0, max: 6, names: DAYS },
];

function value(text: string, field: Field): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n >= field.min && n <= field.max ? n : undefined;
  }
  const index = field.names?.indexOf(text.toUpperCase()) ?? -1;
  return index < 0 ? undefined : index + field.min;
}

function validItem(item: string, field: Field, wildcardQuestion: boolean): boolean {
  const [range, step, extra] = item.split('/');
  if (extra !== undefined) return false;
  if (step !== undefined && !(/^\d+$/.test(step) && Number(step) > 0)) return false;
  if (range === '*' || (wildcardQuestion && range === '?')) return true;
  const [from, to, more] = range.split('-');
  if (more !== undefined) return false;
  const start = value(from, field);
  if (start === undefined) return false;
  if (to === undefined) return true;
  const end = value(to, field);
  return end !== undefined && end >= start;
}

/** The five fields of a valid schedule (macros expanded), or undefined when it is not one. */
export function cronFields(schedule: string): string[] | undefined {
  const expanded = MACROS[schedule.trim()] ?? schedule.trim();
  const fields = expanded.split(/\s+/);
  if (fields.length !== 5) return undefined;
  const ok = fields.every((text, i) => text.split(',').every((item) => validItem(item, FIELDS[i], i === 2 || i === 4)));
  return ok ? fields : undefined;
}

export function isCronSchedule(schedule: string): boolean {
  return cronFields(schedule) !== undefined;
}

/** cdk8s Cron from a validated schedule (the schedule is rendered exactly as given, macros expanded). */
export function toCron(schedule: string): Cron {
  const fields = cronFields(schedule);
  if (!fields) throw new Error(`"${schedule}" is not ${CRON_HINT}`);
  const [minute, hour, day, month, weekDay] = fields;
  return Cron.schedule({ minute, hour, day, month, weekDay });
}
