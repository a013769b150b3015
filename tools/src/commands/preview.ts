import { Command } from 'commander';
import type { CommandContext } from '../cli';
import { UserError } from '../errors';

// Placeholder until the command lands; registered so --help lists the whole CLI.
export function register(program: Command, _ctx: CommandContext): void {
  program.command('preview')
    .description('(not implemented yet)')
    .allowUnknownOption()
    .action(() => { throw new UserError('platformctl preview is not implemented yet'); });
}
