/** Label/annotation prefix owned by the platform team. Change it here, nowhere else. */
export const PLATFORM_DOMAIN = 'platform.example.com';

export const LABELS = {
  name: 'app.kubernetes.io/name',
  instance: 'app.kubernetes.io/instance',
  version: 'app.kubernetes.io/version',
  component: 'app.kubernetes.io/component',
  partOf: 'app.kubernetes.io/part-of',
  managedBy: 'app.kubernetes.io/managed-by',
  environment: `${PLATFORM_DOMAIN}/environment`,
  tenant: `${PLATFORM_DOMAIN}/tenant`,
  team: `${PLATFORM_DOMAIN}/team`,
  costCenter: `${PLATFORM_DOMAIN}/cost-center`,
  /** Node label that separates platform nodes (core) from tenant nodes (worker). */
  nodeType: 'node-type',
} as const;

/** The value of app.kubernetes.io/managed-by on everything this repository renders. */
export const MANAGED_BY = 'platformctl';

export interface AppIdentityProps {
  /** What the thing is, e.g. "prometheus" or "frontend". */
  readonly name: string;
  /** The add-on or tenant it belongs to, e.g. "monitoring" or "webshop". */
  readonly partOf: string;
  /** Environment name, e.g. "prod". */
  readonly environment: string;
  /** Role within the add-on, e.g. "controller", "server". @default - no component label */
  readonly component?: string;
  /** Version of the software (image tag without the leading "v" is fine too). @default - no version label */
  readonly version?: string;
  /** Unique instance name. @default name */
  readonly instance?: string;
}

/**
 * Recommended labels of one component, computed once.
 * `labels` go on every object of the component; `selectorLabels` (no version: selectors are immutable)
 * select its pods.
 */
export class AppIdentity {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly selectorLabels: Readonly<Record<string, string>>;

  constructor(props: AppIdentityProps) {
    this.name = props.name;
    const selector: Record<string, string> = {
      [LABELS.name]: props.name,
      [LABELS.instance]: props.instance ?? props.name,
    };
    if (props.component) selector[LABELS.component] = props.component;
    this.selectorLabels = selector;
    this.labels = {
      ...selector,
      ...(props.version ? { [LABELS.version]: props.version.replace(/^v/, '') } : {}),
      [LABELS.partOf]: props.partOf,
      [LABELS.managedBy]: MANAGED_BY,
      [LABELS.environment]: props.environment,
    };
  }
}
