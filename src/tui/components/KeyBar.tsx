/**
 * The two key bars at the bottom, drawn from the keymap (`keymap.ts`). On the dashboard:
 * xlsim's actions line, then xentop's own status line at the last row starting at
 * column 2 with each hot-key letter in reverse video and toggled features in yellow
 * (xentop.c `do_bottom_line`, xl-commands.md §4.2). In any other pane (help, console,
 * palette, prompts) the first line lists that pane's keys instead and the xentop line
 * is left blank, since xentop's keys do not reach those panes. Pure view.
 */
import React from 'react';
import { barBindings, type KeyBinding, type Scope } from '../keymap.js';
import type { TopOptions } from '../xentop.js';
import { Line } from './Line.js';
import type { Segment } from './clip.js';

/** Props: the focused pane, display options (for the toggle highlight) and the screen width. */
export interface KeyBarProps {
  opts: TopOptions;
  columns: number;
  /** The pane that has the keyboard. @default 'dashboard' */
  scope?: Scope;
}

function segmentsFor(line: 'xentop' | 'xlsim', scope: Scope, opts: TopOptions): Segment[] {
  const segs: Segment[] = [{ text: '  ' }];
  for (const b of barBindings(line, scope) as KeyBinding[]) {
    const bar = b.bar!;
    const color = b.toggles && opts[b.toggles] ? 'yellow' : undefined;
    if (bar.hot === undefined) {
      segs.push({ text: bar.key ?? b.label, inverse: true }, { text: ` ${bar.text}`, color });
    } else {
      segs.push(
        { text: bar.text.slice(0, bar.hot), color },
        { text: bar.text[bar.hot]!, inverse: true },
        { text: bar.text.slice(bar.hot + 1), color },
      );
    }
    segs.push({ text: '  ' });
  }
  return segs.filter((s) => s.text !== '');
}

/** Two lines: the focused pane's keys (xlsim's actions on the dashboard), then xentop's keys. */
export function KeyBar({ opts, columns, scope = 'dashboard' }: KeyBarProps): React.JSX.Element {
  // xentop's Delay(sec) prompt keeps xentop's bottom line in view, as xentop does.
  const xentop = scope === 'dashboard' || scope === 'delay';
  return (
    <>
      <Line segments={segmentsFor('xlsim', scope, opts)} columns={columns} />
      <Line segments={xentop ? segmentsFor('xentop', 'dashboard', opts) : []} columns={columns} />
    </>
  );
}
