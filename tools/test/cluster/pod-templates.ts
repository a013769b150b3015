/**
 * Pods built from the pod templates in dist/, so that Pod admission (Pod Security, LimitRange, quota, validation of
 * the pod spec) can be exercised by a server-side dry-run: the API server admits a Deployment without looking at
 * its template the way it looks at a Pod (Pod Security only warns on templates), and no controller here turns
 * templates into pods.
 */
import type { DistObject } from '../../src/diff/objects';

interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: { volumes?: Array<Record<string, unknown>>; [key: string]: unknown };
}

interface Workload {
  spec?: {
    template?: PodTemplate;
    jobTemplate?: { spec?: { template?: PodTemplate } };
    volumeClaimTemplates?: Array<{ metadata?: { name?: string } }>;
  };
}

export interface PodFromTemplate {
  /** The object whose template this is. */
  readonly workload: DistObject;
  /** A bare Pod (apiVersion v1) with the template's metadata and spec, in the workload's namespace. */
  readonly pod: Record<string, unknown>;
}

/** Kinds that carry a pod template, and where. */
function templateOf(o: DistObject): PodTemplate | undefined {
  const spec = (o.manifest as Workload).spec;
  switch (`${o.group}/${o.kind}`) {
    case 'apps/Deployment':
    case 'apps/StatefulSet':
    case 'apps/DaemonSet':
    case 'apps/ReplicaSet':
    case 'batch/Job':
    case '/ReplicationController':
      return spec?.template;
    case 'batch/CronJob':
      return spec?.jobTemplate?.spec?.template;
    default:
      return undefined;
  }
}

/**
 * One Pod per pod template in `objects`. A StatefulSet's volumeClaimTemplates become PersistentVolumeClaim volumes
 * named as the StatefulSet controller names them (`<template>-<statefulset>-0`), as its pods would have them.
 */
export function podsFromTemplates(objects: readonly DistObject[]): PodFromTemplate[] {
  const out: PodFromTemplate[] = [];
  for (const workload of objects) {
    const template = templateOf(workload);
    if (!template) continue;
    const claims = (workload.manifest as Workload).spec?.volumeClaimTemplates ?? [];
    const volumes = [
      ...(template.spec.volumes ?? []),
      ...claims.map((c) => ({ name: c.metadata?.name, persistentVolumeClaim: { claimName: `${c.metadata?.name}-${workload.name}-0` } })),
    ];
    out.push({
      workload,
      pod: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `${workload.kind.toLowerCase()}-${workload.name}`.slice(0, 63).replace(/-+$/, ''),
          namespace: workload.namespace,
          ...(template.metadata?.labels ? { labels: template.metadata.labels } : {}),
          ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
        },
        spec: { ...template.spec, ...(volumes.length ? { volumes } : {}) },
      },
    });
  }
  return out;
}

/** A Deployment (as JSON for `kubectl apply -f -`) that passes the tenant namespaces' Pod Security level, quota and LimitRange. */
export function deployment(name: string, namespace: string): string {
  return JSON.stringify({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace },
    spec: {
      replicas: 1, selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: 'pause', image: 'registry.k8s.io/pause:3.9',
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
            resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '50m', memory: '32Mi' } },
          }],
        },
      },
    },
  });
}
