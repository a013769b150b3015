import { KUBE_API_PORTS, PEERS, PLATFORM_ENDPOINTS, policyExceptionKey } from '@platform/charts';
import { settings } from '../src';
import { contextOn, find, matches, render } from './render';

const controllerPods = (objects: any[]) => find(objects, 'Deployment', 'ingress-nginx-controller').spec.template;
const controllerContainer = (objects: any[]) => controllerPods(objects).spec.containers[0];

describe('ingress-nginx controller', () => {
  test('serves the nginx IngressClass of controller k8s.io/ingress-nginx, which is the cluster default', () => {
    const objects = render();
    const args: string[] = controllerContainer(objects).args;
    expect(args).toContain('--ingress-class=nginx');
    expect(args).toContain('--controller-class=k8s.io/ingress-nginx');
    const ingressClass = find(objects, 'IngressClass', PLATFORM_ENDPOINTS.ingressController.ingressClass);
    expect(ingressClass.spec.controller).toBe('k8s.io/ingress-nginx');
    expect(ingressClass.metadata.annotations['ingressclass.kubernetes.io/is-default-class']).toBe('true');
  });

  test('its pods carry the labels tenants allow ingress traffic from, in the namespace tenants expect', () => {
    const objects = render();
    const deployment = find(objects, 'Deployment', 'ingress-nginx-controller');
    expect(deployment.metadata.namespace).toBe(PLATFORM_ENDPOINTS.ingressController.namespace);
    expect(matches(PLATFORM_ENDPOINTS.ingressController.podLabels, deployment.spec.template.metadata.labels)).toBe(true);
    expect(matches(PEERS.ingressController.podLabels, deployment.spec.template.metadata.labels)).toBe(true);
    expect(matches(deployment.spec.selector.matchLabels, deployment.spec.template.metadata.labels)).toBe(true);
  });

  test('replicas and the disruption budget come from the settings', () => {
    const objects = render({ replicas: 3, pdbMinAvailable: 2 });
    expect(find(objects, 'Deployment', 'ingress-nginx-controller').spec.replicas).toBe(3);
    const pdb = find(objects, 'PodDisruptionBudget', 'ingress-nginx-controller');
    expect(pdb.spec.minAvailable).toBe(2);
    expect(matches(pdb.spec.selector.matchLabels, controllerPods(objects).metadata.labels)).toBe(true);
  });

  test('a budget that would block every node drain is refused', () => {
    const result = settings.safeParse({ replicas: 2, pdbMinAvailable: 2 });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]).toMatchObject({ path: ['pdbMinAvailable'], message: expect.stringContaining('less than replicas (2)') });
  });

  test('controller and certgen pods run on core nodes and tolerate the core taint', () => {
    const objects = render();
    const podSpecs = [
      controllerPods(objects).spec,
      find(objects, 'Job', 'ingress-nginx-admission-create').spec.template.spec,
      find(objects, 'Job', 'ingress-nginx-admission-patch').spec.template.spec,
    ];
    for (const spec of podSpecs) {
      expect(spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms)
        .toEqual([{ matchExpressions: [{ key: 'node-type', operator: 'In', values: ['core'] }] }]);
      expect(spec.tolerations).toEqual([{ key: 'node-type', operator: 'Equal', value: 'core', effect: 'NoSchedule' }]);
    }
  });

  test('replicas prefer different nodes and zones', () => {
    const terms = controllerPods(render()).spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution;
    expect(terms.map((t: any) => t.podAffinityTerm.topologyKey)).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
  });

  test('keeps upstream security context and declares its two deviations from the restricted profile', () => {
    const objects = render();
    const securityContext = controllerContainer(objects).securityContext;
    expect(securityContext).toMatchObject({
      runAsUser: 101, runAsGroup: 82, runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: false,
      capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] }, seccompProfile: { type: 'RuntimeDefault' },
    });
    const annotations = find(objects, 'Deployment', 'ingress-nginx-controller').metadata.annotations;
    // Adding back NET_BIND_SERVICE after dropping ALL is what PSS restricted allows: no exception needed for it.
    expect(Object.keys(annotations).sort()).toEqual([policyExceptionKey('read-only-root-fs')]);
  });

  test('is probed on /healthz and scraped by Prometheus on 10254', () => {
    const objects = render();
    const container = controllerContainer(objects);
    expect(container.livenessProbe.httpGet).toMatchObject({ path: '/healthz', port: 10254 });
    expect(container.readinessProbe.httpGet).toMatchObject({ path: '/healthz', port: 10254 });
    expect(container.startupProbe).toBeUndefined();
    expect(controllerPods(objects).metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '10254' });
  });

  test('may renew only its own leader-election lease', () => {
    const objects = render();
    const electionId = controllerContainer(objects).args.find((a: string) => a.startsWith('--election-id=')).split('=')[1];
    const leaseUpdate = find(objects, 'Role', 'ingress-nginx').rules.find((r: any) => r.resources.includes('leases') && r.verbs.includes('update'));
    expect(leaseUpdate.resourceNames).toEqual([electionId]);
  });
});

describe('ingress-nginx configuration', () => {
  test('snippets stay disabled and the risk level keeps auth annotations usable', () => {
    const data = find(render(), 'ConfigMap', 'ingress-nginx-controller').data;
    expect(data).toMatchObject({ 'allow-snippet-annotations': 'false', 'annotations-risk-level': 'High', 'use-forwarded-headers': 'false' });
  });

  test('environment entries override the defaults', () => {
    const data = find(render({ config: { 'proxy-body-size': '10m', 'use-forwarded-headers': 'true' } }), 'ConfigMap', 'ingress-nginx-controller').data;
    expect(data).toMatchObject({ 'proxy-body-size': '10m', 'use-forwarded-headers': 'true' });
  });

  test('platform-owned entries cannot be overridden', () => {
    const result = settings.safeParse({ config: { 'allow-snippet-annotations': 'true' } });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]).toMatchObject({ path: ['config', 'allow-snippet-annotations'], message: expect.stringContaining('set by the platform') });
  });

  test('one nginx worker per whole core of the CPU limit', () => {
    const data = find(render({ resources: { requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '1500m', memory: '1Gi' } } }), 'ConfigMap', 'ingress-nginx-controller').data;
    expect(data['worker-processes']).toBe('2');
  });
});

describe('ingress-nginx load balancer', () => {
  const service = (objects: any[]) => find(objects, 'Service', 'ingress-nginx-controller');

  test('on eks: an NLB with upstream aws/ annotations', () => {
    expect(service(render({}, contextOn('eks'))).metadata.annotations).toEqual({
      'service.beta.kubernetes.io/aws-load-balancer-backend-protocol': 'tcp',
      'service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled': 'true',
      'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb',
    });
  });

  test('on openstack: Octavia health-checks the nodes and keeps the floating IP', () => {
    expect(service(render({}, contextOn('openstack'))).metadata.annotations).toEqual({
      'loadbalancer.openstack.org/enable-health-monitor': 'true',
      'loadbalancer.openstack.org/keep-floatingip': 'true',
    });
  });

  test('on a generic cluster: no provider annotations', () => {
    expect(service(render({}, contextOn('generic'))).metadata.annotations).toBeUndefined();
  });

  test('extra annotations from the settings are added over the provider ones', () => {
    const annotations = service(render({ serviceAnnotations: { 'service.beta.kubernetes.io/aws-load-balancer-internal': 'true' } }, contextOn('eks'))).metadata.annotations;
    expect(annotations).toMatchObject({ 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb', 'service.beta.kubernetes.io/aws-load-balancer-internal': 'true' });
  });

  test('PROXY protocol on openstack is switched on at both ends, and refused elsewhere', () => {
    const objects = render({ proxyProtocol: true }, contextOn('openstack'));
    expect(service(objects).metadata.annotations['loadbalancer.openstack.org/proxy-protocol']).toBe('true');
    expect(find(objects, 'ConfigMap', 'ingress-nginx-controller').data['use-proxy-protocol']).toBe('true');
    expect(() => render({ proxyProtocol: true }, contextOn('eks'))).toThrow('proxyProtocol is only supported on provider "openstack"');
  });

  test('a fixed address (a kept floating IP) goes to spec.loadBalancerIP, and is refused on eks', () => {
    expect(service(render({ loadBalancerIP: '203.0.113.10' }, contextOn('openstack'))).spec.loadBalancerIP).toBe('203.0.113.10');
    expect(service(render({}, contextOn('openstack'))).spec.loadBalancerIP).toBeUndefined();
    expect(() => render({ loadBalancerIP: '203.0.113.10' }, contextOn('eks'))).toThrow('loadBalancerIP is not supported on provider "eks"');
  });

  test('sends 80/443 to the controller pods with externalTrafficPolicy Local', () => {
    const objects = render();
    const svc = service(objects);
    expect(svc.spec.type).toBe('LoadBalancer');
    expect(svc.spec.externalTrafficPolicy).toBe('Local');
    expect(svc.spec.ports.map((p: any) => [p.port, p.targetPort])).toEqual([[80, 80], [443, 443]]);
    expect(matches(svc.spec.selector, controllerPods(objects).metadata.labels)).toBe(true);
  });
});

describe('ingress-nginx admission webhook', () => {
  test('points at the admission Service, which selects the controller pods on their webhook port', () => {
    const objects = render();
    const [webhook] = find(objects, 'ValidatingWebhookConfiguration', 'ingress-nginx-admission').webhooks;
    expect(webhook.clientConfig.service).toEqual({ name: 'ingress-nginx-controller-admission', namespace: 'ingress-nginx', path: '/networking/v1/ingresses', port: 443 });
    expect(webhook.failurePolicy).toBe('Fail');
    const admission = find(objects, 'Service', 'ingress-nginx-controller-admission');
    expect(admission.metadata.namespace).toBe('ingress-nginx');
    expect(admission.spec.ports).toEqual([expect.objectContaining({ port: 443, targetPort: 8443 })]);
    expect(matches(admission.spec.selector, controllerPods(objects).metadata.labels)).toBe(true);
    expect(controllerContainer(objects).ports).toContainEqual(expect.objectContaining({ name: 'webhook', containerPort: 8443 }));
    expect(controllerContainer(objects).args).toContain('--validating-webhook=:8443');
  });

  test('certgen creates the certificate the controller mounts, and patches the same webhook with the same failure policy', () => {
    const objects = render();
    const create = find(objects, 'Job', 'ingress-nginx-admission-create').spec.template.spec.containers[0].args;
    const patch = find(objects, 'Job', 'ingress-nginx-admission-patch').spec.template.spec.containers[0].args;
    expect(create).toContain('--secret-name=ingress-nginx-admission');
    expect(create).toContain('--host=ingress-nginx-controller-admission,ingress-nginx-controller-admission.$(POD_NAMESPACE).svc');
    expect(patch).toEqual(expect.arrayContaining(['--webhook-name=ingress-nginx-admission', '--secret-name=ingress-nginx-admission', '--patch-failure-policy=Fail']));
    expect(controllerPods(objects).spec.volumes).toEqual([{ name: 'webhook-cert', secret: { secretName: 'ingress-nginx-admission' } }]);
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  test('certgen Jobs stay after they finish and are re-created by either GitOps engine when they change', () => {
    for (const name of ['ingress-nginx-admission-create', 'ingress-nginx-admission-patch']) {
      const job = find(render(), 'Job', name);
      expect(job.spec.ttlSecondsAfterFinished).toBeUndefined();
      expect(job.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-options': 'Force=true,Replace=true', 'kustomize.toolkit.fluxcd.io/force': 'enabled' });
    }
  });

  test('certgen may touch only its own Secret and webhook', () => {
    const objects = render();
    expect(find(objects, 'ClusterRole', 'ingress-nginx-admission').rules).toEqual([
      { apiGroups: ['admissionregistration.k8s.io'], resources: ['validatingwebhookconfigurations'], resourceNames: ['ingress-nginx-admission'], verbs: ['get', 'update'] },
    ]);
    const secretRules = find(objects, 'Role', 'ingress-nginx-admission').rules;
    expect(secretRules.find((r: any) => r.verbs.includes('get')).resourceNames).toEqual(['ingress-nginx-admission']);
  });
});

describe('ingress-nginx network policies', () => {
  const policy = (objects: any[], name: string) => find(objects, 'NetworkPolicy', name).spec;

  test('deny by default in the namespace', () => {
    expect(policy(render(), 'default-deny')).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [], egress: [] });
  });

  test('let anyone reach 80/443, the API server the webhook, Prometheus the metrics', () => {
    const rules = policy(render(), 'controller-ingress').ingress;
    expect(rules).toContainEqual({ ports: [{ port: 80, protocol: 'TCP' }, { port: 443, protocol: 'TCP' }] });
    expect(rules).toContainEqual({ from: [{ ipBlock: { cidr: PEERS.kubeApi.cidr } }], ports: [{ port: 8443, protocol: 'TCP' }] });
    expect(rules).toContainEqual(expect.objectContaining({ ports: [{ port: 10254, protocol: 'TCP' }], from: [expect.objectContaining({ podSelector: { matchLabels: PEERS.prometheus.podLabels } })] }));
  });

  test('let the controller reach the API server and the pods of every namespace', () => {
    const objects = render();
    expect(policy(objects, 'controller-egress-api').egress).toEqual([{ to: [{ ipBlock: { cidr: PEERS.kubeApi.cidr } }], ports: KUBE_API_PORTS.map((p) => ({ port: p.port, protocol: 'TCP' })) }]);
    expect(policy(objects, 'controller-egress-backends').egress).toEqual([{ to: [{ namespaceSelector: {}, podSelector: {} }] }]);
  });

  test('the namespace enforces the restricted Pod Security Standard', () => {
    const namespace = find(render(), 'Namespace', 'ingress-nginx');
    expect(namespace.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });
});
