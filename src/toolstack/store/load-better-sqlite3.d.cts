/** better-sqlite3's Database class, loaded on the first call (load-better-sqlite3.cjs). Throws what `require('better-sqlite3')` throws. */
declare function loadBetterSqlite3(): typeof import('better-sqlite3');
export = loadBetterSqlite3;
