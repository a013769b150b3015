import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REGISTER = resolve(__dirname, '../bin/register.js');

describe('the TypeScript loader of the CLI (tools/bin/register.js)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'register-'));
    writeFileSync(join(dir, 'helper.ts'), 'export enum Size { Small = 1 }\nexport const double = (n: number): number => n * 2;\n');
    writeFileSync(join(dir, 'main.ts'), [
      "import { Size, double } from './helper';",
      'interface Shape { readonly size: Size }',
      'const shape: Shape = { size: Size.Small };',
      'console.log(double(shape.size));',
      "if (process.env.THROW) throw new Error('from line 5');",
      '',
    ].join('\n'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (env: Record<string, string> = {}) => spawnSync(process.execPath, ['-r', REGISTER, join(dir, 'main.ts')], { encoding: 'utf8', env: { ...process.env, ...env } });

  test('runs TypeScript (types stripped, enums, extensionless imports of .ts files), the same again from its cache', () => {
    for (let i = 0; i < 2; i++) {
      const result = run();
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe('2\n');
    }
  });

  test('stack traces point at the line of the .ts file', () => {
    const result = run({ THROW: '1' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`${join(dir, 'main.ts')}:5`);
  });
});
