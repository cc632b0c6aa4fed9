// Loads better-sqlite3 on the first call, not at start-up: a command that never opens the
// host's database (`check`, `create -n`, `help`) does not pay for it. CommonJS on purpose:
// a bundler keeps a require() inside a function where it is, so the CLI bundle carries
// better-sqlite3's JavaScript (compiled once into the code cache, no module lookups at run
// time) and still evaluates it only when this function first runs.
'use strict';
module.exports = function loadBetterSqlite3() {
  return require('better-sqlite3');
};
