import { Command, InvalidArgumentError, Option } from 'commander';
import type { CommandContext } from '../cli';
import { colorsFor } from '../diff/format';
import { readEnvironment } from '../diff/snapshot';
import { UserError } from '../errors';
import { Model, loadModel } from '../model/load';
import {
  addonSyncOrder, Kubectl, KUBECTL_ENV, PREVIEW_EXIT, PREVIEW_FORMATS, PreviewFormat, renderPreviewJson,
  renderPreviewMarkdown, renderPreviewText, previewLimits, runPreview,
} from '../preview';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

/** Add-ons present in dist/<env>/addons/, dependencies first (from each definition's `dependsOn`). */
function addonOrder(model: Model, names: readonly string[]): string[] {
  return addonSyncOrder(names, (name) => (model.hasAddon(name) ? model.addon(name).definition.dependsOn ?? [] : []));
}

export function register(program: Command, ctx: CommandContext): void {
  program.command('preview')
    .description('what dist/<env>/ would change in the live cluster: kubectl diff --server-side in GitOps sync order, plus what the sync would prune')
    .requiredOption('--env <name>', 'environment (dist/<env>/)')
    .option('--context <name>', 'kubeconfig context (default: the current context)')
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config)')
    .addOption(new Option('--format <format>', 'text (terminal), markdown (PR comment section) or json').choices(PREVIEW_FORMATS).default('text'))
    .option('--field-manager <name>', 'server-side apply field manager; use the GitOps engine\'s (e.g. kustomize-controller) to see removed fields exactly as it will', 'platformctl-preview')
    .addOption(new Option('--max-chars <n>', 'markdown: cap on the section').argParser(positiveInt).default(20_000))
    .option('--no-prune', 'skip looking for objects the sync would prune')
    .addHelpText('after', `
Order: cluster/ (CRDs, namespaces, the rest), add-ons (dependencies first), tenants (guardrails, then workloads),
then the GitOps wiring (bootstrap/, argocd/, flux/; skipped while the engine's CRDs are not installed).
kubectl: $${KUBECTL_ENV} or "kubectl" on PATH.
Exit codes: 0 no changes, 1 changes (objects to create, update or prune), 2 usage error,
3 errors (cluster unreachable, credentials rejected, forbidden, invalid object, missing CRD or namespace).`)
    .action(async (opts: { env: string; context?: string; kubeconfig?: string; format: PreviewFormat; fieldManager: string; maxChars: number; prune: boolean }) => {
      try {
        const ws = ctx.workspace();
        const objects = readEnvironment(ws, opts.env);
        const addons = [...new Set(objects.filter((o) => o.path.split('/')[1] === 'addons').map((o) => o.path.split('/')[2]))];
        const model = loadModel(ws);
        const report = await runPreview({
          env: opts.env,
          kubectl: new Kubectl({ context: opts.context, kubeconfig: opts.kubeconfig }),
          objects,
          addonOrder: addonOrder(model, addons),
          notPreviewable: previewLimits(model.environments.get(opts.env)?.env.gitops.preview.writeGuard ?? 'none'),
          fieldManager: opts.fieldManager,
          prune: opts.prune,
        });
        const output = opts.format === 'json'
          ? renderPreviewJson(report)
          : opts.format === 'markdown'
            ? renderPreviewMarkdown(report, { maxChars: opts.maxChars })
            : renderPreviewText(report, colorsFor(process.stdout));
        await new Promise<void>((resolve, reject) => process.stdout.write(output, (err) => (err ? reject(err) : resolve())));
        ctx.setExit(PREVIEW_EXIT[report.outcome]);
      } catch (err) {
        // Every failure exits 3: exit 1 means "changes" here, and must not be mistaken for one.
        process.stderr.write(`error: ${err instanceof UserError ? err.message : (err as Error)?.stack ?? String(err)}\n`);
        ctx.setExit(PREVIEW_EXIT.errors);
      }
    });
}
