import { appendFileSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FixtureWorkspace, fixtureEnvironment, fixtureTenant } from '../src/testing/fixture-workspace';

function workspace(): FixtureWorkspace {
  return FixtureWorkspace.create({
    'environments/alpha.ts': fixtureEnvironment('alpha'),
    'environments/beta.ts': fixtureEnvironment('beta'),
    'apps/shop/tenant.ts': fixtureTenant('shop', ['alpha', 'beta']),
    'apps/data/tenant.ts': fixtureTenant('data', ['beta']),
  });
}

/** What a synth from nothing (no cache, no state) writes, for comparison. */
function coldOutput(ws: FixtureWorkspace): Record<string, string> {
  expect(ws.cli('synth', '--no-cache', '--out', 'cold').status).toBe(0);
  return ws.snapshot('cold');
}

describe('synth with the unit cache and the last synth\'s state', () => {
  let ws: FixtureWorkspace;
  beforeEach(() => { ws = workspace(); });
  afterEach(() => ws.dispose());

  test('a second synth with nothing changed does nothing and touches no file', () => {
    expect(ws.cli('synth').status).toBe(0);
    const file = join(ws.root, 'dist/alpha/tenants/shop/workloads/kustomization.yaml');
    const mtime = statSync(file).mtimeMs;
    const again = ws.cli('synth');
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/dist\/ is up to date/);
    expect(statSync(file).mtimeMs).toBe(mtime);
  });

  test('output served from the cache is byte-identical to a cold render', () => {
    expect(ws.cli('synth').status).toBe(0);
    ws.remove('dist');
    const fromCache = ws.cli('synth');
    expect(fromCache.stdout).toMatch(/full, 0 units rendered, \d+ from cache/);
    expect(ws.snapshot()).toEqual(coldOutput(ws));
  });

  test('a hand-edited or stray file in dist/ is put right by the next synth', () => {
    expect(ws.cli('synth').status).toBe(0);
    const before = ws.snapshot();
    appendFileSync(join(ws.root, 'dist/beta/tenants/data/workloads/service-web.yaml'), '# edited by hand\n');
    writeFileSync(join(ws.root, 'dist/beta/cluster/stray.yaml'), 'kind: Nothing\n');
    expect(ws.cli('synth').status).toBe(0);
    expect(ws.snapshot()).toEqual(before);
  });

  test('a same-size edit or a deleted file is noticed in every environment (each half of the check runs on its own thread)', () => {
    expect(ws.cli('synth').status).toBe(0);
    const before = ws.snapshot();
    const edited = join(ws.root, 'dist/alpha/tenants/shop/workloads/service-web.yaml');
    writeFileSync(edited, readFileSync(edited, 'utf8').replace('name: web', 'name: wEb'));
    utimesSync(edited, new Date(), new Date(Date.now() + 1000));
    expect(ws.cli('synth').stdout).not.toMatch(/up to date/);
    expect(ws.snapshot()).toEqual(before);
    rmSync(join(ws.root, 'dist/beta/tenants/data/workloads/service-web.yaml'));
    expect(ws.cli('synth').stdout).not.toMatch(/up to date/);
    expect(ws.snapshot()).toEqual(before);
  });

  test.each([
    ['does not match its stamp (a synth killed between the two writes)', (text: string) => text.replace(/"generation":"[^"]+"/, '"generation":"older"')],
    ['is cut short', (text: string) => text.slice(0, -10)],
  ])('a state that %s means a full synth', (_, damage) => {
    expect(ws.cli('synth').status).toBe(0);
    const stateDir = join(ws.root, '.synth/state');
    const state = join(stateDir, readdirSync(stateDir).find((f) => !f.includes('.stamp.'))!);
    writeFileSync(state, damage(readFileSync(state, 'utf8')));
    ws.write('apps/data/tenant.ts', `${fixtureTenant('data', ['beta'])}\n// changed\n`);
    expect(ws.cli('synth').stdout).toMatch(/full, /);
    expect(ws.snapshot()).toEqual(coldOutput(ws));
  });

  test('incremental synths (a tenant added, changed, removed) end where a cold synth would', () => {
    expect(ws.cli('synth').status).toBe(0);
    ws.write('apps/extra/tenant.ts', fixtureTenant('extra', ['alpha']));
    const added = ws.cli('synth');
    expect(added.stdout).toMatch(/incremental, 1 units rendered, 0 from cache/);
    expect(ws.snapshot()).toEqual(coldOutput(ws));
    // The record of dist/ an incremental synth leaves (updated, not recomputed) is exact: the next synth is a no-op.
    expect(ws.cli('synth').stdout).toMatch(/up to date/);

    ws.write('apps/data/tenant.ts', `${fixtureTenant('data', ['beta'])}\n// a comment changes the key, not the output\n`);
    expect(ws.cli('synth').stdout).toMatch(/incremental, 1 units rendered/);
    expect(ws.snapshot()).toEqual(coldOutput(ws));
    expect(ws.cli('synth').stdout).toMatch(/up to date/);

    ws.remove('apps/shop');
    const removed = ws.cli('synth');
    expect(removed.status).toBe(0);
    const after = ws.snapshot();
    expect(Object.keys(after).some((f) => f.includes('/shop/') || f.includes('-shop'))).toBe(false);
    expect(after).toEqual(coldOutput(ws));
    expect(ws.cli('synth').stdout).toMatch(/up to date/);
  });

  test('an invalid change in incremental mode leaves dist/ and the state untouched', () => {
    expect(ws.cli('synth').status).toBe(0);
    const before = ws.snapshot();
    ws.write('apps/data/tenant.ts', fixtureTenant('data', ['beta', 'nowhere']));
    expect(ws.cli('synth').status).toBe(1);
    expect(ws.snapshot()).toEqual(before);
    ws.write('apps/data/tenant.ts', fixtureTenant('data', ['beta']));
    expect(ws.cli('synth').stdout).toMatch(/up to date/);
  });
});
