import { packFiles } from '../src/synth/state';
import { checkConflicts, checkIncrementalConflicts } from '../src/synth/synth';
import type { UnitResult } from '../src/synth/render';

function result(kind: 'addon' | 'tenant', name: string, files: Array<[string, string]>): UnitResult {
  return {
    unit: { env: 'prod', kind, name },
    files: files.map(([path, identity]) => ({ path, identity, bytes: 1 })),
    routes: [],
    objects: files.length,
    bytes: files.length,
    timing: [0, 0, 0, 0],
  };
}

describe('checkConflicts', () => {
  test('two units rendering the same object is an error naming both', () => {
    expect(() => checkConflicts([
      result('tenant', 'shop', [['prod/cluster/namespace-shared.yaml', '/Namespace//shared']]),
      result('tenant', 'data', [['prod/cluster/namespace-shared.yaml', '/Namespace//shared']]),
    ])).toThrow('tenant "shop" (prod) and tenant "data" (prod) both render Namespace "shared" (dist/prod/cluster/namespace-shared.yaml)');
  });

  test('the same object in two environments is no conflict', () => {
    expect(() => checkConflicts([
      result('tenant', 'shop', [['prod/cluster/namespace-shop.yaml', '/Namespace//shop']]),
      { ...result('tenant', 'shop', [['test/cluster/namespace-shop.yaml', '/Namespace//shop']]), unit: { env: 'test', kind: 'tenant', name: 'shop' } },
    ])).not.toThrow();
  });
});

test('two tenants routing the same host and path is a conflict naming both Ingresses', () => {
  const shop = { ...result('tenant', 'shop', []), routes: [{ host: 'shop.example.com', path: '/', ingress: 'shop/web' }] };
  const data = { ...result('tenant', 'data', []), routes: [{ host: 'shop.example.com', path: '/', ingress: 'data/dash' }] };
  expect(() => checkConflicts([shop, data])).toThrow('tenant "shop" (prod) (Ingress shop/web) and tenant "data" (prod) (Ingress data/dash) both route https://shop.example.com/');
  const other = { ...data, routes: [{ host: 'shop.example.com', path: '/data', ingress: 'data/dash' }] };
  expect(() => checkConflicts([shop, other])).not.toThrow();
});

describe('checkIncrementalConflicts (a synth that re-renders some units and keeps the others)', () => {
  const shared = ['prod/cluster/namespace-shared.yaml', '/Namespace//shared'] as [string, string];
  const record = (files: Array<[string, string]>) => ({ key: 'k', files: packFiles(files.map(([p, i]) => [p, i, 1])), routes: [], objects: files.length, bytes: files.length });
  const data = { unit: { env: 'prod', kind: 'tenant' as const, name: 'data' }, record: record([shared, ['prod/tenants/data/workloads/service-web.yaml', '/Service/data/web']]) };
  const shopBefore = record([['prod/tenants/shop/workloads/service-web.yaml', '/Service/shop/web']]);

  test('a changed unit that now renders an object a kept unit renders is an error naming both', () => {
    const shop = result('tenant', 'shop', [['prod/tenants/shop/workloads/service-web.yaml', '/Service/shop/web'], shared]);
    expect(() => checkIncrementalConflicts([shop], [data], { 'prod/tenant/shop': shopBefore })).toThrow(
      'tenant "shop" (prod) and tenant "data" (prod) both render Namespace "shared" (dist/prod/cluster/namespace-shared.yaml)');
  });

  test('the same object under another file name, and many new files at once (every file indexed), are caught too', () => {
    const renamed = result('tenant', 'shop', [['prod/tenants/shop/cluster/ns.yaml', '/Namespace//shared']]);
    expect(() => checkIncrementalConflicts([renamed], [data], {})).toThrow('both render Namespace "shared"');
    const many = result('tenant', 'shop', [...Array.from({ length: 40 }, (_, i) => [`prod/tenants/shop/workloads/configmap-c${i}.yaml`, `/ConfigMap/shop/c${i}`] as [string, string]), shared]);
    expect(() => checkIncrementalConflicts([many], [data], {})).toThrow('both render Namespace "shared"');
  });

  test('what a unit rendered before, new objects nobody else renders, and other environments are no conflict', () => {
    const shop = result('tenant', 'shop', [['prod/tenants/shop/workloads/service-web.yaml', '/Service/shop/web'], ['prod/tenants/shop/workloads/service-api.yaml', '/Service/shop/api']]);
    expect(() => checkIncrementalConflicts([shop], [data], { 'prod/tenant/shop': shopBefore })).not.toThrow();
    const elsewhere = { ...data, unit: { ...data.unit, env: 'test' } };
    expect(() => checkIncrementalConflicts([result('tenant', 'shop', [shared])], [elsewhere], {})).not.toThrow();
  });

  test('routes of kept units still count', () => {
    const kept = { ...data, record: { ...data.record, routes: [{ host: 'www.example.com', path: '/', ingress: 'data/site' }] } };
    const shop = { ...result('tenant', 'shop', []), routes: [{ host: 'www.example.com', path: '/', ingress: 'shop/web' }] };
    expect(() => checkIncrementalConflicts([shop], [kept], {})).toThrow('both route https://www.example.com/');
  });
});
