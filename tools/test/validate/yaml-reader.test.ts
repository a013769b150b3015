import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listFiles } from '../../src/synth/output';
import { toYaml } from '../../src/synth/manifest';
import type { Manifest } from '../../src/synth/manifest';
import { REPO_ROOT } from '../../src/testing/fixture-workspace';
import { parseFull, parseManifestText } from '../../src/validate/yaml-reader';

// The fast reader must give exactly what the full YAML 1.1 reader gives, and give up rather than guess.
function expectSameAsFull(text: string): boolean {
  const fast = parseManifestText(text);
  const full = parseFull(text);
  expect(fast.documents).toEqual(full.documents);
  expect(fast.error).toEqual(full.error);
  return fast.fast;
}

/** Values that YAML 1.1 quoting, block scalars and number resolution make interesting. */
const TRICKY: Record<string, unknown> = {
  bools: ['yes', 'no', 'on', 'off', 'y', 'n', 'Y', 'True', 'FALSE', true, false],
  numbers: ['0755', '1.0', '1e3', 'e5', '.5', '1_000', '12:30', '0x1F', '0b101', '-.inf', '.nan', '+1', '007', 0, -3, 1.5, 9007199254740991],
  nulls: ['null', '~', 'NULL', '', null],
  dates: ['2024-01-01', '2024-01-01T10:00:00Z'],
  strings: ['200m', '1Gi', '2.52-alpine', 'registry.k8s.io/x:1.2', 'http://x:80/y', '- x', '-Xmx512m', '?q', ':c', '#c', 'a #b', 'x: y', 'trailing:', "it's", 'a"b', 'x\\y', '@at', '`tick', '%pct', '*star', '&amp', '!bang', '[x]', '{x}', '<<', '.', '-', 'ü ☃ 日本', '\ttab', '\u0001ctrl', ' lead', 'trail '],
  blocks: ['multi\nline', 'multi\nline\n', 'with\n\n\nblank lines\n', 'ends with blanks\n\n\n', '  indented first\nline', 'line1\n  indented\nline3\n', 'spaces  \nat end', '\n\nleading newlines', '#!/bin/sh\necho "$HOME" # comment\n\tindented with a tab\n'],
  'quoted key: yes': 1,
  yes: 2,
  '1': 3,
  'app.kubernetes.io/name': 'x',
  nested: [[1, 2], [], {}, [{ a: 1, b: [{ c: { d: 'e' } }] }], { list: ['a', { b: null }] }],
};

describe('yaml reader', () => {
  test('reads every tricky value the synth can write exactly as the full YAML 1.1 reader does', () => {
    for (const [key, value] of Object.entries(TRICKY)) {
      expectSameAsFull(toYaml({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { [key]: value } } as unknown as Manifest));
    }
    expectSameAsFull(toYaml({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: TRICKY } as unknown as Manifest));
  });

  test('reads each value of the synth\'s typical output on the fast path', () => {
    const typical = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { version: '2.52' } }, spec: { replicas: 2, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27', args: ['--port=8080', '-v'], env: [{ name: 'A', value: 'yes' }], resources: { limits: { cpu: '200m', memory: 1 } } }] } } }, data: { 'config.yaml': 'a: 1\nb:\n  - c\n' } };
    expect(expectSameAsFull(toYaml(typical as unknown as Manifest))).toBe(true);
  });

  test.each([
    ['a comment after a value', 'a: 1 # c\n'],
    ['anchors and aliases', 'a: &x 1\nb: *x\n'],
    ['a folded scalar', 'a: >\n  folded\n  text\n'],
    ['a multi-line quoted scalar', 'a: "one\n  two"\n'],
    ['duplicate keys (an error)', 'a: 1\na: 2\n'],
    ['a flow sequence', 'a: [1, 2]\n'],
    ['several documents', '---\na: 1\n---\nb: 2\n'],
    ['a block scalar at the end without newline', 'a: |\n  x'],
    ['an indented document', '  a: 1\n'],
    ['tab indentation (an error)', 'a:\n\tb: 1\n'],
    ['a colon in a plain value (an error)', 'a: b: c\n'],
    ['a nested sequence on one line', '- - a\n'],
    ['an explicit indentation indicator', 'a: |2\n   x\n'],
    ['CRLF line ends', 'a: 1\r\nb: 2\r\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a tag', 'a: !!str 1\n'],
  ])('gives up on %s and lets the full reader decide', (_what, text) => {
    expect(expectSameAsFull(text)).toBe(false);
  });

  test.each([
    ['comment lines and a document start', '# generated\n---\na: 1\n# between\nb:\n  - x\n'],
    ['a sequence at the key\'s indentation', 'a:\n- 1\n- b: 2\n  c: 3\nd: 4\n'],
    ['empty values', 'a:\nb: ~\nc: {}\nd: []\n'],
    ['a block scalar in a sequence', 'a:\n  - |\n    block\n  - x\n'],
    ['an empty file', ''],
  ])('reads %s on the fast path', (_what, text) => {
    expect(expectSameAsFull(text)).toBe(true);
  });

  test('reads every file of the shipped dist/ and the golden fixture on the fast path, like the full reader', () => {
    let fast = 0;
    let total = 0;
    for (const dir of [join(REPO_ROOT, 'dist'), join(REPO_ROOT, 'tools', 'test', 'golden')]) {
      for (const file of listFiles(dir).filter((f) => f.endsWith('.yaml'))) {
        total++;
        if (expectSameAsFull(readFileSync(join(dir, file), 'utf8'))) fast++;
      }
    }
    expect(total).toBeGreaterThan(0);
    expect(fast).toBe(total);
  });
});
