import type { ErrorObject } from 'ajv';
import { LIST_MAP_KEYS } from './convert';

/** List-map keys the API server defaults before comparing items (ports without a protocol are TCP ports). */
const KEY_DEFAULTS: Readonly<Record<string, unknown>> = { protocol: 'TCP' };

/** `x-kubernetes-list-type: map`: no two items may have the same values for the key fields. */
export function validateListMapKeys(keys: string[], data: unknown[]): boolean {
  const seen = new Map<string, number>();
  const errors: Partial<ErrorObject>[] = [];
  for (let i = 0; i < data.length; i++) {
    const item = data[i];
    if (!item || typeof item !== 'object') continue;
    const values = keys.map((k) => (item as Record<string, unknown>)[k] ?? KEY_DEFAULTS[k]);
    const id = JSON.stringify(values);
    const first = seen.get(id);
    if (first === undefined) {
      seen.set(id, i);
    } else {
      errors.push({
        keyword: LIST_MAP_KEYS,
        params: { index: i, first, keys },
        message: `duplicate entry: items [${first}] and [${i}] have the same ${keys.map((k, j) => `${k}=${JSON.stringify(values[j]) ?? '(unset)'}`).join(', ')}`,
      });
    }
  }
  (validateListMapKeys as unknown as { errors: Partial<ErrorObject>[] }).errors = errors;
  return errors.length === 0;
}
