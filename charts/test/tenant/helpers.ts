import { App, Chart, Testing } from 'cdk8s';
import { PlatformContext, Tenant, TenantEnvironmentSpec, TenantSpec, formatProblemPath, resolveTenant, tenantSchema, tenantForEnvironment } from '../../src';
import { testContext } from '../helpers';

/** A small valid tenant: one web app in the test environment. Override any field. */
export function tenantSpec(overrides: Partial<TenantSpec> = {}): TenantSpec {
  return {
    name: 'shop',
    team: 'shop-team',
    costCenter: 'cc-42',
    owners: { admins: ['shop-admins'], viewers: ['shop-devs'] },
    environments: ['test'],
    apps: [{ kind: 'web', name: 'web', image: 'nginxinc/nginx-unprivileged:1.27.3', port: 8080 }],
    ...overrides,
  };
}

/** The environment "prod" as construct tests see it: another domain, two storage classes. */
export function prodContext(): PlatformContext {
  return testContext({
    environment: 'prod',
    domain: 'example.com',
    storageClasses: [
      { name: 'gp3', provisioner: 'ebs.csi.aws.com', parameters: {}, reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true, default: true },
      { name: 'gp3-retain', provisioner: 'ebs.csi.aws.com', parameters: {}, reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true, default: false },
    ],
  });
}

/** Every problem of a spec in an environment, formatted like the CLI prints them ("path: message"). */
export function problems(input: unknown, ctx: PlatformContext = testContext()): string[] {
  const parsed = tenantSchema.safeParse(input);
  if (!parsed.success) return parsed.error.issues.map((i) => `${formatProblemPath(i.path)}: ${i.message}`);
  return resolveTenant(parsed.data, ctx).problems.map((p) => `${formatProblemPath(p.path)}${p.environment ? ` (in ${p.environment})` : ''}: ${p.message}`);
}

export interface RenderedTenant {
  readonly spec: TenantEnvironmentSpec;
  readonly guardrails: any[];
  readonly workloads: any[];
  /** The object of `kind` named `name` (in `namespace`, when given); throws when there is none. */
  get(kind: string, name: string, namespace?: string): any;
  /** Every object of `kind`. */
  all(kind: string): any[];
}

/** Validates, resolves and renders a tenant like the synth does (one App, two charts). */
export function renderTenant(input: TenantSpec, ctx: PlatformContext = testContext()): RenderedTenant {
  const spec = tenantForEnvironment(input, ctx);
  const app = new App(); // not Testing.app(): that makes a temp outdir per call, never removed
  const guardrails = new Chart(app, 'guardrails', { disableResourceNameHashes: true });
  const workloads = new Chart(app, 'workloads', { disableResourceNameHashes: true });
  new Tenant({ guardrails, workloads }, ctx, spec);
  App.of(guardrails);
  const g = Testing.synth(guardrails);
  const w = Testing.synth(workloads);
  const everything = [...g, ...w];
  return {
    spec,
    guardrails: g,
    workloads: w,
    get(kind, name, namespace) {
      const found = everything.find((o) => o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace));
      if (!found) throw new Error(`no ${kind} ${namespace ? `${namespace}/` : ''}${name}; have: ${everything.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`).join(', ')}`);
      return found;
    },
    all(kind) {
      return everything.filter((o) => o.kind === kind);
    },
  };
}

/** The single container of a workload's pod template (Deployment, StatefulSet or CronJob). */
export function podSpec(workload: any): any {
  return workload.kind === 'CronJob' ? workload.spec.jobTemplate.spec.template.spec : workload.spec.template.spec;
}
export function container(workload: any): any {
  return podSpec(workload).containers[0];
}
