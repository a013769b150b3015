import { Cron, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';
import {
  AppIdentity, Placement, PlatformContext, containerResources, restrictedContainer, restrictedPod, selectByIdentity,
} from '@platform/charts';
import { IMAGES, image } from '../../versions';
import { ElasticsearchEndpoint, LOGGING_NAMESPACE } from './components';
import { ELASTICSEARCH_UID } from './elasticsearch';

export interface ElasticsearchRetentionProps {
  /** Labels of the retention job. */
  readonly id: AppIdentity;
  /** The Elasticsearch to configure. */
  readonly elasticsearch: ElasticsearchEndpoint;
  /** Indices `<indexPrefix>-*` get the policy. */
  readonly indexPrefix: string;
  /** Days an index is kept. */
  readonly retentionDays: number;
  /** @default "logging" */
  readonly namespace?: string;
}

const MOUNT = '/opt/retention';

/**
 * Retention for the in-cluster Elasticsearch: an ILM policy that deletes `<prefix>-*` indices after N days, an index
 * template that attaches it (and sets 0 replicas: there is one node), and the same settings on indices created
 * before the template. Applied hourly by a CronJob with idempotent PUTs, so a wiped volume or a changed setting
 * converges without a one-off Job. Without it the data volume fills up and Elasticsearch turns indices read-only.
 */
export class ElasticsearchRetention extends Construct {
  readonly configMap: kplus.ConfigMap;
  readonly cronJob: kplus.CronJob;
  readonly policyName: string;

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: ElasticsearchRetentionProps) {
    super(scope, id);
    if (!Number.isInteger(props.retentionDays) || props.retentionDays < 1) {
      throw new Error(`Elasticsearch retention must be a whole number of days >= 1 (got ${props.retentionDays})`);
    }
    const namespace = props.namespace ?? LOGGING_NAMESPACE;
    const labels = props.id.labels;
    const es = props.elasticsearch;
    const prefix = props.indexPrefix;
    this.policyName = `${prefix}-retention`;
    const indexSettings = { 'index.lifecycle.name': this.policyName, 'index.number_of_replicas': 0 };

    this.configMap = new kplus.ConfigMap(this, 'config-map', {
      metadata: { name: 'elasticsearch-retention', namespace, labels },
      data: {
        'ilm-policy.json': JSON.stringify({
          policy: { phases: { hot: { actions: {} }, delete: { min_age: `${props.retentionDays}d`, actions: { delete: {} } } } },
        }, null, 2),
        'index-template.json': JSON.stringify({
          index_patterns: [`${prefix}-*`],
          priority: 200,
          template: { settings: indexSettings },
        }, null, 2),
        'index-settings.json': JSON.stringify(indexSettings, null, 2),
        'apply.sh': [
          '#!/bin/bash',
          `# Idempotent: ILM policy, index template, and the same settings on existing ${prefix}-* indices.`,
          'set -euo pipefail',
          `es="${es.scheme}://${es.host}:${es.port}"`,
          'put() {',
          `  curl --fail --silent --show-error --retry 5 --retry-connrefused --max-time 30 -X PUT -H 'Content-Type: application/json' "$es/$1" --data-binary "@${MOUNT}/$2"`,
          '  echo',
          '}',
          `put "_ilm/policy/${this.policyName}" ilm-policy.json`,
          `put "_index_template/${prefix}" index-template.json`,
          `put "${prefix}-*/_settings" index-settings.json`,
          '',
        ].join('\n'),
      },
    });

    this.cronJob = new kplus.CronJob(this, 'cron-job', {
      metadata: { name: 'elasticsearch-retention', namespace, labels },
      schedule: Cron.schedule({ minute: '17' }),
      concurrencyPolicy: kplus.ConcurrencyPolicy.FORBID,
      startingDeadline: Duration.minutes(10),
      successfulJobsRetained: 1,
      failedJobsRetained: 1,
      backoffLimit: 2,
      activeDeadline: Duration.minutes(5),
      select: false,
      podMetadata: { labels },
      securityContext: restrictedPod(ELASTICSEARCH_UID),
      automountServiceAccountToken: false,
    });
    selectByIdentity(this.cronJob, props.id);
    Placement.core(ctx).applyTo(this.cronJob);

    const config = kplus.Volume.fromConfigMap(this, 'config', this.configMap, { name: 'retention' });
    const container = this.cronJob.addContainer({
      name: 'apply',
      image: image(IMAGES.logging.elasticsearch),
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      command: ['bash', `${MOUNT}/apply.sh`],
      resources: containerResources({ requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } }),
      securityContext: restrictedContainer({ user: ELASTICSEARCH_UID, group: ELASTICSEARCH_UID }),
    });
    container.mount(MOUNT, config, { readOnly: true });
  }
}
