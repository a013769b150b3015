#!/usr/bin/env node
// Completes package-lock.json with the platform-specific optional packages (swc, nx, unrs-resolver binaries for
// macOS, Windows, other Linux libcs…) that npm could not record because the registry it installed from does not
// serve them (the package mirror of our build machines serves only some platforms). `npm ci` validates the
// lockfile against every optional dependency, so without these entries it refuses to install anywhere.
// Each entry is what a lockfile made against the public registry holds (version and tarball URL); npm installs
// only the one matching the machine. Idempotent; runs as the root `postinstall`.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const lockPath = path.join(__dirname, '..', '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
const missing = [];
for (const entry of Object.values(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies || {})) {
    const key = `node_modules/${name}`;
    if (lock.packages[key] || missing.some((m) => m.key === key)) continue;
    if (!/^\d+\.\d+\.\d+$/.test(version)) continue; // only exact pins (platform binaries are pinned)
    missing.push({ key, entry: { version, resolved: `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${version}.tgz`, dev: entry.dev || undefined, optional: true } });
  }
}
if (missing.length) {
  for (const m of missing) lock.packages[m.key] = m.entry;
  const [root, ...rest] = Object.entries(lock.packages);
  lock.packages = Object.fromEntries([root, ...rest.sort(([a], [b]) => a.localeCompare(b, 'en'))]);
  fs.writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
  process.stdout.write(`package-lock.json: recorded ${missing.length} optional platform package(s) the registry does not serve\n`);
}
