/**
 * What kubectl (v1.28) really prints on stderr in each failure, captured against a kube-apiserver 1.28 with
 * the preview identity; `kubectl diff` exits 2 in all of these cases.
 */
export const STDERR = {
  unreachable: [
    'E1121 19:11:03.386750    4711 memcache.go:265] couldn\'t get current server API group list: Get "https://127.0.0.1:1/api?timeout=32s": dial tcp 127.0.0.1:1: connect: connection refused',
    'error: unable to recognize "STDIN": Get "https://127.0.0.1:1/api?timeout=32s": dial tcp 127.0.0.1:1: connect: connection refused',
    '',
  ].join('\n'),
  unauthorized: 'error: You must be logged in to the server (Unauthorized)\n',
  noContext: 'error: context "nope" does not exist\n',
  forbiddenPatch: 'Error from server (Forbidden): deployments.apps "controller" is forbidden: User "system:serviceaccount:platform-preview:platform-preview" cannot patch resource "deployments" in API group "apps" in the namespace "ingress-nginx"\n',
  forbiddenCreateWebhook: 'Error from server (Forbidden): validatingwebhookconfigurations.admissionregistration.k8s.io "ingress-nginx-admission" is forbidden: User "system:serviceaccount:platform-preview:platform-preview" cannot patch resource "validatingwebhookconfigurations" in API group "admissionregistration.k8s.io" at the cluster scope\n',
  deniedByGuard: 'Error from server (Forbidden): configmaps "three" is forbidden: ValidatingAdmissionPolicy \'platform-preview-dry-run-only\' with binding \'platform-preview-dry-run-only\' denied request: system:serviceaccount:platform-preview:platform-preview is the read-only preview identity: only dry-run requests are allowed\n',
  escalation: 'Error from server (Forbidden): clusterroles.rbac.authorization.k8s.io "grants-secrets" is forbidden: user "system:serviceaccount:platform-preview:platform-preview" (groups=["system:serviceaccounts" "system:serviceaccounts:platform-preview" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}\n',
  invalid: 'The Deployment "api" is invalid: \n* spec.replicas: Invalid value: -1: must be greater than or equal to 0\n',
  typedPatch: 'Error from server: failed to create typed patch object (shop/settings; /v1, Kind=ConfigMap): .data.a: expected string, got &value.valueUnstructured{Value:1}\n',
  missingCrd: (kind: string, apiVersion: string, name: string, namespace: string) =>
    `error: resource mapping not found for name: "${name}" namespace: "${namespace}" from "STDIN": no matches for kind "${kind}" in version "${apiVersion}"\nensure CRDs are installed first\n`,
  missingNamespace: (namespace: string) => `Error from server (NotFound): namespaces "${namespace}" not found\n`,
  unknownType: (type: string) => `error: the server doesn't have a resource type "${type}"\n`,
};
