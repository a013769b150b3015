import { writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import type { CommandContext } from '../cli';
import { EXIT, collect, interactive, progressLine } from '../cli';
import { SynthReport, synth } from '../synth/synth';
import { inSpan, setupTracing } from '../tracing';

/**
 * With PLATFORMCTL_REPORT=<file>, the synth also writes its report and the process's peak RSS there as JSON
 * (the benchmark reads it; peak RSS covers the worker threads, which share the process).
 */
function writeReport(report: SynthReport): void {
  const file = process.env.PLATFORMCTL_REPORT;
  if (!file) return;
  writeFileSync(file, JSON.stringify({ ...report, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
}

export function register(program: Command, ctx: CommandContext): void {
  program.command('synth')
    .description('render every environment into dist/<env>/ (atomically: on any error dist/ is unchanged)')
    .addOption(new Option('--env <name>', 'only this environment (repeatable or comma-separated)').argParser(collect))
    .addOption(new Option('--only <unit>', 'only this add-on or tenant ("name", "addon/name", "tenant/name", "cluster"); repeatable').argParser(collect))
    .option('--out <dir>', 'write here instead of dist/')
    .option('--no-validate', 'skip the validation gate (schema and policy) before the swap')
    .option('--no-cache', 'ignore the unit cache and the last synth\'s state: render everything')
    .option('--trace', 'print a timing tree of the synth to stderr (spans are also sent over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set)')
    .option('-q, --quiet', 'print nothing on success')
    .addOption(new Option('--single-app', 'benchmark only: every unit in one cdk8s App (quadratic)').hideHelp())
    .action(async (opts: { env?: string[]; only?: string[]; out?: string; quiet?: boolean; validate: boolean; cache: boolean; trace?: boolean; singleApp?: boolean }) => {
      const started = process.hrtime.bigint();
      let ws = ctx.workspace();
      if (opts.out) ws = ws.withDist(opts.out);
      const progress = progressLine(interactive() && !opts.quiet);
      const shutdownTracing = setupTracing({ printTree: Boolean(opts.trace) });
      try {
        const report = await inSpan('synth', { envs: (opts.env ?? []).join(','), only: (opts.only ?? []).join(',') }, async (span) => {
          const r = await synth(ws, { envs: opts.env, only: opts.only, validate: opts.validate, cache: opts.cache, singleApp: opts.singleApp, onProgress: progress.update });
          span.setAttributes({ mode: r.mode, units: r.units, rendered: r.rendered, cached: r.cached, objects: r.objects, bytes: r.bytes });
          return r;
        });
        writeReport(report);
        progress.stop();
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        if (!opts.quiet) {
          const where = `${ws.rel(ws.distDir)}/`;
          const took = `${seconds.toFixed(2)}s`;
          process.stdout.write(report.mode === 'up-to-date'
            ? `synth: ${report.environments.join(', ')}: ${where} is up to date (${report.units} units) in ${took}\n`
            : `synth: ${report.environments.join(', ')}: ${report.mode}, ${report.rendered} units rendered, ${report.cached} from cache (of ${report.units}); wrote ${report.files} files (${report.objects} objects, ${(report.bytes / 1024).toFixed(0)} KiB) to ${where} in ${took}\n`);
        }
        ctx.setExit(EXIT.ok);
      } finally {
        progress.stop();
        await shutdownTracing();
      }
    });

}
