/**
 * The interactive prompt: `xlsim` with no arguments on a terminal. Each line is split
 * like a POSIX shell would split it and run through the same program as the CLI
 * (`runXl`), so `xl> list -v` prints exactly what `xlsim list -v` prints.
 * `exit`, `quit` or Ctrl-D leave. History is kept in memory and, when a history file is
 * given, appended to it (one command a line). `console` prints the guest's console output
 * so far and returns to the prompt (readline keeps the terminal).
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { XlEnv } from './io.js';
import { commandNames, runXl } from './program.js';

/** Result of splitting one line: the words, or why the line cannot be split. */
export type SplitResult = { ok: true; words: string[] } | { ok: false; error: string };

/**
 * Splits `line` into words with POSIX shell quoting: blanks separate words; `'…'` keeps
 * everything literally; `"…"` keeps everything but lets `\` escape `"`, `\`, `$` and
 * `` ` ``; a `\` outside quotes escapes the next character; an unquoted `#` at the
 * start of a word starts a comment. Nothing is expanded or executed.
 * Errors: an unterminated quote (`{ok: false, error}`).
 */
export function splitShellWords(line: string): SplitResult {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      i++;
    } else if (c === '#' && !inWord) {
      break;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return { ok: false, error: 'unterminated single quote' };
      cur += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      let closed = false;
      while (i < line.length) {
        const d = line[i]!;
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) {
          cur += line[i + 1];
          i += 2;
        } else {
          cur += d;
          i++;
        }
      }
      if (!closed) return { ok: false, error: 'unterminated double quote' };
      inWord = true;
    } else if (c === '\\') {
      if (i + 1 < line.length) cur += line[i + 1];
      inWord = true;
      i += 2;
    } else {
      cur += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(cur);
  return { ok: true, words };
}

/** Options of `runRepl`. */
export interface ReplOptions {
  env: XlEnv;
  input: Readable;
  output: Writable;
  /** Prompt text. Default `xl> `. */
  prompt?: string;
  /** File to load history from and append each command to (optional). */
  historyFile?: string;
  /** Whether `output` is a terminal (enables line editing). */
  terminal?: boolean;
}

/**
 * Runs the prompt until `exit`/`quit` or end of input; resolves to the exit status of
 * the last command run (0 if none). A leading `xl` or `xlsim` word is dropped, so lines
 * pasted from documentation work. Never throws for bad input.
 */
export async function runRepl(opts: ReplOptions): Promise<number> {
  let history: string[] = [];
  if (opts.historyFile) {
    try {
      history = (await readFile(opts.historyFile, 'utf8')).split('\n').filter((l) => l.length > 0).reverse().slice(0, 1000);
    } catch {
      history = [];
    }
    await mkdir(dirname(opts.historyFile), { recursive: true }).catch(() => undefined);
  }
  const names = commandNames();
  const rl = createInterface({
    input: opts.input,
    output: opts.output,
    terminal: opts.terminal ?? false,
    history,
    historySize: 1000,
    prompt: opts.prompt ?? 'xl> ',
    completer: (line: string): [string[], string] => {
      if (line.includes(' ')) return [[], line];
      const hits = names.filter((n) => n.startsWith(line));
      return [hits, line];
    },
  });
  // Ctrl-C drops the line being typed and shows a fresh prompt, as a shell does.
  rl.on('SIGINT', () => {
    opts.output.write('^C\n');
    rl.write(null, { ctrl: true, name: 'e' });
    rl.write(null, { ctrl: true, name: 'u' });
    rl.prompt();
  });
  // readline owns the terminal here: `console` and `create -c` print the console output
  // so far instead of taking over standard input (console-follow.ts, no terminal).
  const env: XlEnv = { ...opts.env, terminal: undefined };
  let last = 0;
  rl.prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    if (line === 'exit' || line === 'quit') break;
    if (line.length > 0) {
      if (opts.historyFile) await appendFile(opts.historyFile, `${line}\n`).catch(() => undefined);
      const split = splitShellWords(line);
      if (!split.ok) {
        opts.env.stderr(`xlsim: ${split.error}\n`);
        last = 2;
      } else {
        let words = split.words;
        if (words[0] === 'xl' || words[0] === 'xlsim') words = words.slice(1);
        if (words.length > 0) last = await runXl(words, env);
      }
    }
    rl.prompt();
  }
  rl.close();
  return last;
}

/** Options of `runScript`. */
export interface ScriptOptions {
  env: XlEnv;
  /** The script: lines of xl commands (`#` comments and blank lines are skipped). */
  input: Readable;
  /** Keep going after a failing command (`xlsim -k`); the exit status is then the first failure's. */
  keepGoing?: boolean;
}

/**
 * Runs piped or redirected input as a script (`xlsim < session.xl`, `printf 'list\n' |
 * xlsim`): each line is split like a shell line and run through `runXl`, echoing nothing
 * of its own, so a REPL session replays in CI. A leading `xl` or `xlsim` word is dropped.
 * Stops at the first failing command and resolves to its exit status; with `keepGoing`
 * runs every line and resolves to the first failure's status (0 when all succeeded). A
 * line that cannot be split (an unterminated quote) fails with status 2 and says which
 * line. Never throws.
 */
export async function runScript(opts: ScriptOptions): Promise<number> {
  const rl = createInterface({ input: opts.input, terminal: false, crlfDelay: Infinity });
  const env: XlEnv = { ...opts.env, terminal: undefined };
  let first = 0;
  let n = 0;
  try {
    for await (const raw of rl) {
      n++;
      const split = splitShellWords(raw);
      let status: number;
      if (!split.ok) {
        opts.env.stderr(`xlsim: line ${n}: ${split.error}\n`);
        status = 2;
      } else {
        let words = split.words;
        if (words[0] === 'xl' || words[0] === 'xlsim') words = words.slice(1);
        if (words.length === 0) continue;
        status = await runXl(words, env);
      }
      if (status !== 0) {
        if (first === 0) first = status;
        if (!opts.keepGoing) break;
      }
    }
  } finally {
    rl.close();
  }
  return first;
}
