import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DistListing, ListingDigest, SynthStamp, distMatches, distPartsMatch, packFiles, packedHasIdentity, packedHasPath, unpackFiles, walkCounter, walkDistPart } from '../src/synth/state';

describe('the record of what a synth wrote', () => {
  test('packed files round-trip, and are searched by whole path or identity only', () => {
    const files: Array<[string, string, number]> = [
      ['prod/tenants/shop/workloads/service-web.yaml', '/Service/shop/web', 310],
      ['prod/cluster/namespace-shop.yaml', '/Namespace//shop', 120],
    ];
    const packed = packFiles(files);
    expect(unpackFiles(packed)).toEqual(files);
    expect(unpackFiles('')).toEqual([]);
    expect(packedHasPath(packed, 'prod/cluster/namespace-shop.yaml')).toBe(true);
    expect(packedHasPath(packed, 'prod/tenants/shop/workloads/service-web.yaml')).toBe(true);
    expect(packedHasPath(packed, 'cluster/namespace-shop.yaml')).toBe(false);
    expect(packedHasIdentity(packed, '/Service/shop/web')).toBe(true);
    expect(packedHasIdentity(packed, '/Service/shop/we')).toBe(false);
  });

  test('a listing digest does not depend on order, notices a changed size or name, and can be updated', () => {
    const of = (files: Array<[string, number]>) => {
      const d = new ListingDigest();
      for (const [p, n] of files) d.add(p, n);
      return d.listing();
    };
    const base = of([['a/x.yaml', 1], ['a/y.yaml', 2], ['a/z.yaml', 3]]);
    expect(of([['a/z.yaml', 3], ['a/x.yaml', 1], ['a/y.yaml', 2]])).toEqual(base);
    expect(of([['a/x.yaml', 1], ['a/y.yaml', 2], ['a/z.yaml', 4]]).digest).not.toBe(base.digest);
    expect(of([['a/x.yaml', 1], ['a/y.yaml', 2], ['a/w.yaml', 3]]).digest).not.toBe(base.digest);

    const updated = ListingDigest.from(base);
    updated.remove('a/y.yaml', 2);
    updated.add('a/v.yaml', 9);
    expect(updated.listing()).toEqual(of([['a/x.yaml', 1], ['a/z.yaml', 3], ['a/v.yaml', 9]]));
    const packed = ListingDigest.from(base);
    packed.addPacked(packFiles([['a/x.yaml', '/ConfigMap/a/x', 1], ['a/z.yaml', '/ConfigMap/a/z', 3]]), -1);
    expect(packed.listing()).toEqual(of([['a/y.yaml', 2]]));
  });
});

describe('checking dist/ against the stamp', () => {
  let dist: string;
  const files: Record<string, string> = {
    'prod/cluster/namespace-a.yaml': 'a', 'prod/tenants/a/workloads/service-web.yaml': 'web',
    'prod/addons/logging/daemonset-fluentd.yaml': 'fluentd', 'prod/argocd/application-root.yaml': 'root', 'test/cluster/namespace-a.yaml': 'aa',
  };
  const listing = (env: string, entries = Object.entries(files)): DistListing => {
    const d = new ListingDigest();
    for (const [path, content] of entries) if (path.startsWith(`${env}/`)) d.add(path, content.length);
    return d.listing();
  };
  const stamp = (): SynthStamp => ({ version: 2, generation: 'g', inputs: 'i', writtenAt: Date.now() + 60_000, envs: ['prod', 'test'], units: 3, listings: { prod: listing('prod'), test: listing('test') } });

  beforeEach(() => {
    dist = mkdtempSync(join(tmpdir(), 'dist-check-'));
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(join(dist, path, '..'), { recursive: true });
      writeFileSync(join(dist, path), content);
    }
  });
  afterEach(() => rmSync(dist, { recursive: true, force: true }));

  test('the parts two threads walk add up to the recorded listing', () => {
    const s = stamp();
    expect(distMatches(dist, s, s.envs)).toBe(true);
    // Items are taken in sorted order: prod/addons/logging/, prod/argocd/, prod/cluster/, prod/tenants/a/, test/cluster/.
    const counter = walkCounter();
    Atomics.store(counter, 0, 2); // another thread took the first two
    const rest = walkDistPart(dist, s, s.envs, counter);
    expect(rest.fresh).toBe(true);
    expect(distPartsMatch(s, s.envs, [rest])).toBe(false);
    const taken = Object.entries(files).filter(([path]) => /^prod\/(addons|argocd)\//.test(path));
    const other = { fresh: true, items: rest.items, listings: { prod: listing('prod', taken), test: listing('test', []) } };
    expect(distPartsMatch(s, s.envs, [other, rest])).toBe(true);

    writeFileSync(join(dist, 'prod/tenants/a/workloads/stray.yaml'), 'x');
    expect(distMatches(dist, s, s.envs)).toBe(false);
  });

  test('a file modified after the synth stops the walk for every thread', () => {
    const s = stamp();
    const later = new Date(s.writtenAt + 1000);
    utimesSync(join(dist, 'test/cluster/namespace-a.yaml'), later, later);
    const counter = walkCounter();
    expect(walkDistPart(dist, s, s.envs, counter).fresh).toBe(false);
    expect(Atomics.load(counter, 1)).toBe(1);
    expect(walkDistPart(dist, s, s.envs, walkCounter()).fresh).toBe(false);
  });

  test('parts that listed different items (dist/ changed during the check) do not match', () => {
    const s = stamp();
    const part = walkDistPart(dist, s, s.envs, walkCounter());
    expect(distPartsMatch(s, s.envs, [part, { ...part, items: 'other', listings: {} }])).toBe(false);
  });
});
