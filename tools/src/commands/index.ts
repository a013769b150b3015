import type { Command } from 'commander';
import type { CommandContext } from '../cli';

type Register = (program: Command, ctx: CommandContext) => void;

/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * Every platformctl command, one module each, in the order --help lists them. Modules are required on demand:
 * running `synth` does not load the diff, preview or validation code (a no-op synth must start fast).
 */
export const COMMANDS: Readonly<Record<string, () => Register>> = {
  synth: () => (require('./synth') as typeof import('./synth')).register,
  validate: () => (require('./validate') as typeof import('./validate')).register,
  diff: () => (require('./diff') as typeof import('./diff')).register,
  preview: () => (require('./preview') as typeof import('./preview')).register,
  'new-tenant': () => (require('./new-tenant') as typeof import('./new-tenant')).register,
  bench: () => (require('./bench') as typeof import('./bench')).register,
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** The command named on the command line (skipping global options), if it is one of ours. */
export function invokedCommand(argv: readonly string[]): string | undefined {
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--root') { i++; continue; }
    if (arg.startsWith('-')) continue;
    return arg in COMMANDS ? arg : undefined;
  }
  return undefined;
}
