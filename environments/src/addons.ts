import type { AddonSettingsInput } from '@platform/charts';
import type backups from '@platform/addon-backups';
import type dashboards from '@platform/addon-dashboards';
import type ingressNginx from '@platform/addon-ingress-nginx';
import type logging from '@platform/addon-logging';
import type monitoring from '@platform/addon-monitoring';
import type tracing from '@platform/addon-tracing';

/**
 * Typed settings per add-on, keyed by folder name under addons/. An environment runs an add-on when its key
 * is present. Adding an add-on adds one line here, so environment files get completion and type errors.
 */
export interface AddonSettings {
  readonly 'ingress-nginx'?: AddonSettingsInput<typeof ingressNginx>;
  readonly logging?: AddonSettingsInput<typeof logging>;
  readonly monitoring?: AddonSettingsInput<typeof monitoring>;
  readonly tracing?: AddonSettingsInput<typeof tracing>;
  readonly backups?: AddonSettingsInput<typeof backups>;
  readonly dashboards?: AddonSettingsInput<typeof dashboards>;
}
