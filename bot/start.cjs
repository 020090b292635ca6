// `npm start`: compile if a source is newer than the last build, then run the server in this same process (one
// Node start instead of two keeps a fresh start well inside two seconds). `npm run chat` passes the console entry.
require('./build-if-stale.cjs');
const { join } = require('node:path');
require(join(__dirname, '..', 'dist', process.argv[2] ?? join('bot', 'index.js')));
