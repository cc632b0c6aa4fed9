/**
 * The dashboard's controller: owns the reducer state and carries out everything that
 * touches the host, always in the background so the screen never waits:
 *
 * - refreshes `delaySec` seconds after the last refresh, and at once after xentop's keys,
 *   as xentop does (xl-commands.md §4.4; a key's refresh starts the wait again), reading
 *   only what the screen shows (`SampleRequest`: the core of every domain, devices and
 *   vCPUs of the rows on screen, events since the last look), then what the open view
 *   needs (drill-down, architecture, consoles);
 * - runs actions as background tasks through the `TopSource` (`xl pause`, `unpause`,
 *   `shutdown`, `reboot`, `destroy`, palette commands) with their progress on the status
 *   line; Esc cancels the newest; refusals (Domain-0) come at once, without running xl;
 * - sends console input to the guest and polls the open console every 200 ms;
 * - completes palette lines (`complete.ts`) and reports settings changes for saving.
 *
 * Errors come back as messages on the status line, never as exceptions.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { KeyAction } from '../keymap.js';
import type { CommandResult, TopSource } from '../source.js';
import {
  initialState,
  defaultCompare,
  reduce,
  selectedRow,
  splitCommandLine,
  visibleDomids,
  archGuests,
  type InitialSettings,
  type MouseEvent,
  type TopEvent,
  type TopState,
} from '../state.js';
import { needsDevices } from '../table.js';
import type { TopOptions } from '../xentop.js';
import { HistoryStore } from '../history.js';
import { applyCompletion, complete, xlCompletionContext, type CompletionContext } from '../complete.js';
import { layoutGuests } from '../arch.js';
import { paneHeight } from '../state.js';
import type { IdleScavenger } from '../idle-gc.js';

/** Settings the dashboard starts with (xentop's command-line options, saved UI settings). */
export interface TopInit {
  columns: number;
  rows: number;
  /** Refresh delay, seconds (`-d`, default 3). */
  delaySec: number;
  opts: TopOptions;
  /** Saved UI settings (sort, columns); the command line's `-d` and toggles win over them. */
  settings?: InitialSettings;
  /** Stop after this many refreshes (`-i`); undefined = run until quit. */
  iterations?: number;
  /** Status-line message to start with. */
  message?: string;
  /** Wall clock for the running actions' elapsed time. @default Date.now */
  now?: () => number;
  /** How often an open console is polled, ms. @default 200 */
  consolePollMs?: number;
  /** Frame interval of the architecture view's traffic animation, ms; 0 = no animation. @default 300 */
  animateMs?: number;
  /** The completion context (tests give a fixed one). @default the real xl and file system */
  completion?: (domains: { name: string; domid: number }[]) => CompletionContext;
  /** The cfg file each domain was created from, when known (demo boot). */
  cfgPaths?: ReadonlyMap<string, string>;
  /** Poked after each refresh, to scavenge once the dashboard is idle (idle-gc.ts). @default none */
  scavenger?: IdleScavenger;
}

/** What the views and the key hooks get from the controller. */
export interface TopController {
  state: TopState;
  /** The latest state, updated synchronously by every event (for routing keys). */
  current: () => TopState;
  /** Carry out a keymap action in the focused pane (`input` is the key, for digit keys). */
  act: (action: KeyAction, input?: string) => void;
  /** Text typed into a prompt (delay, filter, palette, search, sort list). */
  type: (text: string) => void;
  /** Bytes typed to the guest in the console pane. */
  guest: (bytes: string) => void;
  /** A mouse click or wheel. */
  mouse: (e: MouseEvent) => void;
  /** Per-domain history for the charts. */
  history: HistoryStore;
  /** Wall-clock now, for the elapsed time of running actions. */
  now: number;
}

function firstLine(s: string): string {
  return s.split('\n').find((l) => l.trim() !== '') ?? '';
}

/**
 * The line that says why an xl command failed: the first line naming an error (libxl's
 * `libxl: error: file:line:function: ` prefix dropped), else the last line of stderr;
 * never the progress line xl prints first ("Shutting down domain 4").
 */
export function failureLine(stderr: string, stdout = ''): string {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '');
  const err = lines.find((l) => /error|failed|cannot|can't|invalid|refus|not /i.test(l) && !/^(Shutting down|Rebooting|Waiting for) /.test(l)) ?? lines[lines.length - 1];
  const line = err ?? firstLine(stdout);
  return line.replace(/^libxl: error: [^ ]+: /, '').replace(/^xlsim: /, '');
}

/** The status-line message for a finished action command. */
function resultMessage(what: string, r: CommandResult): string {
  // xl reports progress on stderr ("Shutting down domain 4"): only the status says it failed.
  if (r.code === 0) return what;
  const detail = failureLine(r.stderr, r.stdout);
  return `${what} failed (exit ${r.code})${detail ? `: ${detail}` : ''}`;
}

/** Errors thrown by a source become text; nothing escapes the UI. */
function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Why an action on Domain-0 is refused at once (no xl runs), or undefined. */
export function dom0Refusal(action: KeyAction): string | undefined {
  switch (action) {
    case 'pause':
      return 'Domain-0 cannot be paused: Xen refuses to pause the domain that runs the toolstack';
    case 'shutdown':
      return 'Domain-0 is the host itself: it is not shut down through xl (xl shutdown refuses it)';
    case 'reboot':
      return 'Domain-0 is the host itself: it is not rebooted through xl (xl reboot refuses it)';
    case 'destroy':
      return 'Domain-0 cannot be destroyed from the dashboard (xl destroy refuses it without -f)';
    case 'console':
      // xl console refuses Domain-0 (xl-commands.md §6).
      return "Domain-0 has no guest console: its console is the host's own terminal (xl console says: Can't specify Domain-0)";
    default:
      return undefined;
  }
}

/**
 * The guests the architecture view reads devices and calls for: those that can be on
 * screen from its first listed guest (a page more when folding), and the selected one.
 */
function archWanted(s: TopState): number[] {
  const guests = archGuests(s);
  const at = Math.max(0, s.arch.first);
  const wanted = s.arch.data
    ? layoutGuests({ data: s.arch.data, height: paneHeight(s), first: at, selected: s.arch.selected, migration: s.arch.migration, recent: s.arch.recent }).guests.map((g) => g.domid)
    : guests.slice(at, at + 8);
  return [...new Set([...wanted, ...guests.slice(at, at + wanted.length + 2), ...(s.arch.selected !== undefined ? [s.arch.selected] : [])])];
}

/**
 * @param source the host behind the dashboard
 * @param init starting size, delay and options
 * @param onQuit called once when the user quits or `iterations` refreshes are done
 * @param onSettings called with the new state after a change of a saved setting
 */
export function useTop(source: TopSource, init: TopInit, onQuit: () => void, onSettings?: (s: TopState) => void): TopController {
  // The reducer runs synchronously into a ref, and React state mirrors it for drawing:
  // keys that arrive in one burst (a paste, or ':' followed at once by a command) must
  // see the mode the previous key switched to, before React re-renders.
  const stateRef = useRef<TopState | undefined>(undefined);
  if (stateRef.current === undefined) {
    stateRef.current = { ...initialState(init.columns, init.rows, init.delaySec, init.opts, init.settings), message: init.message ?? '' };
  }
  const [state, setState] = useState<TopState>(stateRef.current);
  const settingsRef = useRef(onSettings);
  settingsRef.current = onSettings;
  const dispatch = useCallback((e: TopEvent): void => {
    const before = stateRef.current!;
    const after = reduce(before, e);
    if (after === before) return;
    stateRef.current = after;
    setState(after);
    if (
      before.sortField !== after.sortField ||
      before.reverse !== after.reverse ||
      before.cols !== after.cols ||
      before.delaySec !== after.delaySec ||
      before.opts !== after.opts
    ) {
      settingsRef.current?.(after);
    }
  }, []);
  const nowFn = init.now ?? Date.now;
  const [now, setNow] = useState(nowFn());
  const history = useRef(new HistoryStore()).current;
  const mounted = useRef(true);
  const busy = useRef(false);
  const again = useRef(false);
  const refreshes = useRef(0);
  const delayMs = useRef(init.delaySec * 1000);
  const timedRefresh = useRef<NodeJS.Timeout | undefined>(undefined);
  const armTimedRefresh = useRef<(() => void) | undefined>(undefined);
  const refreshRef = useRef<(() => Promise<void>) | undefined>(undefined);
  const eventIndex = useRef<number | undefined>(undefined);
  const quitRef = useRef(onQuit);
  quitRef.current = onQuit;
  const quitted = useRef(false);
  const aborts = useRef(new Map<number, AbortController>());

  const quit = useCallback(() => {
    if (quitted.current) return;
    quitted.current = true;
    for (const a of aborts.current.values()) a.abort();
    quitRef.current();
  }, []);

  /** Read the open console(s) since their offsets. */
  const pollConsoles = useCallback(
    async (all: boolean): Promise<void> => {
      const s = stateRef.current!;
      const shown = all ? s.consoles : s.split ? s.consoles : s.consoles.slice(s.activeConsole, s.activeConsole + 1);
      for (const c of shown) {
        if (c.gone) continue;
        try {
          const chunk = await source.consoleSince(c.domid, c.total);
          if (!mounted.current) return;
          if (chunk) dispatch({ type: 'consoleChunk', domid: c.domid, chunk });
          else dispatch({ type: 'consoleChunk', domid: c.domid, chunk: { text: '', total: c.total, gone: true } });
        } catch {
          // the next poll tries again
        }
      }
    },
    [source, dispatch],
  );

  /** What the open view needs after a table refresh. */
  const refreshView = useCallback(async (): Promise<void> => {
    const s = stateRef.current!;
    if (s.mode === 'drill' && s.drill) {
      const d = s.drill;
      const data = await source.drill(d.domid, { xenstore: d.tab === 'xenstore' });
      if (data && init.cfgPaths && data.cfgPath === undefined) {
        const p = init.cfgPaths.get(data.info.name);
        if (p) data.cfgPath = p;
      }
      const compareId = d.compare ?? defaultCompare(s);
      const compare = compareId === undefined || d.tab !== 'calls' ? undefined : await source.drill(compareId, { xenstore: false });
      if (mounted.current) dispatch({ type: 'drillData', domid: d.domid, data, compare });
    } else if (s.mode === 'arch') {
      const data = await source.arch(archWanted(s));
      if (mounted.current) dispatch({ type: 'archData', data });
    }
    if (s.consoles.length && s.mode !== 'console' && s.mode !== 'search') await pollConsoles(true);
  }, [source, dispatch, pollConsoles, init.cfgPaths]);

  /**
   * Sets the timed refresh for `delaySec` from now, replacing the one set before. Every
   * refresh ends by calling it, whatever started it, as xentop.c's interactive loop
   * redraws on a key or once `delay` seconds have passed since the last redraw: a key's
   * refresh is never followed at once by a timed one.
   */
  armTimedRefresh.current = () => {
    clearTimeout(timedRefresh.current);
    if (!mounted.current || quitted.current) return;
    timedRefresh.current = setTimeout(() => void refreshRef.current?.(), delayMs.current);
  };

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
          const s = stateRef.current!;
          const detail = needsDevices(s.sortField) ? ('all' as const) : visibleDomids(s);
          const sample = await source.sample({ detail, eventsFrom: eventIndex.current ?? Number.MAX_SAFE_INTEGER });
          if (!mounted.current) return;
          if (sample.eventIndex !== undefined) eventIndex.current = sample.eventIndex;
          dispatch({ type: 'sample', sample });
          if (sample.events?.length) dispatch({ type: 'feed', events: sample.events });
          history.record(stateRef.current!.view.byId.values(), sample.nowMs);
          init.scavenger?.poke();
          // Rows scrolled into view since the request carry no devices yet: read them now.
          const missing = visibleDomids(stateRef.current!).some((id) => stateRef.current!.view.byId.get(id)?.info.nets === undefined);
          if (missing && !needsDevices(stateRef.current!.sortField)) again.current = true;
          await refreshView();
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
      armTimedRefresh.current?.();
    }
  }, [source, init.iterations, init.scavenger, quit, dispatch, history, refreshView]);

  refreshRef.current = refresh;

  useEffect(() => {
    mounted.current = true;
    void refresh();
    return () => {
      mounted.current = false;
      for (const a of aborts.current.values()) a.abort();
      init.scavenger?.stop();
    };
  }, [refresh]);

  // Re-armed when the delay changes (`d`), from then on.
  useEffect(() => {
    delayMs.current = state.delaySec * 1000;
    armTimedRefresh.current?.();
  }, [state.delaySec]);
  useEffect(() => () => clearTimeout(timedRefresh.current), []);

  // The open console is read often, as xenconsole copies output as it comes.
  const inConsole = state.mode === 'console' || state.mode === 'search';
  useEffect(() => {
    if (!inConsole) return;
    const ms = init.consolePollMs ?? 200;
    void pollConsoles(false);
    const t = setInterval(() => void pollConsoles(false), ms);
    return () => clearInterval(t);
  }, [inConsole, state.activeConsole, state.split, pollConsoles, init.consolePollMs]);

  // The architecture view animates its links; the drill-down and it refresh on entry.
  useEffect(() => {
    if (state.mode !== 'arch') return;
    void refreshView();
    const ms = init.animateMs ?? 300;
    if (ms <= 0) return;
    const t = setInterval(() => dispatch({ type: 'tick' }), ms);
    return () => clearInterval(t);
  }, [state.mode, refreshView, dispatch, init.animateMs]);
  const drillKey = state.mode === 'drill' && state.drill ? `${state.drill.domid}:${state.drill.tab}:${state.drill.compare ?? ''}` : '';
  useEffect(() => {
    if (drillKey !== '') void refreshView();
  }, [drillKey, refreshView]);

  // Running actions show their elapsed seconds.
  const running = state.tasks.length > 0;
  useEffect(() => {
    if (!running) return;
    setNow(nowFn());
    const t = setInterval(() => setNow(nowFn()), 1000);
    return () => clearInterval(t);
  }, [running, nowFn]);

  useEffect(() => {
    dispatch({ type: 'resize', columns: init.columns, rows: init.rows });
  }, [init.columns, init.rows, dispatch]);

  /** Run an xl command as a background task; the status line shows it until it ends. */
  const startTask = useCallback(
    (label: string, done: string, argv: string[], domid?: number, withdrawOnCancel = false): void => {
      const id = stateRef.current!.nextTaskId;
      const ac = new AbortController();
      aborts.current.set(id, ac);
      dispatch({ type: 'taskStart', task: { label, argv, domid, startedAt: nowFn(), withdrawOnCancel } });
      void (async () => {
        let message: string;
        try {
          const r = await source.run(argv, { signal: ac.signal });
          if (r.cancelled) {
            if (withdrawOnCancel && domid !== undefined) await source.withdrawShutdown(domid).catch(() => undefined);
            message = `Cancelled: ${label.split(':')[0]}${withdrawOnCancel ? '; the request was taken back' : ''}`;
          } else message = r.code === 0 ? done : resultMessage(label.split(':')[0]!, r);
        } catch (e) {
          message = `${done} failed: ${errorText(e)}`;
        }
        aborts.current.delete(id);
        if (!mounted.current) return;
        dispatch({ type: 'taskEnd', id, message });
        await refresh();
      })();
    },
    [source, refresh, dispatch, nowFn],
  );

  const openConsole = useCallback(
    (domid: number, name: string): void => {
      if (domid === 0) {
        dispatch({ type: 'message', text: dom0Refusal('console')! });
        return;
      }
      dispatch({ type: 'openConsole', domid, name });
      void pollConsoles(false);
    },
    [dispatch, pollConsoles],
  );

  const act = useCallback(
    (action: KeyAction, input?: string): void => {
      const s = stateRef.current!;
      const sel = selectedRow(s);
      const selName = sel ? `${sel.name} (domid ${sel.domid})` : '';
      if (action === 'quit') {
        quit();
        return;
      }
      if (action === 'repaint' && s.mode !== 'dashboard') {
        void refresh();
        return;
      }
      if (s.mode === 'dashboard') {
        switch (action) {
          case 'escape': {
            const last = s.tasks[s.tasks.length - 1];
            if (last) {
              aborts.current.get(last.id)?.abort();
              dispatch({ type: 'message', text: `Cancelling: ${last.label}…` });
            } else if (s.filter !== '') {
              // The reducer clears the filter; rows that come back into view need their devices.
              dispatch({ type: 'key', action });
              void refresh();
            } else quit();
            return;
          }
          case 'pause':
          case 'shutdown':
          case 'reboot':
          case 'destroy':
          case 'console':
          case 'drill': {
            if (!sel) {
              dispatch({ type: 'message', text: 'no domain selected' });
              return;
            }
            const id = String(sel.domid);
            const refusal = sel.domid === 0 ? dom0Refusal(action) : undefined;
            if (refusal) {
              dispatch({ type: 'message', text: refusal });
              return;
            }
            switch (action) {
              case 'pause':
                if (sel.info.state.paused) startTask(`Unpausing ${selName}`, `Unpaused ${selName}`, ['unpause', id], sel.domid);
                else startTask(`Pausing ${selName}`, `Paused ${selName}`, ['pause', id], sel.domid);
                return;
              case 'shutdown':
                dispatch({
                  type: 'confirm',
                  domid: sel.domid,
                  name: sel.name,
                  action: 'shutdown',
                  note: sel.info.state.paused ? 'it is paused and cannot acknowledge until unpaused; Esc cancels the wait' : undefined,
                });
                return;
              case 'reboot':
                startTask(
                  `Rebooting ${selName}: waiting for the guest to acknowledge`,
                  `Reboot requested for ${selName}`,
                  ['reboot', id],
                  sel.domid,
                  true,
                );
                return;
              case 'destroy':
                dispatch({ type: 'confirm', domid: sel.domid, name: sel.name, action: 'destroy' });
                return;
              case 'console':
                openConsole(sel.domid, sel.name);
                return;
              case 'drill':
                dispatch({ type: 'openDrill', domid: sel.domid, name: sel.name });
                return;
            }
            return;
          }
          default:
            break;
        }
        dispatch({ type: 'key', action, input });
        // xentop refreshes at once after its own keys (and the sort and column keys change what is read).
        if (action !== 'up' && action !== 'down' && action !== 'pageUp' && action !== 'pageDown' && action !== 'top' && action !== 'bottom' && action !== 'left' && action !== 'right') {
          void refresh();
        } else if (visibleDomids(stateRef.current!).some((x) => stateRef.current!.view.byId.get(x)?.info.nets === undefined)) {
          void refresh();
        }
        return;
      }
      if (s.mode === 'confirm' && action === 'confirm' && s.confirm) {
        const c = s.confirm;
        dispatch({ type: 'key', action });
        const who = `${c.name} (domid ${c.domid})`;
        if (c.action === 'shutdown') startTask(`Shutting down ${who}: waiting for the guest to acknowledge`, `Shutdown requested for ${who}`, ['shutdown', String(c.domid)], c.domid, true);
        else startTask(`Destroying ${who}`, `Destroyed ${who}`, ['destroy', String(c.domid)], c.domid);
        return;
      }
      if (s.mode === 'sort' && (action === 'submit' || action === 'invertSort')) {
        dispatch({ type: 'key', action });
        void refresh();
        return;
      }
      if (s.mode === 'arch' && (action === 'up' || action === 'down' || action === 'pageUp' || action === 'pageDown')) {
        dispatch({ type: 'key', action });
        // Guests scrolled into view are read now, not at the next refresh.
        const t = stateRef.current!;
        if (t.arch.data && archWanted(t).some((id) => !t.arch.data!.devices.has(id))) void refreshView();
        return;
      }
      if (s.mode === 'drill' || s.mode === 'arch') {
        const target = s.mode === 'drill' ? s.drill : s.arch.selected === undefined ? undefined : { domid: s.arch.selected, name: s.view.byId.get(s.arch.selected)?.name ?? String(s.arch.selected) };
        if (action === 'console' && target) {
          openConsole(target.domid, target.name);
          return;
        }
        if (s.mode === 'arch' && action === 'drill' && target) {
          dispatch({ type: 'openDrill', domid: target.domid, name: target.name });
          return;
        }
      }
      if (s.mode === 'palette' && action === 'complete') {
        const ctx = (init.completion ?? xlCompletionContext)((s.cur?.domains ?? []).map((d) => ({ name: d.name, domid: d.domid })));
        const c = complete(s.paletteInput, s.paletteInput.length, ctx);
        const applied = applyCompletion(s.paletteInput, c);
        dispatch({ type: 'complete', line: applied.line, candidates: c.candidates.length > 1 ? c.candidates : [] });
        if (c.candidates.length === 0) dispatch({ type: 'message', text: 'no completion' });
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
            output: { command: shown, text: argv[0] === 'console' ? 'xl console runs in its own pane here: select the domain and press c\n' : 'xl top is already running: this is it\n', code: 1 },
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
      dispatch({ type: 'key', action, input });
    },
    [quit, startTask, refresh, source, dispatch, openConsole, init.completion],
  );

  const type = useCallback((text: string) => dispatch({ type: 'type', text }), [dispatch]);

  const guest = useCallback(
    (bytes: string): void => {
      const s = stateRef.current!;
      const c = s.consoles[s.activeConsole];
      if (!c) return;
      if (c.gone) {
        dispatch({ type: 'message', text: `${c.name} is gone: its console takes no input` });
        return;
      }
      void source
        .consoleInput(c.domid, bytes)
        .then((err) => {
          if (!mounted.current) return;
          if (err) dispatch({ type: 'message', text: err });
          return pollConsoles(false);
        })
        .catch((e: unknown) => mounted.current && dispatch({ type: 'message', text: `console input failed: ${errorText(e)}` }));
    },
    [source, dispatch, pollConsoles],
  );

  const mouse = useCallback(
    (e: MouseEvent): void => {
      const before = stateRef.current!;
      dispatch({ type: 'mouse', event: e });
      const after = stateRef.current!;
      if (after.sortField !== before.sortField || after.reverse !== before.reverse) void refresh();
    },
    [dispatch, refresh],
  );

  const current = useCallback(() => stateRef.current!, []);
  return { state, current, act, type, guest, mouse, history, now };
}
