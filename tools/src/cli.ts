import { Command, CommanderError } from 'commander';
import pc from 'picocolors';
import { UserError } from './errors';
import { COMMANDS, invokedCommand } from './commands';
import { Workspace } from './workspace';

/** Exit codes of every command. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];
}

/** A progress line on an interactive terminal; nothing in CI or when piped. */
export function progressLine(enabled: boolean): { update(done: number, total: number): void; stop(): void } {
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

/** What every command gets: how to find the workspace and how to report its exit code. */
export interface CommandContext {
  /** The repository, from --root or the current directory. */
  workspace(): Workspace;
  setExit(code: number): void;
}

function buildProgram(argv: readonly string[], setExit: (code: number) => void): Command {
  const program = new Command('platformctl')
    .description('Renders the platform (add-ons and tenants, per environment) into plain YAML under dist/, and checks it.')
    .option('--root <dir>', 'repository root (default: found from the current directory)')
    .showHelpAfterError()
    .exitOverride()
    .addHelpText('after', `
Exit codes: 0 success, 1 invalid input or failed check (dist/ left unchanged), 2 usage error.`);

  const context: CommandContext = {
    workspace: () => Workspace.find(program.opts().root ?? process.cwd()),
    setExit,
  };
  // Only the command being run is loaded; --help and unknown commands get all of them.
  const invoked = invokedCommand(argv);
  for (const [name, load] of Object.entries(COMMANDS)) if (!invoked || name === invoked) load()(program, context);

  return program;
}

/** Runs the CLI; returns the exit code instead of exiting (tests call this directly). */
export async function main(argv: readonly string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(argv, (c) => { code = c; });
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
