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

function segmentsFor(line: 'xentop' | 'xlsim', scope: Scope, opts: TopOptions, theme: Theme, columns = Infinity): Segment[] {
  const segs: Segment[] = [{ text: '  ' }];
  let used = 2;
  const widthOf = (b: KeyBinding): number => (b.bar!.hot === undefined ? (b.bar!.key ?? b.label).length + 1 : 0) + b.bar!.text.length;
  let bindings = barBindings(line, scope) as KeyBinding[];
  // Only whole labels: one that would be cut is left out (they are in order of importance),
  // but the help key stays, last, so that a narrow screen still says where the rest are.
  const help = bindings.find((b) => b.action === 'help');
  const all = bindings.reduce((a, b) => a + widthOf(b) + 2, 2);
  let room = columns;
  if (line === 'xlsim' && help && all - 2 > columns) {
    bindings = [...bindings.filter((b) => b !== help), help];
    room = columns - widthOf(help) - 2;
  }
  let full = false;
  for (const b of bindings) {
    const bar = b.bar!;
    const width = widthOf(b);
    if (full && b !== help) continue;
    if (line === 'xlsim' && used + width > (b === help ? columns : room)) {
      full = true;
      continue;
    }
    used += width + 2;
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
