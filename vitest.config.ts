import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Native modules (@node-rs/jieba, better-sqlite3) are safest in forked workers.
    pool: 'forks',
  },
});
