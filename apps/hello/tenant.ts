import { defineTenant } from '@platform/charts';

export default defineTenant({
  name: 'hello',
  team: 'platform',
  costCenter: 'cc-0001',
  owners: { admins: ['platform-admins'] },
  environments: ['test'],
  apps: [{ kind: 'web', name: 'hello', image: 'registry.k8s.io/e2e-test-images/agnhost:2.52', port: 8080, replicas: 1 }],
});
