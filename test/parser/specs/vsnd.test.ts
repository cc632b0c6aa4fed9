import { describe, expect, it } from 'vitest';
import type { Range, Value } from '../../../src/parser/types.js';
import { parseVsndCard } from '../../../src/parser/specs/vsnd.js';

const R: Range = { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };
const s = (value: string): Value => ({ kind: 'string', value, token: 'STRING', range: R });
const items = (...xs: string[]): Value[] => xs.map(s);

describe('parseVsndCard (xl-cfg-format.md §4.15)', () => {
  it('builds card, pcm and stream in libxl_device_vsnd shape', () => {
    const r = parseVsndCard(
      items(
        'CARD, short-name=Main, long-name=Main card, sample-rates=8000;44100, sample-formats=s16_le;F32_LE, backend=dom0',
        'pcm, name=Main, channels-max=2',
        'STREAM, unique-id=0, type=P, buffer-size=0x1000',
        'Stream, unique-id=1, type=c',
      ),
    );
    expect(r.messages).toEqual([]);
    expect(r.value).toEqual({
      backend_domname: 'dom0',
      short_name: 'Main',
      long_name: 'Main card',
      params: { sample_rates: [8000, 44100], sample_formats: ['s16_le', 'f32_le'] },
      pcms: [
        {
          name: 'Main',
          params: { channels_max: 2 },
          streams: [
            { unique_id: '0', type: 'p', params: { buffer_size: 4096 } },
            { unique_id: '1', type: 'c', params: {} },
          ],
        },
      ],
    });
  });

  it('creates a PCM for a STREAM that has none', () => {
    expect(parseVsndCard(items('STREAM, unique-id=7')).value).toEqual({
      params: {},
      pcms: [{ params: {}, streams: [{ unique_id: '7', params: {} }] }],
    });
  });

  it('an empty card has just the params struct', () => {
    expect(parseVsndCard([]).value).toEqual({ params: {} });
  });

  it('rejects the man page format spelling float_le', () => {
    const r = parseVsndCard(items('CARD, sample-formats=s16_le;float_le'));
    expect(r.exitCode).toBe(1);
    expect(r.messages.map((m) => m.text)).toEqual(['Invalid pcm format: float_le\n']);
    expect(r.messages[0]!.message).toContain('write f32_le');
  });

  it("rejects the man page's id= for streams", () => {
    const r = parseVsndCard(items('PCM, name=x', 'STREAM, id=0, type=p'));
    expect(r.exitCode).toBe(1);
    expect(r.messages.map((m) => m.text)).toEqual(['Invalid parameter: id=0\n']);
    expect(r.messages[0]!.message).toContain('unique-id=');
  });

  it('rejects an unknown item identifier', () => {
    const r = parseVsndCard(items('DEVICE, name=x'));
    expect(r.exitCode).toBe(1);
    expect(r.messages.map((m) => m.text)).toEqual(['Invalid key: DEVICE\n']);
    expect(r.messages[0]!.code).toBe('XL310');
  });

  it('rejects keys of another level', () => {
    expect(parseVsndCard(items('CARD, name=x')).messages.map((m) => m.text)).toEqual(['Invalid parameter: name=x\n']);
    expect(parseVsndCard(items('PCM, short-name=x')).messages.map((m) => m.text)).toEqual([
      'Invalid parameter: short-name=x\n',
    ]);
  });

  it('rejects a bad stream type', () => {
    expect(parseVsndCard(items('STREAM, type=playback')).messages.map((m) => m.text)).toEqual([
      'Invalid stream type: playback\n',
    ]);
  });

  it('stops reading the card at a nested list', () => {
    const nested: Value = { kind: 'list', items: [], range: R };
    const r = parseVsndCard([s('CARD, short-name=A'), nested, s('PCM, name=lost')]);
    expect(r.exitCode).toBeUndefined();
    expect(r.value).toEqual({ short_name: 'A', params: {} });
    expect(r.messages.map((m) => m.text)).toEqual(['']);
  });
});
