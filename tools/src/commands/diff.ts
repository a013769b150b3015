import { Command, InvalidArgumentError, Option } from 'commander';
import type { CommandContext } from '../cli';
import { EXIT, collect } from '../cli';
import { colorsFor, DIFF_FORMATS, DiffFormat, diffDist, MARKDOWN_MAX_CHARS, renderJson, renderMarkdown, renderText } from '../diff';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 2000) throw new InvalidArgumentError('expected a whole number of characters, at least 2000');
  return n;
}

export function register(program: Command, ctx: CommandContext): void {
  program.command('diff')
    .description('what a change does to the clusters: dist/ at a git revision vs the working tree, object by object (secrets redacted)')
    .requiredOption('--base <ref>', 'git revision to compare with (branch, tag or commit, e.g. origin/main)')
    .addOption(new Option('--env <name>', 'only this environment (repeatable or comma-separated)').argParser(collect))
    .addOption(new Option('--format <format>', 'markdown (a PR comment), text (terminal) or json (tools)').choices(DIFF_FORMATS).default('text'))
    .option('--exit-code', 'exit 1 when there are changes (like git diff --exit-code)')
    .addOption(new Option('--max-chars <n>', 'markdown: cap on the whole body').argParser(positiveInt).default(MARKDOWN_MAX_CHARS))
    .addHelpText('after', `
Objects are matched by API group, kind, namespace and name: a moved file is no change, an apiVersion bump is.
Exit codes: 0 done (changes or not), 1 changes with --exit-code, or an error (bad ref, not a git repository), 2 usage error.`)
    .action(async (opts: { base: string; env?: string[]; format: DiffFormat; exitCode?: boolean; maxChars: number }) => {
      const ws = ctx.workspace();
      const report = await diffDist(ws, { base: opts.base, envs: opts.env });
      const output = opts.format === 'json'
        ? renderJson(report)
        : opts.format === 'markdown'
          ? renderMarkdown(report, { maxChars: opts.maxChars, fullCommand: `npm run diff -- --base ${opts.base}` })
          : renderText(report, colorsFor(process.stdout));
      await new Promise<void>((resolve, reject) => process.stdout.write(output, (err) => (err ? reject(err) : resolve())));
      ctx.setExit(opts.exitCode && report.objects.length > 0 ? EXIT.failed : EXIT.ok);
    });
}
