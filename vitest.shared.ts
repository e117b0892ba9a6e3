import { defineConfig } from 'vitest/config';

// Tests resolve sibling packages from source (no prior build): see shared/reference/toolchain.md §4.
const source = '@deconvnet/source';
export default defineConfig({
  resolve: { conditions: [source, 'module', 'browser', 'development|production'] },
  ssr: { resolve: { conditions: [source, 'module', 'node', 'development|production'] } },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
