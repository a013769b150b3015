import { Component, compareComponents, componentKey, DistObject } from '../diff/objects';
import { redactYamlText } from '../diff/redact';
import { classifyKubectlError, KubectlError } from './classify';
import type { Kubectl } from './kubectl';
import { kubectlDiffName, parseKubectlDiff, parseKubectlDiffName } from './kubectl-diff';
import { planSteps, PreviewStep } from './plan';
import { detectPrune, PruneCandidate } from './prune';

/** API groups of the GitOps engines: their objects are skipped, not failed, when the engine is not installed. */
const ENGINE_GROUP = /(^|\.)argoproj\.io$|(^|\.)toolkit\.fluxcd\.io$/;
/** Namespaces the GitOps engines install themselves in: objects there wait for the engine, like its CRDs. */
const ENGINE_NAMESPACES = new Set(['argocd', 'flux-system']);

/**
 * Admission configuration is exempt from admission policies (a ValidatingAdmissionPolicy cannot guard it), so
 * the preview identity gets no write verb on it, not even for a dry-run. Its objects are reported as "not
 * previewed" when the cluster says forbidden.
 */
const ADMISSION_GROUP = 'admissionregistration.k8s.io';

/** What the server-side dry-run says about one object. */
export interface ObjectPreview {
  readonly object: DistObject;
  readonly action: 'create' | 'update';
  /** live → merged diff hunks, redacted; "" when the server could not be asked (see `unverified`). */
  readonly diff: string;
  /** Why the server did not validate it (e.g. its namespace is created by this change). */
  readonly unverified?: string;
}

/** Objects left out on purpose, and why. */
export interface PreviewNote {
  readonly objects: readonly DistObject[];
  readonly reason: string;
}

export interface PreviewProblem {
  readonly error: KubectlError;
  readonly objects: readonly DistObject[];
}

export interface ComponentPreview {
  readonly component: Component;
  /** Objects of this component in dist/<env>/. */
  readonly objects: number;
  /** Every step with objects of this component ran (false when the preview stopped early). */
  readonly checked: boolean;
  readonly changes: ObjectPreview[];
  readonly notes: PreviewNote[];
  readonly problems: PreviewProblem[];
  readonly prune: PruneCandidate[];
}

export type PreviewOutcome = 'no-changes' | 'changes' | 'errors';

/** Exit codes of `platformctl preview`. 2 is commander's usage error, so cluster errors get 3. */
export const PREVIEW_EXIT: Record<PreviewOutcome, number> = { 'no-changes': 0, changes: 1, errors: 3 };

export interface PreviewReport {
  readonly env: string;
  readonly context?: string;
  readonly steps: ReadonlyArray<{ readonly id: string; readonly objects: number; readonly kubectlCalls: number }>;
  readonly components: readonly ComponentPreview[];
  /** A failure that stopped the preview (unreachable cluster, rejected credentials, kubectl missing). */
  readonly fatal?: KubectlError;
  readonly prune: { readonly checked: boolean; readonly unservedTypes: readonly string[]; readonly error?: KubectlError };
  readonly outcome: PreviewOutcome;
}

export interface PreviewOptions {
  readonly env: string;
  readonly kubectl: Kubectl;
  /** Objects of dist/<env>/ (working tree). */
  readonly objects: readonly DistObject[];
  /** Add-ons in sync order (see addonSyncOrder). @default by name */
  readonly addonOrder?: readonly string[];
  /** Server-side apply field manager; the GitOps engine's own name shows removed fields exactly. @default "platformctl-preview" */
  readonly fieldManager?: string;
  /** Objects kubectl diffs in parallel. @default 4 */
  readonly concurrency?: number;
  /** Look for objects the sync would prune. @default true */
  readonly prune?: boolean;
  /** kubectl calls allowed per step while isolating failing objects (halving the batch). @default 24 */
  readonly maxCallsPerStep?: number;
  /** Called before each step (progress). */
  readonly onStep?: (step: PreviewStep, index: number, total: number) => void;
  /**
   * Objects the preview identity may not dry-run by design, with the reason (see `previewLimits`): they are
   * reported as not previewed instead of being sent and failing. @default none
   */
  readonly notPreviewable?: (o: DistObject) => string | undefined;
}

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/**
 * What the preview identity of an environment cannot dry-run, by design: Secrets (it may not read credentials);
 * and where the cluster has no write guard (`gitops.preview.writeGuard: none`), RBAC objects and the GitOps
 * engine's own objects — without the guard, dry-run rights on those would be real rights to grant anything.
 */
export function previewLimits(writeGuard: 'v1' | 'v1beta1' | 'none'): (o: DistObject) => string | undefined {
  return (o) => {
    if (o.group === '' && o.kind === 'Secret') return 'the preview identity may not read Secrets; review them in the rendered diff (platformctl diff)';
    if (writeGuard !== 'none') return undefined;
    if (o.group === RBAC_GROUP || ENGINE_GROUP.test(o.group)) {
      return `this cluster has no write guard for the preview identity (gitops.preview.writeGuard: none), so it may not even dry-run ${o.group} objects; review them in the rendered diff`;
    }
    return undefined;
  };
}

class FatalKubectlError extends Error {
  constructor(readonly error: KubectlError) {
    super(error.message);
  }
}

function toStdin(objects: readonly DistObject[]): string {
  return objects.map((o) => (o.source.endsWith('\n') ? o.source : `${o.source}\n`)).map((s) => `---\n${s}`).join('');
}

function crdKinds(objects: readonly DistObject[]): Set<string> {
  const kinds = new Set<string>();
  for (const o of objects) {
    if (o.kind !== 'CustomResourceDefinition') continue;
    const spec = o.manifest.spec as { group?: string; names?: { kind?: string } } | undefined;
    if (spec?.group && spec.names?.kind) kinds.add(`${spec.group}/${spec.names.kind}`);
  }
  return kinds;
}

/**
 * `kubectl diff --server-side` of dist/<env>/ against the live cluster, step by step in GitOps sync order, then
 * the objects the sync would prune. kubectl stops at the first failing object of a batch, so a failing batch
 * is narrowed down: objects whose CRD or namespace this change creates are taken out (they would be created;
 * the server cannot validate them yet), an object named in the error is taken out, otherwise the batch is
 * halved, so one bad object does not hide the preview of the others.
 */
export async function runPreview(options: PreviewOptions): Promise<PreviewReport> {
  const { env, kubectl, objects } = options;
  const fieldManager = options.fieldManager ?? 'platformctl-preview';
  const concurrency = options.concurrency ?? 4;
  const maxCalls = options.maxCallsPerStep ?? 24;
  const steps = planSteps(objects, options.addonOrder ?? []);
  const pendingCrds = crdKinds(objects);
  const distNamespaces = new Set(objects.filter((o) => o.kind === 'Namespace' && !o.group).map((o) => o.name));

  const components = new Map<string, ComponentPreview>();
  const componentFor = (c: Component): ComponentPreview => {
    const key = componentKey(c);
    let entry = components.get(key);
    if (!entry) {
      entry = { component: c, objects: 0, checked: true, changes: [], notes: [], problems: [], prune: [] };
      components.set(key, entry);
    }
    return entry;
  };
  for (const o of objects) (componentFor(o.component) as { objects: number }).objects += 1;

  const byComponent = (list: readonly DistObject[]) => {
    const groups = new Map<string, DistObject[]>();
    for (const o of list) {
      const key = componentKey(o.component);
      groups.set(key, [...(groups.get(key) ?? []), o]);
    }
    return [...groups.values()];
  };
  const note = (list: readonly DistObject[], reason: string) => {
    for (const group of byComponent(list)) componentFor(group[0].component).notes.push({ objects: group, reason });
  };
  const problem = (list: readonly DistObject[], error: KubectlError) => {
    for (const group of byComponent(list)) componentFor(group[0].component).problems.push({ objects: group, error });
  };
  const unverified = (list: readonly DistObject[], why: string) => {
    for (const o of list) componentFor(o.component).changes.push({ object: o, action: 'create', diff: '', unverified: why });
  };
  const skippedKinds = new Set<string>();

  const diffArgs = ['diff', '--server-side', '--force-conflicts', `--field-manager=${fieldManager}`, `--concurrency=${concurrency}`, '-f', '-'];
  const stepReports: Array<{ id: string; objects: number; kubectlCalls: number }> = [];
  let fatal: KubectlError | undefined;

  const runStep = async (step: PreviewStep): Promise<number> => {
    let calls = 0;
    const excluded = new Map<string, DistObject[]>();
    const sendable = step.objects.filter((o) => {
      const why = options.notPreviewable?.(o);
      if (why) excluded.set(why, [...(excluded.get(why) ?? []), o]);
      return !why;
    });
    for (const [why, list] of excluded) note(list, `not previewed: ${why}`);
    // Admission configuration goes in its own batch: the preview identity may not dry-run it (see ADMISSION_GROUP).
    const admission = sendable.filter((o) => o.group === ADMISSION_GROUP);
    const queue: DistObject[][] = [sendable.filter((o) => o.group !== ADMISSION_GROUP), admission].filter((b) => b.length);
    while (queue.length) {
      const batch = queue.shift()!;
      if (!batch.length) continue;
      if (calls >= maxCalls) {
        problem(batch, { kind: 'unknown', message: `not previewed: gave up isolating failing objects after ${maxCalls} kubectl calls in step ${step.id}`, detail: '', fatal: false });
        continue;
      }
      calls++;
      const result = await kubectl.run(diffArgs, toStdin(batch));
      // kubectl diff: 0 no differences, 1 differences, >1 error. (Old kubectl versions exit 1 on errors too:
      // a 1 without any diff on stdout but with an error on stderr is an error.)
      const failed = result.code > 1 || result.code < 0 || (result.code === 1 && !/^diff /m.test(result.stdout) && result.stderr.trim() !== '');
      if (!failed) {
        const byName = new Map(batch.map((o) => [kubectlDiffName(o), o]));
        for (const change of parseKubectlDiff(result.stdout)) {
          const object = byName.get(change.name) ?? pseudoObject(change.name, env, batch);
          componentFor(object.component).changes.push({ object, action: change.action, diff: redactYamlText(withoutServerNoise(change), true) });
        }
        continue;
      }
      const error = classifyKubectlError(result.stderr, result.code);
      if (error.fatal) throw new FatalKubectlError(error);

      if (error.kind === 'missing-crd' && error.missingKind) {
        const group = error.missingKind.apiVersion?.includes('/') ? error.missingKind.apiVersion.split('/')[0] : '';
        const hit = batch.filter((o) => o.kind === error.missingKind!.kind && o.group === group);
        if (hit.length) {
          skippedKinds.add(`${group}/${error.missingKind.kind}`);
          if (pendingCrds.has(`${group}/${error.missingKind.kind}`)) {
            unverified(hit, `its CustomResourceDefinition (${error.missingKind.kind}.${group}) is added by this change; the server validates these objects only once it exists`);
          } else if (ENGINE_GROUP.test(group)) {
            note(hit, `not previewed: the GitOps engine's CRDs (${group}) are not installed in this cluster`);
          } else {
            problem(hit, error);
          }
          queue.unshift(batch.filter((o) => !hit.includes(o)));
          continue;
        }
      }
      if (error.kind === 'missing-namespace' && error.namespace) {
        const hit = batch.filter((o) => o.namespace === error.namespace);
        if (hit.length) {
          if (distNamespaces.has(error.namespace)) {
            unverified(hit, `namespace ${error.namespace} is created by this change; the server validates its objects only once it exists`);
          } else if (ENGINE_NAMESPACES.has(error.namespace)) {
            note(hit, `not previewed: the GitOps engine is not installed in this cluster (no namespace ${error.namespace})`);
          } else {
            problem(hit, { ...error, message: `namespace ${error.namespace} exists neither in the cluster nor in dist/${env}/cluster/` });
          }
          queue.unshift(batch.filter((o) => !hit.includes(o)));
          continue;
        }
      }
      const named = error.object ? batch.filter((o) => matchesNamed(o, error.object!)) : [];
      const culprits = named.length === 1 ? named : batch.length === 1 ? batch : [];
      if (culprits.length) {
        if (error.kind === 'forbidden' && culprits.every((o) => o.group === ADMISSION_GROUP)) {
          note(culprits, 'not previewed: admission configuration is exempt from admission policies, so the preview identity may not write it even as a dry-run; review it in the rendered diff');
        } else {
          problem(culprits, error);
        }
        queue.unshift(batch.filter((o) => !culprits.includes(o)));
        continue;
      }
      if (error.kind === 'forbidden' && batch.every((o) => o.group === ADMISSION_GROUP)) {
        note(batch, 'not previewed: admission configuration is exempt from admission policies, so the preview identity may not write it even as a dry-run; review it in the rendered diff');
        continue;
      }
      const middle = Math.ceil(batch.length / 2);
      queue.unshift(batch.slice(0, middle), batch.slice(middle));
    }
    return calls;
  };

  try {
    for (const [index, step] of steps.entries()) {
      options.onStep?.(step, index, steps.length);
      const calls = await runStep(step);
      stepReports.push({ id: step.id, objects: step.objects.length, kubectlCalls: calls });
    }
  } catch (err) {
    if (!(err instanceof FatalKubectlError)) throw err;
    fatal = err.error;
  }

  const completed = new Set(stepReports.map((s) => s.id));
  for (const step of steps) {
    if (completed.has(step.id)) continue;
    for (const o of step.objects) (componentFor(o.component) as { checked: boolean }).checked = false;
  }

  let prune: PreviewReport['prune'] = { checked: false, unservedTypes: [] };
  if (!fatal && options.prune !== false) {
    const detection = await detectPrune(kubectl, env, objects, skippedKinds);
    if (detection.error?.fatal) fatal = detection.error;
    prune = { checked: !detection.error, unservedTypes: detection.unservedTypes, ...(detection.error ? { error: detection.error } : {}) };
    for (const candidate of detection.candidates) componentFor(candidate.component).prune.push(candidate);
  }

  // Components in the order the sync reaches them; those with only objects to prune go last.
  // (An add-on's CRDs and a tenant's namespace are synced with cluster/, but the component is ranked by its own step.)
  const firstStep = new Map<string, number>();
  for (const clusterLayer of [false, true]) {
    steps.forEach((step, i) => {
      if (step.id.startsWith('cluster/') !== clusterLayer) return;
      for (const o of step.objects) if (!firstStep.has(componentKey(o.component))) firstStep.set(componentKey(o.component), i);
    });
  }
  const layer: Record<Component['kind'], number> = { cluster: 0, addon: 1, tenant: 2, other: 3, gitops: 4 };
  const rank = (c: ComponentPreview) => layer[c.component.kind] * (steps.length + 1) + (firstStep.get(componentKey(c.component)) ?? steps.length);
  const list = [...components.values()].sort((a, b) => rank(a) - rank(b) || compareComponents(a.component, b.component));
  const hasErrors = Boolean(fatal) || Boolean(prune.error) || list.some((c) => c.problems.length);
  const hasChanges = list.some((c) => c.changes.length || c.prune.length);
  return {
    env,
    ...(kubectl.context ? { context: kubectl.context } : {}),
    steps: stepReports,
    components: list,
    ...(fatal ? { fatal } : {}),
    prune,
    outcome: hasErrors ? 'errors' : hasChanges ? 'changes' : 'no-changes',
  };
}

/** Fields the server sets on every new object: noise in a "create" diff. */
function withoutServerNoise(change: { action: 'create' | 'update'; diff: string }): string {
  if (change.action !== 'create') return change.diff;
  return change.diff.split('\n').filter((l) => !/^\+ {2}(creationTimestamp|uid|resourceVersion|generation): /.test(l)).join('\n');
}

function matchesNamed(o: DistObject, named: NonNullable<KubectlError['object']>): boolean {
  if (o.name !== named.name) return false;
  if (named.namespace && (o.namespace ?? '') !== named.namespace) return false;
  if (named.kind && o.kind !== named.kind) return false;
  if (named.resource) {
    const lower = o.kind.toLowerCase();
    const plurals = [lower, `${lower}s`, `${lower}es`, lower.endsWith('y') ? `${lower.slice(0, -1)}ies` : ''];
    if (!plurals.includes(named.resource.toLowerCase())) return false;
  }
  return true;
}

/** An object kubectl reported that matches nothing we sent exactly (e.g. it defaulted the namespace). */
function pseudoObject(name: string, env: string, batch: readonly DistObject[]): DistObject {
  const parsed = parseKubectlDiffName(name);
  const match = parsed && batch.find((o) => o.kind === parsed.kind && o.name === parsed.name && o.group === parsed.group);
  if (match) return match;
  const fallback = batch[0];
  return {
    ...fallback,
    env,
    path: fallback?.path ?? `${env}/?`,
    identity: parsed ? `${parsed.group}/${parsed.kind}/${parsed.namespace}/${parsed.name}` : name,
    group: parsed?.group ?? '',
    version: parsed?.version ?? '',
    kind: parsed?.kind ?? name,
    ...(parsed?.namespace ? { namespace: parsed.namespace } : { namespace: undefined }),
    name: parsed?.name ?? name,
  };
}
