import { defineConfig } from 'vitest/config';

// Unit and end-to-end tests by default; `*.int.test.ts` need a real Redis (REDIS_URL) and run as their own project.
export default defineConfig({
    test: {
        testTimeout: 20_000,
        hookTimeout: 30_000,
        projects: [
            { extends: true, test: { name: 'unit', include: ['tests/**/*.test.ts'], exclude: ['tests/**/*.int.test.ts'] } },
            // Integration files share one Redis; running them one at a time keeps their keys apart.
            { extends: true, test: { name: 'int', include: ['tests/**/*.int.test.ts'], fileParallelism: false } },
        ],
    },
});
