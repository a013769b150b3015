import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';
import { AppIdentity, PLATFORM_DOMAIN } from '@platform/charts';
import { AGENT_NAMESPACE, LOGGING_NAMESPACE } from './components';

export interface LoggingNamespacesProps {
  /** Labels of the add-on. */
  readonly id: AppIdentity;
}

/**
 * Two namespaces, so that only the node agent runs with host access:
 * `logging` (Elasticsearch, Kibana) enforces the `restricted` Pod Security Standard;
 * `logging-agent` (fluentd alone) is `privileged`, the only level that admits hostPath volumes.
 */
export class LoggingNamespaces extends Construct {
  readonly logging: kplus.Namespace;
  readonly agent: kplus.Namespace;

  constructor(scope: Construct, id: string, props: LoggingNamespacesProps) {
    super(scope, id);
    this.logging = new kplus.Namespace(this, 'logging', {
      metadata: { name: LOGGING_NAMESPACE, labels: { ...props.id.labels, 'pod-security.kubernetes.io/enforce': 'restricted' } },
    });
    this.agent = new kplus.Namespace(this, 'agent', {
      metadata: {
        name: AGENT_NAMESPACE,
        labels: {
          ...props.id.labels,
          'pod-security.kubernetes.io/enforce': 'privileged',
        },
        annotations: {
          [`${PLATFORM_DOMAIN}/pod-security-reason`]: 'fluentd mounts the node\'s /var/log and its state directory (hostPath volumes), which only the privileged level admits',
        },
      },
    });
  }
}
