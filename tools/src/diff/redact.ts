/**
 * Redaction of credential-like values before anything is shown to a reviewer (PR comments are public to
 * everyone who can read the repository, CI logs to even more people). Over-redaction is the accepted
 * failure mode: a reviewer who needs a hidden value reads the file in the PR itself.
 *
 * Rules (every output format of `diff` and `preview` goes through them):
 * - Secret objects: every value under `data` and `stringData` (the keys stay visible).
 * - Container env entries `{ name, value }` whose name looks like a credential (PASSWORD, TOKEN, SECRET, KEY...).
 * - Annotations and any other map key whose name looks like a credential, when the value is a string.
 * - Credential-looking text anywhere: the password of URLs with user:password@, PEM blocks, AWS access key ids,
 *   GitHub/Slack tokens, JWTs, `Authorization: Bearer ...`, and `password: ...`/`token=...` pairs inside
 *   embedded config files.
 */

export const REDACTED = '[redacted]';

/** Env var names that carry credentials. Deliberately broad (KEY also hides e.g. CACHE_KEY). */
const SECRET_ENV_NAME = /(PASS(WORD|WD|PHRASE)?|PWD|TOKEN|SECRET|KEY|CREDENTIAL|AUTH|PRIVATE|DSN)/i;

/** Map keys (annotations, CR fields) whose string value is a credential. Matched on the last path segment. */
const SECRET_KEY_NAME = /(^|[-_.])(password|passwd|passphrase|secret|token|credentials?|api-?key|apikey|access-?key|private-?key|secret-?key|client-?secret|auth-?token|bearer)$/i;
const SECRET_KEY_CAMEL = /(Password|Passwd|Passphrase|Secret|Token|Credentials?|ApiKey|AccessKey|PrivateKey|SecretKey)$/;

/** Keys whose values look secret by name but are references or public data. */
const NOT_SECRET_KEY = /(secretName|secretRef|SecretRef|existingSecret|tokenFile|token_file|passwordFile|password_file|serviceAccountToken|automountServiceAccountToken|secretKeyRef|keySecret|secretStore)$/;

export function looksLikeSecretEnvName(name: string): boolean {
  return SECRET_ENV_NAME.test(name);
}

export function looksLikeSecretKey(key: string): boolean {
  const last = key.split('/').pop() ?? key;
  if (NOT_SECRET_KEY.test(last)) return false;
  return SECRET_KEY_NAME.test(last) || SECRET_KEY_CAMEL.test(last);
}

interface TextRule {
  readonly pattern: RegExp;
  readonly replace: string | ((...groups: string[]) => string);
}

const TEXT_RULES: readonly TextRule[] = [
  // PEM blocks (keys and certificates alike): the whole block.
  { pattern: /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?(-----END \1-----|$)/g, replace: REDACTED },
  // scheme://user:password@host → keep the user and host, hide the password.
  { pattern: /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@"'`]+:)([^\s@/"'`]+)@/gi, replace: (_m, head) => `${head}${REDACTED}@` },
  // AWS access key ids; the secret key usually sits next to one and is caught by the key=value rule below.
  { pattern: /\b(AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/g, replace: REDACTED },
  // GitHub, GitLab, Slack, Google API tokens.
  { pattern: /\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35})\b/g, replace: REDACTED },
  // JWTs (three base64url segments, the first two JSON objects).
  { pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, replace: REDACTED },
  // Authorization headers.
  { pattern: /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, replace: (_m, scheme) => `${scheme} ${REDACTED}` },
  // password: x / token = "x" / "apiKey": "x" inside embedded config files (INI, YAML, JSON, TOML, env files).
  {
    pattern: /((?:^|[\s{,;"'])(?:[A-Za-z0-9_.-]*[_.-])?(?:password|passwd|passphrase|secret|token|api[_-]?key|apikey|access[_-]?key|secret[_-]?key|private[_-]?key|client[_-]?secret|credentials?)["']?\s*[:=]\s*)("[^"\n]*"|'[^'\n]*'|[^\s,;#}\n]+)/gim,
    replace: (_m, head, value) => (value === REDACTED || /^["']?\[redacted\]/.test(value) || /^[|>][-+]?$/.test(value) ? `${head}${value}` : `${head}${REDACTED}`),
  },
];

/** Redacts credential-looking parts of free text (config files in ConfigMaps, args, kubectl output). */
export function redactText(text: string): string {
  let out = text;
  for (const rule of TEXT_RULES) {
    out = out.replace(rule.pattern, rule.replace as (substring: string, ...args: string[]) => string);
  }
  return out;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A redacted deep copy of a Kubernetes object. The structure (keys, list lengths) is unchanged, only values
 * are replaced, so field paths computed on the original object address the same place in the copy.
 */
export function redactObject<T>(object: T): T {
  const kind = isPlainObject(object) ? object.kind : undefined;
  return walk(object as unknown as Json, [], kind === 'Secret') as unknown as T;
}

function walk(value: Json, path: readonly string[], isSecret: boolean): Json {
  if (typeof value === 'string') {
    const key = path[path.length - 1] ?? '';
    if (isSecret && path.length === 2 && (path[0] === 'data' || path[0] === 'stringData')) return REDACTED;
    if (key && looksLikeSecretKey(key)) return REDACTED;
    return redactText(value);
  }
  if (Array.isArray(value)) return value.map((item, i) => walk(item, [...path, String(i)], isSecret));
  if (isPlainObject(value)) {
    const out: { [key: string]: Json } = {};
    const envEntry = typeof value.name === 'string' && 'value' in value && looksLikeSecretEnvName(value.name);
    for (const [key, child] of Object.entries(value)) {
      if (envEntry && key === 'value' && child !== null && child !== '') out[key] = REDACTED;
      else out[key] = walk(child as Json, [...path, key], isSecret);
    }
    return out;
  }
  return value;
}

/**
 * Redacts YAML text, or a unified diff of YAML (`diffMarkers`: the first character of each line is the
 * diff's ' ', '+' or '-'), line by line: the text rules, plus `value:` lines of env entries whose `name:`
 * looks like a credential, plus `key: value` lines whose key looks like a credential. For text that only
 * exists as text (kubectl's output); objects are redacted structurally with `redactObject`.
 */
export function redactYamlText(text: string, diffMarkers = false): string {
  let envIndent = -1;
  return text.split('\n').map((line) => {
    const header = diffMarkers && /^(---|\+\+\+|@@|diff )/.test(line);
    if (header) return redactText(line);
    const marker = diffMarkers ? line.slice(0, 1) : '';
    const content = diffMarkers ? line.slice(1) : line;
    const name = /^(\s*(?:-\s+)?)name:\s*["']?([A-Za-z0-9_.-]+)["']?\s*$/.exec(content);
    if (name) {
      envIndent = looksLikeSecretEnvName(name[2]) ? name[1].length : -1;
      return line;
    }
    const value = /^(\s*(?:-\s+)?)value:\s*\S/.exec(content);
    if (value && envIndent >= 0 && value[1].length === envIndent) {
      return `${marker}${value[1]}value: ${REDACTED}`;
    }
    const pair = /^(\s*(?:-\s+)?)(["']?)([A-Za-z0-9_./-]+)\2:\s+(\S.*)$/.exec(content);
    if (pair && looksLikeSecretKey(pair[3]) && !/^[|>][-+]?\d*$/.test(pair[4]) && pair[4] !== REDACTED && !/^[{[]/.test(pair[4])) {
      return `${marker}${pair[1]}${pair[2]}${pair[3]}${pair[2]}: ${REDACTED}`;
    }
    return redactText(line);
  }).join('\n');
}
