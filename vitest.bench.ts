import { defineConfig } from 'vitest/config';
import shared from './vitest.shared.js';

// `npm run bench` in a package: runs bench/*.bench.ts (one long "test" each) that print tables to stdout.
// Benchmarks never run inside `npm test`.
export default defineConfig({
  resolve: shared.resolve,
  ssr: shared.ssr,
  test: {
    environment: 'node',
    include: ['bench/**/*.bench.ts'],
    testTimeout: 1_800_000,
    hookTimeout: 600_000,
    disableConsoleIntercept: true,
    fileParallelism: false,
  },
});
