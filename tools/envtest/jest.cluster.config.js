// The real-API-server tier: `npm run test:cluster`. Every *.cluster.test.ts (the main config ignores them) against
// etcd + kube-apiserver from tools/envtest (one control plane per suite). globalSetup finds or builds the binaries
// once, or prints one line saying why every suite is skipped. ENVTEST_K8S_VERSION=1.37 picks the other version.
const path = require('node:path');
const base = require('../../jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  rootDir: path.resolve(__dirname, '../..'),
  testMatch: ['**/*.cluster.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.synth/'],
  globalSetup: '<rootDir>/tools/envtest/global-setup.ts',
  // Each suite runs its own kube-apiserver (~0.5 GB, busy while objects are applied): two at a time on 2 cores.
  maxWorkers: 2,
  testTimeout: 300000,
};
