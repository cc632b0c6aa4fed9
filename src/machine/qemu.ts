/**
 * The QEMU device model of an HVM guest, as far as its human monitor goes
 * (`xl qemu-monitor-command`: libxl sends QMP `human-monitor-command` to
 * `/var/run/xen/qmp-libxl-<domid>`, tools/libs/light/libxl_qmp.c). QEMU runs the HMP
 * command and returns what it printed, each `\n` turned into `\r\n` (monitor output
 * buffer, qemu monitor/monitor.c `monitor_puts_locked`).
 *
 * Answered from the host's real state, in QEMU 10.0's layouts (Debian 13's
 * qemu-system-xen, which its Xen 4.20 uses):
 * - `info status`: `VM status: running` / `paused` (hmp_info_status);
 * - `info version`: version and package string (hmp_info_version);
 * - `info cpus`: one line per online vCPU, `*` on the monitor's current one (hmp_info_cpus);
 * - `info block`: the emulated IDE disks and CD-ROMs libxl gave QEMU (libxl_dm.c: disk
 *   index < 4 → `if=ide,index=N`, default id `ide<N/2>-hd<N%2>`; CD-ROMs `id=ide-<devid>`),
 *   each with its node name, file, format, `Attached to:`, `Removable device:` and cache
 *   mode (block/qapi-system.c `print_block_info`), blank lines between devices;
 * - `info network`: each emulated NIC (`-device <model>,id=nic<N>`, default rtl8139) with
 *   its tap backend `net<N>` (`ifname=vif<domid>.<N>-emu,script=no,downscript=no`)
 *   (net/hmp-cmds.c `hmp_info_network`).
 * Anything else gets HMP's `unknown command: '<command>'` (monitor/hmp.c
 * `monitor_parse_command`); QEMU's other commands are not emulated (docs/compat.md).
 */
import type { DeviceDisk, DeviceNic, DomainConfig } from '../parser/libxl.js';
import { vdevToDevid } from '../parser/specs/vdev.js';
import type { Ctx } from './ctx.js';
import { netbackIfname } from './devices.js';
import { hash32 } from './prng.js';
import type { DomainRecord } from './records.js';
import { numKey } from './tables.js';
import { XenError } from './xen-error.js';

/** `info version`: QEMU_VERSION then QEMU_PKGVERSION, without a separator (Debian 13). */
export const QEMU_VERSION = '10.0.2Debian 1:10.0.2+ds-2';

/** The disk number libxl's `libxl__device_disk_dev_number` gives a vdev (hda/xvda/sda → 0, …). */
function diskIndex(vdev: string): number {
  const devid = vdevToDevid(vdev);
  if (devid === undefined) return -1;
  if (devid >= 1 << 28) return (devid - (1 << 28)) >> 8;
  const major = devid >> 8;
  if (major === 202) return (devid & 0xff) >> 4;
  if (major === 3) return (devid & 0xff) >> 6;
  if (major === 22) return 2 + ((devid & 0xff) >> 6);
  if (major === 8) return (devid & 0xff) >> 4;
  return -1;
}

/** `info block` lines for the guest's emulated drives (libxl_dm.c `libxl__build_device_model_args_new`). */
function infoBlock(rec: DomainRecord, config: DomainConfig | undefined): string[] {
  const blocks: string[][] = [];
  let node = 0;
  for (const d of (config?.disks ?? []) as DeviceDisk[]) {
    const vdev = typeof d.vdev === 'string' ? d.vdev : '';
    const index = diskIndex(vdev);
    if (index < 0 || vdev.startsWith('sd') || vdev.startsWith('nvme')) continue;
    const rnd = String(hash32('qemu-node', rec.uuid, vdev) % 100).padStart(2, '0');
    const attached = `    Attached to:      /machine/unattached/device[${23 + blocks.length}]`;
    const cache = '    Cache mode:       writeback';
    const file = typeof d.pdev_path === 'string' ? d.pdev_path : '';
    const fmt = typeof d.format === 'string' && d.format !== 'empty' ? d.format : 'raw';
    if (d.is_cdrom === 1) {
      const id = `ide-${vdevToDevid(vdev) ?? 0}`;
      if (file === '' || d.format === 'empty') {
        blocks.push([`${id}: [not inserted]`, attached, '    Removable device: not locked, tray closed']);
      } else {
        blocks.push([`${id} (#block${2 * node + 1}${rnd}): ${file} (${fmt}, read-only)`, attached, '    Removable device: not locked, tray closed', cache]);
        node++;
      }
      continue;
    }
    if (index >= 4) continue;
    blocks.push([`ide${index >> 1}-hd${index & 1} (#block${2 * node + 1}${rnd}): ${file} (${fmt}${d.readwrite === 1 ? '' : ', read-only'})`, attached, cache]);
    node++;
  }
  return blocks.flatMap((b, i) => (i === 0 ? b : ['', ...b]));
}

/** `info network`: emulated NICs (HVM nics are `vif_ioemu` unless `type=vif`) and their tap backends. */
function infoNetwork(ctx: Ctx, rec: DomainRecord, config: DomainConfig | undefined): string[] {
  const out: string[] = [];
  for (const n of (config?.nics ?? []) as DeviceNic[]) {
    if (n.nictype === 'vif') continue;
    const devid = typeof n.devid === 'number' ? n.devid : 0;
    const dev = ctx.device(rec.domid, 'vif', devid);
    const mac = typeof n.mac === 'string' ? n.mac : dev?.props.mac ?? '00:16:3e:00:00:00';
    const model = typeof n.model === 'string' ? n.model : 'rtl8139';
    out.push(`nic${devid}: index=0,type=nic,model=${model},macaddr=${mac}`);
    out.push(` \\ net${devid}: index=0,type=tap,ifname=${netbackIfname(rec.domid, devid)}-emu,script=no,downscript=no`);
  }
  return out;
}

/**
 * Runs one HMP command line in the domain's device model and returns its output (lines
 * ending `\r\n`). Throws XenError NO_SUCH_DOMAIN/ENOENT (no such domain) or
 * INVALID_ARGUMENT/ENOENT (no device model: PV/PVH guests and Domain-0 have no QMP
 * socket). Reads only.
 */
export function qemuMonitorCommand(ctx: Ctx, domid: number, command: string): string {
  const rec = ctx.domain(domid);
  if (!rec) throw new XenError('NO_SUCH_DOMAIN', 'ENOENT', `domain ${String(domid)} has no QMP socket`, domid);
  if (!rec.deviceModel) throw new XenError('INVALID_ARGUMENT', 'ENOENT', `domain ${domid} has no device model`, domid);
  const config = ctx.tx.get<DomainConfig>('configs', numKey(domid));
  const words = String(command).trim().split(/[ \t]+/).filter((w) => w !== '');
  let lines: string[];
  if (words.length === 0) lines = [];
  else if (words[0] === 'info' && words.length >= 2) {
    switch (words[1]) {
      case 'status':
        lines = [`VM status: ${rec.pauseCount > 0 ? 'paused' : 'running'}`];
        break;
      case 'version':
        lines = [QEMU_VERSION];
        break;
      case 'cpus': {
        const base = 1000 + (hash32('qemu-pid', rec.uuid) % 60000);
        lines = rec.vcpus.flatMap((v, i) => (v.online ? [`${i === 0 ? '*' : ' '} CPU #${i}: thread_id=${base + 1 + i}`] : []));
        break;
      }
      case 'block':
        lines = infoBlock(rec, config);
        break;
      case 'network':
        lines = infoNetwork(ctx, rec, config);
        break;
      default:
        lines = [`unknown command: 'info ${words[1]}'`];
    }
  } else lines = [`unknown command: '${words[0]}'`];
  return lines.map((l) => `${l}\r\n`).join('');
}

/** A device model's VNC server: where it listens (`console/vnc-listen`) and its TCP port (`console/vnc-port`). */
export interface VncServer {
  listen: string;
  /** 5900 + display. */
  port: number;
}

/** The VNC settings of a config: HVM `type.hvm.vnc` (on unless `vnc=0` or `nographic`), PV/PVH a `vfb` with VNC. */
function vncSettings(config: DomainConfig): Record<string, unknown> | undefined {
  if (config.c_info.type === 'hvm') {
    const hvm = (config.b_info['type.hvm'] ?? {}) as Record<string, unknown>;
    const vnc = (hvm.vnc ?? {}) as Record<string, unknown>;
    if (vnc.enable === 'False' || hvm.nographic === 'True') return undefined;
    return vnc;
  }
  const vfbs = Array.isArray(config.vfbs) ? (config.vfbs as Record<string, unknown>[]) : [];
  const vnc = vfbs.map((v) => (v.vnc ?? {}) as Record<string, unknown>).find((v) => v.enable !== 'False');
  return vnc;
}

/**
 * The VNC server of the domain's device model, or undefined when it has none (libxl
 * then logs `Cannot get vnc-port`). Displays are handed out in domid order: the config's
 * `vncdisplay` (default 0), or with `vncunused` (the default) the first display from
 * there that no earlier domain uses, as QEMU's `-vnc …,to=99` does. The listen address
 * is `vnclisten` (a `host:display` form gives the display too), default 127.0.0.1.
 */
export function vncServer(ctx: Ctx, domid: number): VncServer | undefined {
  const taken = new Set<number>();
  for (const d of ctx.allDomainCores()) {
    if (d.domid === 0) continue;
    const config = ctx.tx.get<DomainConfig>('configs', numKey(d.domid));
    const vnc = config ? vncSettings(config) : undefined;
    if (!vnc) continue;
    let listen = typeof vnc.listen === 'string' && vnc.listen !== '' ? vnc.listen : '127.0.0.1';
    let display = typeof vnc.display === 'number' ? vnc.display : 0;
    const colon = listen.lastIndexOf(':');
    if (colon >= 0) {
      display = Number.parseInt(listen.slice(colon + 1), 10) || 0;
      listen = listen.slice(0, colon);
    }
    if (vnc.findunused !== 'False') while (taken.has(display)) display++;
    taken.add(display);
    if (d.domid === domid) return { listen, port: 5900 + display };
  }
  return undefined;
}
