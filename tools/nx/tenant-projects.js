// @ts-check
// Nx plugin: every apps/<tenant>/tenant.ts is an Nx project named "tenant-<tenant>", so a tenant team
// onboards by adding one file and `nx affected` still knows which tenant a change touches.
// Plain JavaScript on purpose: Nx loads it without a TypeScript transpiler.
'use strict';
const { dirname, basename } = require('node:path');

/** @type {(files: readonly string[]) => Array<readonly [string, { projects: Record<string, object> }]>} */
function tenantProjects(files) {
  return files.map((file) => {
    const root = dirname(file);
    const tenant = basename(root);
    return [file, {
      projects: {
        [root]: {
          name: `tenant-${tenant}`,
          projectType: 'application',
          tags: ['type:tenant'],
          // A tenant file imports @platform/charts; its output also depends on the environments and the synth.
          implicitDependencies: ['charts', 'environments', 'tools'],
          targets: {
            synth: {
              command: `platformctl synth --only tenant/${tenant}`,
              cache: false,
              metadata: { description: `Render tenant ${tenant} into dist/<env>/tenants/${tenant}/ (the synth keeps its own per-unit cache)` },
            },
          },
        },
      },
    }];
  });
}

/** @type {[string, (files: readonly string[]) => ReturnType<typeof tenantProjects>]} */
const createNodes = ['apps/*/tenant.ts', (files) => tenantProjects(files)];

module.exports = { name: 'tenant-projects', createNodes, createNodesV2: createNodes };
