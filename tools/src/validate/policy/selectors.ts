/** Label selector semantics (metav1.LabelSelector), for the Service and PodDisruptionBudget rules. */

type Labels = Readonly<Record<string, unknown>>;

/** A Service's `spec.selector`: every pair must be present on the pod. */
export function matchesLabels(selector: Labels, labels: Labels): boolean {
  for (const key in selector) {
    if (labels[key] !== selector[key]) return false;
  }
  return true;
}

/** A LabelSelector with matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist); `{}` matches all. */
export function matchesSelector(selector: Record<string, unknown>, labels: Labels): boolean {
  const matchLabels = selector.matchLabels;
  if (matchLabels && typeof matchLabels === 'object' && !matchesLabels(matchLabels as Labels, labels)) return false;
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  for (const e of expressions as Array<{ key?: unknown; operator?: unknown; values?: unknown }>) {
    const has = typeof e.key === 'string' && Object.prototype.hasOwnProperty.call(labels, e.key);
    const value = has ? labels[e.key as string] : undefined;
    const values = Array.isArray(e.values) ? e.values : [];
    switch (e.operator) {
      case 'In': if (!has || !values.includes(value)) return false; break;
      case 'NotIn': if (has && values.includes(value)) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** `{a: "1", b: "2"}` → `a=1,b=2` (kubectl's notation). */
export function formatLabels(labels: Labels): string {
  return Object.entries(labels).map(([k, v]) => `${k}=${String(v)}`).join(',') || '(nothing)';
}

/** A LabelSelector in kubectl's notation: `a=1,b in (x,y),!c`. */
export function formatSelector(selector: Record<string, unknown>): string {
  const parts: string[] = [];
  const labels = selector.matchLabels;
  if (labels && typeof labels === 'object') for (const [k, v] of Object.entries(labels)) parts.push(`${k}=${String(v)}`);
  for (const e of (Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []) as Array<{ key: string; operator: string; values?: string[] }>) {
    parts.push(e.operator === 'Exists' ? e.key : e.operator === 'DoesNotExist' ? `!${e.key}` : `${e.key} ${String(e.operator).toLowerCase()} (${(e.values ?? []).join(',')})`);
  }
  return parts.join(',') || '(everything)';
}
