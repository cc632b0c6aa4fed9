/**
 * Virtual sound cards (`vsnd=[ [ 'CARD, short-name=Main', 'PCM, name=Main',
 * 'STREAM, unique-id=0, type=p' ], … ]`, Xen 4.12), as tools/xl/xl_parse.c
 * parse_vsnd_list / parse_vsnd_item read one card (xl-cfg-format.md §4.15; field names
 * from xen/include/public/io/sndif.h). Output follows libxl_device_vsnd,
 * libxl_vsnd_pcm, libxl_vsnd_stream and libxl_vsnd_params
 * (tools/libs/light/libxl_types.idl).
 */

import type { Value } from '../types.js';
import type { SpecMessage, SpecResult } from './types.js';
import { matchOption, q, specMessage, splitFields, strtok, strtoul, toUint32 } from './split.js';

/** libxl_vsnd_pcm_format names (case-insensitive on input, lower-case in JSON). */
export const VSND_PCM_FORMATS = [
  's8',
  'u8',
  's16_le',
  's16_be',
  'u16_le',
  'u16_be',
  's24_le',
  's24_be',
  'u24_le',
  'u24_be',
  's32_le',
  's32_be',
  'u32_le',
  'u32_be',
  'f32_le',
  'f32_be',
  'f64_le',
  'f64_be',
  'iec958_subframe_le',
  'iec958_subframe_be',
  'mu_law',
  'a_law',
  'ima_adpcm',
  'mpeg',
  'gsm',
] as const;

/** The man page's format spellings that the code rejects, with what the code wants instead. */
const MAN_PAGE_FORMATS: Record<string, string> = {
  float_le: 'f32_le',
  float_be: 'f32_be',
  float64_le: 'f64_le',
  float64_be: 'f64_be',
};

interface Params {
  sample_rates: number[];
  sample_formats: string[];
  channels_min: number;
  channels_max: number;
  buffer_size: number;
}

const newParams = (): Params => ({ sample_rates: [], sample_formats: [], channels_min: 0, channels_max: 0, buffer_size: 0 });

function paramsJson(p: Params): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (p.sample_rates.length > 0) o.sample_rates = p.sample_rates;
  if (p.sample_formats.length > 0) o.sample_formats = p.sample_formats;
  if (p.channels_min !== 0) o.channels_min = p.channels_min;
  if (p.channels_max !== 0) o.channels_max = p.channels_max;
  if (p.buffer_size !== 0) o.buffer_size = p.buffer_size;
  return o;
}

interface Stream {
  unique_id?: string;
  type?: string;
  params: Params;
}

interface Pcm {
  name?: string;
  params: Params;
  streams: Stream[];
}

/**
 * Parse the item strings of one sound card (one element of the outer `vsnd` list).
 *
 * Each item is `IDENT, key=value, …` (common `,` split, leading spaces skipped); IDENT is
 * *(ci)* `CARD`, `PCM` or `STREAM`. A PCM is added to the card; a STREAM is added to the
 * last PCM (one is created when there is none). Keys: CARD `backend` (→
 * backend_domname), `short-name`, `long-name`; PCM `name`; STREAM `unique-id`, `type`
 * *(ci)* `p`|`c`; on every level the params `sample-rates` (`;`-separated, strtoul → uint32),
 * `sample-formats` (`;`-separated, *(ci)* {@link VSND_PCM_FORMATS}), `channels-min`,
 * `channels-max`, `buffer-size` (strtoul → uint32). A nested list among the items ends
 * the card there (libxlu's list-item getter returns nothing for it).
 *
 * Returns libxl_device_vsnd `{ backend_domname?, short_name?, long_name?, params, pcms? }`
 * with pcms `{ name?, params, streams? }` and streams `{ unique_id?, type?, params }`;
 * `params` objects are always present (struct members), their fields only when set.
 *
 * Errors (code XL310, exit 1): `Invalid key: <ident>\n`, `Invalid parameter: <field>\n`,
 * `Invalid pcm format: <v>\n`, `Invalid stream type: <v>\n`. The man page's
 * `float_le`/`float64_le`… formats and its `id=` stream key are rejected by the code
 * (xlsim says so in `message`).
 */
export function parseVsndCard(items: Value[]): SpecResult<Record<string, unknown>> {
  const messages: SpecMessage[] = [];
  const card: { backend_domname?: string; short_name?: string; long_name?: string; params: Params; pcms: Pcm[] } = {
    params: newParams(),
    pcms: [],
  };
  const fail = (text: string, message: string, span?: [number, number]): SpecResult<Record<string, unknown>> => {
    messages.push(specMessage('XL310', 'error', text, message, span));
    return { messages, exitCode: 1 };
  };

  /** Apply one common parameter; returns an error result, 'none' when the field is no parameter, or 'ok'. */
  const param = (p: Params, field: string, span: [number, number]): SpecResult<Record<string, unknown>> | 'none' | 'ok' => {
    let o: string | undefined;
    if ((o = matchOption('sample-rates', field)) !== undefined) {
      p.sample_rates = strtok(o, ';').map((r) => toUint32(strtoul(r.text, 0).value));
    } else if ((o = matchOption('sample-formats', field)) !== undefined) {
      const formats: string[] = [];
      for (const f of strtok(o, ';')) {
        const lc = f.text.toLowerCase();
        if (!(VSND_PCM_FORMATS as readonly string[]).includes(lc)) {
          const hint = MAN_PAGE_FORMATS[lc];
          return fail(
            `Invalid pcm format: ${f.text}\n`,
            hint !== undefined
              ? `pcm format ${q(f.text)} is the man page's spelling, which the code rejects: write ${hint}`
              : `unknown pcm format ${q(f.text)}; known formats: ${VSND_PCM_FORMATS.join(' ')}`,
            span,
          );
        }
        formats.push(lc);
      }
      p.sample_formats = formats;
    } else if ((o = matchOption('channels-min', field)) !== undefined) {
      p.channels_min = toUint32(strtoul(o, 0).value);
    } else if ((o = matchOption('channels-max', field)) !== undefined) {
      p.channels_max = toUint32(strtoul(o, 0).value);
    } else if ((o = matchOption('buffer-size', field)) !== undefined) {
      p.buffer_size = toUint32(strtoul(o, 0).value);
    } else {
      return 'none';
    }
    return 'ok';
  };

  const invalid = (field: string, level: string, span: [number, number]): SpecResult<Record<string, unknown>> =>
    fail(
      `Invalid parameter: ${field}\n`,
      field.startsWith('id=') && level === 'STREAM'
        ? `stream key "id=" is the man page's spelling, which the code rejects: write unique-id=`
        : `${q(field)} is not a ${level} parameter`,
      span,
    );

  for (let n = 0; n < items.length; n++) {
    const item = items[n]!;
    if (item.kind !== 'string') {
      messages.push(
        specMessage(
          'XL310',
          'warning',
          '',
          `vsnd card item ${n} is a nested list: xl stops reading this card there and ignores the rest`,
        ),
      );
      break;
    }
    const fields = splitFields(item.value);
    const ident = fields[0]?.text ?? '';
    const kind = ident.toLowerCase();
    if (kind !== 'card' && kind !== 'pcm' && kind !== 'stream') {
      return fail(`Invalid key: ${ident}\n`, `vsnd item ${q(item.value)} must start with CARD, PCM or STREAM`);
    }
    let target: { params: Params } = card;
    let stream: Stream | undefined;
    let pcm: Pcm | undefined;
    if (kind === 'pcm') {
      pcm = { params: newParams(), streams: [] };
      card.pcms.push(pcm);
      target = pcm;
    } else if (kind === 'stream') {
      if (card.pcms.length === 0) card.pcms.push({ params: newParams(), streams: [] });
      stream = { params: newParams() };
      card.pcms[card.pcms.length - 1]!.streams.push(stream);
      target = stream;
    }
    for (const f of fields.slice(1)) {
      const span: [number, number] = [f.start, f.start + f.text.length];
      let o: string | undefined;
      if (kind === 'card') {
        if ((o = matchOption('backend', f.text)) !== undefined) {
          card.backend_domname = o;
          continue;
        }
        if ((o = matchOption('short-name', f.text)) !== undefined) {
          card.short_name = o;
          continue;
        }
        if ((o = matchOption('long-name', f.text)) !== undefined) {
          card.long_name = o;
          continue;
        }
      } else if (kind === 'pcm') {
        if ((o = matchOption('name', f.text)) !== undefined) {
          pcm!.name = o;
          continue;
        }
      } else {
        if ((o = matchOption('unique-id', f.text)) !== undefined) {
          stream!.unique_id = o;
          continue;
        }
        if ((o = matchOption('type', f.text)) !== undefined) {
          const lc = o.toLowerCase();
          if (lc !== 'p' && lc !== 'c') {
            return fail(`Invalid stream type: ${o}\n`, `stream type ${q(o)} must be p (playback) or c (capture)`, span);
          }
          stream!.type = lc;
          continue;
        }
      }
      const r = param(target.params, f.text, span);
      if (r === 'ok') continue;
      if (r !== 'none') return r;
      return invalid(f.text, kind.toUpperCase(), span);
    }
  }

  const value: Record<string, unknown> = {};
  if (card.backend_domname !== undefined) value.backend_domname = card.backend_domname;
  if (card.short_name !== undefined) value.short_name = card.short_name;
  if (card.long_name !== undefined) value.long_name = card.long_name;
  value.params = paramsJson(card.params);
  if (card.pcms.length > 0) {
    value.pcms = card.pcms.map((p) => {
      const o: Record<string, unknown> = {};
      if (p.name !== undefined) o.name = p.name;
      o.params = paramsJson(p.params);
      if (p.streams.length > 0) {
        o.streams = p.streams.map((s) => {
          const so: Record<string, unknown> = {};
          if (s.unique_id !== undefined) so.unique_id = s.unique_id;
          if (s.type !== undefined) so.type = s.type;
          so.params = paramsJson(s.params);
          return so;
        });
      }
      return o;
    });
  }
  return { value, messages };
}
