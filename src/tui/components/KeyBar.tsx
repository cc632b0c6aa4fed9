/**
 * The key bars at the bottom, drawn from the keymap (`keymap.ts`). On the dashboard:
 * xlsim's line, then xentop's own status line at the last row starting at column 2 with
 * each hot-key letter in reverse video and toggled features highlighted (xentop.c
 * `do_bottom_line`, xl-commands.md §4.2). In any other pane only that pane's keys are
 * listed, on one line: xentop's keys do not reach those panes. Pure view.
 */
import React from 'react';
import { barBindings, type KeyBinding, type Scope } from '../keymap.js';
import type { TopOptions } from '../xentop.js';
import { Line } from './Line.js';
import type { Segment } from './clip.js';
import { useTheme } from './ThemeContext.js';
import type { Theme } from '../theme.js';

/** Props: the focused pane, display options (for the toggle highlight) and the screen width. */
export interface KeyBarProps {
  opts: TopOptions;
  columns: number;
  /** The pane that has the keyboard. @default 'dashboard' */
  scope?: Scope;
}

/** Columns a binding's label takes on the bar (without the two blanks before it). */
function labelWidth(b: KeyBinding): number {
  return (b.bar!.hot === undefined ? (b.bar!.key ?? b.label).length + 1 : 0) + b.bar!.text.length;
}

/**
 * The bindings drawn on a bar of `columns` columns: all of them when they fit; else only
 * whole labels, the most important first (the keymap's order) as far as they go, and the
 * help key last, so a narrow screen still says where the rest are. Each label takes two
 * blanks before it.
 */
function fitting(bindings: KeyBinding[], columns: number): KeyBinding[] {
  if (bindings.reduce((a, b) => a + 2 + labelWidth(b), 0) <= columns) return bindings;
  const help = bindings.find((b) => b.action === 'help');
  const room = columns - (help ? 2 + labelWidth(help) : 0);
  const out: KeyBinding[] = [];
  let used = 0;
  for (const b of bindings) {
    if (b === help) continue;
    if (used + 2 + labelWidth(b) > room) break;
    out.push(b);
    used += 2 + labelWidth(b);
  }
  return help ? [...out, help] : out;
}

function segmentsFor(line: 'xentop' | 'xlsim', scope: Scope, opts: TopOptions, theme: Theme, columns = Infinity): Segment[] {
  const segs: Segment[] = [{ text: '  ' }];
  const all = barBindings(line, scope) as KeyBinding[];
  // xentop's own line is drawn whole, as xentop draws it.
  for (const b of line === 'xlsim' ? fitting(all, columns) : all) {
    const bar = b.bar!;
    const style = b.toggles && opts[b.toggles] ? theme.toggled : {};
    if (bar.hot === undefined) {
      segs.push({ text: bar.key ?? b.label, inverse: true }, { text: ` ${bar.text}`, ...style });
    } else {
      segs.push(
        { text: bar.text.slice(0, bar.hot), ...style },
        { text: bar.text[bar.hot]!, inverse: true },
        { text: bar.text.slice(bar.hot + 1), ...style },
      );
    }
    segs.push({ text: '  ' });
  }
  return segs.filter((s) => s.text !== '');
}

/** xentop's Delay(sec) prompt keeps xentop's bottom line in view, as xentop does. */
export function showsXentopLine(scope: Scope): boolean {
  return scope === 'dashboard' || scope === 'delay' || scope === 'confirm' || scope === 'filter' || scope === 'sort';
}

/** The focused pane's keys (xlsim's actions on the dashboard), then xentop's keys where they apply. Redrawn only when a prop changes. */
export const KeyBar = React.memo(function KeyBar({ opts, columns, scope = 'dashboard' }: KeyBarProps): React.JSX.Element {
  const theme = useTheme();
  const xentop = showsXentopLine(scope);
  return (
    <>
      <Line segments={segmentsFor('xlsim', scope, opts, theme, columns)} columns={columns} />
      {xentop ? <Line segments={segmentsFor('xentop', 'dashboard', opts, theme)} columns={columns} /> : null}
    </>
  );
});
