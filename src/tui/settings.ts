/**
 * The dashboard's UI settings, kept between runs in the state directory as htop keeps
 * `~/.config/htop/htoprc` and virt-top `~/.virt-toprc`: sort column and direction, the
 * extra columns shown, the refresh delay and the detail sections (`N B V R`). One small
 * JSON file, `tui.json`; a missing or unreadable file gives the defaults, and a value of
 * the wrong type is ignored, never an error.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ALL_COLUMNS, DEFAULT_COLUMNS, type ColumnId, type ColumnSettings } from './table.js';
import type { TopOptions } from './xentop.js';

/** Name of the settings file inside the state directory. */
export const SETTINGS_FILE = 'tui.json';

/** What is saved. */
export interface UiSettings {
  sortField: ColumnId;
  reverse: boolean;
  cols: ColumnSettings;
  delaySec: number;
  /** xentop's detail sections: `networks`, `vbds`, `vcpus`, `repeatHeader`. */
  sections: Pick<TopOptions, 'networks' | 'vbds' | 'vcpus' | 'repeatHeader'>;
}

/** The defaults: xentop's (NAME ascending, 3 s, no sections), TYPE shown, UUID hidden. */
export const DEFAULT_SETTINGS: UiSettings = {
  sortField: 'NAME',
  reverse: false,
  cols: DEFAULT_COLUMNS,
  delaySec: 3,
  sections: { networks: false, vbds: false, vcpus: false, repeatHeader: false },
};

/** The settings file of a state directory. */
export function settingsPath(stateDir: string): string {
  return join(stateDir, SETTINGS_FILE);
}

const bool = (v: unknown, d: boolean): boolean => (typeof v === 'boolean' ? v : d);

/** Settings from JSON text (anything unusable falls back to the default, field by field). */
export function parseSettings(text: string): UiSettings {
  let raw: Record<string, unknown>;
  try {
    const v: unknown = JSON.parse(text);
    raw = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    raw = {};
  }
  const d = DEFAULT_SETTINGS;
  const cols = (typeof raw.cols === 'object' && raw.cols !== null ? raw.cols : {}) as Record<string, unknown>;
  const sec = (typeof raw.sections === 'object' && raw.sections !== null ? raw.sections : {}) as Record<string, unknown>;
  const delay = typeof raw.delaySec === 'number' && Number.isInteger(raw.delaySec) && raw.delaySec > 0 && raw.delaySec <= 3600 ? raw.delaySec : d.delaySec;
  return {
    sortField: typeof raw.sortField === 'string' && (ALL_COLUMNS as readonly string[]).includes(raw.sortField) ? (raw.sortField as ColumnId) : d.sortField,
    reverse: bool(raw.reverse, d.reverse),
    cols: { type: bool(cols.type, d.cols.type), uuid: bool(cols.uuid, d.cols.uuid) },
    delaySec: delay,
    sections: {
      networks: bool(sec.networks, false),
      vbds: bool(sec.vbds, false),
      vcpus: bool(sec.vcpus, false),
      repeatHeader: bool(sec.repeatHeader, false),
    },
  };
}

/** The saved settings at `path`, or the defaults. Never throws. */
export function loadSettings(path: string): UiSettings {
  try {
    return parseSettings(readFileSync(path, 'utf8'));
  } catch {
    return DEFAULT_SETTINGS;
  }
}

/** Save `s` at `path` (written to a temporary file, then renamed). Returns an error message, or undefined. */
export function saveSettings(path: string, s: UiSettings): string | undefined {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(s, null, 2)}\n`);
    renameSync(tmp, path);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
