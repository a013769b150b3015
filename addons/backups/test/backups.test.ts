import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { policyExceptionKey } from '@platform/charts';
import { testChart } from '../../../charts/test/helpers';
import { IMAGES } from '../../versions';
import { BackupSchedule, settings } from '../src';
import { cronProblem } from '../src/cron';
import { CRDS_DIR } from '../src/velero-crds';
import { BASE, EKS, GENERIC, OPENSTACK, contextOn, find, ofKind, render } from './helpers';

const objects = render();
const eks = render({ ...BASE, locations: [{ name: 'default', bucket: 'velero-backups', prefix: 'platform-prod' }] }, contextOn(EKS));

function container(workload: any): any {
  return workload.spec.template.spec.containers[0];
}

describe('schedules', () => {
  test('a schedule becomes a Velero Schedule with its cron, TTL and storage location', () => {
    expect(find(objects, 'Schedule', 'daily').spec).toEqual({
      schedule: '0 2 * * *',
      paused: false,
      useOwnerReferencesInBackup: false,
      template: { ttl: '720h', storageLocation: 'default', includedNamespaces: ['*'] },
    });
  });

  test('every rendered schedule is valid cron and names a rendered storage location', () => {
    const many = render({
      locations: [
        { name: 'default', bucket: 'velero-backups', s3Url: 'https://object-store.example.com', region: 'us-east-1', default: true },
        { name: 'archive', bucket: 'velero-archive', s3Url: 'https://object-store.example.com', region: 'us-east-1' },
      ],
      schedules: [
        { name: 'daily', schedule: '0 2 * * *', ttl: '720h' },
        { name: 'monthly', schedule: '@monthly', ttl: '8760h', storageLocation: 'archive' },
      ],
    });
    const locations = ofKind(many, 'BackupStorageLocation').map((l) => l.metadata.name);
    for (const schedule of ofKind(many, 'Schedule')) {
      expect(cronProblem(schedule.spec.schedule)).toBeUndefined();
      expect(locations).toContain(schedule.spec.template.storageLocation);
    }
    expect(find(many, 'Schedule', 'monthly').spec.template.storageLocation).toBe('archive');
  });

  test('a schedule naming a missing location is rejected by the settings, naming the schedule and the defined locations', () => {
    const result = settings.safeParse({ ...BASE, schedules: [{ name: 'daily', schedule: '0 2 * * *', ttl: '720h', storageLocation: 'archive' }] });
    expect(result.success).toBe(false);
    expect(result.error!.issues).toContainEqual(expect.objectContaining({
      path: ['schedules', 0, 'storageLocation'],
      message: 'schedule "daily" refers to storage location "archive", which is not defined; defined locations: "default"',
    }));
  });

  test('the Schedule construct itself throws on a missing location', () => {
    const schedule = settings.parse(BASE).schedules[0];
    expect(() => new BackupSchedule(testChart(), 's', {
      namespace: 'velero',
      schedule: { ...schedule, storageLocation: 'archive' },
      storageLocations: ['default'],
      defaultStorageLocation: 'default',
    })).toThrow('schedule "daily" refers to storage location "archive", which is not defined; defined locations: "default"');
  });

  test('an invalid cron is rejected with what is wrong', () => {
    const result = settings.safeParse({ ...BASE, schedules: [{ name: 'daily', schedule: '0 25 * * *', ttl: '720h' }] });
    expect(result.error!.issues[0]).toMatchObject({ path: ['schedules', 0, 'schedule'], message: expect.stringContaining('hour: "25" is outside 0-23') });
    expect(settings.safeParse({ ...BASE, schedules: [{ name: 'daily', schedule: '0 2 * *', ttl: '720h' }] }).error!.issues[0].message)
      .toContain('has 4 fields, expected 5');
  });

  test('the TTL must be a duration', () => {
    expect(settings.safeParse({ ...BASE, schedules: [{ name: 'daily', schedule: '0 2 * * *', ttl: '30 days' }] }).success).toBe(false);
  });

  test.each([
    ['0 2 * * *', undefined], ['*/15 * * * *', undefined], ['0 3 * * 0', undefined], ['0 3 * * sun', undefined],
    ['0 0 1 jan-jun ?', undefined], ['0 0,12 1-15/2 * MON-FRI', undefined], ['@daily', undefined], ['@every 6h', undefined],
    ['60 * * * *', 'minute'], ['* * 0 * *', 'day of month'], ['* * * 13 *', 'month'], ['* * * * 7', 'day of week'],
    ['5-1 * * * *', 'backwards'], ['*/0 * * * *', 'step'], ['@sometimes', 'descriptor'], ['? * * * *', 'minute'],
  ])('cron "%s"', (schedule, problem) => {
    if (problem === undefined) expect(cronProblem(schedule)).toBeUndefined();
    else expect(cronProblem(schedule)).toContain(problem);
  });

  test('several locations need exactly one default', () => {
    const two = [
      { name: 'a', bucket: 'bucket-a', s3Url: 'https://s3.example.com', region: 'r' },
      { name: 'b', bucket: 'bucket-b', s3Url: 'https://s3.example.com', region: 'r' },
    ];
    expect(settings.safeParse({ locations: two }).error!.issues[0].message).toContain('mark one default: true');
    expect(settings.safeParse({ locations: two.map((l) => ({ ...l, default: true })) }).error!.issues[0].message).toContain('only one location may be the default');
    expect(settings.safeParse({ locations: [two[0], { ...two[1], default: true }] }).success).toBe(true);
  });
});

describe('provider: storage and snapshot locations', () => {
  test('eks: S3 in the cluster\'s region, EBS snapshots through a VolumeSnapshotLocation of the AWS plugin', () => {
    expect(find(eks, 'BackupStorageLocation', 'default').spec).toEqual({
      provider: 'aws',
      objectStorage: { bucket: 'velero-backups', prefix: 'platform-prod' },
      config: { region: 'eu-west-1' },
      default: true,
      accessMode: 'ReadWrite',
    });
    expect(find(eks, 'VolumeSnapshotLocation', 'ebs').spec).toEqual({ provider: 'aws', config: { region: 'eu-west-1' } });
    const args = container(find(eks, 'Deployment', 'velero')).args;
    expect(args).toContain('--default-volume-snapshot-locations=aws:ebs');
    expect(args.some((a: string) => a.startsWith('--features'))).toBe(false);
  });

  test('openstack: an S3-compatible endpoint with path-style addressing; Cinder snapshots through CSI, no VolumeSnapshotLocation', () => {
    expect(find(objects, 'BackupStorageLocation', 'default').spec.config).toEqual({
      region: 'us-east-1', s3Url: 'https://object-store.example.com', s3ForcePathStyle: 'true',
    });
    expect(ofKind(objects, 'VolumeSnapshotLocation')).toEqual([]);
    expect(container(find(objects, 'Deployment', 'velero')).args).toContain('--features=EnableCSI');
    expect(container(find(objects, 'DaemonSet', 'node-agent')).args).toContain('--features=EnableCSI');
    expect(container(find(objects, 'Deployment', 'velero')).args.some((a: string) => a.startsWith('--default-volume-snapshot-locations'))).toBe(false);
  });

  test('generic: S3-compatible storage, no snapshots at all (file-system backup only)', () => {
    const generic = render({ ...BASE, defaultVolumesToFsBackup: true }, contextOn(GENERIC));
    expect(ofKind(generic, 'VolumeSnapshotLocation')).toEqual([]);
    const args = container(find(generic, 'Deployment', 'velero')).args;
    expect(args).toContain('--default-volumes-to-fs-backup');
    expect(args.some((a: string) => a.startsWith('--features'))).toBe(false);
  });

  test.each([['openstack', OPENSTACK], ['generic', GENERIC]])('%s: a location without s3Url or region is an error that says what to set', (_, provider) => {
    expect(() => render({ locations: [{ name: 'default', bucket: 'velero-backups', region: 'us-east-1' }] }, contextOn(provider)))
      .toThrow(`backup location "default" on provider "${provider.type}": s3Url is required`);
    expect(() => render({ locations: [{ name: 'default', bucket: 'velero-backups', s3Url: 'https://s3.example.com' }] }, contextOn(provider)))
      .toThrow(`backup location "default" on provider "${provider.type}": region is required`);
  });

  test('the server defaults to the location marked default', () => {
    const two = render({
      locations: [
        { name: 'primary', bucket: 'bucket-a', s3Url: 'https://s3.example.com', region: 'r' },
        { name: 'secondary', bucket: 'bucket-b', s3Url: 'https://s3.example.com', region: 'r', default: true },
      ],
    });
    expect(container(find(two, 'Deployment', 'velero')).args).toContain('--default-backup-storage-location=secondary');
    expect(find(two, 'BackupStorageLocation', 'primary').spec.default).toBe(false);
    expect(find(two, 'BackupStorageLocation', 'secondary').spec.default).toBe(true);
  });
});

describe('node-agent', () => {
  const daemonSet = find(objects, 'DaemonSet', 'node-agent');
  const spec = daemonSet.spec.template.spec;

  test('mounts the kubelet\'s pod directory /var/lib/kubelet/pods with HostToContainer propagation', () => {
    const mount = container(daemonSet).volumeMounts.find((m: any) => m.mountPath === '/host_pods');
    expect(mount).toEqual({ mountPath: '/host_pods', name: 'host-pods', mountPropagation: 'HostToContainer' });
    expect(spec.volumes).toContainEqual({ name: 'host-pods', hostPath: { path: '/var/lib/kubelet/pods', type: '' } });
  });

  test('declares its policy exceptions with reasons', () => {
    const annotations = daemonSet.metadata.annotations;
    for (const rule of ['host-access', 'run-as-non-root', 'drop-capabilities'] as const) {
      expect(annotations[policyExceptionKey(rule)]).toEqual(expect.stringMatching(/^.{30,}$/));
    }
  });

  test('runs on every node, whatever its taints', () => {
    expect(spec.affinity).toBeUndefined();
    expect(spec.tolerations).toEqual([{ operator: 'Exists' }]);
  });

  test('carries the name and label Velero finds it by', () => {
    expect(daemonSet.metadata.name).toBe('node-agent');
    expect(daemonSet.spec.template.metadata.labels).toMatchObject({ role: 'node-agent' });
  });

  test('is not privileged and cannot escalate, even as root', () => {
    expect(container(daemonSet).securityContext).toMatchObject({ privileged: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
  });

  test('sizes the data-path pods it starts through node-agent-config', () => {
    expect(container(daemonSet).args).toContain('--node-agent-configmap=node-agent-config');
    const config = JSON.parse(Object.values<string>(find(objects, 'ConfigMap', 'node-agent-config').data)[0]);
    expect(config).toEqual({ podResources: { cpuRequest: '100m', memoryRequest: '256Mi', cpuLimit: '1', memoryLimit: '2Gi' } });
  });

  test('has its own ServiceAccount with a role that reads no Secrets outside its namespace and binds nothing', () => {
    expect(spec.serviceAccountName).toBe('velero-node-agent');
    const rules = find(objects, 'ClusterRole', 'velero-node-agent').rules;
    expect(rules.flatMap((r: any) => r.resources)).not.toContain('secrets');
    expect(rules.flatMap((r: any) => r.verbs)).not.toContain('*');
    expect(rules.flatMap((r: any) => r.apiGroups)).not.toContain('rbac.authorization.k8s.io');
    expect(find(objects, 'RoleBinding', 'velero-node-agent').metadata.namespace).toBe('velero');
  });
});

describe('velero server', () => {
  const deployment = find(objects, 'Deployment', 'velero');
  const spec = deployment.spec.template.spec;

  test('runs on core nodes', () => {
    expect(spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms)
      .toEqual([{ matchExpressions: [{ key: 'node-type', operator: 'In', values: ['core'] }] }]);
    expect(spec.tolerations).toEqual([{ key: 'node-type', operator: 'Equal', value: 'core', effect: 'NoSchedule' }]);
  });

  test('loads velero-plugin-for-aws from the pinned image into the plugins volume', () => {
    const { repository, tag } = IMAGES.backups.pluginForAws;
    expect(spec.initContainers).toEqual([expect.objectContaining({
      image: `${repository}:${tag}`,
      volumeMounts: [{ mountPath: '/target', name: 'plugins' }],
    })]);
    expect(container(deployment).volumeMounts).toContainEqual({ mountPath: '/plugins', name: 'plugins' });
  });

  test('is restricted, with a writable HOME for kopia\'s repository config', () => {
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(container(deployment).securityContext).toMatchObject({ readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(container(deployment).env).toContainEqual({ name: 'HOME', value: '/home/velero' });
    expect(container(deployment).volumeMounts).toContainEqual({ mountPath: '/home/velero', name: 'home' });
  });

  test('is bound to cluster-admin through its own ServiceAccount (restores create any kind)', () => {
    expect(spec.serviceAccountName).toBe('velero-server');
    expect(find(objects, 'ClusterRoleBinding', 'velero-server')).toMatchObject({
      roleRef: { kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name: 'velero-server', namespace: 'velero' }],
    });
  });

  test('metrics on 8085 are annotated for Prometheus and probed', () => {
    for (const workload of [deployment, find(objects, 'DaemonSet', 'node-agent')]) {
      expect(workload.spec.template.metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8085' });
      expect(container(workload).readinessProbe.httpGet).toMatchObject({ path: '/metrics', port: 8085 });
    }
  });

  test('sizes the repository maintenance Jobs it starts', () => {
    expect(container(deployment).args).toContain('--repo-maintenance-job-configmap=velero-repo-maintenance');
    expect(JSON.parse(find(objects, 'ConfigMap', 'velero-repo-maintenance').data.global)).toMatchObject({ keepLatestMaintenanceJobs: 3 });
  });
});

describe('CRDs', () => {
  const crds = ofKind(objects, 'CustomResourceDefinition');

  test('all Velero CRDs are rendered (the synth routes them to dist/<env>/cluster/)', () => {
    expect(crds.map((c) => c.metadata.name).sort()).toEqual([
      'backuprepositories.velero.io', 'backups.velero.io', 'backupstoragelocations.velero.io', 'datadownloads.velero.io',
      'datauploads.velero.io', 'deletebackuprequests.velero.io', 'downloadrequests.velero.io', 'podvolumebackups.velero.io',
      'podvolumerestores.velero.io', 'restores.velero.io', 'schedules.velero.io', 'serverstatusrequests.velero.io',
      'volumesnapshotlocations.velero.io',
    ]);
  });

  test('every custom resource the add-on renders has its CRD rendered too', () => {
    const defined = new Set(crds.flatMap((c) => c.spec.versions.map((v: any) => `${c.spec.group}/${v.name}/${c.spec.names.kind}`)));
    const custom = [...eks, ...objects].filter((o) => o.apiVersion.startsWith('velero.io/'));
    expect(custom.length).toBeGreaterThan(0);
    for (const o of custom) expect(defined).toContain(`${o.apiVersion}/${o.kind}`);
  });

  test('the CRD files name their source at the Velero version the add-on runs', () => {
    for (const file of readdirSync(CRDS_DIR)) {
      const header = readFileSync(join(CRDS_DIR, file), 'utf8').split('\n').slice(0, 2).join('\n');
      expect(header).toContain(`vmware-tanzu/velero config/crd/`);
      expect(header).toContain(`at ${IMAGES.backups.velero.tag}`);
      expect(header).toContain('License: Apache-2.0');
    }
  });

  const reference = join(__dirname, '..', '..', '..', '..', 'shared', 'reference', 'upstream', 'velero', 'crd');
  (existsSync(reference) ? test : test.skip)('the CRD files are upstream\'s, unmodified below the header', () => {
    for (const file of readdirSync(CRDS_DIR)) {
      const version = existsSync(join(reference, 'v1', 'bases', file)) ? 'v1' : 'v2alpha1';
      const body = readFileSync(join(CRDS_DIR, file), 'utf8').split('\n').slice(3).join('\n');
      expect(body).toBe(readFileSync(join(reference, version, 'bases', file), 'utf8'));
    }
  });
});

describe('credentials, namespace and network', () => {
  test('no Secret is rendered: the credentials Secret is only referenced by name and mounted', () => {
    for (const rendered of [objects, eks]) expect(ofKind(rendered, 'Secret')).toEqual([]);
    const custom = render({ ...BASE, credentialsSecret: { name: 'my-s3-keys', key: 'credentials' } });
    for (const workload of [find(custom, 'Deployment', 'velero'), find(custom, 'DaemonSet', 'node-agent')]) {
      expect(workload.spec.template.spec.volumes).toContainEqual({
        name: 'cloud-credentials',
        secret: { secretName: 'my-s3-keys', items: [{ key: 'credentials', path: 'cloud' }] },
      });
      expect(container(workload).env).toContainEqual({ name: 'AWS_SHARED_CREDENTIALS_FILE', value: '/credentials/cloud' });
    }
  });

  test('namespace velero is PSS privileged: baseline forbids the node-agent\'s hostPath', () => {
    expect(find(objects, 'Namespace', 'velero').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });

  test('default deny, DNS, the API server and the object storage port for every pod of the namespace', () => {
    expect(find(objects, 'NetworkPolicy', 'default-deny').spec).toMatchObject({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    find(objects, 'NetworkPolicy', 'allow-dns');
    const egress = find(render({ ...BASE, locations: [{ name: 'default', bucket: 'velero-backups', s3Url: 'http://minio.example.com:9000', region: 'minio' }] }), 'NetworkPolicy', 'velero-egress').spec;
    expect(egress.podSelector).toEqual({});
    expect(egress.egress).toEqual([
      { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443, protocol: 'TCP' }, { port: 6443, protocol: 'TCP' }] },
      { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 9000, protocol: 'TCP' }] },
    ]);
  });

  test('Prometheus may scrape 8085 on the server and on the node-agent, nothing else comes in', () => {
    for (const [name, workload] of [['velero-server-metrics', 'velero'], ['node-agent-metrics', 'node-agent']] as const) {
      const policy = find(objects, 'NetworkPolicy', name).spec;
      const selected = find(objects, workload === 'velero' ? 'Deployment' : 'DaemonSet', workload).spec.selector.matchLabels;
      expect(policy.podSelector.matchLabels).toEqual(selected);
      expect(policy.ingress).toEqual([expect.objectContaining({ ports: [{ port: 8085, protocol: 'TCP' }] })]);
    }
  });

  test('objects in the cluster are deterministic: two renders are identical', () => {
    expect(JSON.stringify(render())).toBe(JSON.stringify(objects));
  });
});

describe('settings', () => {
  test('at least one location is required', () => {
    expect(settings.safeParse({ locations: [] }).error!.issues[0].message).toBe('must define at least one backup storage location');
  });

  test('defaults: credentials Secret velero-cloud-credentials/cloud, no schedules', () => {
    const s = settings.parse({ locations: BASE.locations });
    expect(s.credentialsSecret).toEqual({ name: 'velero-cloud-credentials', key: 'cloud' });
    expect(s.schedules).toEqual([]);
  });
});

test.each([['eks', EKS], ['openstack', OPENSTACK], ['generic', GENERIC]])('%s: the add-on renders server, node-agent, a default location and the CRDs', (_, provider) => {
  const input = provider.type === 'eks' ? { locations: [{ name: 'default', bucket: 'velero-backups' }] } : BASE;
  const rendered = render(input, contextOn(provider));
  find(rendered, 'Deployment', 'velero');
  find(rendered, 'DaemonSet', 'node-agent');
  expect(find(rendered, 'BackupStorageLocation', 'default').spec.default).toBe(true);
  expect(ofKind(rendered, 'CustomResourceDefinition')).toHaveLength(13);
});
