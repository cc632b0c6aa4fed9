/**
 * The `xlsim top` Ink app: xentop's screen (summary, reverse-video column header with the
 * sort column bold, one row per domain, the key bar — xl-commands.md §4.2) plus xlsim's
 * panes: help, console, command palette and the shutdown / destroy confirmation.
 *
 * State lives in `useTop` (reducer + effects), keys in `usePaneKeys` (only the focused
 * pane's bindings apply), and every component below is a pure view. The root is `rows - 1` lines
 * high so Ink 6.8 does not clear the terminal on every frame (stack-notes.md §C3.5).
 */
import React, { useEffect, useState } from 'react';
import { Box, useApp, useStdout } from 'ink';
import { useTop, type TopInit } from './hooks/use-top.js';
import { usePaneKeys } from './hooks/use-pane-keys.js';
import { bodyHeight, sortedRows } from './state.js';
import { DEFAULT_TOP_OPTIONS, type TopOptions } from './xentop.js';
import type { TopSource } from './source.js';
import { Summary } from './components/Summary.js';
import { DomainTable } from './components/DomainTable.js';
import { StatusLine } from './components/StatusLine.js';
import { KeyBar } from './components/KeyBar.js';
import { HelpScreen } from './components/HelpScreen.js';
import { ConsolePane } from './components/ConsolePane.js';
import { PaletteOutput } from './components/PaletteOutput.js';

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
  /** Quit after this many refreshes (`-i`). */
  iterations?: number;
  /** Print the summary time in UTC instead of local time. @default false */
  utc?: boolean;
  /** Status-line message shown until the first action (e.g. demo configs that failed). */
  initialMessage?: string;
  /** Called once when the user quits (before Ink unmounts). */
  onQuit?: () => void;
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
  const init: TopInit = {
    columns: size.columns,
    rows: size.rows,
    delaySec: props.delaySec ?? 3,
    opts: props.opts ?? DEFAULT_TOP_OPTIONS,
    iterations: props.iterations,
    message: props.initialMessage,
  };
  const { state, current, act, type } = useTop(props.source, init, () => {
    props.onQuit?.();
    exit();
  });
  const mode = state.mode;
  usePaneKeys(() => current().mode, act, type);

  const rows = sortedRows(state);
  const selectedRow = rows.find((r) => r.domid === state.selected);
  const h = bodyHeight(state);
  const cols = state.columns;

  let body: React.JSX.Element;
  if (mode === 'help') body = <HelpScreen scroll={state.helpScroll} height={h + 1} columns={cols} />;
  else if (mode === 'console' && state.console)
    body = (
      <ConsolePane
        domid={state.console.domid}
        name={state.console.name}
        text={state.console.text}
        offset={state.console.offset}
        height={h}
        columns={cols}
      />
    );
  else if (mode === 'palette') body = <PaletteOutput output={state.paletteOutput} scroll={state.paletteScroll} height={h} columns={cols} />;
  else
    body = (
      <DomainTable
        rows={rows}
        opts={state.opts}
        sortField={state.sortField}
        selected={state.selected}
        scroll={state.scroll}
        hscroll={state.hscroll}
        height={h}
        columns={cols}
      />
    );

  return (
    <Box flexDirection="column" height={Math.max(1, state.rows - 1)} width={cols} overflow="hidden">
      <Summary sample={state.cur} columns={cols} utc={props.utc} />
      {body}
      <Box flexGrow={1} />
      <StatusLine state={state} selectedName={selectedRow?.name} />
      <KeyBar opts={state.opts} columns={cols} scope={mode} />
    </Box>
  );
}
