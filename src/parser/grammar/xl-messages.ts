/**
 * The exact bytes real xl prints for parse errors: libxlu's `xlu__cfg_yyerror` line
 * format, the `+=` kind message, the Python hint (tools/libs/util/libxlu_cfg.c), and
 * the diagnostic codes of the grammar (docs/rules.md).
 */


/** Diagnostic codes used by the grammar (docs/rules.md). */
export const CODES = { lexical: 'XL001', syntax: 'XL002', escape: 'XL003', addKind: 'XL004', depth: 'XL005' } as const;

/** The exact text libxlu writes for a `+=` kind mismatch (libxlu_cfg.c `xlu__cfg_set_store`). */
export const ADD_KIND_MESSAGE = `can't add [list] to "string" or vice versa`;

/** The three lines libxlu prints when a failed file used `+ - . ( ) :` (xlu_cfg_readdata). */
export const PYTHON_HINT =
  'warning: Config file looks like it contains Python code.\n' +
  'warning:  Arbitrary Python is no longer supported.\n' +
  'warning:  See https://wiki.xen.org/wiki/PythonInXlConfig\n';

/**
 * Format one libxlu parse error line (xlu__cfg_yyerror in libxlu_cfg.c): the NEWLINE
 * quirk (line − 1, `<newline>`), trailing blanks removed, text cut at a NUL as `%.*s` does.
 * `text` is flex's yytext; EOF is passed as "\0" (one NUL byte: quotes, nothing inside).
 */
export function formatXlError(source: string, firstLine: number, text: string, msg: string): string {
  let line = firstLine;
  let t = text;
  let nl = '';
  if (t.endsWith('\n')) {
    t = t.slice(0, -1);
    line--;
    if (!t.length) nl = '<newline>';
  }
  // trailing blanks off (a loop, not /[ \t]+$/, which is quadratic on long blank runs)
  let end = t.length;
  while (end > 0 && (t.charCodeAt(end - 1) === 32 || t.charCodeAt(end - 1) === 9)) end--;
  if (end < t.length) t = t.slice(0, end);
  const nul = t.indexOf('\0');
  const shown = t.length ? '`' + (nul < 0 ? t : t.slice(0, nul)) + "'" : '';
  return `${source}:${line}: config parsing error near ${shown}${nl}: ${msg}\n`;
}
