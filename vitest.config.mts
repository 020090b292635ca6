import { defineConfig } from 'vitest/config';

// Unit and end-to-end tests by default; `*.int.test.ts` need a real Redis (REDIS_URL) and run as their own project.
// Under CI each run also writes a JSON report, from which .ci/run prints the plain "N passed, N failed" line.
const run = process.argv.includes('startup') ? 'startup' : 'main';
const ciReports = process.env.CI ? { reporters: ['default', 'json'], outputFile: { json: `.ci/results-${run}.json` } } : {};

const BROWSER_NOTICE = 'tests/setup/browserNotice.ts';

export default defineConfig({
    test: {
        ...ciReports,
        testTimeout: 20_000,
        // botbuilder's HTTP stack reads process.binding('http_parser') (DEP0111), a known, harmless deprecation that
        // `npm start` also silences; any other warning still shows.
        execArgv: ['--disable-warning=DEP0111'],
        hookTimeout: 30_000,
        projects: [
            // The global setup says once per run when the browser suites are skipped (no Chromium or CJK font here).
            { extends: true, test: { name: 'unit', include: ['tests/**/*.test.ts'], exclude: ['tests/**/*.int.test.ts', 'tests/startup/**'], globalSetup: [BROWSER_NOTICE] } },
            // Integration files share one Redis; running them one at a time keeps their keys apart.
            { extends: true, test: { name: 'int', include: ['tests/**/*.int.test.ts'], fileParallelism: false, globalSetup: [BROWSER_NOTICE] } },
            // Start-up time is part of the contract (an answer within 2 s of start): these files spawn the built
            // server and time it, so they run on their own (`npm test` runs them after the rest).
            { extends: true, test: { name: 'startup', include: ['tests/startup/**/*.test.ts'], fileParallelism: false } },
        ],
    },
});
