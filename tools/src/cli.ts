import { Command, CommanderError, Option } from 'commander';
import pc from 'picocolors';
import { UserError } from './errors';
import { synth } from './synth/synth';
import { Workspace } from './workspace';

/** Exit codes of every command. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];
}

/** A progress line on an interactive terminal; nothing in CI or when piped. */
function progressLine(enabled: boolean): { update(done: number, total: number): void; stop(): void } {
  if (!enabled) return { update() {}, stop() {} };
  // Loaded lazily: the common non-interactive path never pays for it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SingleBar, Presets } = require('cli-progress') as typeof import('cli-progress');
  const bar = new SingleBar({ format: 'synth {bar} {value}/{total} units', stream: process.stderr, clearOnComplete: true, hideCursor: true }, Presets.shades_classic);
  let started = false;
  return {
    update(done, total) {
      if (!started) { bar.start(total, 0); started = true; }
      bar.update(done);
    },
    stop() { if (started) bar.stop(); },
  };
}

export function interactive(): boolean {
  return Boolean(process.stderr.isTTY) && !process.env.CI;
}

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('platformctl')
    .description('Renders the platform (add-ons and tenants, per environment) into plain YAML under dist/, and checks it.')
    .option('--root <dir>', 'repository root (default: found from the current directory)')
    .showHelpAfterError()
    .exitOverride()
    .addHelpText('after', `
Exit codes: 0 success, 1 invalid input or failed check (dist/ left unchanged), 2 usage error.`);

  program.command('synth')
    .description('render every environment into dist/<env>/ (atomically: on any error dist/ is unchanged)')
    .addOption(new Option('--env <name>', 'only this environment (repeatable or comma-separated)').argParser(collect))
    .addOption(new Option('--only <unit>', 'only this add-on or tenant ("name", "addon/name", "tenant/name", "cluster"); repeatable').argParser(collect))
    .option('--out <dir>', 'write here instead of dist/')
    .option('-q, --quiet', 'print nothing on success')
    .action(async (opts: { env?: string[]; only?: string[]; out?: string; quiet?: boolean }) => {
      const started = process.hrtime.bigint();
      let ws = Workspace.find(program.opts().root ?? process.cwd());
      if (opts.out) ws = ws.withDist(opts.out);
      const progress = progressLine(interactive() && !opts.quiet);
      try {
        const report = await synth(ws, { envs: opts.env, only: opts.only, onProgress: progress.update });
        progress.stop();
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        if (!opts.quiet) {
          process.stdout.write(`synth: ${report.environments.join(', ')}: ${report.units} units, ${report.objects} objects, ${report.files} files, ${(report.bytes / 1024).toFixed(0)} KiB → ${ws.rel(ws.distDir)}/ in ${seconds.toFixed(2)}s\n`);
        }
        setExit(EXIT.ok);
      } finally {
        progress.stop();
      }
    });

  return program;
}

/** Runs the CLI; returns the exit code instead of exiting (tests call this directly). */
export async function main(argv: readonly string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram((c) => { code = c; });
  try {
    await program.parseAsync([...argv]);
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof UserError) {
      process.stderr.write(`${pc.red('error')}: ${err.message}\n`);
      return EXIT.failed;
    }
    throw err;
  }
}
