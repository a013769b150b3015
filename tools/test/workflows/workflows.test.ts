import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { REPO_ROOT } from '../../src/testing/fixture-workspace';

// The rules the PR flow relies on, read from the workflow files themselves.
const DIR = join(REPO_ROOT, '.github', 'workflows');
const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
const text = (file: string) => readFileSync(join(DIR, file), 'utf8');
const parse = (file: string): any => YAML.parse(text(file));

type Job = Record<string, any>;
const jobs = (file: string): Record<string, Job> => parse(file).jobs;
const triggers = (file: string): string[] => {
  const on = parse(file).on;
  return typeof on === 'string' ? [on] : Array.isArray(on) ? on : Object.keys(on);
};

const SAME_REPO = 'github.event.pull_request.head.repo.full_name == github.repository';
const pr = 'pull-request.yml';

test('the workflows are the PR flow and the push verification', () => {
  expect(files).toEqual(['main.yml', 'pull-request.yml']);
  expect(triggers(pr)).toEqual(['pull_request']);
  expect(triggers('main.yml')).toEqual(['push']);
  expect(parse('main.yml').on.push.branches).toContain('main');
});

describe.each(files)('%s', (file) => {
  test('is never triggered by pull_request_target (a fork\'s code with this repository\'s secrets)', () => {
    expect(triggers(file)).not.toContain('pull_request_target');
    expect(text(file)).not.toContain('pull_request_target:');
  });

  test('pins every action to a full commit SHA, with the version in a comment', () => {
    const uses = text(file).split('\n').filter((l) => /^\s*(-\s+)?uses:/.test(l));
    expect(uses.length).toBeGreaterThan(0);
    for (const line of uses) {
      expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40} # v\d+(\.\d+){0,2}$/);
    }
  });

  test('asks for least privilege: nothing by default, read-only contents, pull-requests: write only to comment', () => {
    const top = parse(file).permissions;
    expect(top === undefined ? 'missing' : 'set').toBe('set');
    const allowed = (perms: unknown): boolean => {
      if (perms === undefined) return true;
      if (typeof perms === 'string') return false; // read-all / write-all
      return Object.entries(perms as Record<string, string>).every(([scope, level]) =>
        (scope === 'contents' && level === 'read') || (scope === 'pull-requests' && level === 'write'));
    };
    expect(allowed(top)).toBe(true);
    expect(top?.['pull-requests']).toBeUndefined();
    for (const [name, job] of Object.entries(jobs(file))) {
      expect({ name, ok: allowed(job.permissions) }).toEqual({ name, ok: true });
      if (job.permissions?.['pull-requests'] === 'write') expect(name).toBe('comment');
    }
  });

  test('never checks out the PR head by ref, never persists the token in .git', () => {
    for (const job of Object.values(jobs(file))) {
      for (const step of job.steps ?? []) {
        if (!String(step.uses ?? '').startsWith('actions/checkout@')) continue;
        expect(step.with?.ref).toBeUndefined();
        expect(step.with?.['persist-credentials']).toBe(false);
      }
    }
  });
});

describe('pull request workflow', () => {
  const all = jobs(pr);

  test('cancels superseded runs of the same PR', () => {
    expect(parse(pr).concurrency).toEqual({ group: 'pull-request-${{ github.event.pull_request.number }}', 'cancel-in-progress': true });
  });

  test('checks: full history for the base ref, npm cache, affected tests, stale dist/, validate, the rendered diff', () => {
    const steps: Job[] = all.checks.steps;
    const checkout = steps.find((s) => String(s.uses).startsWith('actions/checkout@'))!;
    expect(checkout.with['fetch-depth']).toBe(0);
    const node = steps.find((s) => String(s.uses).startsWith('actions/setup-node@'))!;
    expect(node.with.cache).toBe('npm');
    const runs = steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('npm ci');
    expect(runs).toContain('npx nx affected -t test --base="origin/${BASE_REF}"');
    expect(runs).toContain('npm run synth');
    expect(runs).toContain('git diff --exit-code --stat -- dist');
    expect(runs).toContain('git status --porcelain --untracked-files=all -- dist');
    expect(runs).toContain('npm run --silent validate -- --format json');
    expect(runs).toContain('npm run --silent diff -- --base "origin/${BASE_REF}" --format markdown');
    // The diff reads the committed dist/ (what the clusters get after the merge): it runs before the synth.
    expect(runs.indexOf('diff -- --base')).toBeLessThan(runs.indexOf('npm run synth'));
  });

  test('the live preview runs per environment, only for branches of this repository, with an environment-scoped secret', () => {
    const preview = all.preview;
    expect(preview.if).toBe(SAME_REPO);
    expect(preview.environment).toBe('preview-${{ matrix.env }}');
    expect(preview.strategy.matrix.env).toEqual(['prod', 'test']);
    const steps: Job[] = preview.steps;
    const write = steps.find((s) => s.env?.PREVIEW_KUBECONFIG)!;
    expect(write.env.PREVIEW_KUBECONFIG).toBe('${{ secrets.PREVIEW_KUBECONFIG }}');
    expect(write.run).toContain('umask 077');
    expect(write.run).toContain('chmod 600 "${RUNNER_TEMP}/preview.kubeconfig"');
    const remove = steps.find((s) => /rm -f "\$\{RUNNER_TEMP\}\/preview.kubeconfig"/.test(s.run ?? ''))!;
    expect(remove.if).toBe('always()');
    expect(steps.map((s) => s.run ?? '').join('\n')).toContain('npm run --silent preview -- --env "${ENVIRONMENT}" --kubeconfig "${RUNNER_TEMP}/preview.kubeconfig" --format markdown');
  });

  test('secrets are used in the preview job only', () => {
    for (const [name, job] of Object.entries(all)) {
      const uses = JSON.stringify(job).match(/secrets\.\w+/g) ?? [];
      expect({ name, uses }).toEqual({ name, uses: name === 'preview' ? ['secrets.PREVIEW_KUBECONFIG'] : [] });
    }
  });

  test('the comment job is the only writer, for same-repository PRs, after checks and previews', () => {
    expect(all.comment.needs).toEqual(['checks', 'preview']);
    expect(all.comment.if).toContain('always()');
    expect(all.comment.if).toContain(SAME_REPO);
    expect(all.comment.permissions).toEqual({ 'pull-requests': 'write' });
  });

  describe('the sticky comment script', () => {
    const script: string = all.comment.steps.find((s: Job) => String(s.uses).startsWith('actions/github-script@')).with.script;
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor;

    async function runScript(dir: string, existing: Array<{ id: number; body: string; user: { type: string } }>) {
      const calls: Array<[string, any]> = [];
      const github = {
        paginate: async (_fn: unknown, _args: unknown) => existing,
        rest: {
          issues: {
            listComments: () => undefined,
            createComment: async (args: any) => { calls.push(['create', args]); },
            updateComment: async (args: any) => { calls.push(['update', args]); },
          },
        },
      };
      const context = {
        serverUrl: 'https://github.com', runId: 42, repo: { owner: 'example', repo: 'k8s-platform' },
        payload: { pull_request: { number: 7, head: { sha: '0123456789abcdef' } } },
      };
      const env = { ...process.env, REPORT_DIR: dir, CHECKS_RESULT: 'success' };
      await new AsyncFunction('require', 'github', 'context', 'process', script)(require, github, context, { env });
      return calls;
    }

    test('creates one comment with the diff and the previews, then updates it (found by its marker)', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'pr-report-'));
      try {
        writeFileSync(join(dir, 'diff.md'), '### Rendered changes: 1 changed\n');
        writeFileSync(join(dir, 'preview-test.md'), '### ✅ Live preview: `test` — no changes\n');
        writeFileSync(join(dir, 'preview-prod.md'), '### 📝 Live preview: `prod` — changes\n');
        const first = await runScript(dir, [{ id: 1, body: 'LGTM', user: { type: 'User' } }]);
        expect(first).toHaveLength(1);
        const [verb, args] = first[0];
        expect(verb).toBe('create');
        expect(args.issue_number).toBe(7);
        expect(args.body.startsWith('<!-- platformctl:pr-report -->')).toBe(true);
        expect(args.body.indexOf('Rendered changes')).toBeLessThan(args.body.indexOf('`prod`'));
        expect(args.body.indexOf('`prod`')).toBeLessThan(args.body.indexOf('`test`'));

        const again = await runScript(dir, [{ id: 1, body: 'LGTM', user: { type: 'User' } }, { id: 99, body: args.body, user: { type: 'Bot' } }]);
        expect(again.map(([v, a]) => [v, a.comment_id])).toEqual([['update', 99]]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    test('stays under GitHub\'s comment limit whatever the parts weigh', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'pr-report-'));
      try {
        writeFileSync(join(dir, 'diff.md'), 'x'.repeat(60_000));
        writeFileSync(join(dir, 'preview-prod.md'), 'y'.repeat(20_000));
        const [[, args]] = await runScript(dir, []);
        expect(args.body.length).toBeLessThanOrEqual(65_536);
        expect(args.body).toContain('cut at GitHub\'s comment size limit');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

describe('push workflow', () => {
  test('verifies that dist/ is current, validates it and runs every test', () => {
    const runs = Object.values(jobs('main.yml')).flatMap((j) => j.steps.map((s: Job) => s.run ?? '')).join('\n');
    expect(runs).toContain('npm run synth');
    expect(runs).toContain('git diff --exit-code --stat -- dist');
    expect(runs).toContain('npm run --silent validate -- --format json');
    expect(runs).toContain('npm test');
    expect(parse('main.yml').concurrency['cancel-in-progress']).toBe(false);
  });
});
