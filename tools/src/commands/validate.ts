import { existsSync, statSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { Command, Option } from 'commander';
import type { CommandContext } from '../cli';
import { EXIT } from '../cli';
import { UserError } from '../errors';
import { formatJson, formatText, loadEnvironmentInfo, validateTree } from '../validate';

export function register(program: Command, ctx: CommandContext): void {
  program.command('validate')
    .description('check the YAML under dist/ (or --dir) against the Kubernetes and CRD schemas and the platform policy')
    .option('--dir <path>', 'a dist directory or one environment directory in it (default: dist/)')
    .addOption(new Option('--format <format>', 'report format').choices(['text', 'json']).default('text'))
    .addHelpText('after', `
Exit code 1 when any error is found (warnings alone exit 0). --format json prints one stable JSON object
(tools/src/validate/README.md describes it). Colours only on a terminal.`)
    .action((opts: { dir?: string; format: 'text' | 'json' }) => {
      const ws = ctx.workspace();
      const dir = resolve(opts.dir ?? ws.distDir);
      if (!existsSync(dir) || !statSync(dir).isDirectory()) {
        throw new UserError(`--dir ${opts.dir ?? ws.rel(ws.distDir)}: no such directory${opts.dir ? '' : ' (run `npm run synth` first)'}`);
      }
      const inRepo = (abs: string): string => {
        const rel = relative(ws.root, abs);
        return rel.startsWith(`..${sep}`) || rel === '..' ? abs : rel;
      };
      const report = validateTree({ dir, environments: loadEnvironmentInfo(ws), display: inRepo });
      const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
      process.stdout.write(opts.format === 'json' ? formatJson(report) : formatText(report, { color }));
      ctx.setExit(report.errors ? EXIT.failed : EXIT.ok);
    });
}
