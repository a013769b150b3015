import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiObject, Yaml } from 'cdk8s';
import { Construct } from 'constructs';

/** Where scripts/import-crds.sh puts Velero's CustomResourceDefinitions. */
export const CRDS_DIR = join(__dirname, '..', 'crds');

const parsed = new Map<string, any[]>();

/**
 * The documents of the CRD files of a directory, parsed once per process. cdk8s' YAML loader reads through a child
 * process per call, so the files are read here and parsed in one call (the documents stay in file order).
 */
function loadDirectory(directory: string, files: readonly string[]): any[] {
  let docs = parsed.get(directory);
  if (!docs) {
    const work = mkdtempSync(join(tmpdir(), 'velero-crds-'));
    try {
      const combined = join(work, 'crds.yaml');
      writeFileSync(combined, files.map((f) => readFileSync(join(directory, f), 'utf8')).join('\n---\n'));
      docs = Yaml.load(combined);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    parsed.set(directory, docs);
  }
  return docs.map((d) => structuredClone(d));
}

export interface VeleroCrdsProps {
  /** Directory holding the CRD YAML files. @default CRDS_DIR */
  readonly directory?: string;
}

/**
 * Velero's CustomResourceDefinitions, rendered from the files scripts/import-crds.sh copied from upstream. The synth
 * routes every CRD to dist/<env>/cluster/, which the GitOps engine applies before any add-on, so the CRDs exist before
 * the BackupStorageLocations and Schedules that use them (and before the server, which refuses to start without them).
 */
export class VeleroCrds extends Construct {
  readonly crds: ApiObject[] = [];

  constructor(scope: Construct, id: string, props: VeleroCrdsProps = {}) {
    super(scope, id);
    const directory = props.directory ?? CRDS_DIR;
    const files = readdirSync(directory).filter((f) => f.endsWith('.yaml')).sort();
    if (files.length === 0) throw new Error(`VeleroCrds: no CRD files in ${directory}; run addons/backups/scripts/import-crds.sh`);
    for (const doc of loadDirectory(directory, files)) {
      if (doc.kind !== 'CustomResourceDefinition' || doc.spec?.group !== 'velero.io') {
        throw new Error(`VeleroCrds: ${directory} holds ${doc.kind} ${doc.metadata?.name}, expected only velero.io CustomResourceDefinitions`);
      }
      this.crds.push(new ApiObject(this, doc.metadata.name, doc));
    }
  }
}
