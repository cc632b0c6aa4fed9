/**
 * The `xlsim top` Ink app: xentop's screen (summary, reverse-video column header with the
 * sort column bold, one row per domain, the key bar — xl-commands.md §4.2) plus xlsim's
 * panes: the drill-down of a domain, the architecture view, console panes with input,
 * the command palette, the sort list, help, and the prompts.
 *
 * State lives in `useTop` (reducer + effects), keys in `usePaneKeys` (only the focused
 * pane's bindings apply), and every component below is a pure view. The root is `rows - 1` lines
 * high so Ink 6.8 does not clear the terminal on every frame (stack-notes.md §C3.5).
 */
import React, { useEffect, useMemo, useState } from 'react';
import { Box, useApp, useStdout } from 'ink';
import { useTop, type TopInit } from './hooks/use-top.js';
import { usePaneKeys } from './hooks/use-pane-keys.js';
import { bodyHeight, consoleHeight, paneHeight, selectedRow, tableColumns, type InitialSettings, type TopState } from './state.js';
import { DEFAULT_TOP_OPTIONS, type TopOptions } from './xentop.js';
import type { TopSource } from './source.js';
import type { IdleScavenger } from './idle-gc.js';
import { colorEnabled, makeTheme } from './theme.js';
import type { CompletionContext } from './complete.js';
import { ThemeContext } from './components/ThemeContext.js';
import { Summary } from './components/Summary.js';
import { DomainTable } from './components/DomainTable.js';
import { StatusLine } from './components/StatusLine.js';
import { KeyBar } from './components/KeyBar.js';
import { HelpScreen } from './components/HelpScreen.js';
import { ConsoleView } from './components/ConsoleView.js';
import { PaletteOutput } from './components/PaletteOutput.js';
import { SortPicker } from './components/SortPicker.js';
import { DrillDown } from './components/DrillDown.js';
import { ArchView } from './components/ArchView.js';

/** Props of the dashboard. Every field but `source` has a default. */
export interface TopAppProps {
  /** The host behind the dashboard. */
  source: TopSource;
  /** Terminal width; default `stdout.columns`, else 100. */
  columns?: number;
  /** Terminal height; default `stdout.rows`, else 40. */
  rows?: number;
  /** Refresh delay, seconds (`-d`). @default 3 */
  delaySec?: number;
  /** xentop's display options (`-n -x -v -r -f -z`). */
  opts?: TopOptions;
  /** Saved UI settings (sort, columns); see `settings.ts`. */
  settings?: InitialSettings;
  /** Called after a saved setting changes (sort, columns, delay, sections). */
  onSettings?: (s: TopState) => void;
  /** Quit after this many refreshes (`-i`). */
  iterations?: number;
  /** Print the summary time in UTC instead of local time. @default false */
  utc?: boolean;
  /** Status-line message shown until the first action (e.g. demo configs that failed). */
  initialMessage?: string;
  /** Colour on or off; default from NO_COLOR / FORCE_COLOR (`theme.ts`). */
  color?: boolean;
  /** Called once when the user quits (before Ink unmounts). */
  onQuit?: () => void;
  /** Wall clock for running actions' elapsed time. @default Date.now */
  now?: () => number;
  /** Console poll interval, ms. @default 200 */
  consolePollMs?: number;
  /** Architecture animation interval, ms (0 = none). @default 300 */
  animateMs?: number;
  /** Completion context for the palette (tests). */
  completion?: (domains: { name: string; domid: number }[]) => CompletionContext;
  /** The cfg file of each domain the dashboard created, by name. */
  cfgPaths?: ReadonlyMap<string, string>;
  /** Scavenges once the dashboard is idle after a refresh (idle-gc.ts; `xlsim top` gives one). @default none */
  scavenger?: IdleScavenger;
}

function useTerminalSize(columns?: number, rows?: number): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = (): { columns: number; rows: number } => ({
    columns: columns ?? (stdout.columns || 100),
    rows: rows ?? (stdout.rows || 40),
  });
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (columns !== undefined && rows !== undefined) return;
    const onResize = (): void => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
    // read() depends only on the props and stdout listed here.
  }, [stdout, columns, rows]);
  return columns !== undefined && rows !== undefined ? { columns, rows } : size;
}

/** The whole dashboard. */
export function TopApp(props: TopAppProps): React.JSX.Element {
  const { exit } = useApp();
  const size = useTerminalSize(props.columns, props.rows);
  const theme = useMemo(() => makeTheme(props.color ?? colorEnabled()), [props.color]);
  const init: TopInit = {
    columns: size.columns,
    rows: size.rows,
    delaySec: props.delaySec ?? 3,
    opts: props.opts ?? DEFAULT_TOP_OPTIONS,
    settings: props.settings,
    iterations: props.iterations,
    message: props.initialMessage,
    now: props.now,
    consolePollMs: props.consolePollMs,
    animateMs: props.animateMs,
    completion: props.completion,
    cfgPaths: props.cfgPaths,
    scavenger: props.scavenger,
  };
  const top = useTop(
    props.source,
    init,
    () => {
      props.onQuit?.();
      exit();
    },
    props.onSettings,
  );
  const { state, current } = top;
  usePaneKeys({ focus: () => current().mode, onAction: top.act, onText: top.type, onGuest: top.guest, onMouse: top.mouse });

  const mode = state.mode;
  const cols = state.columns;
  const h = bodyHeight(state);
  const ph = paneHeight(state);
  // One array per column setting, so the table's memoised rows see the same one.
  const tableCols = useMemo(() => tableColumns(state), [state.cols]);

  let body: React.JSX.Element;
  switch (mode) {
    case 'help':
      body = <HelpScreen scroll={state.helpScroll} height={ph} columns={cols} />;
      break;
    case 'console':
    case 'search':
      body = <ConsoleView sessions={state.consoles} active={state.activeConsole} split={state.split} search={state.search?.input} searchRow={state.search?.row} height={consoleHeight(state)} columns={cols} />;
      break;
    case 'palette':
      body = <PaletteOutput output={state.paletteOutput} completions={state.completions} scroll={state.paletteScroll} height={ph - 1} columns={cols} />;
      break;
    case 'sort':
      body = <SortPicker cursor={state.sortCursor} sortField={state.sortField} reverse={state.reverse} height={h + 1} columns={cols} />;
      break;
    case 'drill':
      body = state.drill ? (
        <DrillDown
          drill={state.drill}
          names={new Map([...state.view.byId.values()].map((r) => [r.domid, r.name]))}
          history={top.history}
          nrCpus={state.cur?.host.nrCpus ?? 1}
          delaySec={state.delaySec}
          height={ph}
          columns={cols}
        />
      ) : (
        <Box />
      );
      break;
    case 'arch':
      body = <ArchView arch={state.arch} height={ph} columns={cols} />;
      break;
    default:
      body = (
        <DomainTable
          rows={state.view.rows}
          widths={state.view.widths}
          cols={tableCols}
          opts={state.opts}
          sortField={state.sortField}
          selected={state.selected}
          scroll={state.scroll}
          hcol={state.hcol}
          height={h}
          columns={cols}
        />
      );
  }

  return (
    <ThemeContext.Provider value={theme}>
      <Box flexDirection="column" height={Math.max(1, state.rows - 1)} width={cols} overflowY="hidden">
        <Summary sample={state.cur} columns={cols} utc={props.utc} />
        {body}
        <Box flexGrow={1} />
        <StatusLine state={state} selectedName={selectedRow(state)?.name} now={top.now} />
        <KeyBar opts={state.opts} columns={cols} scope={mode} />
      </Box>
    </ThemeContext.Provider>
  );
}
