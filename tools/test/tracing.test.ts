import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CLI, FixtureWorkspace, fixtureEnvironment, fixtureTenant } from '../src/testing/fixture-workspace';
import { formatTree } from '../src/tracing';

function run(ws: FixtureWorkspace, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args, '--root', ws.root], { cwd: ws.root, env: { ...process.env, CI: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('tracing the synth', () => {
  let ws: FixtureWorkspace;
  beforeAll(() => {
    ws = FixtureWorkspace.create({
      'environments/alpha.ts': fixtureEnvironment('alpha'),
      'apps/shop/tenant.ts': fixtureTenant('shop', ['alpha']),
    });
  });
  afterAll(() => ws.dispose());

  test('with OTEL_EXPORTER_OTLP_ENDPOINT, spans synth → environment → unit → render/validate/write go out over OTLP/HTTP', async () => {
    const bodies: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => { body += d; });
      req.on('end', () => {
        if (req.url === '/v1/traces') bodies.push(body);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const result = await run(ws, ['synth', '--no-cache'], { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` });
      expect(result.code).toBe(0);
      const spans = bodies.flatMap((b) => (JSON.parse(b) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ name: string; attributes: Array<{ key: string; value: { stringValue?: string } }> }> }> }> })
        .resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));
      const names = new Set(spans.map((s) => s.name));
      for (const name of ['synth', 'environment', 'unit', 'render', 'validate', 'write']) expect(names).toContain(name);
      const unit = spans.find((s) => s.name === 'unit' && s.attributes.some((a) => a.value.stringValue === 'tenant/shop'))!;
      expect(unit.attributes.map((a) => a.key)).toEqual(expect.arrayContaining(['env', 'unit', 'objects', 'bytes', 'cache']));
    } finally {
      server.close();
    }
  });

  test('--trace prints a timing tree to stderr', async () => {
    const result = await run(ws, ['synth', '--no-cache', '--trace']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^synth\s+\d+\.\d{3}s/m);
    expect(result.stderr).toMatch(/^ {2}environment alpha\s+\d+\.\d{3}s/m);
    expect(result.stderr).toMatch(/^ {4}unit tenant\/shop\s+\d+\.\d{3}s\s+objects=\d+ bytes=\d+ cache=miss/m);
  });

  test('the tree summarizes long lists of siblings', () => {
    const spans = Array.from({ length: 12 }, (_, i) => ({ id: `u${i}`, parent: 'root', name: 'unit', ms: i, attributes: { unit: `tenant/t${i}` } }));
    const tree = formatTree([{ id: 'root', name: 'synth', ms: 100, attributes: {} }, ...spans], 3);
    expect(tree.split('\n')).toEqual([
      'synth  0.100s',
      '  unit tenant/t11  0.011s',
      '  unit tenant/t10  0.010s',
      '  unit tenant/t9  0.009s',
      '  … 9 more (12 in all, 0.066s summed; slowest shown)',
    ]);
  });
});
