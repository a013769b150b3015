import { diffDist, REDACTED, redactObject, redactText, redactYamlText, renderJson, renderMarkdown, renderText } from '../../src/diff';
import { colorsFor } from '../../src/diff/format';
import { DiffRepo, deployment, object } from './fixture';

const PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n-----END RSA PRIVATE KEY-----';
const AWS_KEY = 'AKIAIOSFODNN7EXAMPLE';

/** Every secret value used below; none may appear in any output. */
const SECRETS = ['hunter2', 's3cr3t-before', 's3cr3t-after', 'db-pass-1', 'db-pass-2', 'tok-123456', 'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun', AWS_KEY, 'wJalrXUtnFEMI', 'annot-secret-value'];

describe('redaction', () => {
  test('Secret data and stringData values are hidden, their keys stay', () => {
    const secret = redactObject(object('prod', 'tenant.shop', 'v1', 'Secret', 'db', 'shop', { data: { password: 'aHVudGVyMg==' }, stringData: { user: 'admin' }, type: 'Opaque' }));
    expect(secret.data).toEqual({ password: REDACTED });
    expect(secret.stringData).toEqual({ user: REDACTED });
    expect(secret.type).toBe('Opaque');
  });

  test('env values whose name looks like a credential are hidden, others are not', () => {
    const d = redactObject(deployment('prod', 'shop', 'web', 1, { env: [
      { name: 'DB_PASSWORD', value: 'hunter2' },
      { name: 'API_TOKEN', value: 'tok-123456' },
      { name: 'SIGNING_KEY', value: 'k' },
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'DB_PASSWORD_FROM_SECRET', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
    ] }));
    const env = (d.spec as any).template.spec.containers[0].env;
    expect(env.map((e: { value?: string }) => e.value)).toEqual([REDACTED, REDACTED, REDACTED, 'info', undefined]);
    expect(env[4].valueFrom).toEqual({ secretKeyRef: { name: 'db', key: 'password' } });
  });

  test('annotations and fields whose key looks like a credential are hidden; references to secrets are not', () => {
    const o = redactObject(object('prod', 'addon.x', 'example.com/v1', 'Thing', 't', 'x', {
      spec: { adminPassword: 'hunter2', secretName: 'tls-cert', existingSecret: 'creds', clientSecret: 'x' },
    }));
    o.metadata.annotations = { 'example.com/api-token': 'annot-secret-value', 'example.com/owner': 'team-a' };
    const shown = redactObject(o);
    expect(shown.spec).toEqual({ adminPassword: REDACTED, secretName: 'tls-cert', existingSecret: 'creds', clientSecret: REDACTED });
    expect(shown.metadata.annotations).toEqual({ 'example.com/api-token': REDACTED, 'example.com/owner': 'team-a' });
  });

  test('credential-looking strings are hidden wherever they are', () => {
    expect(redactText('postgres://app:hunter2@db.example.com:5432/app')).toBe(`postgres://app:${REDACTED}@db.example.com:5432/app`);
    expect(redactText(`aws_access_key_id = ${AWS_KEY}\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG`)).toBe(`aws_access_key_id = ${REDACTED}\naws_secret_access_key = ${REDACTED}`);
    expect(redactText(`key: |\n${PEM}\n`)).toBe(`key: |\n${REDACTED}\n`);
    expect(redactText('Authorization: Bearer abcdefghijklmnop')).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(redactText('[smtp]\npassword = hunter2\nhost = mail')).toBe(`[smtp]\npassword = ${REDACTED}\nhost = mail`);
    expect(redactText('{"apiKey": "tok-123456", "url": "https://x"}')).toBe(`{"apiKey": ${REDACTED}, "url": "https://x"}`);
    expect(redactText('ghp_abcdefghijklmnopqrstuvwxyz0123456789')).toBe(REDACTED);
    expect(redactText('replicas: 3, image: nginx:1.27')).toBe('replicas: 3, image: nginx:1.27');
  });

  test('YAML text (kubectl output) is redacted line by line, env values by the name above them', () => {
    const diff = [
      '       containers:',
      '       - env:',
      '         - name: DB_PASSWORD',
      '-          value: db-pass-1',
      '+          value: db-pass-2',
      '         - name: LOG_LEVEL',
      '           value: info',
      '+  password: hunter2',
    ].join('\n');
    const shown = redactYamlText(diff, true);
    expect(shown).toContain(`-          value: ${REDACTED}`);
    expect(shown).toContain(`+          value: ${REDACTED}`);
    expect(shown).toContain('           value: info');
    expect(shown).toContain(`+  password: ${REDACTED}`);
  });
});

describe('secret-like values in diff output', () => {
  let repo: DiffRepo;
  beforeAll(async () => {
    repo = new DiffRepo();
    const secret = (value: string) => object('prod', 'tenant.shop', 'v1', 'Secret', 'db', 'shop', { stringData: { password: value }, type: 'Opaque' });
    const app = (password: string, url: string) => deployment('prod', 'shop', 'web', 1, { env: [{ name: 'DB_PASSWORD', value: password }, { name: 'DB_URL', value: url }] });
    const config = (aws: string) => object('prod', 'addon.backups', 'v1', 'ConfigMap', 'cloud', 'backups', { data: { credentials: `[default]\naws_access_key_id = ${aws}\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG\n`, 'tls.key': PEM } });
    repo.put('prod/tenants/shop/workloads/secret-db.yaml', secret('s3cr3t-before'));
    repo.put('prod/tenants/shop/workloads/deployment-web.yaml', app('db-pass-1', 'postgres://app:hunter2@db:5432/app'));
    repo.put('prod/addons/backups/configmap-cloud.yaml', config('AKIAIOSFODNN7EXAMPLE'));
    repo.commit('base');
    repo.put('prod/tenants/shop/workloads/secret-db.yaml', secret('s3cr3t-after'));
    repo.put('prod/tenants/shop/workloads/deployment-web.yaml', app('db-pass-2', 'postgres://app:hunter2@db2:5432/app'));
    repo.put('prod/addons/backups/configmap-cloud.yaml', { ...config(AWS_KEY), metadata: { ...config(AWS_KEY).metadata, annotations: { 'example.com/api-token': 'annot-secret-value' } } });
  });
  afterAll(() => repo.dispose());

  test('are [redacted] in every format, and a changed secret still shows as a change', async () => {
    const report = await diffDist(repo.workspace, { base: 'main' });
    expect(report.totals.changed).toBe(3);
    const outputs = {
      markdown: renderMarkdown(report),
      text: renderText(report, colorsFor({ isTTY: false }, {})),
      json: renderJson(report),
    };
    for (const [format, output] of Object.entries(outputs)) {
      for (const secret of SECRETS) {
        if (output.includes(secret)) throw new Error(`${format} output shows "${secret}"`);
      }
      expect(output).toContain(REDACTED);
    }
    expect(outputs.text).toContain('stringData.password: [redacted] → [redacted]');
    expect(outputs.text).toContain('spec.template.spec.containers[name=web].env[name=DB_PASSWORD].value: [redacted] → [redacted]');
    expect(outputs.text).toContain('postgres://app:[redacted]@db:5432/app → postgres://app:[redacted]@db2:5432/app');
  });
});
