import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Command, Option } from 'commander';
import { DNS_LABEL_HINT, PLATFORM_ENDPOINTS, isDnsLabel } from '@platform/charts';
import type { CommandContext } from '../cli';
import { EXIT } from '../cli';
import { UserError } from '../errors';
import { loadEnvironment } from '../model/load';
import { Workspace } from '../workspace';

/** The template of a new tenant file; `{{placeholder}}`s are filled in by `scaffoldTenant`. */
export const TENANT_TEMPLATE = join(__dirname, '..', '..', 'templates', 'tenant.ts.tmpl');

const LABEL_VALUE = /^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/;

export interface NewTenantOptions {
  /** Team label. @default the tenant name */
  readonly team?: string;
  /** Cost-center label. @default "unassigned" */
  readonly costCenter?: string;
  /** Admin groups. @default ["<name>-admins"] */
  readonly admins?: readonly string[];
  /** Viewer groups. @default ["<name>-viewers"] */
  readonly viewers?: readonly string[];
}

export interface ScaffoldResult {
  /** The file written, relative to the repository root. */
  readonly file: string;
  /** Environments the tenant runs in. */
  readonly environments: readonly string[];
  /** Environments left out because their `tenants` list does not admit new tenants. */
  readonly skipped: readonly string[];
}

/** Names a tenant can never have: Kubernetes' own namespaces and the platform's. */
function reservedBy(ws: Workspace, name: string): string | undefined {
  if (name === 'default' || name.startsWith('kube-')) return 'Kubernetes ("default" and "kube-*" namespaces)';
  const platform = Object.values(PLATFORM_ENDPOINTS).map((e) => e.namespace) as string[];
  if (platform.includes(name)) return 'a platform namespace';
  if (ws.addonDirs().some((dir) => basename(dir) === name)) return `the add-on addons/${name}/`;
  return undefined;
}

function quoteList(values: readonly string[]): string {
  return values.map((v) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(', ');
}

/** Writes apps/<name>/tenant.ts from the template; refuses invalid, reserved and existing names. */
export function scaffoldTenant(ws: Workspace, name: string, options: NewTenantOptions = {}): ScaffoldResult {
  if (!isDnsLabel(name)) throw new UserError(`tenant name "${name}" is invalid: it must be ${DNS_LABEL_HINT}`);
  const reserved = reservedBy(ws, name);
  if (reserved) throw new UserError(`tenant name "${name}" is reserved for ${reserved}; choose another name`);
  const dir = join(ws.appsDir, name);
  const file = join(dir, 'tenant.ts');
  if (existsSync(file)) throw new UserError(`tenant "${name}" already exists (${ws.rel(file)}); edit that file instead`);
  const team = options.team ?? name;
  const costCenter = options.costCenter ?? 'unassigned';
  for (const [flag, value] of [['--team', team], ['--cost-center', costCenter]] as const) {
    if (value.length > 63 || !LABEL_VALUE.test(value)) throw new UserError(`${flag} "${value}" is invalid: it must be a label value (lowercase letters, digits, "-", "_", ".", at most 63 characters)`);
  }

  const environments: string[] = [];
  const skipped: string[] = [];
  for (const envFile of ws.environmentFiles()) {
    const env = loadEnvironment(ws, envFile, ws.addonDirs().map((d) => basename(d))).env;
    if (env.tenants === 'all') environments.push(env.name);
    else skipped.push(env.name);
  }
  if (environments.length === 0) {
    throw new UserError(`no environment admits new tenants (each lists its tenants explicitly: ${skipped.join(', ') || 'none found'}); add "${name}" to an environment's tenants list first`);
  }

  const values: Record<string, string> = {
    name,
    team,
    costCenter,
    admins: quoteList(options.admins?.length ? options.admins : [`${name}-admins`]),
    viewers: quoteList(options.viewers?.length ? options.viewers : [`${name}-viewers`]),
    environments: environments.map((env) => `    ${/^[A-Za-z_$][\w$]*$/.test(env) ? env : `'${env}'`}: {},`).join('\n'),
  };
  const content = readFileSync(TENANT_TEMPLATE, 'utf8').replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    if (!(key in values)) throw new Error(`tenant template: unknown placeholder {{${key}}}`);
    return values[key];
  });
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, content, { flag: 'wx' });
  return { file: ws.rel(file), environments, skipped };
}

function list(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];
}

export function register(program: Command, ctx: CommandContext): void {
  program.command('new-tenant')
    .description('create apps/<name>/tenant.ts for a new tenant team (one small web app, in every environment that admits new tenants)')
    .argument('<name>', 'tenant name: a DNS-1123 label, also its namespace')
    .option('--team <team>', 'team label (default: the tenant name)')
    .option('--cost-center <id>', 'cost-center label (default: "unassigned")')
    .addOption(new Option('--admins <groups>', 'admin groups, comma-separated (default: <name>-admins)').argParser(list))
    .addOption(new Option('--viewers <groups>', 'viewer groups, comma-separated (default: <name>-viewers)').argParser(list))
    .action((name: string, opts: { team?: string; costCenter?: string; admins?: string[]; viewers?: string[] }) => {
      const ws = ctx.workspace();
      const result = scaffoldTenant(ws, name, opts);
      const out = [
        `created ${result.file} (environments: ${result.environments.join(', ')})`,
        ...(result.skipped.length ? [`not added to ${result.skipped.join(', ')}: those environments list their tenants; add "${name}" there to run it`] : []),
        '',
        'Next:',
        `  1. Edit ${result.file}: owners, costCenter, your apps (image, port, resources, ingress...).`,
        `  2. npm run synth -- --only tenant/${name}     renders dist/<env>/tenants/${name}/`,
        `  3. Open a pull request with apps/${name}/ and dist/; the platform team reviews it.`,
        '',
      ];
      process.stdout.write(out.join('\n'));
      ctx.setExit(EXIT.ok);
    });
}
