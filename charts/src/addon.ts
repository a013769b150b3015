import { Construct } from 'constructs';
import { z } from 'zod';
import { PlatformContext } from './platform-context';

/**
 * An add-on, as the synth sees it: one folder `addons/<name>/` whose `src/index.ts` default-exports this.
 * The environment enables it with `addons: { '<name>': { ...settings } }`; the settings are validated
 * with `settings` and passed to `render`. Output lands in `dist/<env>/addons/<name>/`.
 */
export interface AddonDefinition<TSettings extends z.ZodType = z.ZodType> {
  /** Folder name under addons/; also the key in the environment's `addons`. */
  readonly name: string;
  /** One line: what the add-on deploys. */
  readonly description: string;
  /** Schema of the per-environment settings (with defaults). */
  readonly settings: TSettings;
  /** Add-ons that must be in the cluster before this one (sync order). @default [] */
  readonly dependsOn?: readonly string[];
  /** Adds the add-on's constructs to `scope` (a cdk8s Chart) for one environment. */
  render(scope: Construct, ctx: PlatformContext, settings: z.output<TSettings>): void;
}

/** What an environment file writes under `addons['<name>']`. */
export type AddonSettingsInput<T extends AddonDefinition> = z.input<T['settings']>;

export function defineAddon<TSettings extends z.ZodType>(definition: AddonDefinition<TSettings>): AddonDefinition<TSettings> {
  return definition;
}
