import { colorsFor, diffDist, fieldChanges, MARKDOWN_MAX_CHARS, renderMarkdown } from '../../src/diff';
import { DiffRepo, deployment, object } from './fixture';

describe('field changes', () => {
  test('lists of named items are matched by name, keys with dots are quoted', () => {
    const before = { metadata: { labels: { 'app.kubernetes.io/version': '1.0' } }, spec: { containers: [{ name: 'web', image: 'a:1' }, { name: 'proxy', image: 'p:1' }] } };
    const after = { metadata: { labels: { 'app.kubernetes.io/version': '1.1' } }, spec: { containers: [{ name: 'proxy', image: 'p:1' }, { name: 'web', image: 'a:2' }, { name: 'sidecar', image: 's:1' }] } };
    expect(fieldChanges(before, after)).toEqual([
      { path: 'metadata.labels["app.kubernetes.io/version"]', op: 'changed', before: '1.0', after: '1.1' },
      { path: 'spec.containers[name=web].image', op: 'changed', before: 'a:1', after: 'a:2' },
      { path: 'spec.containers[name=sidecar]', op: 'added', after: { name: 'sidecar', image: 's:1' } },
    ]);
  });

  test('lists of scalars change as a whole', () => {
    expect(fieldChanges({ args: ['--a', '--b'] }, { args: ['--a', '--c', '--b'] })).toEqual([
      { path: 'args', op: 'changed', before: ['--a', '--b'], after: ['--a', '--c', '--b'] },
    ]);
  });
});

describe('markdown', () => {
  let repo: DiffRepo;
  afterEach(() => repo.dispose());

  test('shows a YAML diff only where the field list is not enough', async () => {
    repo = new DiffRepo();
    repo.put('prod/tenants/shop/workloads/deployment-web.yaml', deployment('prod', 'shop', 'web', 2));
    repo.put('prod/tenants/shop/workloads/deployment-api.yaml', deployment('prod', 'shop', 'api', 2));
    repo.commit();
    repo.put('prod/tenants/shop/workloads/deployment-web.yaml', deployment('prod', 'shop', 'web', 3));
    repo.put('prod/tenants/shop/workloads/deployment-api.yaml', deployment('prod', 'shop', 'api', 2, {
      args: ['--verbose'],
      ports: [{ containerPort: 8080 }],
      resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '100m', memory: '128Mi' } },
    }));
    const markdown = renderMarkdown(await diffDist(repo.workspace, { base: 'main' }));
    const [api, web] = markdown.split('**Deployment**').slice(1);
    // Small values read inline; a big one is better read as the object's YAML diff.
    expect(api).toContain('`spec.template.spec.containers[name=api].args`: added `[--verbose]`');
    expect(api).toContain('`spec.template.spec.containers[name=api].ports`: added `[{containerPort: 8080}]`');
    expect(api).toContain('`spec.template.spec.containers[name=api].resources`: added (2 fields)');
    expect(api).toContain('```diff\n@@');
    expect(api).toContain('+              memory: 128Mi');
    expect(web).toContain('`spec.replicas`: `2` → `3`');
    expect(web).not.toContain('```diff');
  });

  test('a large diff stays under the size cap, truncated gracefully with a note', async () => {
    repo = new DiffRepo();
    const big = (i: number, version: string) => object('prod', `tenant.team${i % 40}`, 'v1', 'ConfigMap', `config-${i}`, `team${i % 40}`, {
      data: Object.fromEntries(Array.from({ length: 30 }, (_, k) => [`setting-${k}`, `value ${k} of ${version} ${'x'.repeat(40)}`])),
    });
    for (let i = 0; i < 400; i++) repo.put(`prod/tenants/team${i % 40}/workloads/configmap-${i}.yaml`, big(i, 'v1'));
    repo.commit();
    for (let i = 0; i < 400; i++) repo.put(`prod/tenants/team${i % 40}/workloads/configmap-${i}.yaml`, big(i, 'v2'));
    for (let i = 0; i < 300; i++) repo.put(`prod/tenants/new${i}/workloads/configmap-${i}.yaml`, object('prod', `tenant.new${i}`, 'v1', 'ConfigMap', `c${i}`, `new${i}`));
    const report = await diffDist(repo.workspace, { base: 'main' });
    expect(report.totals).toEqual({ added: 300, changed: 400, removed: 0 });

    const markdown = renderMarkdown(report);
    expect(markdown.length).toBeLessThanOrEqual(MARKDOWN_MAX_CHARS);
    expect(markdown).toContain('**Truncated** to stay under GitHub\'s comment size limit');
    expect(markdown).toMatch(/showing \d+ of 700 objects/);
    expect(markdown).toContain('npm run diff -- --base main');
    // Cut at object boundaries: every opened section is closed, every code fence too.
    expect(markdown.match(/<details/g)?.length).toBe(markdown.match(/<\/details>/g)?.length);
    expect((markdown.match(/^```/gm)?.length ?? 0) % 2).toBe(0);
    // The summary comes first and is complete enough to read.
    expect(markdown.indexOf('| Environment | Component |')).toBeLessThan(markdown.indexOf('<details'));

    const small = renderMarkdown(report, { maxChars: 8000 });
    expect(small.length).toBeLessThanOrEqual(8000);
    expect(small).toContain('**Truncated**');
    expect(small).toMatch(/summary rows? left out/);
  });
});

describe('terminal colours', () => {
  test('only on a terminal, never with NO_COLOR or TERM=dumb, even in CI when piped', () => {
    expect(colorsFor({ isTTY: true }, {}).red('x')).toBe('\u001b[31mx\u001b[39m');
    expect(colorsFor({ isTTY: true }, { NO_COLOR: '1' }).red('x')).toBe('x');
    expect(colorsFor({ isTTY: true }, { TERM: 'dumb' }).red('x')).toBe('x');
    expect(colorsFor({ isTTY: false }, { CI: 'true' }).red('x')).toBe('x');
    expect(colorsFor({ isTTY: false }, { FORCE_COLOR: '1' }).red('x')).toBe('\u001b[31mx\u001b[39m');
  });
});
