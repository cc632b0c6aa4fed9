import { describe, expect, it } from 'vitest';
import type { Key } from 'ink';
import { allLines, EMPTY_TEXT, feedConsole, findMatch, guestBytes, newSession, scrollBy, wrapConsole } from '../../src/tui/consoles.js';

const feed = (...chunks: string[]) => chunks.reduce(feedConsole, EMPTY_TEXT);
const NO: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false,
};

describe('console output drawn as a terminal draws it', () => {
  it('CR LF ends lines; the unfinished prompt stays the current line', () => {
    const t = feed('Welcome\r\n\r\nalpine-pv login: ');
    expect(t.lines).toEqual(['Welcome', '']);
    expect(t.current).toBe('alpine-pv login: ');
    expect(allLines(t)).toEqual(['Welcome', '', 'alpine-pv login: ']);
  });
  it("the line discipline's erase echo (\\b \\b) removes the character", () => {
    expect(feed('# unamx', '\b \b', 'e -a').current).toBe('# uname -a');
  });
  it('a carriage return overwrites from column 0; escape sequences are dropped, even cut in two chunks', () => {
    expect(feed('50%\r100%\n').lines).toEqual(['100%']);
    expect(feed('\x1b[1;32mOK\x1b', '[0m done\n').lines).toEqual(['OK done']);
    expect(feed('a\tb\n').lines).toEqual(['a       b']);
  });
  it('keeps at most the scrollback, oldest dropped', () => {
    const t = feed(Array.from({ length: 6000 }, (_, i) => `l${i}\n`).join(''));
    expect(t.lines).toHaveLength(5000);
    expect(t.lines[0]).toBe('l1000');
  });
});

describe('wrapping, scrolling and search', () => {
  const t = feed('short\n', 'x'.repeat(25) + '\n', 'find me here\n');
  it('wraps long lines instead of cutting them', () => {
    expect(wrapConsole(t, 10)).toEqual(['short', 'xxxxxxxxxx', 'xxxxxxxxxx', 'xxxxx', 'find me he', 're']);
    // cached per width
    expect(wrapConsole(t, 10)).toBe(wrapConsole(t, 10));
  });
  it('PgUp scrolls back, reaching the end follows again', () => {
    const s = { ...newSession(1, 'g'), text: t };
    const up = scrollBy(s, -2, 10, 3);
    expect(up.scroll).toBe(1);
    expect(scrollBy(up, 5, 10, 3).scroll).toBe('follow');
  });
  it('finds matches older and newer than a row, case-insensitively', () => {
    const rows = ['boot', 'Login ok', 'x', 'login again'];
    expect(findMatch(rows, 'login', 4, 'older')).toBe(3);
    expect(findMatch(rows, 'login', 3, 'older')).toBe(1);
    expect(findMatch(rows, 'login', 1, 'newer')).toBe(3);
    expect(findMatch(rows, 'nothing', 4, 'older')).toBeUndefined();
  });
});

describe('keys to the guest', () => {
  it('sends what a raw terminal sends', () => {
    expect(guestBytes('', { ...NO, return: true })).toBe('\r');
    expect(guestBytes('', { ...NO, delete: true })).toBe('\x7f');
    expect(guestBytes('c', { ...NO, ctrl: true })).toBe('\x03');
    expect(guestBytes('', { ...NO, upArrow: true })).toBe('\x1b[A');
    expect(guestBytes('x', { ...NO, meta: true })).toBe('\x1bx');
    expect(guestBytes('uname', NO)).toBe('uname');
    expect(guestBytes('', NO)).toBeUndefined();
  });
});
