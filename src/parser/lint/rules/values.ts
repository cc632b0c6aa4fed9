/**
 * Lint rules — Values as libxlu reads them: numbers and booleans (XL404–XL407, XL409, XL412), octal escapes that vanish (XL408), nested lists that truncate (XL410).
 *
 * Each rule is one {@link LintRule} record (codes with their severity, scope, check);
 * facts and sources are cited per rule (see `rule.ts` for the shared helpers).
 */
import type { StringValue } from '../../types.js';
import { walkLiteral } from '../text.js';
import { BOOL_WORDS, cStrtol } from '../values.js';
import { own, diag, quote, getterWarning, type LintRule } from './rule.js';

// numbers: XL404 boolean word, XL405 quoted number, XL406 not a number, XL407 octal,
// XL409 wrong shape, XL412 `+=` on a number

export const numbers: LintRule = {
  name: 'numbers',
  codes: { XL404: 'warning', XL405: 'info', XL406: 'warning', XL407: 'warning', XL409: 'warning', XL412: 'warning' },
  scope: 'statement',
  check: (ctx) => {
    for (const name of ctx.names()) {
      const kf = ctx.keyFacts(name);
      const s = ctx.get(name);
      if (s === undefined || !kf.known) continue;
      if (kf.list && s.value.kind === 'string' && !kf.scalar) {
        ctx.report(
          diag('XL409', s.value.range, `\`${name}' must be a list: xl prints a warning and ignores this value; write ${name} = [ ${s.value.token === 'STRING' ? quote(s.value.value) : s.value.value} ]`, {
            xl: getterWarning(ctx, s, `parameter \`${name}' is a single value but should be a list`),
            fix: {
              description: 'wrap the value in a list',
              edits: [{ range: s.value.range, text: `[ ${ctx.text.slice(s.value.range.start.offset, s.value.range.end.offset)} ]` }],
            },
          }),
        );
        continue;
      }
      if (kf.scalar && s.value.kind === 'list') {
        ctx.report(
          diag('XL409', s.value.range, `\`${name}' takes a single value, not a list: xl prints a warning and ignores it`, {
            xl: getterWarning(ctx, s, `parameter \`${name}' is a list but should be a single value`),
          }),
        );
        continue;
      }
      if (!kf.numeric || s.value.kind !== 'string') continue;
      const v = s.value;
      if (s.op === '+=') {
        ctx.report(
          diag('XL412', s.nameRange, `\`${name}' is read as a number, and libxlu refuses any setting made with +=: xl ignores it; use =`, {
            xl: getterWarning(ctx, s, `can't use += with numbers for parameter \`${name}'`),
          }),
        );
        continue;
      }
      const word = own(BOOL_WORDS, v.value.trim().toLowerCase());
      // Only for on/off keys: for a size or count, "true" is simply not a number (XL406 below).
      if (word !== undefined && v.token === 'STRING' && kf.bool) {
        ctx.report(
          diag('XL404', v.range, `${quote(v.value)} is not a boolean to xl: booleans are numbers (0 = off, anything else = on), so xl prints "not a valid number" and keeps the default for \`${name}'; write ${word}`, {
            xl: getterWarning(ctx, s, `parameter \`${name}' is not a valid number`),
            fix: { description: `replace ${quote(v.value)} with ${word}`, edits: [{ range: v.range, text: word }] },
          }),
        );
        continue;
      }
      const r = cStrtol(v.value);
      const leadingZero = /^[+-]?0[0-9]/.test(v.value.trim());
      if (leadingZero) {
        const dec = v.value.trim().replace(/^([+-]?)0+(?=\d)/, '$1');
        const decText = v.token === 'STRING' && !/^[0-9]+$/.test(dec) ? quote(dec) : dec;
        if (r.ok) {
          if (r.value !== Number(dec)) {
            ctx.report(
              diag('XL407', v.range, `${v.value} has a leading 0, so xl reads it as octal: \`${name}' = ${r.value}, not ${dec}; drop the leading zeros`, {
                fix: { description: `write ${decText}`, edits: [{ range: v.range, text: decText }] },
              }),
            );
          }
        } else {
          ctx.report(
            diag('XL407', v.range, `${v.value} has a leading 0, so xl reads it as octal, and 8 and 9 are not octal digits: xl prints "not a valid number" and ignores \`${name}'; drop the leading zeros`, {
              xl: getterWarning(ctx, s, `parameter \`${name}' is not a valid number`),
              fix: { description: `write ${decText}`, edits: [{ range: v.range, text: decText }] },
            }),
          );
        }
        continue;
      }
      if (!r.ok) {
        if (r.reason === 'range') {
          ctx.report(
            diag('XL406', v.range, `${quote(v.value)} does not fit in a 64-bit number: xl ignores \`${name}'`, {
              xl: getterWarning(ctx, s, `parameter \`${name}' could not be parsed as a number: Numerical result out of range`),
            }),
          );
        } else {
          const unit = /^\s*(\d+)\s*([kKmMgGtT])i?[bB]?\s*$/.exec(v.value);
          const hint = unit
            ? `; the config file has no unit suffixes (sizes are plain numbers in MiB, or KiB for *_kb keys)`
            : /^\s*\d+\.\d*\s*$/.test(v.value)
              ? '; xl has no fractional numbers'
              : '';
          ctx.report(
            diag('XL406', v.range, `\`${name}' must be a whole number, but ${quote(v.value)} is not one: xl prints a warning and keeps the default${hint}`, {
              xl: getterWarning(ctx, s, `parameter \`${name}' is not a valid number`),
            }),
          );
        }
        continue;
      }
      const plain = v.value.trim();
      // Only a value the lexer accepts as a NUMBER token can lose its quotes (`"-5"` cannot).
      if (v.token === 'STRING' && /^[0-9][0-9a-fx]*$/.test(plain)) {
        ctx.report(
          diag('XL405', v.range, `\`${name}' is a number; the quotes are not needed (xl reads ${quote(v.value)} as ${r.value})`, {
            fix: { description: `write ${plain}`, edits: [{ range: v.range, text: plain }] },
          }),
        );
      }
    }
  },
};

// XL408 octal escapes that vanish

export const octalEscapes: LintRule = {
  name: 'octal-escapes',
  codes: { XL408: 'warning' },
  scope: 'statement',
  check: (ctx) => {
    const visit = (v: StringValue): void => {
      if (v.token !== 'STRING') return;
      const raw = ctx.text.slice(v.range.start.offset, v.range.end.offset);
      if (raw.indexOf('\\') < 0) return;
      for (const [a, b] of walkLiteral(raw).swallowed) {
        const start = v.range.start.offset + a;
        const esc = raw.slice(a, b);
        ctx.report(
          diag('XL408', ctx.lines.range(start, start + esc.length), `the escape ${esc} produces no character at all: libxlu swallows octal-looking escapes, so this string reads as ${quote(v.value)}; write the character itself`),
        );
      }
    };
    for (const s of ctx.statements) {
      const stack = [s.value];
      while (stack.length > 0) {
        const v = stack.pop()!;
        if (v.kind === 'string') visit(v);
        else for (let i = v.items.length - 1; i >= 0; i--) stack.push(v.items[i]!);
      }
    }
  },
};

// XL410 nested lists that truncate, XL411 repeated keys

export const nestedLists: LintRule = {
  name: 'nested-lists',
  codes: { XL410: 'warning' },
  scope: 'statement',
  check: (ctx) => {
    for (const name of ctx.names()) {
      const s = ctx.get(name)!;
      const kf = ctx.keyFacts(name);
      if (kf.nested || s.value.kind !== 'list') continue;
      const idx = s.value.items.findIndex((it) => it.kind === 'list');
      if (idx < 0) continue;
      const lost = s.value.items.length - idx;
      ctx.report(
        diag('XL410', s.value.items[idx]!.range, `a nested list inside \`${name}' ends xl's reading of the list: this item and the ${lost - 1} after it are silently dropped; only vnuma and vsnd take nested lists`),
      );
    }
  },
};
