import type { Command } from 'commander';
import type { CommandContext } from '../cli';
import * as bench from './bench';
import * as diff from './diff';
import * as newTenant from './new-tenant';
import * as preview from './preview';
import * as synth from './synth';
import * as validate from './validate';

/** Every platformctl command, one module each, in the order --help lists them. */
export const COMMANDS: ReadonlyArray<(program: Command, ctx: CommandContext) => void> = [
  synth.register,
  validate.register,
  diff.register,
  preview.register,
  newTenant.register,
  bench.register,
];
