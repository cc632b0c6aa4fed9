/**
 * xl's `parse_config_data()` as `buildDomainConfig`, kept at this path for existing
 * importers: the builder lives in `domain-config/`, one module per part of
 * tools/xl/xl_parse.c, run in xl's order from `domain-config/index.ts`.
 */
export * from './domain-config/index.js';
