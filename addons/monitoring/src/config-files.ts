import { createHash } from 'node:crypto';
import YAML from 'yaml';

/**
 * A configuration file as YAML text. Keys keep the order they were written in (job_name first, like the
 * upstream docs), short lists of scalars are written inline (`source_labels: [a, b]`, as Prometheus' own
 * examples do) and long lines are never folded, so a one-line change in the TypeScript is a one-line diff in
 * dist/.
 */
export function configYaml(doc: unknown, header: string): string {
  const document = new YAML.Document(doc, { aliasDuplicateObjects: false });
  YAML.visit(document, {
    Seq(_, seq) {
      const scalars = seq.items.every((item) => YAML.isScalar(item) && typeof item.value === 'string' && !item.value.includes('\n'));
      const width = seq.items.reduce<number>((sum, item) => sum + String((item as YAML.Scalar).value).length + 2, 0);
      if (scalars && seq.items.length > 0 && width <= 100) seq.flow = true;
    },
  });
  const comment = header.split('\n').map((line) => `# ${line}`.trimEnd()).join('\n');
  return `${comment}\n${document.toString({ lineWidth: 0 })}`;
}

/** Short content hash for a pod-template annotation: changing the file rolls the pods that read it at start. */
export function checksum(...contents: string[]): string {
  const hash = createHash('sha256');
  for (const content of contents) hash.update(content).update('\0');
  return hash.digest('hex').slice(0, 16);
}
