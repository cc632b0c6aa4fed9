import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, loadSettings, parseSettings, saveSettings, settingsPath } from '../../src/tui/settings.js';
import { parseTopArgs, settingsOf, startSettings } from '../../src/tui/main.js';
import { initialState } from '../../src/tui/state.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('UI settings in the state directory', () => {
  it('round-trips through tui.json', () => {
    dir = mkdtempSync(join(tmpdir(), 'xlsim-settings-'));
    const path = settingsPath(dir);
    expect(loadSettings(path)).toEqual(DEFAULT_SETTINGS);
    const s = { ...DEFAULT_SETTINGS, sortField: 'CPU(%)' as const, reverse: true, cols: { type: false, uuid: true }, delaySec: 5, sections: { ...DEFAULT_SETTINGS.sections, vcpus: true } };
    expect(saveSettings(path, s)).toBeUndefined();
    expect(loadSettings(path)).toEqual(s);
  });
  it('ignores what it cannot use, field by field', () => {
    expect(parseSettings('not json')).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings('{"sortField":"NOPE","delaySec":-1,"reverse":"yes","cols":{"uuid":true}}')).toEqual({ ...DEFAULT_SETTINGS, cols: { type: true, uuid: true } });
    dir = mkdtempSync(join(tmpdir(), 'xlsim-settings-'));
    writeFileSync(settingsPath(dir), '[1,2]');
    expect(loadSettings(settingsPath(dir))).toEqual(DEFAULT_SETTINGS);
  });
  it("the command line wins: -d over the saved delay, -n/-x/-v/-r add sections", () => {
    const saved = { ...DEFAULT_SETTINGS, delaySec: 7, sortField: 'MEM(k)' as const, sections: { ...DEFAULT_SETTINGS.sections, vbds: true } };
    const a = parseTopArgs(['-d', '2', '-n']);
    const s = startSettings(saved, a);
    expect(s.delaySec).toBe(2);
    expect(s.opts).toMatchObject({ networks: true, vbds: true, vcpus: false });
    expect(s.sortField).toBe('MEM(k)');
    expect(startSettings(saved, parseTopArgs([])).delaySec).toBe(7);
    expect(settingsOf(initialState(80, 24, 4))).toEqual({ ...DEFAULT_SETTINGS, delaySec: 4 });
  });
  it('--mouse is xlsim\'s own option, invisible to xentop\'s getopt', () => {
    expect(parseTopArgs(['--mouse', '-d', '1'])).toMatchObject({ mouse: true, delaySec: 1, help: false });
    expect(parseTopArgs(['-d', '1']).mouse).toBeUndefined();
  });
});
