import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from '../../src/testing/fixture-workspace';

/**
 * The workflow files pass actionlint (syntax, expressions, job graph, action inputs, and shellcheck on `run:`
 * scripts when shellcheck is installed). actionlint is a Go program, built from the Go module proxy at a pinned
 * version (cached by Go after the first run). Without Go the test says so and is skipped, never passed.
 */
const ACTIONLINT = 'github.com/rhysd/actionlint/cmd/actionlint@v1.7.12';
const goAvailable = spawnSync('go', ['version'], { encoding: 'utf8' }).status === 0;
if (!goAvailable) process.stderr.write('SKIPPED actionlint.test.ts: Go is not installed, so actionlint cannot run (install Go to lint the workflows)\n');

(goAvailable ? test : test.skip)(`the workflows pass actionlint (${ACTIONLINT})`, () => {
  const result = spawnSync('go', ['run', ACTIONLINT, '-color=false', '.github/workflows/main.yml', '.github/workflows/pull-request.yml'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, GOTOOLCHAIN: 'local' },
    timeout: 280_000,
  });
  if (result.error) throw result.error;
  const output = `${result.stdout}${result.stderr}`.replace(/^go: downloading .*\n/gm, '');
  expect(output.trim()).toBe('');
  expect(result.status).toBe(0);
}, 300_000);

