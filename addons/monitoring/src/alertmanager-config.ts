import { NULL_RECEIVER, Receiver, Route, SecretKeyRef } from './settings';

/**
 * alertmanager.yml, as data, from the environment's receivers and routes. Credentials never appear in it: every
 * secret value is a `*_file` path into a Secret mounted read-only at SECRETS_DIR/<secret>/<key>.
 */

/** Where the receivers' Secrets are mounted, one directory per Secret. */
export const SECRETS_DIR = '/etc/alertmanager/secrets';

export function secretFile(ref: SecretKeyRef): string {
  return `${SECRETS_DIR}/${ref.name}/${ref.key}`;
}

/** Secret references of a receiver (what must be mounted for it to work). */
export function secretRefs(receiver: Receiver): SecretKeyRef[] {
  switch (receiver.type) {
    case 'slack': return [receiver.apiUrlSecret];
    case 'webhook': return [receiver.urlSecret];
    case 'pagerduty': return [receiver.routingKeySecret];
    case 'email': return receiver.authPasswordSecret ? [receiver.authPasswordSecret] : [];
  }
}

/** Names of the Secrets the receivers read, sorted and de-duplicated. */
export function receiverSecretNames(receivers: readonly Receiver[]): string[] {
  return [...new Set(receivers.flatMap(secretRefs).map((ref) => ref.name))].sort();
}

/** TCP ports Alertmanager must reach to deliver to the receivers (for its egress network policy). */
export function receiverPorts(receivers: readonly Receiver[]): number[] {
  const ports = receivers.map((r) => {
    switch (r.type) {
      case 'slack':
      case 'pagerduty': return 443;
      case 'webhook': return r.port;
      case 'email': return Number(r.smarthost.split(':').pop());
    }
  });
  return [...new Set(ports)].sort((a, b) => a - b);
}

const SLACK_TITLE = '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.alertname }} in {{ .CommonLabels.cluster }}';
/** One paragraph per alert: severity and summary, description, runbook link when there is one. */
const SLACK_TEXT = [
  '{{ range .Alerts -}}',
  '*{{ .Labels.severity | toUpper }}* {{ .Annotations.summary }}',
  '{{ .Annotations.description }}{{ with .Annotations.runbook_url }}',
  'Runbook: {{ . }}{{ end }}',
  '',
  '{{ end }}',
].join('\n');

function receiverConfig(r: Receiver): Record<string, unknown> {
  switch (r.type) {
    case 'slack':
      return {
        name: r.name,
        slack_configs: [{ api_url_file: secretFile(r.apiUrlSecret), channel: r.channel, send_resolved: r.sendResolved, title: SLACK_TITLE, text: SLACK_TEXT }],
      };
    case 'webhook':
      return { name: r.name, webhook_configs: [{ url_file: secretFile(r.urlSecret), send_resolved: r.sendResolved }] };
    case 'pagerduty':
      return { name: r.name, pagerduty_configs: [{ routing_key_file: secretFile(r.routingKeySecret), send_resolved: r.sendResolved }] };
    case 'email':
      return {
        name: r.name,
        email_configs: [{
          to: r.to,
          from: r.from,
          smarthost: r.smarthost,
          require_tls: true,
          ...(r.authUsername ? { auth_username: r.authUsername } : {}),
          ...(r.authPasswordSecret ? { auth_password_file: secretFile(r.authPasswordSecret) } : {}),
          send_resolved: r.sendResolved,
        }],
      };
  }
}

function routeConfig(route: Route): Record<string, unknown> {
  return {
    receiver: route.receiver,
    matchers: [...route.matchers],
    ...(route.continue ? { continue: true } : {}),
    ...(route.repeatInterval ? { repeat_interval: route.repeatInterval } : {}),
  };
}

export interface AlertmanagerConfigProps {
  readonly receivers: readonly Receiver[];
  readonly routes: readonly Route[];
  /** @default - unmatched alerts go to the "null" receiver */
  readonly defaultReceiver?: string;
}

/** The whole alertmanager.yml. */
export function alertmanagerConfig(props: AlertmanagerConfigProps): Record<string, unknown> {
  const known = new Set(props.receivers.map((r) => r.name));
  for (const name of [props.defaultReceiver, ...props.routes.map((r) => r.receiver)]) {
    if (name !== undefined && !known.has(name)) {
      throw new Error(`alertmanager: route to unknown receiver "${name}"; receivers: ${[...known].join(', ') || '(none)'}`);
    }
  }
  return {
    global: { resolve_timeout: '5m' },
    route: {
      receiver: props.defaultReceiver ?? NULL_RECEIVER,
      group_by: ['cluster', 'namespace', 'alertname'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
      routes: [
        ...props.routes.map(routeConfig),
        // Watchdog always fires; unless a route above sends it to a dead man's switch, it goes nowhere.
        { receiver: NULL_RECEIVER, matchers: ['alertname="Watchdog"'] },
      ],
    },
    // A critical alert silences the warning/info alerts of the same name in the same namespace (as upstream).
    inhibit_rules: [
      { source_matchers: ['severity="critical"'], target_matchers: ['severity=~"warning|info"'], equal: ['cluster', 'namespace', 'alertname'] },
      { source_matchers: ['severity="warning"'], target_matchers: ['severity="info"'], equal: ['cluster', 'namespace', 'alertname'] },
    ],
    receivers: [{ name: NULL_RECEIVER }, ...props.receivers.map(receiverConfig)],
  };
}
