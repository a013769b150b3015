import { AppIdentity, LABELS } from '../src';

describe('AppIdentity', () => {
  const id = new AppIdentity({ name: 'prometheus', partOf: 'monitoring', component: 'server', version: 'v2.54.1', environment: 'prod' });

  test('carries the recommended labels and the environment', () => {
    expect(id.labels).toEqual({
      [LABELS.name]: 'prometheus',
      [LABELS.instance]: 'prometheus',
      [LABELS.component]: 'server',
      [LABELS.version]: '2.54.1',
      [LABELS.partOf]: 'monitoring',
      [LABELS.managedBy]: 'platformctl',
      [LABELS.environment]: 'prod',
    });
  });

  test('selector labels are a subset of the labels, without the version (selectors are immutable)', () => {
    expect(id.selectorLabels).toEqual({ [LABELS.name]: 'prometheus', [LABELS.instance]: 'prometheus', [LABELS.component]: 'server' });
    for (const [k, v] of Object.entries(id.selectorLabels)) expect(id.labels[k]).toBe(v);
  });
});
