import { LABELS, PLATFORM_ENDPOINTS } from '@platform/charts';

/** The namespace tenants' network policies expect the controller in. */
export const NAMESPACE = PLATFORM_ENDPOINTS.ingressController.namespace;

/** The IngressClass every platform Ingress uses (PlatformIngress) and the controller's --ingress-class. */
export const INGRESS_CLASS = PLATFORM_ENDPOINTS.ingressController.ingressClass;

/** spec.controller of the IngressClass and the controller's --controller-class: they must be equal. */
export const CONTROLLER_CLASS = 'k8s.io/ingress-nginx';

/** app.kubernetes.io/name of every component; the controller's pods carry it as PLATFORM_ENDPOINTS demands. */
export const APP_NAME = PLATFORM_ENDPOINTS.ingressController.podLabels[LABELS.name];

/** app.kubernetes.io/component of the controller pods, from PLATFORM_ENDPOINTS (tenants allow traffic from it). */
export const CONTROLLER_COMPONENT = PLATFORM_ENDPOINTS.ingressController.podLabels[LABELS.component];

/** Object names, as upstream names them (runbooks and upstream docs keep working). */
export const NAMES = {
  /** Deployment, LoadBalancer Service and ConfigMap of the controller. */
  controller: 'ingress-nginx-controller',
  /** ServiceAccount, Role, ClusterRole and bindings of the controller. */
  controllerAccount: 'ingress-nginx',
  /** ServiceAccount/RBAC of the certgen Jobs, the certificate Secret they create, the ValidatingWebhookConfiguration. */
  admission: 'ingress-nginx-admission',
  /** ClusterIP Service in front of the controller's webhook port. */
  admissionService: 'ingress-nginx-controller-admission',
  /** Leader-election Lease: --election-id and the only Lease the controller may update. */
  electionId: 'ingress-nginx-leader',
} as const;

/** Container ports of the controller. */
export const PORTS = {
  http: 80,
  https: 443,
  /** --validating-webhook listener. */
  webhook: 8443,
  /** /healthz and /metrics (the controller's status server). */
  metrics: 10254,
} as const;

/** Where the controller reads the webhook certificate the certgen Job stored in Secret NAMES.admission. */
export const WEBHOOK_CERT_DIR = '/usr/local/certificates';
