import { checkConflicts } from '../src/synth/synth';
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
