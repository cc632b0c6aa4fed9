/**
 * Colour policy and style tokens in one place (style-anchors B2: theme tokens). Colour
 * follows the no-color.org and FORCE_COLOR conventions: `FORCE_COLOR` set to anything
 * but `0`/`false` turns colour on; otherwise any non-empty `NO_COLOR` turns it off, as
 * does `FORCE_COLOR=0`. Without colour every colour is dropped and what colour showed
 * (the selected row, a highlighted guest) is shown in reverse video or bold instead, so
 * a monochrome terminal loses nothing.
 */
import type { Segment } from './components/clip.js';

/** Whether the dashboard may use colour, from the environment. */
export function colorEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return true;
}

/** Style tokens of the dashboard. */
export interface Theme {
  /** Colour allowed at all. */
  color: boolean;
  /** The selected table row / guest / node. */
  selected: Omit<Segment, 'text'>;
  /** Section titles and box labels. */
  title: Omit<Segment, 'text'>;
  /** Dim, secondary text (units, hints). */
  dim: Omit<Segment, 'text'>;
  /** A good state (Connected, running). */
  good: Omit<Segment, 'text'>;
  /** A warning (a handshake not finished, a paused domain). */
  warn: Omit<Segment, 'text'>;
  /** An error or a destructive prompt. */
  bad: Omit<Segment, 'text'>;
  /** Links carrying traffic in the architecture view. */
  active: Omit<Segment, 'text'>;
  /** Toggled features in xentop's key bar (xentop draws them with a yellow pair). */
  toggled: Omit<Segment, 'text'>;
}

/** The theme for a terminal with or without colour. */
export function makeTheme(color: boolean): Theme {
  if (!color) {
    return {
      color,
      selected: { inverse: true },
      title: { bold: true },
      dim: {},
      good: {},
      warn: { bold: true },
      bad: { bold: true },
      active: { bold: true },
      toggled: { bold: true },
    };
  }
  return {
    color,
    selected: { color: 'cyan', bold: true },
    title: { bold: true, color: 'blue' },
    dim: { color: 'gray' },
    good: { color: 'green' },
    warn: { color: 'yellow' },
    bad: { color: 'red', bold: true },
    active: { color: 'magenta', bold: true },
    toggled: { color: 'yellow' },
  };
}
