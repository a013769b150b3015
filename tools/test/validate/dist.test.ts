import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../src/testing/fixture-workspace';
import { formatText, loadEnvironmentInfo, validateTree } from '../../src/validate';
import { Workspace } from '../../src/workspace';

// What the GitOps engines apply must pass the same gate the synth runs before every swap.
test('the shipped dist/ validates clean', () => {
  const ws = Workspace.find(REPO_ROOT);
  expect(existsSync(ws.distDir)).toBe(true);
  const report = validateTree({ dir: ws.distDir, environments: loadEnvironmentInfo(ws), display: (abs) => ws.rel(abs) });
  expect(report.objects).toBeGreaterThan(0);
  if (report.errors) throw new Error(formatText(report, { minSeverity: 'error', exceptions: false }));
  expect(report.files).toBeGreaterThanOrEqual(report.objects);
  expect(existsSync(join(ws.distDir, 'test'))).toBe(true);
});
