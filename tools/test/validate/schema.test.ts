import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_REFERENCE_DIR, generate } from '../../scripts/generate-schemas';
import { validateTree } from '../../src/validate';
import { SCHEMA_DIR, SchemaRegistry } from '../../src/validate/schema/registry';
import { FixtureTree, clone, findingsOf, goodTenant, summarize, validateFiles } from './fixtures';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DEPLOY = 'test/tenants/shop/workloads/deployment-web.yaml';
const C0 = 'spec.template.spec.containers[0]';

function tenantWith(edit: (files: Record<string, Json>) => void): Record<string, Json> {
  const files = clone(goodTenant());
  edit(files);
  return files;
}

/** `rule path: message` of the findings of one file, for the checks that are not policy rules. */
function schemaFindings(files: Record<string, Json | string>, file: string): string[] {
  const checks = new Set(['schema', 'unknown-kind', 'deprecated-api', 'kustomization', 'yaml', 'environment']);
  return validateFiles(files).findings.filter((f) => f.file === file && checks.has(f.rule)).map((f) => `${f.rule} ${f.path}: ${f.message}`);
}

const addonLabels = { 'platform.example.com/unit': 'addon.widgets' };

/** A CRD rendered into the tree (like Velero's): structural schema with the Kubernetes extensions. */
const WIDGET_CRD: Json = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com', labels: addonLabels },
  spec: {
    group: 'example.com',
    names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
    scope: 'Namespaced',
    versions: [
      { name: 'v1alpha1', served: false, storage: false, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
      {
        name: 'v1', served: true, storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['size'],
                properties: {
                  size: { type: 'integer', minimum: 1 },
                  mode: { type: 'string', enum: ['fast', 'safe'] },
                  port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
                  note: { type: 'string', nullable: true },
                  config: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                  template: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
                  items: {
                    type: 'array',
                    'x-kubernetes-list-type': 'map',
                    'x-kubernetes-list-map-keys': ['name'],
                    items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, value: { type: 'string' } } },
                  },
                },
              },
              status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            },
          },
        },
      },
    ],
  },
};

function widget(spec: Json, apiVersion = 'example.com/v1'): Json {
  return { apiVersion, kind: 'Widget', metadata: { name: 'w', namespace: 'widgets', labels: addonLabels }, spec };
}

describe('schema: built-in kinds (Kubernetes 1.28)', () => {
  test('an unknown field is reported at its path', () => {
    expect(schemaFindings(tenantWith((f) => { f[DEPLOY].spec.template.spec.containers[0].imagePullPolcy = 'Always'; }), DEPLOY))
      .toEqual([`schema ${C0}.imagePullPolcy: unknown field`]);
  });

  test('a wrong type names what was found; YAML 1.1 booleans get a quoting hint', () => {
    const files = tenantWith((f) => {
      f[DEPLOY].spec.replicas = 'two';
      f[DEPLOY].metadata.labels.enabled = true;
    });
    expect(schemaFindings(files, DEPLOY)).toEqual([
      'schema metadata.labels.enabled: must be string (got true)',
      'schema spec.replicas: must be integer (got "two")',
    ]);
    expect(validateFiles(files).findings.find((f) => f.path === 'metadata.labels.enabled')!.hint).toMatch(/quote it/);
  });

  test('an unquoted `on` in a hand-edited file is a boolean, as Kubernetes reads it', () => {
    const tree = new FixtureTree(goodTenant());
    try {
      const text = readFileSync(join(tree.dir, DEPLOY), 'utf8').replace('app.kubernetes.io/managed-by: platformctl', 'app.kubernetes.io/managed-by: on');
      tree.write({ [DEPLOY]: text });
      expect(findingsOf(tree.validate(), 'schema').map((f) => `${f.path}: ${f.message}`)).toEqual([
        'metadata.labels["app.kubernetes.io/managed-by"]: must be string (got true)',
      ]);
    } finally {
      tree.dispose();
    }
  });

  test('missing required fields are reported at the missing field', () => {
    expect(schemaFindings(tenantWith((f) => {
      delete f[DEPLOY].spec.selector;
      delete f[DEPLOY].spec.template.spec.containers[0].name;
    }), DEPLOY)).toEqual([
      'schema spec.selector: required field is missing',
      `schema ${C0}.name: required field is missing`,
    ]);
  });

  test('enums the API server enforces are checked', () => {
    expect(schemaFindings(tenantWith((f) => { f[DEPLOY].spec.template.spec.containers[0].ports[0].protocol = 'HTTP'; }), DEPLOY))
      .toEqual([`schema ${C0}.ports[0].protocol: must be one of "TCP", "UDP", "SCTP" (got "HTTP")`]);
  });

  test('int-or-string, Quantity (string or number) and Time (or null) are accepted in every form the API server takes', () => {
    expect(schemaFindings(tenantWith((f) => {
      f[DEPLOY].spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } };
      f[DEPLOY].spec.template.spec.containers[0].resources.limits.cpu = 1;
      f[DEPLOY].metadata.creationTimestamp = null;
    }), DEPLOY)).toEqual([]);
    expect(schemaFindings(tenantWith((f) => {
      f[DEPLOY].spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: true } };
      f[DEPLOY].spec.template.spec.containers[0].resources.limits.memory = '128 MB';
      f[DEPLOY].metadata.creationTimestamp = 'yesterday';
    }), DEPLOY)).toEqual([
      'schema metadata.creationTimestamp: must be a valid date-time (got "yesterday")',
      'schema spec.strategy.rollingUpdate.maxSurge: must be integer or string (got true)',
      expect.stringMatching(new RegExp(`^schema ${C0.replace(/[.[\]]/g, '\\$&')}\\.resources\\.limits\\.memory: must match .* \\(got "128 MB"\\)$`)),
    ]);
  });

  test('x-kubernetes-list-type map: two container ports with the same port and protocol are duplicates', () => {
    expect(schemaFindings(tenantWith((f) => { f[DEPLOY].spec.template.spec.containers[0].ports.push({ containerPort: 8080, protocol: 'TCP', name: 'again' }); }), DEPLOY))
      .toEqual([`schema ${C0}.ports: duplicate entry: items [0] and [1] have the same containerPort=8080, protocol="TCP"`]);
  });

  test('scope: namespaced objects need a namespace, cluster-scoped ones have none; every object needs a name', () => {
    const files = tenantWith((f) => {
      delete f[DEPLOY].metadata.namespace;
      f['test/cluster/namespace-shop.yaml'].metadata.namespace = 'default';
    });
    expect(schemaFindings(files, DEPLOY)).toEqual([
      'schema metadata.namespace: Deployment is namespaced: without metadata.namespace it lands in whatever namespace the GitOps engine defaults to',
    ]);
    expect(schemaFindings(files, 'test/cluster/namespace-shop.yaml')).toEqual(['schema metadata.namespace: Namespace is cluster-scoped and has no namespace']);
    expect(schemaFindings(tenantWith((f) => { delete f[DEPLOY].metadata.name; }), DEPLOY)).toEqual([
      'schema metadata.name: every object needs a name (generateName does not work with GitOps apply)',
    ]);
  });

  test('an unknown kind is an error; a known kind under an unknown version says which versions exist', () => {
    const files = {
      'test/addons/x/gizmo-g.yaml': { apiVersion: 'example.com/v1', kind: 'Gizmo', metadata: { name: 'g', namespace: 'x' } },
      'test/addons/x/ingress-i.yaml': { apiVersion: 'networking.k8s.io/v2', kind: 'Ingress', metadata: { name: 'i', namespace: 'x' } },
    };
    expect(schemaFindings(files, 'test/addons/x/gizmo-g.yaml')).toEqual([
      'unknown-kind apiVersion: unknown kind Gizmo (example.com/v1): not a Kubernetes 1.28 kind, and no CRD for it in this environment\'s tree or the GitOps engines\' CRDs',
    ]);
    expect(schemaFindings(files, 'test/addons/x/ingress-i.yaml')).toEqual(['unknown-kind apiVersion: networking.k8s.io/v2 has no kind Ingress; known: networking.k8s.io/v1 Ingress']);
  });

  test('APIs removed before the cluster\'s version are errors that name the replacement', () => {
    const files = {
      'test/addons/x/poddisruptionbudget-p.yaml': { apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', metadata: { name: 'p', namespace: 'x' }, spec: {} },
      'test/addons/x/ingress-i.yaml': { apiVersion: 'extensions/v1beta1', kind: 'Ingress', metadata: { name: 'i', namespace: 'x' }, spec: {} },
      'test/addons/x/cronjob-c.yaml': { apiVersion: 'batch/v1beta1', kind: 'CronJob', metadata: { name: 'c', namespace: 'x' }, spec: {} },
    };
    const report = validateFiles(files);
    expect(findingsOf(report, 'deprecated-api').map((f) => `${f.message} → ${f.hint}`)).toEqual([
      'batch/v1beta1 CronJob was removed in Kubernetes 1.25 (the cluster runs 1.28) → use batch/v1 CronJob',
      'extensions/v1beta1 Ingress was removed in Kubernetes 1.22 (the cluster runs 1.28) → use networking.k8s.io/v1 Ingress',
      'policy/v1beta1 PodDisruptionBudget was removed in Kubernetes 1.25 (the cluster runs 1.28) → use policy/v1 PodDisruptionBudget',
    ]);
    expect(findingsOf(report, 'unknown-kind')).toEqual([]);
  });

  test('APIs deprecated for the environment\'s version are errors; the same object is fine on an older cluster', () => {
    const flowSchema = {
      apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', kind: 'FlowSchema',
      metadata: { name: 'f' },
      spec: { priorityLevelConfiguration: { name: 'workload-low' } },
    };
    const tree = new FixtureTree({ 'next/cluster/flowschema-f.yaml': flowSchema });
    try {
      const run = (version: string): string[] => validateTree({
        dir: tree.dir, environments: new Map([['next', { name: 'next', kubernetesVersion: version, domain: 'next.example.com' }]]),
      }).findings.map((f) => `${f.rule}: ${f.message}`);
      expect(run('1.28')).toEqual([]);
      expect(run('1.29')).toEqual(['deprecated-api: flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema is deprecated since Kubernetes 1.29 and removed in 1.32 (the cluster runs 1.29)']);
    } finally {
      tree.dispose();
    }
  });
});

describe('schema: custom resources', () => {
  const CRD = 'test/cluster/customresourcedefinition-widgets.example.com.yaml';
  const CR = 'test/addons/widgets/widget-w.yaml';

  test('a custom resource validates against the CRD rendered in its environment\'s tree', () => {
    expect(schemaFindings({
      [CRD]: WIDGET_CRD,
      [CR]: widget({
        size: 3, mode: 'safe', port: 'http', note: null,
        config: { anything: { goes: [1, 'two'] } },
        template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'b' } },
        items: [{ name: 'a', value: '1' }, { name: 'b' }],
      }),
    }, CR)).toEqual([]);
    expect(schemaFindings({ [CRD]: WIDGET_CRD }, CRD)).toEqual([]);
  });

  test('unknown fields, types, enums, required fields, embedded resources and list-map keys of a custom resource are checked', () => {
    expect(schemaFindings({
      [CRD]: WIDGET_CRD,
      [CR]: widget({ sise: 3, mode: 'quick', port: 1.5, template: { kind: 'ConfigMap' }, items: [{ name: 'a' }, { name: 'a' }] }),
    }, CR)).toEqual([
      'schema spec.size: required field is missing',
      'schema spec.sise: unknown field',
      'schema spec.items: duplicate entry: items [0] and [1] have the same name="a"',
      'schema spec.mode: must be one of "fast", "safe" (got "quick")',
      'schema spec.port: must be integer or string (got 1.5)',
      'schema spec.template.apiVersion: required field is missing',
    ]);
  });

  test('a version the CRD does not serve, and a CRD of another environment, do not count', () => {
    expect(schemaFindings({ [CRD]: WIDGET_CRD, [CR]: widget({ size: 1 }, 'example.com/v1alpha1') }, CR))
      .toEqual(['unknown-kind apiVersion: example.com/v1alpha1 Widget: its CRD declares this version but does not serve it']);
    const prodCr = 'prod/addons/widgets/widget-w.yaml';
    expect(schemaFindings({ [CRD]: WIDGET_CRD, [prodCr]: widget({ size: 1 }) }, prodCr)).toEqual([
      'unknown-kind apiVersion: unknown kind Widget (example.com/v1): not a Kubernetes 1.28 kind, and no CRD for it in this environment\'s tree or the GitOps engines\' CRDs',
    ]);
  });

  test('a broken CRD in the tree is reported on the CRD and on its custom resources, without stopping the run', () => {
    const broken = clone(WIDGET_CRD);
    broken.spec.versions[1].schema.openAPIV3Schema.properties.spec.properties.size.minimum = 'one';
    const files = { [CRD]: broken, [CR]: widget({ size: 1 }) };
    expect(schemaFindings(files, CRD)).toEqual([
      'schema spec.versions[1].schema.openAPIV3Schema.properties.spec.properties.size.minimum: must be number (got "one")',
    ]);
    expect(schemaFindings(files, CR)).toEqual([
      expect.stringMatching(/^schema apiVersion: the schema of example.com\/v1 Widget \(tree-crd\) cannot be compiled: /),
    ]);
  });

  const application = (spec: Json): Json => ({
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application',
    metadata: { name: 'addon-x', namespace: 'argocd', labels: { 'platform.example.com/unit': 'cluster' } },
    spec,
  });
  const APP = 'test/argocd/application-addon-x.yaml';
  const appSpec = {
    project: 'platform',
    destination: { server: 'https://kubernetes.default.svc', namespace: 'x' },
    source: { repoURL: 'https://git.example.com/platform.git', targetRevision: 'main', path: 'dist/test/addons/x', helm: { valuesObject: { free: { form: true } } } },
    syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['ServerSideApply=true'] },
  };

  test('GitOps engine objects validate against the bundled Argo CD and Flux CRDs', () => {
    expect(schemaFindings({ [APP]: application(appSpec) }, APP)).toEqual([]);
    expect(schemaFindings({ [APP]: application({ ...appSpec, sourc: appSpec.source, syncPolicy: { automated: { prune: 'yes' } } }) }, APP)).toEqual([
      'schema spec.sourc: unknown field',
      'schema spec.syncPolicy.automated.prune: must be boolean (got "yes")',
    ]);
    const flux = 'test/flux/gitrepository-platform.yaml';
    expect(schemaFindings({
      [flux]: {
        apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository',
        metadata: { name: 'platform', namespace: 'flux-system' },
        spec: { interval: '1m', url: 'https://git.example.com/platform.git', ref: { branch: 'main' }, timeout: 60 },
      },
    }, flux)).toEqual(['schema spec.timeout: must be string (got 60)']);
  });
});

describe('files', () => {
  test('a YAML syntax error names the line', () => {
    const file = 'test/addons/x/configmap-c.yaml';
    expect(schemaFindings({ [file]: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  name: d\n' }, file)).toEqual([
      expect.stringMatching(/^yaml : line 5, column 3: Map keys must be unique/),
    ]);
  });

  test('kustomization.yaml is kustomize config: apiVersion/kind and resources that exist', () => {
    const ok = 'test/flux/kustomization.yaml';
    const files = {
      ...goodTenant(),
      [ok]: 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../tenants/shop/workloads\n  - ../cluster/namespace-shop.yaml\n',
      'test/tenants/shop/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1\nkind: Kustomization\nresources:\n  - workloads/deployment-api.yaml\n',
    };
    expect(schemaFindings(files, ok)).toEqual([]);
    expect(schemaFindings(files, 'test/tenants/shop/kustomization.yaml')).toEqual([
      'kustomization apiVersion: must be "kustomize.config.k8s.io/v1beta1" (got "kustomize.config.k8s.io/v1")',
      'kustomization resources[0]: "workloads/deployment-api.yaml" does not exist next to this file',
    ]);
  });

  test('--dir may be a dist root, one environment, or a directory inside one', () => {
    const tree = new FixtureTree({ ...goodTenant('shop', 'test'), ...goodTenant('shop', 'prod') });
    try {
      const run = (sub: string): string => {
        const r = tree.validate(join(tree.dir, sub));
        return `${r.objects} objects, ${r.findings.length} findings`;
      };
      expect(run('')).toBe('20 objects, 0 findings');
      expect(run('test')).toBe('10 objects, 0 findings');
      expect(run('prod/tenants/shop')).toBe('9 objects, 0 findings');
    } finally {
      tree.dispose();
    }
  });

  test('a directory that is not an environment of the repository is reported', () => {
    const report = validateFiles({ 'staging/cluster/namespace-x.yaml': { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } } });
    expect(summarize(report)).toEqual(['environment staging : "staging" is not an environment of this repository (known: test, prod); the cluster version and domain are unknown, so API deprecations and Ingress domains are not checked']);
  });
});

describe('the generated schema bundle', () => {
  const haveReference = existsSync(join(DEFAULT_REFERENCE_DIR, 'kubernetes-openapi', 'v1.28', 'swagger.json'));
  (haveReference ? test : test.skip)('is what tools/scripts/generate-schemas.ts writes from the reference data (deterministic, up to date)', () => {
    const out = mkdtempSync(join(tmpdir(), 'schemas-'));
    try {
      const { files } = generate(DEFAULT_REFERENCE_DIR, out);
      for (const file of files) {
        const name = file.slice(out.length + 1);
        expect(readFileSync(file, 'utf8') === readFileSync(join(SCHEMA_DIR, name), 'utf8')).toBe(true);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  test('compiles for every kind it has', () => {
    const registry = new SchemaRegistry(SCHEMA_DIR, false);
    const kinds = [
      ...Object.keys(JSON.parse(readFileSync(join(SCHEMA_DIR, 'kubernetes-1.28.json'), 'utf8')).kinds),
      ...Object.keys(JSON.parse(readFileSync(join(SCHEMA_DIR, 'gitops-crds.json'), 'utf8')).kinds),
    ];
    expect(kinds.length).toBeGreaterThan(70);
    for (const key of kinds) expect(typeof registry.validator(registry.resolve(key)!)).toBe('function');
  });

  test('names its sources', () => {
    const bundle = JSON.parse(readFileSync(join(SCHEMA_DIR, 'kubernetes-1.28.json'), 'utf8'));
    expect(bundle.source).toMatchObject({ repository: 'kubernetes-client/python', ref: 'v28.1.0', license: 'Apache-2.0' });
    expect(Object.keys(bundle.kinds)).toEqual(expect.arrayContaining(['apps/v1/Deployment', 'v1/Service', 'networking.k8s.io/v1/Ingress', 'apiextensions.k8s.io/v1/CustomResourceDefinition']));
  });
});

describe('compiled validators, cached as modules', () => {
  const bad: Json = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', creationTimestamp: 'yesterday' },
    spec: {
      replicas: 'two',
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }, { containerPort: 80, protocol: 'TCP' }], bogus: 1 }] },
      },
    },
  };
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'validators-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function errorsOf(registry: SchemaRegistry, doc: Json): unknown {
    const validate = registry.validator(registry.resolve('apps/v1/Deployment')!);
    expect(validate(doc)).toBe(false);
    return JSON.parse(JSON.stringify(validate.errors));
  }

  test('a validator loaded from the cache reports exactly what a freshly compiled one does (formats, list-map keys)', () => {
    const fresh = errorsOf(new SchemaRegistry(SCHEMA_DIR, false), bad);
    const first = new SchemaRegistry(SCHEMA_DIR, dir);
    expect(errorsOf(first, bad)).toEqual(fresh);
    expect([first.compiled, first.loaded]).toEqual([1, 0]);
    const second = new SchemaRegistry(SCHEMA_DIR, dir);
    const loaded = errorsOf(second, bad);
    expect([second.compiled, second.loaded]).toEqual([0, 1]);
    expect(loaded).toEqual(fresh);
    const messages = (loaded as Array<{ keyword: string; message: string }>).map((e) => `${e.keyword}: ${e.message}`);
    expect(messages).toEqual(expect.arrayContaining([
      'format: must match format "date-time"',
      'x-kubernetes-list-map-keys: duplicate entry: items [0] and [1] have the same containerPort=80, protocol="TCP"',
    ]));
  });

  test('a damaged cache entry is compiled again and rewritten', () => {
    const fresh = errorsOf(new SchemaRegistry(SCHEMA_DIR, dir), bad);
    const [file] = readdirSync(dir);
    writeFileSync(join(dir, file), 'module.exports = (');
    const registry = new SchemaRegistry(SCHEMA_DIR, dir);
    expect(errorsOf(registry, bad)).toEqual(fresh);
    expect([registry.compiled, registry.loaded]).toEqual([1, 0]);
    expect(readFileSync(join(dir, file), 'utf8')).toMatch(/^"use strict";/);
  });
});
