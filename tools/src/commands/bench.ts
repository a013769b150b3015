import { Command, InvalidArgumentError } from 'commander';
import type { CommandContext } from '../cli';
import { EXIT } from '../cli';
import { formatBench, runBench } from '../bench/bench';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

export function register(program: Command, ctx: CommandContext): void {
  program.command('bench')
    .description('benchmark the synth on N synthetic tenants in a temporary workspace (full, floor, single App, no-op, one change)')
    .requiredOption('--tenants <n>', 'number of synthetic tenants', positiveInt)
    .option('--json', 'print the result as JSON')
    .option('--single-app-timeout <seconds>', 'give up on the quadratic single-App run after this long', positiveInt, 1800)
    .option('--keep', 'keep the temporary workspace')
    .action((opts: { tenants: number; json?: boolean; singleAppTimeout: number; keep?: boolean }) => {
      const result = runBench({
        tenants: opts.tenants,
        singleAppTimeoutSeconds: opts.singleAppTimeout,
        keep: opts.keep,
        log: opts.json ? undefined : (line) => process.stderr.write(`bench: ${line}\n`),
      });
      process.stdout.write(opts.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatBench(result)}\n`);
      ctx.setExit(EXIT.ok);
    });
}
