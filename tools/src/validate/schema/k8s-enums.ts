/**
 * Enumerations of the Kubernetes 1.28 API that the Swagger 2.0 document does not carry (it has no `enum`
 * keywords; the values live in the Go types' `+enum` markers and in the API server's validation code).
 * Each list is what the API server accepts in 1.28. Sources: k8s.io/api v0.28 (core/v1/types.go,
 * apps/v1/types.go, batch/v1/types.go, networking/v1/types.go, policy/v1/types.go, storage/v1/types.go,
 * admissionregistration/v1/types.go) and kubernetes/kubernetes release-1.28 pkg/apis/<group>/validation.
 *
 * Keys are Swagger definition names; values map a property to its allowed values. For array properties the
 * values constrain the items.
 */
export const K8S_ENUMS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  'io.k8s.api.core.v1.Container': {
    imagePullPolicy: ['Always', 'IfNotPresent', 'Never'],
    terminationMessagePolicy: ['File', 'FallbackToLogsOnError'],
  },
  'io.k8s.api.core.v1.EphemeralContainer': {
    imagePullPolicy: ['Always', 'IfNotPresent', 'Never'],
    terminationMessagePolicy: ['File', 'FallbackToLogsOnError'],
  },
  'io.k8s.api.core.v1.ContainerPort': { protocol: ['TCP', 'UDP', 'SCTP'] },
  'io.k8s.api.core.v1.ServicePort': { protocol: ['TCP', 'UDP', 'SCTP'] },
  'io.k8s.api.core.v1.EndpointPort': { protocol: ['TCP', 'UDP', 'SCTP'] },
  'io.k8s.api.discovery.v1.EndpointPort': { protocol: ['TCP', 'UDP', 'SCTP'] },
  'io.k8s.api.networking.v1.NetworkPolicyPort': { protocol: ['TCP', 'UDP', 'SCTP'] },
  'io.k8s.api.networking.v1.NetworkPolicySpec': { policyTypes: ['Ingress', 'Egress'] },
  'io.k8s.api.networking.v1.HTTPIngressPath': { pathType: ['Exact', 'Prefix', 'ImplementationSpecific'] },
  'io.k8s.api.core.v1.PodSpec': {
    restartPolicy: ['Always', 'OnFailure', 'Never'],
    dnsPolicy: ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'],
    preemptionPolicy: ['PreemptLowerPriority', 'Never'],
  },
  'io.k8s.api.core.v1.PodSecurityContext': { fsGroupChangePolicy: ['OnRootMismatch', 'Always'] },
  'io.k8s.api.core.v1.SecurityContext': { procMount: ['Default', 'Unmasked'] },
  'io.k8s.api.core.v1.SeccompProfile': { type: ['Localhost', 'RuntimeDefault', 'Unconfined'] },
  'io.k8s.api.core.v1.Toleration': {
    operator: ['Exists', 'Equal'],
    effect: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'],
  },
  'io.k8s.api.core.v1.Taint': { effect: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] },
  'io.k8s.api.core.v1.NodeSelectorRequirement': { operator: ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'] },
  // Not an OpenAPI enum, but the only operators metav1.LabelSelectorAsSelector accepts.
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement': { operator: ['In', 'NotIn', 'Exists', 'DoesNotExist'] },
  'io.k8s.api.core.v1.TopologySpreadConstraint': {
    whenUnsatisfiable: ['DoNotSchedule', 'ScheduleAnyway'],
    nodeAffinityPolicy: ['Honor', 'Ignore'],
    nodeTaintsPolicy: ['Honor', 'Ignore'],
  },
  'io.k8s.api.core.v1.HTTPGetAction': { scheme: ['HTTP', 'HTTPS'] },
  'io.k8s.api.core.v1.ServiceSpec': {
    type: ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'],
    externalTrafficPolicy: ['Cluster', 'Local'],
    internalTrafficPolicy: ['Cluster', 'Local'],
    sessionAffinity: ['ClientIP', 'None'],
    ipFamilyPolicy: ['SingleStack', 'PreferDualStack', 'RequireDualStack'],
    ipFamilies: ['IPv4', 'IPv6'],
  },
  'io.k8s.api.core.v1.PersistentVolumeClaimSpec': {
    volumeMode: ['Block', 'Filesystem'],
    accessModes: ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'],
  },
  'io.k8s.api.core.v1.PersistentVolumeSpec': {
    volumeMode: ['Block', 'Filesystem'],
    accessModes: ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'],
    persistentVolumeReclaimPolicy: ['Recycle', 'Delete', 'Retain'],
  },
  'io.k8s.api.core.v1.HostPathVolumeSource': {
    type: ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'],
  },
  'io.k8s.api.apps.v1.DeploymentStrategy': { type: ['Recreate', 'RollingUpdate'] },
  'io.k8s.api.apps.v1.DaemonSetUpdateStrategy': { type: ['RollingUpdate', 'OnDelete'] },
  'io.k8s.api.apps.v1.StatefulSetUpdateStrategy': { type: ['RollingUpdate', 'OnDelete'] },
  'io.k8s.api.apps.v1.StatefulSetSpec': { podManagementPolicy: ['OrderedReady', 'Parallel'] },
  'io.k8s.api.apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy': {
    whenDeleted: ['Retain', 'Delete'],
    whenScaled: ['Retain', 'Delete'],
  },
  'io.k8s.api.batch.v1.JobSpec': { completionMode: ['NonIndexed', 'Indexed'] },
  'io.k8s.api.batch.v1.CronJobSpec': { concurrencyPolicy: ['Allow', 'Forbid', 'Replace'] },
  'io.k8s.api.policy.v1.PodDisruptionBudgetSpec': { unhealthyPodEvictionPolicy: ['IfHealthyBudget', 'AlwaysAllow'] },
  'io.k8s.api.storage.v1.StorageClass': {
    reclaimPolicy: ['Recycle', 'Delete', 'Retain'],
    volumeBindingMode: ['Immediate', 'WaitForFirstConsumer'],
  },
  'io.k8s.api.admissionregistration.v1.MutatingWebhook': {
    failurePolicy: ['Ignore', 'Fail'],
    matchPolicy: ['Exact', 'Equivalent'],
    sideEffects: ['None', 'NoneOnDryRun', 'Some', 'Unknown'],
    reinvocationPolicy: ['Never', 'IfNeeded'],
  },
  'io.k8s.api.admissionregistration.v1.ValidatingWebhook': {
    failurePolicy: ['Ignore', 'Fail'],
    matchPolicy: ['Exact', 'Equivalent'],
    sideEffects: ['None', 'NoneOnDryRun', 'Some', 'Unknown'],
  },
  'io.k8s.api.admissionregistration.v1.RuleWithOperations': {
    scope: ['*', 'Cluster', 'Namespaced'],
    operations: ['*', 'CREATE', 'UPDATE', 'DELETE', 'CONNECT'],
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionSpec': { scope: ['Cluster', 'Namespaced'] },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceConversion': { strategy: ['None', 'Webhook'] },
};
