import { redactText } from '../diff/redact';

/**
 * kubectl's failures (exit code > 1 for `kubectl diff`, non-zero for `kubectl get`), classified from stderr so
 * the preview can print one clear message each and decide what to do next.
 */

export type KubectlErrorKind =
  | 'kubectl-missing' // kubectl could not be started
  | 'config' // kubeconfig or context problem
  | 'unreachable' // no connection to the API server (network, DNS, TLS)
  | 'unauthorized' // credentials rejected
  | 'forbidden' // RBAC or an admission policy said no
  | 'missing-crd' // the kind is not served by the cluster
  | 'missing-namespace' // the object's namespace does not exist
  | 'invalid' // the server or kubectl rejected an object
  | 'conflict' // server-side apply field conflicts
  | 'unknown';

export interface KubectlError {
  readonly kind: KubectlErrorKind;
  /** One line a person can act on. */
  readonly message: string;
  /** The relevant kubectl output (first lines of stderr). */
  readonly detail: string;
  /** Nothing else can work either (unreachable, credentials, config): stop the whole preview. */
  readonly fatal: boolean;
  /** missing-crd: the kind and apiVersion kubectl could not map. */
  readonly missingKind?: { readonly kind: string; readonly apiVersion?: string };
  /** missing-crd from `kubectl get`: the resource type the server does not have. */
  readonly missingType?: string;
  /** missing-namespace: the namespace. */
  readonly namespace?: string;
  /** The object the message names, when it names one. */
  readonly object?: { readonly kind?: string; readonly resource?: string; readonly namespace?: string; readonly name: string };
}

const FATAL: ReadonlySet<KubectlErrorKind> = new Set(['kubectl-missing', 'config', 'unreachable', 'unauthorized']);

function relevantLines(stderr: string): string {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    // client-go's klog noise ("E1121 19:11:03.386750 4711 memcache.go:265] ...") repeats the real error.
    .filter((l) => l && !/^[EWI]\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ \S+:\d+\]/.test(l))
    .slice(0, 6)
    .join('\n');
}

function make(kind: KubectlErrorKind, message: string, detail: string, extra: Partial<KubectlError> = {}): KubectlError {
  // Server messages can quote the rejected value: redact like everything else shown to reviewers.
  return { kind, message: redactText(message), detail: redactText(detail), fatal: FATAL.has(kind), ...extra };
}

/** Classifies a failed kubectl run from its stderr (and exit code: -1 = could not start). */
export function classifyKubectlError(stderr: string, code: number): KubectlError {
  const detail = relevantLines(stderr) || `kubectl exited with ${code} and printed nothing`;
  const first = detail.split('\n')[0];
  if (code === -1) {
    return make('kubectl-missing', stderr.trim() || 'kubectl could not be started', detail);
  }
  if (/context "[^"]*" does not exist|context was not found for specified context|Error in configuration|no context exists with the name|no configuration has been provided|invalid configuration|error loading config file|couldn't get version\/kind; json parse error|unable to read certificate-authority|unable to read client-cert|unknown flag: --|flag provided but not defined/i.test(stderr)) {
    return make('config', `kubectl configuration problem: ${first.replace(/^error:\s*/i, '')} (check --kubeconfig/--context and the kubectl version)`, detail);
  }
  if (/You must be logged in to the server|\(Unauthorized\)|: Unauthorized\b|the server has asked for the client to provide credentials|getting credentials: exec/i.test(stderr)) {
    return make('unauthorized', 'the cluster rejected the credentials (Unauthorized): the kubeconfig\'s token may have expired or been revoked', detail);
  }
  if (/Unable to connect to the server|connection refused|dial tcp|no such host|i\/o timeout|TLS handshake timeout|context deadline exceeded|Client\.Timeout exceeded|no route to host|network is unreachable|x509: |certificate signed by unknown authority|couldn't get current server API group list|the server is currently unable to handle the request|http2: server sent GOAWAY/i.test(stderr)) {
    const cause = /(dial tcp [^\n"]*|no such host|i\/o timeout|TLS handshake timeout|x509: [^\n"]*|certificate signed by unknown authority|connection refused|context deadline exceeded)/i.exec(stderr)?.[1];
    return make('unreachable', `cannot reach the cluster's API server${cause ? ` (${cause.trim()})` : ''}: check the context, the network and that the cluster is up`, detail);
  }
  const noKind = /no matches for kind "([^"]+)" in version "([^"]+)"/.exec(stderr);
  if (noKind) {
    return make('missing-crd', `the cluster does not serve ${noKind[1]} (${noKind[2]}): its CustomResourceDefinition is not installed`, detail, {
      missingKind: { kind: noKind[1], apiVersion: noKind[2] },
    });
  }
  const noType = /the server doesn't have a resource type "([^"]+)"/.exec(stderr);
  if (noType) {
    return make('missing-crd', `the cluster does not serve resource type ${noType[1]}: its CustomResourceDefinition is not installed`, detail, { missingType: noType[1] });
  }
  const noNamespace = /namespaces "([^"]+)" not found/.exec(stderr);
  if (noNamespace) {
    return make('missing-namespace', `namespace ${noNamespace[1]} does not exist in the cluster`, detail, { namespace: noNamespace[1] });
  }
  if (/\(Forbidden\)|is forbidden:|forbidden: User/.test(stderr)) {
    const named = /(\S+) "([^"]+)" is forbidden/.exec(stderr);
    const admission = /ValidatingAdmissionPolicy '([^']+)'[^\n]*denied request: ([^\n]*)/.exec(stderr);
    const rbac = /cannot (\w+) resource "([^"]+)" in API group "([^"]*)"(?: in the namespace "([^"]+)")?/.exec(stderr);
    const escalation = /attempting to grant RBAC permissions not currently held/.test(stderr);
    const why = admission
      ? `admission policy ${admission[1]} denied it: ${admission[2]}`
      : rbac
        ? `the identity may not ${rbac[1]} ${rbac[2]}${rbac[3] ? `.${rbac[3]}` : ''}${rbac[4] ? ` in namespace ${rbac[4]}` : ''}`
        : escalation
          ? 'the identity may not grant RBAC permissions it does not hold (it needs the escalate and bind verbs on roles)'
          : first;
    return make('forbidden', `forbidden: ${why}`, detail, named ? { object: { resource: named[1].split('.')[0], name: named[2] } } : {});
  }
  if (/Apply failed with \d+ conflicts?/.test(stderr)) {
    return make('conflict', 'server-side apply conflicts with another field manager (the preview runs with --force-conflicts; is this kubectl too old?)', detail);
  }
  if (/ is invalid|\(Invalid\)|\(BadRequest\)|error validating|failed to create typed patch object|error converting YAML to JSON|error parsing|strict decoding error|unknown field|admission webhook "[^"]+" denied the request/i.test(stderr)) {
    const invalid = /The (\w+) "([^"]+)" is invalid/.exec(stderr);
    const typed = /failed to create typed patch object \(([^/;]*)\/?([^;]*); ([^)]*)\)/.exec(stderr);
    const object = invalid
      ? { kind: invalid[1], name: invalid[2] }
      : typed
        ? (typed[2] ? { namespace: typed[1], name: typed[2], kind: typed[3].split('Kind=')[1] } : { name: typed[1], kind: typed[3].split('Kind=')[1] })
        : undefined;
    const webhook = /admission webhook "([^"]+)" denied the request: ([^\n]*)/.exec(stderr);
    return make('invalid', webhook ? `admission webhook ${webhook[1]} rejected an object: ${webhook[2]}` : `the cluster rejected an object as invalid: ${first.replace(/^error:\s*/i, '')}`, detail, object ? { object } : {});
  }
  return make('unknown', `kubectl failed (exit ${code}): ${first}`, detail);
}
