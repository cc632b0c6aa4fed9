/**
 * The paravirtual device kinds beyond vbd and vif: vTPM, virtual keyboard, virtual
 * framebuffer, virtual display, virtual sound, console channels, 9pfs and PV calls.
 * Each becomes a `DeviceSpec` with the xenstore entries libxl writes for it and the
 * ring and event-channel nodes its frontend writes, and goes through the one XenbusState
 * handshake of `devices.ts`.
 *
 * Sources (Xen 4.20.0, tools/libs/light): the generic add `libxl__device_add_async`
 * (libxl_device.c: backend `frontend-id`/`online`/`state`, frontend `backend-id`/`state`,
 * then the kind's `set_xenstore_config`), `libxl__set_xenstore_vtpm` (libxl_vtpm.c),
 * `libxl__set_xenstore_vkb`/`libxl__device_from_vkb` (libxl_vkb.c: a `linux` backend is
 * `vinput`, `qemu` is `vkbd`), `libxl__set_xenstore_vfb` and `libxl__device_console_add`
 * (libxl_console.c: channels are consoles 1…n served by QEMU), `libxl__set_xenstore_vdispl`
 * (libxl_vdispl.c), `libxl__set_xenstore_vsnd` (libxl_vsnd.c), `libxl__set_xenstore_p9`
 * (libxl_9pfs.c); the frontends' nodes from xen/include/public/io/{tpmif,kbdif,fbif,
 * displif,sndif,9pfs,pvcalls,console}.h; the order devices are plugged at create from
 * libxl_create.c `domcreate_launch_dm` and `device_type_tbl`.
 */
import type { DomainConfig, DomainType } from '../parser/libxl.js';
import { freshUuid } from './build.js';
import type { Ctx } from './ctx.js';
import { plugDevice, unplugDevice, type DeviceSpec } from './devices.js';
import { HostError } from './errors.js';
import { hash32 } from './prng.js';
import type { DeviceKind, DeviceRecord, DomainRecord } from './records.js';
import { numKey } from './tables.js';

/** The device kinds `attachPv` / `detachPv` handle, by xl's name for them. */
export type PvKind = 'vtpm' | 'vkb' | 'vfb' | 'vdispl' | 'vsnd' | 'channel' | 'p9' | 'pvcalls';

/** For each `PvKind`: its frontend directory (`DeviceKind`) and its list in libxl's `DomainConfig`. */
export const PV_KINDS: Readonly<Record<PvKind, { kind: DeviceKind; list: string }>> = {
  vtpm: { kind: 'vtpm', list: 'vtpms' },
  vkb: { kind: 'vkbd', list: 'vkbs' },
  vfb: { kind: 'vfb', list: 'vfbs' },
  vdispl: { kind: 'vdispl', list: 'vdispls' },
  vsnd: { kind: 'vsnd', list: 'vsnds' },
  channel: { kind: 'console', list: 'channels' },
  p9: { kind: '9pfs', list: 'p9s' },
  pvcalls: { kind: 'pvcalls', list: 'pvcallsifs' },
};

/** libxl's LIBXL_XENCONSOLE_LIMIT and LIBXL_XENCONSOLE_PROTOCOL (libxl_internal.h). */
const CONSOLE_LIMIT = '1048576';
const CONSOLE_PROTOCOL = 'vt100';
/** The frontends' ABI name on x86-64 (XEN_IO_PROTO_ABI_X86_64). */
const ABI = 'x86_64-abi';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/** A guest page frame number for a frontend's non-granted page (`page-ref` of vkbd/vfb). */
function mfnOf(rec: DomainRecord, what: string): string {
  return String(0x100000 + (hash32('mfn', rec.uuid, what) % 0x3ffff));
}

/**
 * The backend domain of a device (`libxl__resolve_domid`: `backend_domname` as a domain
 * qualifier, else `backend_domid`, else Domain-0). Throws `HostError('INVALID_ARGUMENT')`
 * when it names no domain.
 */
export function resolveBackend(ctx: Ctx, dev: Obj, what: string): number {
  const name = str(dev.backend_domname);
  if (name !== undefined && name !== '') {
    const id = /^\d+$/.test(name) ? Number(name) : ctx.domidByName(name);
    if (id === undefined || !ctx.domain(id)) throw new HostError('INVALID_ARGUMENT', `${what}: backend domain ${name} does not exist`);
    return id;
  }
  const id = dev.backend_domid;
  if (typeof id === 'number' && Number.isInteger(id) && id !== 0) {
    if (!ctx.domain(id)) throw new HostError('INVALID_ARGUMENT', `${what}: backend domain ${id} does not exist`);
    return id;
  }
  return 0;
}

/** libxl__device_nextid: one more than the highest devid of `kind` in the domain, or 0. */
export function nextDevid(ctx: Ctx, domid: number, kind: DeviceKind): number {
  let next = 0;
  for (const d of ctx.devices(domid)) if (d.kind === kind && d.devid >= next) next = d.devid + 1;
  return next;
}

/** `a;b;c` as libxl writes sample rates and formats (libxl__rates_to_str_vsnd). */
function joinList(v: unknown): string | undefined {
  return Array.isArray(v) && v.length > 0 ? v.map(String).join(';') : undefined;
}

/** vsnd parameter nodes under `prefix` (libxl__set_params_vsnd). */
function vsndParams(out: Record<string, string>, prefix: string, p: unknown): void {
  if (!isObj(p)) return;
  const rates = joinList(p.sample_rates);
  if (rates !== undefined) out[`${prefix}sample-rates`] = rates;
  const formats = joinList(p.sample_formats);
  if (formats !== undefined) out[`${prefix}sample-formats`] = formats;
  if (num(p.channels_min)) out[`${prefix}channels-min`] = String(num(p.channels_min));
  if (num(p.channels_max)) out[`${prefix}channels-max`] = String(num(p.channels_max));
  if (num(p.buffer_size)) out[`${prefix}buffer-size`] = String(num(p.buffer_size));
}

/** A libxl defbool (`"True"`/`"False"`, JS booleans accepted) with its default. */
function defbool(v: unknown, dflt: boolean): boolean {
  if (v === 'True' || v === true) return true;
  if (v === 'False' || v === false) return false;
  return dflt;
}

/**
 * The `DeviceSpec` of one device of `kind` for domain `rec` with devid `devid` and
 * backend `backendDomid`; `dev` is the libxl device object (`libxl_device_vtpm`, …) as
 * the parser builds it, completed by `completePv`. `tty` is the pty a PTY channel gets.
 */
export function pvSpec(kind: PvKind, rec: DomainRecord, devid: number, backendDomid: number, dev: Obj, tty?: string): DeviceSpec {
  const base = { devid, backendDomid };
  switch (kind) {
    case 'vtpm': {
      const uuid = String(dev.uuid);
      return {
        ...base, kind: 'vtpm', backendKind: 'vtpm', rings: 1,
        frontend: { handle: String(devid) },
        backend: { handle: String(devid), uuid, resume: 'False' },
        props: { uuid },
      };
    }
    case 'vkb': {
      const linux = dev.backend_type === 'linux';
      const back: Record<string, string> = {};
      if (str(dev.unique_id) !== undefined) back['unique-id'] = str(dev.unique_id)!;
      for (const [node, field] of [
        ['feature-disable-keyboard', 'feature_disable_keyboard'],
        ['feature-disable-pointer', 'feature_disable_pointer'],
        ['feature-abs-pointer', 'feature_abs_pointer'],
        ['feature-raw-pointer', 'feature_raw_pointer'],
      ] as const) {
        if (dev[field]) back[node] = '1';
      }
      if (dev.feature_multi_touch) {
        back['feature-multi-touch'] = '1';
        back['multi-touch-width'] = String(num(dev.multi_touch_width));
        back['multi-touch-height'] = String(num(dev.multi_touch_height));
        back['multi-touch-num-contacts'] = String(num(dev.multi_touch_num_contacts));
      }
      if (num(dev.width)) back.width = String(num(dev.width));
      if (num(dev.height)) back.height = String(num(dev.height));
      const props: Record<string, string> = { backend_type: linux ? 'linux' : 'qemu' };
      if (str(dev.unique_id) !== undefined) props.unique_id = str(dev.unique_id)!;
      return {
        ...base, kind: 'vkbd', backendKind: linux ? 'vinput' : 'vkbd', rings: 1,
        frontend: {}, backend: back, props,
        ringNodes: ['page-gref'],
        feInit: { 'page-ref': mfnOf(rec, `vkbd${devid}`), protocol: ABI, 'request-abs-pointer': '1' },
      };
    }
    case 'vfb': {
      const vnc = isObj(dev.vnc) ? dev.vnc : {};
      const sdl = isObj(dev.sdl) ? dev.sdl : {};
      const back: Record<string, string> = {
        vnc: defbool(vnc.enable, true) ? '1' : '0',
        vnclisten: str(vnc.listen) ?? '127.0.0.1',
        vncpasswd: str(vnc.passwd) ?? '',
        vncdisplay: String(num(vnc.display)),
        vncunused: defbool(vnc.findunused, true) ? '1' : '0',
        sdl: defbool(sdl.enable, false) ? '1' : '0',
        opengl: defbool(sdl.opengl, false) ? '1' : '0',
      };
      if (str(sdl.xauthority) !== undefined) back.xauthority = str(sdl.xauthority)!;
      if (str(sdl.display) !== undefined) back.display = str(sdl.display)!;
      return {
        ...base, kind: 'vfb', backendKind: 'vfb', rings: 0,
        frontend: {}, backend: back, props: {},
        feInit: { 'page-ref': mfnOf(rec, `vfb${devid}`), protocol: ABI, 'feature-update': '1' },
      };
    }
    case 'vdispl': {
      const conns = Array.isArray(dev.connectors) ? dev.connectors.filter(isObj) : [];
      const ro: Record<string, string> = { 'be-alloc': dev.be_alloc ? '1' : '0' };
      const ringNodes: string[] = [];
      const evtchNodes: string[] = [];
      conns.forEach((c, i) => {
        ro[`${i}/resolution`] = `${num(c.width)}x${num(c.height)}`;
        ro[`${i}/unique-id`] = str(c.unique_id) ?? '';
        ringNodes.push(`${i}/req-ring-ref`, `${i}/evt-ring-ref`);
        evtchNodes.push(`${i}/req-event-channel`, `${i}/evt-event-channel`);
      });
      return {
        ...base, kind: 'vdispl', backendKind: 'vdispl', rings: ringNodes.length,
        frontend: {}, backend: {}, roFrontend: ro, props: { connectors: String(conns.length) },
        ringNodes, evtchNodes, feInit: { version: '2' },
      };
    }
    case 'vsnd': {
      const front: Record<string, string> = {};
      if (str(dev.long_name) !== undefined) front['long-name'] = str(dev.long_name)!;
      if (str(dev.short_name) !== undefined) front['short-name'] = str(dev.short_name)!;
      vsndParams(front, '', dev.params);
      const ringNodes: string[] = [];
      const evtchNodes: string[] = [];
      const pcms = Array.isArray(dev.pcms) ? dev.pcms.filter(isObj) : [];
      pcms.forEach((p, i) => {
        if (str(p.name) !== undefined) front[`${i}/name`] = str(p.name)!;
        vsndParams(front, `${i}/`, p.params);
        const streams = Array.isArray(p.streams) ? p.streams.filter(isObj) : [];
        streams.forEach((s, j) => {
          front[`${i}/${j}/unique-id`] = str(s.unique_id) ?? '';
          if (str(s.type) !== undefined) front[`${i}/${j}/type`] = str(s.type)!;
          vsndParams(front, `${i}/${j}/`, s.params);
          ringNodes.push(`${i}/${j}/ring-ref`, `${i}/${j}/evt-ring-ref`);
          evtchNodes.push(`${i}/${j}/event-channel`, `${i}/${j}/evt-event-channel`);
        });
      });
      return {
        ...base, kind: 'vsnd', backendKind: 'vsnd', rings: ringNodes.length,
        frontend: front, backend: {}, props: {},
        ringNodes, evtchNodes, feInit: { version: '2' },
      };
    }
    case 'channel': {
      const socket = dev.connection === 'socket';
      const name = str(dev.name) ?? '';
      const back: Record<string, string> = { protocol: CONSOLE_PROTOCOL, name, connection: socket ? 'socket' : 'pty' };
      if (socket && str(dev.path) !== undefined) back.path = str(dev.path)!;
      return {
        ...base, kind: 'console', backendKind: 'console', rings: 1,
        frontend: { protocol: CONSOLE_PROTOCOL }, backend: back,
        roFrontend: {
          name, limit: CONSOLE_LIMIT, type: 'ioemu',
          output: socket ? `chardev:libxl-channel${devid}` : 'pty',
          tty: socket ? '' : (tty ?? ''),
        },
        props: { name, connection: socket ? 'socket' : 'pty', ...(socket ? { path: str(dev.path) ?? '' } : { tty: tty ?? '' }) },
        evtchNodes: ['port'],
      };
    }
    case 'p9': {
      const back: Record<string, string> = { path: str(dev.path) ?? '', security_model: str(dev.security_model) ?? 'none' };
      return {
        ...base, kind: '9pfs', backendKind: '9pfs', rings: 1,
        frontend: { tag: str(dev.tag) ?? '' }, backend: back, props: { tag: str(dev.tag) ?? '' },
        ringNodes: ['ring-ref0'], evtchNodes: ['event-channel-0'], feInit: { version: '1', 'num-rings': '1' },
      };
    }
    case 'pvcalls':
      return {
        ...base, kind: 'pvcalls', backendKind: 'pvcalls', rings: 1,
        frontend: {}, backend: {}, props: {},
        evtchNodes: ['port'], feInit: { version: '1' },
      };
  }
}

/**
 * Checks a device object of `kind` for domain `rec` and fills in what libxl's
 * `setdefault` and `update_devid` would (devid, vtpm uuid, vkb backend type); returns
 * the completed copy, its backend domid and the spec. Throws `HostError`:
 * INVALID_ARGUMENT (not an object, a bad field, no such backend domain, vdispl without
 * connectors, a 9pfs without tag/path/security_model), DEVICE_BUSY (devid in use).
 */
export function completePv(ctx: Ctx, rec: DomainRecord, kind: PvKind, device: unknown, devid?: number): { dev: Obj; spec: DeviceSpec } {
  if (!isObj(device)) throw new HostError('INVALID_ARGUMENT', `${kind} device is not an object`, rec.domid);
  let dev: Obj;
  try {
    dev = structuredClone(device);
  } catch {
    throw new HostError('INVALID_ARGUMENT', `${kind} device is not plain data`, rec.domid);
  }
  const fk = PV_KINDS[kind].kind;
  const given = dev.devid;
  let id = devid ?? (typeof given === 'number' && Number.isInteger(given) && given >= 0 ? given : nextDevid(ctx, rec.domid, fk));
  if (id > 0xffff) throw new HostError('INVALID_ARGUMENT', `${kind} devid ${id} is out of range`, rec.domid);
  if (ctx.device(rec.domid, fk, id)) {
    if (devid === undefined && given === undefined) id = nextDevid(ctx, rec.domid, fk);
    else throw new HostError('DEVICE_BUSY', `domain ${rec.domid} already has ${fk} ${id}`, rec.domid);
  }
  const backend = resolveBackend(ctx, dev, kind);
  if (backend === rec.domid) throw new HostError('INVALID_ARGUMENT', `${kind}: a domain cannot be its own backend`, rec.domid);
  dev.devid = id;
  let tty: string | undefined;
  switch (kind) {
    case 'vtpm': {
      const u = str(dev.uuid);
      if (u !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(u)) {
        throw new HostError('INVALID_ARGUMENT', `vtpm uuid ${u} is not a UUID`, rec.domid);
      }
      dev.uuid = u === undefined || /^[0-]+$/.test(u) ? freshUuid(ctx) : u.toLowerCase();
      break;
    }
    case 'vkb':
      if (dev.backend_type !== 'linux') dev.backend_type = 'qemu';
      break;
    case 'vdispl':
      if (!Array.isArray(dev.connectors) || dev.connectors.length === 0) {
        throw new HostError('INVALID_ARGUMENT', 'vdispl: at least one connector should be specified', rec.domid);
      }
      break;
    case 'p9':
      if (!str(dev.tag) || !str(dev.path) || !str(dev.security_model)) {
        throw new HostError('INVALID_ARGUMENT', '9pfs spec missing required field (tag, path, security_model)', rec.domid);
      }
      break;
    case 'channel':
      if (!str(dev.name)) throw new HostError('INVALID_ARGUMENT', `channel ${id} has no name`, rec.domid);
      if (dev.connection !== 'pty' && dev.connection !== 'socket') {
        throw new HostError('INVALID_ARGUMENT', `channel ${id} has no defined connection`, rec.domid);
      }
      if (dev.connection === 'socket' && !str(dev.path)) throw new HostError('INVALID_ARGUMENT', `channel ${id} has no path`, rec.domid);
      if (dev.connection === 'pty') tty = `/dev/pts/${ctx.meta.nextPty++}`;
      break;
    default:
      break;
  }
  return { dev, spec: pvSpec(kind, rec, id, backend, dev, tty) };
}

/** Adds `dev` to the stored config's list `list` (libxl's `device_add_domain_config`: replaces one with the same devid). */
function configAdd(ctx: Ctx, domid: number, list: string, dev: Obj): void {
  const config = ctx.tx.get<DomainConfig>('configs', numKey(domid));
  if (!config) return;
  const cur = Array.isArray(config[list]) ? (config[list] as Obj[]) : [];
  config[list] = [...cur.filter((d) => d.devid !== dev.devid), dev];
  ctx.tx.put('configs', numKey(domid), config);
}

/** Removes the device with `devid` from the stored config's list `list` (libxl's `device_remove_domain_config`). */
export function configRemove(ctx: Ctx, domid: number, list: string, match: (d: Obj) => boolean): void {
  const config = ctx.tx.get<DomainConfig>('configs', numKey(domid));
  if (!config || !Array.isArray(config[list])) return;
  const rest = (config[list] as Obj[]).filter((d) => !(isObj(d) && match(d)));
  if (rest.length) config[list] = rest;
  else delete config[list];
  ctx.tx.put('configs', numKey(domid), config);
}

/** The domain a device is hot-plugged to: a running guest (Domain-0 takes none). */
export function hotplugTarget(ctx: Ctx, domid: number, what: string): DomainRecord {
  const rec = ctx.mustDomain(domid);
  if (rec.domid === 0) throw new HostError('DOMAIN_0', `cannot ${what} Domain-0`, 0);
  if (rec.life.state !== 'running') throw new HostError('INVALID_STATE', `domain ${rec.domid} is not running`, rec.domid);
  return rec;
}

/**
 * Hot-plugs one device of `kind` (`xl vtpm-attach`, `vkb-attach`, `vdispl-attach`,
 * `vsnd-attach`; libxl_device_<kind>_add): completes it (`completePv`), plugs it
 * (backend probes at once, the frontend follows once the guest's xenbus is up) and
 * records it in the domain's config. Returns the devid. Throws NO_SUCH_DOMAIN,
 * DOMAIN_0, INVALID_STATE (not running), INVALID_ARGUMENT, DEVICE_BUSY.
 */
export function attachPv(ctx: Ctx, domid: number, kind: PvKind, device: unknown): number {
  const rec = hotplugTarget(ctx, domid, `attach a ${kind} to`);
  const { dev, spec } = completePv(ctx, rec, kind, device);
  plugDevice(ctx, rec, spec);
  configAdd(ctx, rec.domid, PV_KINDS[kind].list, dev);
  ctx.putDomain(rec);
  return spec.devid;
}

/**
 * Hot-unplugs one device (`xl vtpm-detach`, …; libxl__initiate_device_generic_remove):
 * the XenbusState teardown of `unplugDevice`, then the device leaves the config. Throws
 * NO_SUCH_DOMAIN, DOMAIN_0, NO_SUCH_DEVICE (nothing changes).
 */
export function detachPv(ctx: Ctx, domid: number, kind: PvKind, devid: number): void {
  const rec = ctx.mustDomain(domid);
  if (rec.domid === 0) throw new HostError('DOMAIN_0', `cannot detach a ${kind} from Domain-0`, 0);
  const fk = PV_KINDS[kind].kind;
  const d: DeviceRecord | undefined = ctx.device(rec.domid, fk, devid);
  if (!d) throw new HostError('NO_SUCH_DEVICE', `domain ${rec.domid} has no ${fk} ${String(devid)}`, rec.domid);
  unplugDevice(ctx, rec, d);
  configRemove(ctx, rec.domid, PV_KINDS[kind].list, (x) => x.devid === devid);
  ctx.putDomain(rec);
}

/** Whether a domain of `type` gets its config's `kind` devices (vfbs: PV and PVH only, as domcreate_launch_dm). */
function appliesTo(kind: PvKind, type: DomainType): boolean {
  return kind !== 'vfb' || type !== 'hvm';
}

/**
 * Plugs the devices of a new domain's config beyond its disks and nics, in libxl's
 * order (libxl_create.c `domcreate_launch_dm`, then `device_type_tbl`): channels
 * (consoles 1…n), PV calls, keyboards (an HVM guest without `vkb=` gets the default
 * QEMU one, `vkb_device`), framebuffers (PV, PVH), vTPMs, then `extra` (USB and PCI,
 * which their own modules plug), displays, sound cards and 9pfs shares. Devids not
 * given are numbered in list order. Throws `HostError` like `completePv`.
 */
export function plugConfigDevices(ctx: Ctx, rec: DomainRecord, config: DomainConfig, extra: (ctx: Ctx, rec: DomainRecord, config: DomainConfig) => void = () => undefined): void {
  const items = (list: string): unknown[] => (Array.isArray(config[list]) ? (config[list] as unknown[]) : []);
  const plugAll = (kind: PvKind): void => {
    if (!appliesTo(kind, rec.type)) return;
    items(PV_KINDS[kind].list).forEach((d, i) => {
      const devid = kind === 'channel' ? i + 1 : undefined;
      const { spec } = completePv(ctx, rec, kind, kind === 'channel' && isObj(d) ? { ...d, devid: undefined } : d, devid);
      plugDevice(ctx, rec, spec);
    });
  };
  plugAll('channel');
  plugAll('pvcalls');
  if (items('vkbs').length === 0 && rec.type === 'hvm' && defbool(config.b_info.vkb_device, true)) {
    plugDevice(ctx, rec, completePv(ctx, rec, 'vkb', {}).spec);
  } else {
    plugAll('vkb');
  }
  plugAll('vfb');
  plugAll('vtpm');
  extra(ctx, rec, config);
  plugAll('vdispl');
  plugAll('vsnd');
  plugAll('p9');
}
