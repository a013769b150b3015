import { MonitoringSettingsInput, settings } from '../src';
import { configFile, container, find, podSpec, render, yamlFile } from './render';

/** One receiver of each kind, all credentials in Secrets. */
const RECEIVERS: MonitoringSettingsInput = {
  alertmanager: {
    replicas: 2,
    receivers: [
      { type: 'slack', name: 'platform-slack', channel: '#platform-alerts', apiUrlSecret: { name: 'alertmanager-slack', key: 'webhook-url' } },
      { type: 'pagerduty', name: 'platform-pagerduty', routingKeySecret: { name: 'alertmanager-pagerduty', key: 'routing-key' } },
      { type: 'webhook', name: 'ticketing', urlSecret: { name: 'alertmanager-webhook', key: 'url' }, port: 8443 },
      {
        type: 'email', name: 'platform-mail', to: 'platform@example.com', from: 'alertmanager@example.com', smarthost: 'smtp.example.com:587',
        authUsername: 'alertmanager', authPasswordSecret: { name: 'alertmanager-smtp', key: 'password' },
      },
    ],
    defaultReceiver: 'platform-slack',
    routes: [
      { matchers: ['severity="critical"'], receiver: 'platform-pagerduty', continue: true },
      { matchers: ['severity=~"critical|warning"'], receiver: 'platform-slack' },
    ],
  },
};

const configured = render(RECEIVERS);
const alertmanagerYml = (objects = configured) => yamlFile(objects, 'alertmanager-config', 'alertmanager.yml');

describe('Alertmanager configuration', () => {
  test('references the receivers from the settings, and only them', () => {
    const config = alertmanagerYml();
    expect(config.receivers.map((r: any) => r.name)).toEqual(['null', 'platform-slack', 'platform-pagerduty', 'ticketing', 'platform-mail']);
    expect(config.route.receiver).toBe('platform-slack');
  });

  test('contains no credential: every secret is a *_file path into a mounted Secret', () => {
    const config = alertmanagerYml();
    const [slack, pagerduty, webhook, email] = config.receivers.slice(1);
    expect(slack.slack_configs[0].api_url_file).toBe('/etc/alertmanager/secrets/alertmanager-slack/webhook-url');
    expect(pagerduty.pagerduty_configs[0].routing_key_file).toBe('/etc/alertmanager/secrets/alertmanager-pagerduty/routing-key');
    expect(webhook.webhook_configs[0].url_file).toBe('/etc/alertmanager/secrets/alertmanager-webhook/url');
    expect(email.email_configs[0].auth_password_file).toBe('/etc/alertmanager/secrets/alertmanager-smtp/password');
    const text = configFile(configured, 'alertmanager-config', 'alertmanager.yml');
    for (const inline of ['api_url:', 'routing_key:', 'service_key:', 'url:', 'auth_password:', 'auth_secret:', 'https://hooks.slack.com']) {
      expect(text).not.toContain(inline);
    }
    expect(configured.filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  test('mounts each referenced Secret read-only where the config reads it', () => {
    const sts = find(configured, 'StatefulSet', 'alertmanager');
    for (const secret of ['alertmanager-pagerduty', 'alertmanager-slack', 'alertmanager-smtp', 'alertmanager-webhook']) {
      expect(podSpec(sts).volumes).toContainEqual({ name: secret, secret: { secretName: secret } });
      expect(container(sts).volumeMounts).toContainEqual({ name: secret, mountPath: `/etc/alertmanager/secrets/${secret}`, readOnly: true });
    }
  });

  test('routes by severity in the order given, and sends Watchdog nowhere', () => {
    const { routes } = alertmanagerYml().route;
    expect(routes).toEqual([
      { receiver: 'platform-pagerduty', matchers: ['severity="critical"'], continue: true },
      { receiver: 'platform-slack', matchers: ['severity=~"critical|warning"'] },
      { receiver: 'null', matchers: ['alertname="Watchdog"'] },
    ]);
  });

  test('without receivers every alert goes to the "null" receiver', () => {
    const config = alertmanagerYml(render());
    expect(config.route.receiver).toBe('null');
    expect(config.receivers).toEqual([{ name: 'null' }]);
  });

  test('a critical alert inhibits warnings of the same alert in the same namespace', () => {
    expect(alertmanagerYml().inhibit_rules[0]).toEqual({
      source_matchers: ['severity="critical"'],
      target_matchers: ['severity=~"warning|info"'],
      equal: ['cluster', 'namespace', 'alertname'],
    });
  });

  test('a changed configuration rolls the pods (checksum annotation)', () => {
    const annotation = (input: MonitoringSettingsInput) => find(render(input), 'StatefulSet', 'alertmanager').spec.template.metadata.annotations['checksum/config'];
    expect(annotation(RECEIVERS)).toMatch(/^[0-9a-f]{16}$/);
    expect(annotation(RECEIVERS)).not.toEqual(annotation({}));
  });
});

describe('Alertmanager settings', () => {
  const issues = (input: MonitoringSettingsInput) => {
    const result = settings.safeParse(input);
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  test('a route to a receiver that does not exist is rejected, naming the receivers', () => {
    expect(issues({ alertmanager: { receivers: RECEIVERS.alertmanager!.receivers, routes: [{ matchers: ['severity="critical"'], receiver: 'oncall' }] } }))
      .toEqual(['alertmanager.routes.0.receiver: unknown receiver "oncall"; receivers: "platform-slack", "platform-pagerduty", "ticketing", "platform-mail"']);
  });

  test('an unknown default receiver is rejected', () => {
    expect(issues({ alertmanager: { defaultReceiver: 'slack' } })).toEqual(['alertmanager.defaultReceiver: unknown receiver "slack"; receivers: (none: add one to receivers)']);
  });

  test('a receiver cannot carry its credential inline', () => {
    const input = { alertmanager: { receivers: [{ type: 'slack', name: 's', channel: '#a', apiUrl: 'https://hooks.slack.com/services/T/B/X', apiUrlSecret: { name: 'x', key: 'y' } }] } };
    expect(issues(input as MonitoringSettingsInput).join('\n')).toContain('apiUrl');
  });

  test('matchers must be written the Alertmanager way', () => {
    expect(issues({ alertmanager: { receivers: RECEIVERS.alertmanager!.receivers, routes: [{ matchers: ['severity: critical'], receiver: 'platform-slack' }] } })[0])
      .toMatch(/^alertmanager\.routes\.0\.matchers\.0: must be a matcher like severity="critical"/);
  });
});

describe('Alertmanager cluster', () => {
  test('replicas find each other through the governing Service and gossip on :9094', () => {
    const sts = find(configured, 'StatefulSet', 'alertmanager');
    expect(sts.spec.serviceName).toBe('alertmanager-cluster');
    expect(container(sts).args).toEqual(expect.arrayContaining([
      '--cluster.listen-address=[$(POD_IP)]:9094',
      '--cluster.peer=alertmanager-0.alertmanager-cluster.monitoring.svc:9094',
      '--cluster.peer=alertmanager-1.alertmanager-cluster.monitoring.svc:9094',
    ]));
    expect(find(configured, 'Service', 'alertmanager-cluster').spec.publishNotReadyAddresses).toBe(true);
  });

  test('a single replica runs without gossip', () => {
    const args: string[] = container(find(render(), 'StatefulSet', 'alertmanager')).args;
    expect(args).toContain('--cluster.listen-address=');
    expect(args.filter((a) => a.startsWith('--cluster.peer'))).toEqual([]);
  });

  test('may reach the receivers\' ports and nothing else outside the cluster', () => {
    const egress = find(configured, 'NetworkPolicy', 'alertmanager').spec.egress;
    const external = egress.filter((rule: any) => rule.to.some((peer: any) => peer.ipBlock));
    expect(external).toEqual([{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [443, 587, 8443].map((port) => ({ port, protocol: 'TCP' })) }]);
    expect(find(render(), 'NetworkPolicy', 'alertmanager').spec.egress).toEqual([]);
  });
});
