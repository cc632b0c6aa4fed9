/**
 * The dashboard's controller: owns the reducer state, samples the host every
 * `delaySec` seconds (and at once after any key, as xentop does — xl-commands.md §4.4),
 * and carries out the actions that touch the host by running xl commands through the
 * `TopSource` (`xl pause`, `unpause`, `shutdown`, `reboot`, `destroy`, and any palette
 * command). Shutdown and destroy run only after the user answers y at the y/N prompt. Errors come back as messages on the status line, never as exceptions.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { KeyAction } from '../keymap.js';
import type { TopSource, CommandResult } from '../source.js';
import { initialState, reduce, splitCommandLine, sortedRows, type TopEvent, type TopState } from '../state.js';
import type { TopOptions } from '../xentop.js';

/** Settings the dashboard starts with (xentop's command-line options). */
export interface TopInit {
  columns: number;
  rows: number;
  /** Refresh delay, seconds (`-d`, default 3). */
  delaySec: number;
  opts: TopOptions;
  /** Stop after this many refreshes (`-i`); undefined = run until quit. */
  iterations?: number;
  /** Status-line message to start with. */
  message?: string;
}

/** What the views and the key hooks get from the controller. */
export interface TopController {
  state: TopState;
  /** The latest state, updated synchronously by every event (for routing keys). */
  current: () => TopState;
  /** Carry out a keymap action in the focused pane. */
  act: (action: KeyAction) => void;
  /** Text typed into the delay prompt or the palette. */
  type: (text: string) => void;
}

function firstLine(s: string): string {
  return s.split('\n').find((l) => l.trim() !== '') ?? '';
}

/** The status-line message for a finished action command. */
function resultMessage(what: string, r: CommandResult): string {
  // xl reports progress on stderr ("Shutting down domain 4"): only the status says it failed.
  if (r.code === 0) return what;
  const detail = firstLine(r.stderr) || firstLine(r.stdout);
  return `${what} failed (exit ${r.code})${detail ? `: ${detail}` : ''}`;
}

/** Errors thrown by a source become text; nothing escapes the UI. */
function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * @param source the host behind the dashboard
 * @param init starting size, delay and options
 * @param onQuit called once when the user quits or `iterations` refreshes are done
 */
export function useTop(source: TopSource, init: TopInit, onQuit: () => void): TopController {
  // The reducer runs synchronously into a ref, and React state mirrors it for drawing:
  // keys that arrive in one burst (a paste, or ':' followed at once by a command) must
  // see the mode the previous key switched to, before React re-renders.
  const stateRef = useRef<TopState | undefined>(undefined);
  if (stateRef.current === undefined) {
    stateRef.current = { ...initialState(init.columns, init.rows, init.delaySec, init.opts), message: init.message ?? '' };
  }
  const [state, setState] = useState<TopState>(stateRef.current);
  const dispatch = useCallback((e: TopEvent): void => {
    stateRef.current = reduce(stateRef.current!, e);
    setState(stateRef.current);
  }, []);
  const mounted = useRef(true);
  const busy = useRef(false);
  const again = useRef(false);
  const refreshes = useRef(0);
  const quitRef = useRef(onQuit);
  quitRef.current = onQuit;
  const quitted = useRef(false);

  const quit = useCallback(() => {
    if (quitted.current) return;
    quitted.current = true;
    quitRef.current();
  }, []);

  const refresh = useCallback(async (): Promise<void> => {
    if (busy.current) {
      again.current = true;
      return;
    }
    busy.current = true;
    try {
      do {
        again.current = false;
        try {
          const sample = await source.sample();
          if (!mounted.current) return;
          dispatch({ type: 'sample', sample });
          const c = stateRef.current!.console;
          if (c) {
            const text = await source.consoleLog(c.domid);
            if (mounted.current) dispatch({ type: 'consoleText', domid: c.domid, text });
          }
        } catch (e) {
          if (mounted.current) dispatch({ type: 'message', text: `refresh failed: ${errorText(e)}` });
        }
        refreshes.current++;
        if (init.iterations !== undefined && refreshes.current >= init.iterations) {
          quit();
          return;
        }
      } while (again.current && mounted.current);
    } finally {
      busy.current = false;
    }
  }, [source, init.iterations, quit, dispatch]);

  useEffect(() => {
    mounted.current = true;
    void refresh();
    return () => {
      mounted.current = false;
    };
  }, [refresh]);

  useEffect(() => {
    const t = setInterval(() => void refresh(), state.delaySec * 1000);
    return () => clearInterval(t);
  }, [state.delaySec, refresh]);

  useEffect(() => {
    dispatch({ type: 'resize', columns: init.columns, rows: init.rows });
  }, [init.columns, init.rows, dispatch]);

  const runAction = useCallback(
    async (what: string, argv: string[]): Promise<void> => {
      try {
        const r = await source.run(argv);
        if (mounted.current) dispatch({ type: 'message', text: resultMessage(what, r) });
      } catch (e) {
        if (mounted.current) dispatch({ type: 'message', text: `${what} failed: ${errorText(e)}` });
      }
      await refresh();
    },
    [source, refresh, dispatch],
  );

  const act = useCallback(
    (action: KeyAction): void => {
      const s = stateRef.current!;
      const sel = sortedRows(s).find((r) => r.domid === s.selected);
      const selName = sel ? `${sel.name} (domid ${sel.domid})` : '';
      if (s.mode === 'dashboard') {
        switch (action) {
          case 'quit':
            quit();
            return;
          case 'pause':
          case 'shutdown':
          case 'reboot':
          case 'destroy':
          case 'console':
            if (!sel) {
              dispatch({ type: 'message', text: 'no domain selected' });
              return;
            }
            break;
          default:
            break;
        }
        if (sel) {
          const id = String(sel.domid);
          switch (action) {
            case 'pause':
              if (sel.info.state.paused) void runAction(`Unpaused ${selName}`, ['unpause', id]);
              else void runAction(`Paused ${selName}`, ['pause', id]);
              return;
            case 'shutdown':
              dispatch({ type: 'confirm', domid: sel.domid, name: sel.name, action: 'shutdown' });
              return;
            case 'reboot':
              void runAction(`Reboot requested for ${selName}`, ['reboot', id]);
              return;
            case 'destroy':
              dispatch({ type: 'confirm', domid: sel.domid, name: sel.name, action: 'destroy' });
              return;
            case 'console':
              if (sel.domid === 0) {
                // xl console refuses Domain-0 (xl-commands.md §6).
                dispatch({ type: 'message', text: "Can't specify Domain-0" });
                return;
              }
              void source
                .consoleLog(sel.domid)
                .then((text) => mounted.current && dispatch({ type: 'openConsole', domid: sel.domid, name: sel.name, text }))
                .catch((e: unknown) => mounted.current && dispatch({ type: 'message', text: `console failed: ${errorText(e)}` }));
              return;
            default:
              break;
          }
        }
        dispatch({ type: 'key', action });
        // xentop refreshes at once after any key press.
        void refresh();
        return;
      }
      if (s.mode === 'confirm' && action === 'confirm' && s.confirm) {
        const c = s.confirm;
        dispatch({ type: 'key', action });
        if (c.action === 'shutdown') void runAction(`Shutdown requested for ${c.name} (domid ${c.domid})`, ['shutdown', String(c.domid)]);
        else void runAction(`Destroyed ${c.name} (domid ${c.domid})`, ['destroy', String(c.domid)]);
        return;
      }
      if (s.mode === 'palette' && action === 'submit') {
        const line = s.paletteInput.trim();
        if (line === '' || s.paletteRunning) return;
        const argv = splitCommandLine(line);
        const shown = argv.join(' ');
        if (argv[0] === 'console' || argv[0] === 'top') {
          dispatch({
            type: 'paletteDone',
            output: { command: shown, text: argv[0] === 'console' ? 'xl console cannot attach inside the dashboard: select the domain and press c\n' : 'xl top is already running: this is it\n', code: 1 },
          });
          return;
        }
        dispatch({ type: 'paletteRun' });
        void (async () => {
          let output;
          try {
            const r = await source.run(argv);
            output = { command: shown, text: r.stdout + r.stderr, code: r.code };
          } catch (e) {
            output = { command: shown, text: `${errorText(e)}\n`, code: 1 };
          }
          if (!mounted.current) return;
          dispatch({ type: 'paletteDone', output });
          await refresh();
        })();
        return;
      }
      dispatch({ type: 'key', action });
    },
    [quit, runAction, refresh, source, dispatch],
  );

  const type = useCallback((text: string) => dispatch({ type: 'type', text }), [dispatch]);

  const current = useCallback(() => stateRef.current!, []);
  return { state, current, act, type };
}
