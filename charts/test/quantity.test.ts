import { bytes, cpuMillis, resourcesSchema } from '../src';

describe('quantities', () => {
  test.each([['250m', 250], ['1', 1000], ['1.5', 1500], ['0.1', 100]])('cpu %s is %d millicores', (q, m) => {
    expect(cpuMillis(q)).toBe(m);
  });

  test.each([['512Mi', 512 * 2 ** 20], ['2Gi', 2 * 2 ** 30], ['64Ki', 64 * 1024]])('memory %s is %d bytes', (q, b) => {
    expect(bytes(q)).toBe(b);
  });

  test.each(['lots', '1Gb', '-1', '500M', ''])('"%s" is rejected with what is allowed', (q) => {
    expect(() => bytes(q)).toThrow('a quantity with a binary suffix like "512Mi"');
  });

  test('limits below requests are rejected on the limit field', () => {
    const result = resourcesSchema.safeParse({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '250m', memory: '512Mi' } });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['limits.cpu', 'must be >= requests.cpu (500m)'],
      ['limits.memory', 'must be >= requests.memory (1Gi)'],
    ]);
  });
});
