import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Yaml } from 'cdk8s';
import { PlatformContext } from '@platform/charts';
import { synth, testChart, testContext } from '../../../charts/test/helpers';
import addon, { TracingSettingsInput, settings } from '../src';

/** Renders the add-on as the synth does (settings validated with their defaults) and returns the objects. */
export function render(input: TracingSettingsInput = {}, ctx: PlatformContext = testContext()): any[] {
  const chart = testChart();
  addon.render(chart, ctx, settings.parse(input));
  return synth(chart);
}

export function find(objects: any[], kind: string, name: string): any {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in [${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}]`);
  return found;
}

/** Parses YAML text with cdk8s' own loader (the same YAML 1.1 reading the platform uses). */
export function parseYaml(text: string): any {
  const dir = mkdtempSync(join(tmpdir(), 'tracing-test-'));
  try {
    const file = join(dir, 'doc.yaml');
    writeFileSync(file, text);
    const docs = Yaml.load(file);
    if (docs.length !== 1) throw new Error(`expected one YAML document, got ${docs.length}`);
    return docs[0];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function podSpec(deployment: any): any {
  return deployment.spec.template.spec;
}
