import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FixtureWorkspace, fixtureEnvironment, fixtureTenant } from '../src/testing/fixture-workspace';
import { listFiles } from '../src/synth/output';

// The whole output of a small fixture environment, byte for byte. Refresh deliberately with
// `UPDATE_GOLDEN=1 npx jest tools/test/golden.test.ts` and review the diff like any other change.
const GOLDEN = join(__dirname, 'golden');

test('a small fixture environment renders exactly the golden files', () => {
  const ws = FixtureWorkspace.create({
    'environments/golden.ts': fixtureEnvironment('golden'),
    'apps/shop/tenant.ts': fixtureTenant('shop', ['golden']),
  });
  try {
    const result = ws.cli('synth');
    expect(result.stderr).toBe('');
    const actual = ws.snapshot();
    if (process.env.UPDATE_GOLDEN) {
      rmSync(GOLDEN, { recursive: true, force: true });
      for (const [path, content] of Object.entries(actual)) {
        mkdirSync(dirname(join(GOLDEN, path)), { recursive: true });
        writeFileSync(join(GOLDEN, path), content);
      }
    }
    expect(existsSync(GOLDEN)).toBe(true);
    const expected = Object.fromEntries(listFiles(GOLDEN).map((f) => [f, readFileSync(join(GOLDEN, f), 'utf8')]));
    expect(actual).toEqual(expected);
  } finally {
    ws.dispose();
  }
});
