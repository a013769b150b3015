import { ListingDigest, packFiles, packedHasIdentity, packedHasPath, unpackFiles } from '../src/synth/state';

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
