/**
 * Split-driver devices: a backend in Domain-0 (or the driver domain named by
 * `backend=`) and a frontend in the guest, meeting in xenstore, connected by a shared
 * ring (a grant reference) and an event channel. Each end is a XenbusState machine
 * (xen/include/public/io/xenbus.h); the handshake follows libxl_device.c and the Linux
 * xenbus drivers:
 *
 * ```
 *  plug (toolstack)   backend dir + frontend dir written, both Initialising (1)
 *  backend probe      backend → InitWait (2)          (hotplug script run; xl returns)
 *  frontend init      ring granted, event channel bound, ring-ref/event-channel
 *                     written, frontend → Initialised (3)   (needs the guest's xenbus up)
 *  backend connect    ring mapped, backend → Connected (4)
 *  frontend connect   frontend → Connected (4)
 *  unplug             backend → Closing (5), frontend → Closing → Closed (6),
 *                     grants ended, channel closed, backend → Closed, both dirs removed
 * ```
 *
 * Steps after the probe happen as queued events a few ms apart (guest-clock for the
 * frontend, so a paused guest's frontend waits), which tests can step through one by
 * one. An invalid state change is `HostError('INVALID_TRANSITION')`.
 */
import { bindInterdomain, closeChannel, endGrant, grantAccess } from './channels.js';
import { consoleWrite } from './console.js';
import { Ctx } from './ctx.js';
import { HostError } from './errors.js';
import { printkStamp } from './guest/bootlog.js';
import { hash32 } from './prng.js';
import type { DeviceKind, DeviceRecord, DomainRecord } from './records.js';
import { XenbusState } from './records.js';
import { xsRmClean, xsUnwatch, xsWatch, xsWrite } from './xenstore.js';
import { domainExecuting } from './summary.js';

/** Allowed XenbusState changes of one end (Linux drivers/xen/xenbus, libxl_device.c). */
export const XENBUS_TRANSITIONS: Readonly<Record<XenbusState, readonly XenbusState[]>> = {
  [XenbusState.Unknown]: [XenbusState.Initialising],
  [XenbusState.Initialising]: [XenbusState.InitWait, XenbusState.Initialised, XenbusState.Closing, XenbusState.Closed],
  [XenbusState.InitWait]: [XenbusState.Initialised, XenbusState.Connected, XenbusState.Closing, XenbusState.Closed],
  [XenbusState.Initialised]: [XenbusState.Connected, XenbusState.Closing, XenbusState.Closed],
  [XenbusState.Connected]: [XenbusState.Closing, XenbusState.Reconfiguring, XenbusState.Closed],
  [XenbusState.Closing]: [XenbusState.Closed],
  [XenbusState.Closed]: [XenbusState.Initialising],
  [XenbusState.Reconfiguring]: [XenbusState.Reconfigured],
  [XenbusState.Reconfigured]: [XenbusState.Connected],
};

/** Delay between handshake steps, ms (guest-clock for frontend steps). */
export const XENBUS_STEP_MS = 2;

/** What the toolstack writes to plug a device (libxl__device_*_add). */
export interface DeviceSpec {
  kind: DeviceKind;
  /** Directory under `backend/`: `vbd`, `qdisk`, `vif`, `vkbd`, … */
  backendKind: string;
  devid: number;
  backendDomid: number;
  /** Frontend nodes besides `backend`, `backend-id`, `state`. */
  frontend: Record<string, string>;
  /** Backend nodes besides `frontend`, `frontend-id`, `online`, `state`. */
  backend: Record<string, string>;
  /** Facts for the list commands (`mac`, `bridge`, `vdev`, `params`, `ifname`, …). */
  props: Record<string, string>;
  /** Number of ring pages the frontend grants (vbd 1; vif 2: tx and rx). */
  rings: number;
  /**
   * Frontend node that receives each granted page's reference, in grant order (default:
   * vif `tx-ring-ref`, `rx-ring-ref`; others `ring-ref`). May name a subdirectory
   * (`0/req-ring-ref` for a vdispl connector).
   */
  ringNodes?: string[];
  /** Frontend node of each event channel the frontend binds (default `['event-channel']`). */
  evtchNodes?: string[];
  /** Frontend nodes the guest may only read (libxl's `ro_fents`: owner the backend domain, guest `r`). */
  roFrontend?: Record<string, string>;
  /** Further frontend nodes the frontend writes at init, besides grants and channels (`protocol`, vkbd `page-ref` …). */
  feInit?: Record<string, string>;
  /** libxl keeps no copy under `/libxl/<domid>/device` (the pciback backend libxl_pci.c writes by hand). */
  noLibxlPath?: boolean;
  /** Whether a guest driver answers the frontend (default true; false: an HVM guest's PCI frontend, which QEMU replaces). */
  frontendDriver?: boolean;
}

/** The frontend layout of a device's rings and channels, kept in its props (see `DeviceSpec`). */
interface RingLayout {
  ringNodes: string[];
  evtchNodes: string[];
  feInit: Record<string, string>;
}

/** The ring/channel layout of `dev` (defaults as `DeviceSpec` documents them). */
function layoutOf(dev: DeviceRecord): RingLayout {
  const rings = Number(dev.props.rings ?? '1');
  const split = (s: string | undefined): string[] | undefined => (s === undefined || s === '' ? undefined : s.split(','));
  const def = dev.kind === 'vif' ? ['tx-ring-ref', 'rx-ring-ref'] : ['ring-ref'];
  const ringNodes = split(dev.props.ringNodes) ?? Array.from({ length: rings }, (_, i) => def[i] ?? `ring-ref${i}`);
  const evtchNodes = split(dev.props.evtchNodes) ?? ['event-channel'];
  let feInit: Record<string, string> = {};
  if (dev.props.feInit) {
    try {
      feInit = JSON.parse(dev.props.feInit) as Record<string, string>;
    } catch {
      feInit = {};
    }
  }
  return { ringNodes: ringNodes.slice(0, rings), evtchNodes, feInit };
}

/**
 * A disk's backend `params` in xenstore for `backend` (`phy`, `qdisk`, …), its `format`
 * and its `path`: `<format>:<path>` for qdisk, the bare path otherwise (libxl_disk.c
 * `device_disk_add`, and `libxl_cdrom_insert` for a new medium).
 */
export function diskParams(backend: string, format: string, path: string): string {
  return backend === 'qdisk' ? `${format}:${path}` : path;
}

/**
 * The name of vif `devid` of domain `domid` in its backend domain before any `vifname=`
 * rename: `vif<domid>.<devid>` (libxl_nic.c `libxl__device_nic_devname`, NETBACK_NIC_NAME);
 * its emulated twin for an HVM guest's device model adds `-emu` (TAP_DEVICE_SUFFIX).
 */
export function netbackIfname(domid: number, devid: number): string {
  return `vif${domid}.${devid}`;
}

/** `/libxl/<domid>/device/<kind>/<devid>`: libxl's own copy of a device (libxl__device_libxl_path). */
export function libxlDevicePath(domid: number, kind: string, devid: number): string {
  return `/libxl/${domid}/device/${kind}/${devid}`;
}

/** Changes one end's XenbusState, writing its `state` node; throws INVALID_TRANSITION. */
export function setXenbusState(ctx: Ctx, dev: DeviceRecord, side: 'backend' | 'frontend', to: XenbusState): void {
  const from = side === 'backend' ? dev.be : dev.fe;
  if (!XENBUS_TRANSITIONS[from].includes(to)) {
    throw new HostError('INVALID_TRANSITION',
      `${dev.kind} ${dev.devid} of domain ${dev.domid}: ${side} cannot go from ${XenbusState[from]} to ${XenbusState[to]}`, dev.domid);
  }
  if (side === 'backend') dev.be = to;
  else dev.fe = to;
  xsWrite(ctx, `${side === 'backend' ? dev.backendPath : dev.frontendPath}/state`, String(to));
  ctx.emit({ kind: 'device', at: ctx.now, domid: dev.domid, device: `${dev.kind}/${dev.devid}`, side, state: to });
}

/** Whether the guest's xenbus is up, so its frontends react (guest/os.ts sets the flag at the boot milestone). */
export function xenbusUp(rec: DomainRecord): boolean {
  return rec.guest.xenbus;
}

/**
 * Plugs a device: writes both directories at Initialising, lets the backend probe
 * (→ InitWait) and, if the guest's xenbus is up, queues the frontend's side of the
 * handshake. Returns the new row (already written). The backend domain must exist
 * (HostError NO_SUCH_DOMAIN otherwise).
 */
export function plugDevice(ctx: Ctx, rec: DomainRecord, spec: DeviceSpec): DeviceRecord {
  const bdom = spec.backendDomid === rec.domid ? rec : ctx.mustDomain(spec.backendDomid);
  const fe = `/local/domain/${rec.domid}/device/${spec.kind}/${spec.devid}`;
  const be = `/local/domain/${bdom.domid}/backend/${spec.backendKind}/${rec.domid}/${spec.devid}`;
  const fePerms = [`n${rec.domid}`, `r${bdom.domid}`];
  const bePerms = [`n${bdom.domid}`, `r${rec.domid}`];
  xsWrite(ctx, fe, '', fePerms);
  xsWrite(ctx, `${fe}/backend`, be);
  xsWrite(ctx, `${fe}/backend-id`, String(bdom.domid));
  for (const [k, v] of Object.entries(spec.frontend)) xsWrite(ctx, `${fe}/${k}`, v);
  xsWrite(ctx, `${fe}/state`, String(XenbusState.Initialising));
  xsWrite(ctx, be, '', bePerms);
  xsWrite(ctx, `${be}/frontend`, fe);
  xsWrite(ctx, `${be}/frontend-id`, String(rec.domid));
  for (const [k, v] of Object.entries(spec.backend)) xsWrite(ctx, `${be}/${k}`, v);
  xsWrite(ctx, `${be}/online`, '1');
  xsWrite(ctx, `${be}/state`, String(XenbusState.Initialising));
  // Read-only frontend nodes: owned by the backend domain, readable by the guest.
  for (const [k, v] of Object.entries(spec.roFrontend ?? {})) xsWrite(ctx, `${fe}/${k}`, v, [`n${bdom.domid}`, `r${rec.domid}`]);
  // libxl keeps its own copy: both paths and the backend's entries (libxl__device_generic_add).
  if (!spec.noLibxlPath) {
    const lp = libxlDevicePath(rec.domid, spec.kind, spec.devid);
    xsWrite(ctx, `${lp}/frontend`, fe);
    xsWrite(ctx, `${lp}/backend`, be);
    xsWrite(ctx, `${lp}/frontend-id`, String(rec.domid));
    for (const [k, v] of Object.entries(spec.backend)) xsWrite(ctx, `${lp}/${k}`, v);
    xsWrite(ctx, `${lp}/online`, '1');
    xsWrite(ctx, `${lp}/state`, String(XenbusState.Initialising));
  }
  // Each driver watches the other end's state node.
  xsWatch(ctx, bdom.domid, `${fe}/state`, `be:${spec.kind}:${rec.domid}:${spec.devid}`);
  xsWatch(ctx, rec.domid, `${be}/state`, `fe:${spec.kind}:${spec.devid}`);
  const dev: DeviceRecord = {
    kind: spec.kind,
    backendKind: spec.backendKind,
    devid: spec.devid,
    domid: rec.domid,
    backendDomid: bdom.domid,
    frontendPath: fe,
    backendPath: be,
    be: XenbusState.Initialising,
    fe: XenbusState.Initialising,
    grants: [],
    props: {
      ...spec.props,
      rings: String(spec.rings),
      ...(spec.ringNodes ? { ringNodes: spec.ringNodes.join(',') } : {}),
      ...(spec.evtchNodes ? { evtchNodes: spec.evtchNodes.join(',') } : {}),
      ...(spec.feInit ? { feInit: JSON.stringify(spec.feInit) } : {}),
      ...(spec.frontendDriver === false ? { noFrontend: '1' } : {}),
    },
    rate: 500 + (hash32(spec.kind, rec.uuid, spec.devid) % 1000),
    pluggedAt: ctx.now,
  };
  // The backend driver probes at once (Domain-0 always runs) and its hotplug script runs.
  setXenbusState(ctx, dev, 'backend', XenbusState.InitWait);
  // The block hotplug script (phy only: QEMU opens a qdisk's image itself) writes physical-device.
  if (spec.kind === 'vbd' && spec.backendKind === 'vbd') xsWrite(ctx, `${be}/physical-device`, `fe:${(hash32('dev', spec.props.params ?? '') % 256).toString(16)}`);
  if (spec.kind === 'vif') xsWrite(ctx, `${be}/hotplug-status`, 'connected');
  ctx.putDevice(dev);
  // A frontend whose guest is paused answers once it runs again (the timer waits with it).
  if (xenbusUp(rec) && !dev.props.noFrontend) ctx.addTimer(rec, ctx.runMs(rec) + XENBUS_STEP_MS, 'xenbus', { step: 'fe-init', kind: dev.kind, devid: dev.devid });
  return dev;
}

/**
 * The frontend's first step: grants its ring page(s) to the backend, binds an event
 * channel, writes `ring-ref` (vif: `tx-ring-ref`, `rx-ring-ref`) and `event-channel`,
 * goes Initialised, and the backend connects one step later.
 */
export function frontendInit(ctx: Ctx, rec: DomainRecord, dev: DeviceRecord): void {
  if (dev.fe !== XenbusState.Initialising || dev.be !== XenbusState.InitWait || dev.props.noFrontend) return;
  const bdom = dev.backendDomid === rec.domid ? rec : ctx.domain(dev.backendDomid);
  if (!bdom) return;
  const layout = layoutOf(dev);
  dev.grants = [];
  for (const node of layout.ringNodes) {
    const ref = grantAccess(ctx, rec, bdom.domid, `${dev.kind} ${dev.devid} ${node}`);
    dev.grants.push(ref);
    xsWrite(ctx, `${dev.frontendPath}/${node}`, String(ref));
  }
  const extra: [number, number][] = [];
  layout.evtchNodes.forEach((node, i) => {
    const [fePort, bePort] = bindInterdomain(ctx, rec, bdom, i === 0 ? `${dev.kind} ${dev.devid}` : `${dev.kind} ${dev.devid} ${node}`);
    if (i === 0) {
      dev.evtch = fePort;
      dev.backendEvtch = bePort;
    } else {
      extra.push([fePort, bePort]);
    }
    xsWrite(ctx, `${dev.frontendPath}/${node}`, String(fePort));
  });
  if (extra.length) dev.extraEvtchs = extra;
  for (const [k, v] of Object.entries(layout.feInit)) xsWrite(ctx, `${dev.frontendPath}/${k}`, v);
  setXenbusState(ctx, dev, 'frontend', XenbusState.Initialised);
  rec.counters.grant_table_op = (rec.counters.grant_table_op ?? 0) + layout.ringNodes.length;
  rec.counters.event_channel_op = (rec.counters.event_channel_op ?? 0) + layout.evtchNodes.length;
  ctx.putDevice(dev);
  if (bdom !== rec) ctx.putDomain(bdom);
  ctx.schedule(ctx.now + XENBUS_STEP_MS, 'xenbus-be', rec.domid, { kind: dev.kind, devid: dev.devid, step: 'be-connect' });
}

/** The backend maps the ring and binds its end: backend Connected; the frontend follows. */
export function backendConnect(ctx: Ctx, rec: DomainRecord, dev: DeviceRecord): void {
  if (dev.be !== XenbusState.InitWait || dev.fe !== XenbusState.Initialised) return;
  setXenbusState(ctx, dev, 'backend', XenbusState.Connected);
  ctx.putDevice(dev);
  ctx.addTimer(rec, ctx.runMs(rec) + XENBUS_STEP_MS, 'xenbus', { step: 'fe-connect', kind: dev.kind, devid: dev.devid });
}

/** The frontend sees the backend Connected and goes Connected; a hot-plugged disk says so on the console. */
export function frontendConnect(ctx: Ctx, rec: DomainRecord, dev: DeviceRecord): void {
  if (dev.fe !== XenbusState.Initialised || dev.be !== XenbusState.Connected) return;
  setXenbusState(ctx, dev, 'frontend', XenbusState.Connected);
  ctx.putDevice(dev);
  if (rec.guest.stage === 'up' && rec.guest.os === 'linux' && dev.kind === 'vbd') {
    consoleWrite(ctx, rec, `${printkStamp(ctx.runMs(rec) * 1000)} blkfront: ${dev.props.vdev ?? dev.devid}: flush diskcache: enabled; persistent grants: enabled; indirect descriptors: enabled; bounce buffer: enabled\r\n`);
  }
}

/** Queues the frontend side of every device still waiting for it (the guest's xenbus just came up). */
export function connectFrontends(ctx: Ctx, rec: DomainRecord): void {
  for (const dev of ctx.devices(rec.domid)) {
    if (dev.fe === XenbusState.Initialising && dev.be === XenbusState.InitWait && !dev.props.noFrontend) {
      ctx.addTimer(rec, ctx.runMs(rec) + XENBUS_STEP_MS, 'xenbus', { step: 'fe-init', kind: dev.kind, devid: dev.devid });
    }
  }
}

/**
 * Unplugs a device (libxl__initiate_device_generic_remove): backend Closing; a frontend
 * that can answer (its guest executing with xenbus up, the device past Initialising)
 * goes Closing → Closed and gives back its grants and channel; the backend goes Closed;
 * both directories and the watches go. With `force` (domain destroy) or a frontend
 * that cannot answer, the backend is closed and the frontend's resources are reclaimed
 * by Xen. Returns whether the frontend answered.
 */
export function unplugDevice(ctx: Ctx, rec: DomainRecord, dev: DeviceRecord, force = false): boolean {
  const answers = !force && domainExecuting(rec) && xenbusUp(rec) && dev.fe !== XenbusState.Initialising;
  if (dev.be !== XenbusState.Closing && dev.be !== XenbusState.Closed) {
    xsWrite(ctx, `${dev.backendPath}/online`, '0');
    setXenbusState(ctx, dev, 'backend', XenbusState.Closing);
  }
  if (answers) {
    if (dev.fe !== XenbusState.Closing) setXenbusState(ctx, dev, 'frontend', XenbusState.Closing);
    setXenbusState(ctx, dev, 'frontend', XenbusState.Closed);
  }
  for (const ref of dev.grants) endGrant(ctx, rec.domid, ref);
  if (dev.evtch !== undefined) closeChannel(ctx, rec.domid, dev.evtch);
  for (const [fePort] of dev.extraEvtchs ?? []) closeChannel(ctx, rec.domid, fePort);
  dev.grants = [];
  delete dev.evtch;
  delete dev.backendEvtch;
  delete dev.extraEvtchs;
  setXenbusState(ctx, dev, 'backend', XenbusState.Closed);
  xsUnwatch(ctx, `${dev.frontendPath}/state`, `be:${dev.kind}:${rec.domid}:${dev.devid}`);
  xsUnwatch(ctx, `${dev.backendPath}/state`, `fe:${dev.kind}:${dev.devid}`);
  xsRmClean(ctx, dev.frontendPath, `/local/domain/${rec.domid}/device`);
  xsRmClean(ctx, dev.backendPath, `/local/domain/${dev.backendDomid}`);
  xsRmClean(ctx, libxlDevicePath(rec.domid, dev.kind, dev.devid), `/libxl/${rec.domid}`);
  ctx.delDevice(dev);
  rec.timers = rec.timers.filter((t) => {
    const mine = t.kind === 'xenbus' && t.data?.kind === dev.kind && t.data?.devid === dev.devid;
    if (mine && t.queued) ctx.unschedule(t.queued);
    return !mine;
  });
  return answers;
}
