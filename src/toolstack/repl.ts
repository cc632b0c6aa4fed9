/**
 * The interactive prompt (`xlsim` with no arguments on a terminal) and scripts (piped or
 * redirected input). Each line is split like a POSIX shell would split it and run
 * through the same program as the CLI (`runXl`), so `xl> list -v` prints exactly what
 * `xlsim list -v` prints. The prompt is a readline interface: history (kept in a file),
 * Ctrl-R reverse search, Tab completion (complete.ts). `exit`, `quit` or Ctrl-D leave.
 */
import { fsPromises, lazyRequire } from './lazy-require.js';
import { dirname } from 'node:path';
import type { Interface } from 'node:readline';
import type { PassThrough, Readable, Writable } from 'node:stream';
import { complete, type Completion } from './complete.js';
import type { XlEnv } from './io.js';
import { commandNames, runXl } from './program.js';

/** node:readline, loaded when a REPL or script starts (one-shot commands never need it). */
function readline(): typeof import('node:readline') {
  return lazyRequire<typeof import('node:readline')>('node:readline');
}

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
  /** Prompt text. Default `xl> `; after a failing command `xl [N]> ` shows its status. */
  prompt?: string;
  /** File to load history from and append each command to (optional). */
  historyFile?: string;
  /** Whether `output` is a terminal (enables line editing, Tab completion, Ctrl-R search). */
  terminal?: boolean;
  /** Completion of the line under the cursor (complete.ts); default: command names only. */
  complete?: (line: string) => Completion;
  /**
   * Runs a command that takes over the screen (`top`, `console`, `create -c`): the prompt
   * pauses, the terminal is handed over, and the prompt comes back when it returns.
   * Without it those commands run through `runXl` with no terminal (console prints the
   * output so far).
   */
  takeOver?: (words: string[]) => Promise<number> | undefined;
}

/** The prompt for the previous command's exit status: `xl> `, or `xl [N]> ` after a failure. */
export function promptFor(base: string, status: number): string {
  if (status === 0) return base;
  const m = /^(.*?)(\s*>\s*)$/.exec(base);
  return m ? `${m[1]} [${status}]${m[2]}` : `[${status}] ${base}`;
}

/**
 * Runs the prompt until `exit`/`quit` or end of input; resolves to the exit status of
 * the last command run (0 if none). A leading `xl` or `xlsim` word is dropped, so lines
 * pasted from documentation work. On a terminal: Tab completes command names, options,
 * domains, files and hosts (complete.ts); Ctrl-R searches the history backwards;
 * Ctrl-C cancels the running command (a `shutdown -w` stops waiting) or clears the line;
 * the prompt shows the previous command's status when it was not 0. Never throws for
 * bad input.
 */
export async function runRepl(opts: ReplOptions): Promise<number> {
  const base = opts.prompt ?? 'xl> ';
  const names = commandNames();
  const completeLine = opts.complete ?? ((line: string): Completion => complete(line, { commands: names }));
  let history: string[] = [];
  if (opts.historyFile) {
    try {
      history = (await fsPromises().readFile(opts.historyFile, 'utf8')).split('\n').filter((l) => l.length > 0).reverse().slice(0, 1000);
    } catch {
      history = [];
    }
    await fsPromises().mkdir(dirname(opts.historyFile), { recursive: true }).catch(() => undefined);
  }
  const terminal = opts.terminal ?? false;
  const search: SearchFilter | undefined = terminal ? reverseSearch(opts.input, opts.output, () => rl) : undefined;
  const rl: Interface = readline().createInterface({
    input: search?.stream ?? opts.input,
    output: opts.output,
    terminal,
    history,
    historySize: 1000,
    prompt: base,
    completer: (line: string): [string[], string] => {
      const c = completeLine(line);
      return [c.candidates, line.slice(c.start)];
    },
  });
  let running: AbortController | undefined;
  // Ctrl-C cancels the running command, or drops the line being typed, as a shell does.
  rl.on('SIGINT', () => {
    if (running) {
      running.abort();
      return;
    }
    opts.output.write('^C\n');
    rl.write(null, { ctrl: true, name: 'e' });
    rl.write(null, { ctrl: true, name: 'u' });
    rl.prompt();
  });
  let last = 0;
  rl.prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    if (line === 'exit' || line === 'quit') break;
    if (line.length > 0) {
      if (opts.historyFile) await fsPromises().appendFile(opts.historyFile, `${line}\n`).catch(() => undefined);
      const split = splitShellWords(line);
      if (!split.ok) {
        opts.env.stderr(`xlsim: ${split.error}\n`);
        last = 2;
      } else {
        let words = split.words;
        if (words[0] === 'xl' || words[0] === 'xlsim') words = words.slice(1);
        const taking = words.length > 0 ? opts.takeOver?.(words) : undefined;
        if (taking) {
          // `top`, `console`: hand the terminal over and take it back afterwards.
          rl.pause();
          search?.detach();
          try {
            last = await taking;
          } finally {
            search?.attach();
            rl.resume();
          }
        } else if (words.length > 0) {
          running = new AbortController();
          // The process's own cancel (SIGTERM to an `xlsim` prompt, cli.ts) cancels the command too.
          const cancel = (): void => running?.abort();
          opts.env.signal?.addEventListener('abort', cancel, { once: true });
          try {
            // readline owns the terminal: `console` prints the output so far (console-follow.ts).
            last = await runXl(words, { ...opts.env, terminal: undefined, signal: running.signal });
          } finally {
            opts.env.signal?.removeEventListener('abort', cancel);
            running = undefined;
          }
        }
      }
    }
    rl.setPrompt(promptFor(base, last));
    rl.prompt();
  }
  rl.close();
  search?.detach();
  // Stop reading the terminal, or it keeps the process alive after `exit`.
  if (search) opts.input.pause();
  return last;
}

/**
 * Ctrl-R reverse incremental search for a readline prompt (as bash's): a filter between
 * the terminal and readline. Ctrl-R enters the search (`(reverse-i-search)'q': match`),
 * typed characters narrow it, Ctrl-R again finds an older match, Backspace widens it;
 * Enter runs the match, any other key (Esc, arrows, Ctrl-G cancels) leaves the match on
 * the line to edit. Everything else passes through untouched.
 */
/** The Ctrl-R filter: the stream readline reads, and detaching it while a command owns the terminal. */
interface SearchFilter {
  stream: PassThrough;
  attach(): void;
  detach(): void;
}

function reverseSearch(input: Readable, output: Writable, rlOf: () => Interface): SearchFilter {
  const stream = new (lazyRequire<typeof import('node:stream')>('node:stream').PassThrough)();
  let query = '';
  let active = false;
  let from = 0;
  let match = '';
  const history = (): string[] => (rlOf() as unknown as { history: string[] }).history ?? [];
  const find = (start: number): void => {
    const h = history();
    for (let i = start; i < h.length; i++) {
      if (h[i]!.includes(query)) {
        from = i;
        match = h[i]!;
        return;
      }
    }
  };
  const draw = (): void => {
    output.write(`\r\x1b[K(reverse-i-search)\`${query}': ${match}`);
  };
  const leave = (keep: boolean): void => {
    active = false;
    const rl = rlOf();
    output.write('\r\x1b[K');
    rl.write(null, { ctrl: true, name: 'u' });
    rl.write(null, { ctrl: true, name: 'k' });
    if (keep && match) rl.write(match);
    else (rl as unknown as { _refreshLine?: () => void })._refreshLine?.();
  };
  const onData = (chunk: Buffer | string): void => {
    let text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    while (text.length > 0) {
      if (!active) {
        const at = text.indexOf('\x12');
        if (at < 0) {
          stream.write(text);
          return;
        }
        if (at > 0) stream.write(text.slice(0, at));
        text = text.slice(at + 1);
        active = true;
        query = '';
        match = '';
        from = 0;
        draw();
        continue;
      }
      const c = text[0]!;
      if (c === '\x12') {
        find(from + 1);
        text = text.slice(1);
      } else if (c === '\r' || c === '\n') {
        leave(true);
        stream.write('\r');
        text = text.slice(1);
        continue;
      } else if (c === '\x7f' || c === '\b') {
        query = query.slice(0, -1);
        from = 0;
        match = '';
        if (query) find(0);
        text = text.slice(1);
      } else if (c === '\x07' || c === '\x03') {
        match = '';
        leave(false);
        text = text.slice(1);
        continue;
      } else if (c === '\x1b' || c < ' ') {
        leave(true);
        continue; // the key goes to readline for editing
      } else {
        query += c;
        find(from);
        text = text.slice(1);
      }
      draw();
    }
  };
  const onEnd = (): void => {
    stream.end();
  };
  const attach = (): void => {
    input.on('data', onData);
    input.on('end', onEnd);
  };
  const detach = (): void => {
    input.off('data', onData);
    input.off('end', onEnd);
  };
  // readline puts the real terminal in raw mode through the filter.
  (stream as unknown as { isTTY?: boolean }).isTTY = (input as unknown as { isTTY?: boolean }).isTTY;
  (stream as unknown as { setRawMode?: (b: boolean) => void }).setRawMode = (b: boolean) =>
    (input as unknown as { setRawMode?: (b: boolean) => void }).setRawMode?.(b);
  attach();
  return { stream, attach, detach };
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
  const rl = readline().createInterface({ input: opts.input, terminal: false, crlfDelay: Infinity });
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
