/**
 * xlsim's own wording for lexical and syntax errors (`xlsim check`), next to bison's
 * terse messages (`bison.ts`): what was found, what was expected, and a hint for the
 * usual mistakes. Token text is escaped with {@link printable} before it is shown.
 */
import { K, type Tok } from './tokens.js';
import { acceptable } from './lalr.js';

// xlsim wording

const DESCRIBE: Record<number, string> = {
  [K.EOF]: 'end of file',
  [K.IDENT]: 'a setting name',
  [K.STRING]: 'a quoted string',
  [K.NUMBER]: 'a number',
  [K.NEWLINE]: 'end of line',
  [K.PLUSEQ]: '`+=`',
  [K.EQ]: '`=`',
  [K.SEMI]: '`;`',
  [K.LBRACK]: '`[`',
  [K.RBRACK]: '`]`',
  [K.COMMA]: '`,`',
};

/**
 * Token text made safe to print in a diagnostic: control characters, DEL and C1
 * controls become `\xNN` escapes (so a binary file cannot drive the user's terminal)
 * and anything past `max` characters is cut with an ellipsis.
 */
export function printable(text: string, max = 40): string {
  const cut = text.length > max ? text.slice(0, max) : text;
  const safe = cut.replace(/[\u0000-\u001f\u007f-\u009f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return text.length > max ? `${safe}…` : safe;
}

/**
 * A whole message made safe for a terminal: C0 controls (but TAB), DEL and C1 controls
 * become `\xNN`, and a newline (xl's two-line messages) becomes a space, so a diagnostic
 * is one line and a file cannot drive the terminal through it. Text without any control
 * character is returned as it is.
 */
export function escapeControls(message: string): string {
  if (!/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/.test(message)) return message;
  return message.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, (ch) =>
    ch === '\n' ? ' ' : `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

function found(t: Tok | undefined): string {
  if (!t) return 'end of file';
  if (t.kind === K.NEWLINE) return t.image.startsWith('#') ? 'end of line (comment)' : 'end of line';
  if (t.kind === K.IDENT) return `bare word \`${t.image}\``;
  if (t.kind === K.STRING) return `string ${printable(t.image)}`;
  if (t.kind === K.NUMBER) return `number ${t.image}`;
  return DESCRIBE[t.kind]!;
}

/** The xlsim message of a syntax error: `t` (undefined at end of file) read in LALR state `state`. */
export function syntaxMessage(state: number, t: Tok | undefined): string {
  const acc = acceptable(state);
  const exp = acc.map((x) => DESCRIBE[x]!);
  const list = exp.length <= 1 ? exp.join('') : `${exp.slice(0, -1).join(', ')} or ${exp[exp.length - 1]}`;
  let msg = `syntax error: found ${found(t)}, expected ${list}`;
  const kind = t ? t.kind : K.EOF;
  if (kind === K.IDENT && acc.includes(K.STRING)) msg += `; bare words are not values, quote it: "${t!.image}"`;
  else if (kind === K.COMMA && acc.includes(K.RBRACK)) msg += '; a list allows one trailing comma, no empty items';
  else if (kind === K.EOF && acc.includes(K.RBRACK)) msg += '; the list is never closed';
  else if ((kind === K.STRING || kind === K.NUMBER || kind === K.LBRACK) && acc.includes(K.COMMA)) msg += '; list items are separated by `,`';
  else if (acc.includes(K.SEMI) && !acc.includes(K.IDENT)) msg += '; a setting ends at the end of its line or at `;`';
  return msg;
}

/** The xlsim message of a lexical-error token (`ERR`/`PYERR`): what it found and why flex refuses it. */
export function lexicalMessage(t: Tok): string {
  const c = t.image[0]!;
  let why: string;
  if (c === '#') why = 'a comment must end with a newline (xl rejects a comment on the last line without one)';
  else if (c === '\r') why = 'carriage return: xl accepts only LF line endings, not CR-LF';
  else if (c === '"' || c === "'") why = 'unterminated string: a quoted string must close on the same line';
  else if (c === '-' || c === '+') why = `unquoted sign: numbers must be plain digits (quote it: "${t.image}")`;
  else if (c === '.') why = 'unquoted decimal point: xl has no decimal numbers';
  else if (c === '(' || c === ')' || c === ':') why = `'${c}' is not part of the xl.cfg syntax (Python is no longer supported)`;
  else if (c >= 'A' && c <= 'Z') why = 'names are lower-case ([a-z][._0-9a-z]*) and text values must be quoted';
  else if (c === '\0') why = 'NUL byte';
  else if (c === '\\') why = 'backslash outside a string: there is no line continuation';
  else if (c === '_' ) why = 'a name must start with a lower-case letter';
  else if (c === '/' || c === '~' || c === '*') why = 'unquoted path or text: values other than plain numbers must be quoted';
  else why = `character '${printable(c)}' cannot start a token; text values must be quoted`;
  return `lexical error: found \`${printable(t.image)}\`; ${why}`;
}
