// Tests are TypeScript transformed by @swc/jest (no type-checking here: `npm run typecheck` does that with tsc 5.9).
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/charts', '<rootDir>/environments', '<rootDir>/addons', '<rootDir>/apps', '<rootDir>/tools'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.synth/', '\\.cluster\\.test\\.ts$'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 60000,
};
