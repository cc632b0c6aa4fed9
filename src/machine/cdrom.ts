/**
 * Media change on an emulated CD-ROM drive (`xl cd-insert`, `xl cd-eject`), as
 * libxl_disk.c `libxl_cdrom_insert` (Xen 4.20.0) does it: only for an HVM guest, only on
 * a vbd that is a cdrom (`device-type` `cdrom`); libxl first empties the drive (writes
 * `type` and an empty `params` to the backend and to its own copy), then QEMU opens the
 * new medium and libxl writes its `type` and `params` (`<format>:<path>` for a qdisk
 * backend) the same way, and updates the stored config. Ejecting is inserting nothing.
 *
 * A Linux guest's kernel sees the tray open and the new medium: its console shows it
 * (the emulated IDE drive `hdc` is `sr 1:0:0:0` / `sr0` to the SCSI layer).
 */
import type { DeviceDisk, DomainConfig } from '../parser/libxl.js';
import { consoleWrite } from './console.js';
import { Ctx } from './ctx.js';
import { DeviceError } from './device-errors.js';
import { diskParams, libxlDevicePath } from './devices.js';
import { printkStamp } from './guest/bootlog.js';
import type { DeviceRecord } from './records.js';
import { numKey } from './tables.js';
import { xsWrite } from './xenstore.js';
import { domainExecuting } from './summary.js';

/** The SCSI address and `srN` name Linux gives an emulated IDE CD drive (hda…hdd: ata1/ata2 master/slave). */
function scsiName(vdev: string, index: number): string {
  const m = /^hd([a-d])$/.exec(vdev);
  const n = m ? m[1]!.charCodeAt(0) - 97 : 2;
  return `sr ${n >> 1}:0:${n & 1}:0: [sr${index}]`;
}

/**
 * Puts `target` into the CD drive `vdev` of HVM domain `domid` (`xl cd-insert`); an
 * empty `target` ejects (`xl cd-eject`). `format` is the medium's libxl disk format
 * (`raw`, `qcow2` …; `empty` for none). Throws NO_SUCH_DOMAIN, DeviceError
 * INVALID_ARGUMENT (`cd-not-hvm`), NO_SUCH_DEVICE (`cd-no-drive`: no cdrom vbd with
 * that vdev).
 */
export function cdInsert(ctx: Ctx, domid: number, vdev: string, target: string, format = target === '' ? 'empty' : 'raw'): void {
  const rec = ctx.mustDomain(domid);
  if (rec.type !== 'hvm') throw new DeviceError('INVALID_ARGUMENT', 'cd-not-hvm', `domain ${rec.domid} is not an HVM domain`, rec.domid);
  const dev: DeviceRecord | undefined = ctx.devices(rec.domid).find((d) => d.kind === 'vbd' && d.props['device-type'] === 'cdrom' && d.props.vdev === vdev);
  if (!dev) throw new DeviceError('NO_SUCH_DEVICE', 'cd-no-drive', `domain ${rec.domid} has no cdrom ${vdev}`, rec.domid);
  const backend = dev.props.backend ?? 'phy';
  const lp = libxlDevicePath(rec.domid, 'vbd', dev.devid);
  const empty = target === '' || format === 'empty';
  // Eject first (cdrom_insert_ejected), then insert (cdrom_insert_inserted).
  for (const base of [dev.backendPath, lp]) {
    xsWrite(ctx, `${base}/type`, backend);
    xsWrite(ctx, `${base}/params`, '');
  }
  const params = empty ? '' : diskParams(backend, format, target);
  if (!empty) {
    for (const base of [dev.backendPath, lp]) {
      xsWrite(ctx, `${base}/type`, backend);
      xsWrite(ctx, `${base}/params`, params);
    }
  }
  const had = dev.props.params ?? '';
  dev.props.params = empty ? '' : target;
  dev.props.format = empty ? 'empty' : format;
  ctx.putDevice(dev);
  const config = ctx.tx.get<DomainConfig>('configs', numKey(rec.domid));
  if (config && Array.isArray(config.disks)) {
    config.disks = config.disks.map((d: DeviceDisk) => {
      if (d.vdev !== vdev || d.is_cdrom !== 1) return d;
      const next: DeviceDisk = { ...d, pdev_path: empty ? '' : target, format: (empty ? 'empty' : format) as DeviceDisk['format'] };
      return next;
    });
    ctx.tx.put('configs', numKey(rec.domid), config);
  }
  if (rec.guest.os === 'linux' && rec.guest.stage === 'up' && domainExecuting(rec)) {
    const index = ctx.devices(rec.domid).filter((d) => d.kind === 'vbd' && d.props['device-type'] === 'cdrom' && d.devid < dev.devid).length;
    const name = scsiName(vdev, index);
    const stamp = printkStamp(ctx.runMs(rec) * 1000);
    if (had !== '') consoleWrite(ctx, rec, `${stamp} ${name} tray open: medium removed\r\n`);
    if (!empty) consoleWrite(ctx, rec, `${stamp} ${name} media changed: ${target.slice(target.lastIndexOf('/') + 1)}\r\n`);
  }
  ctx.putDomain(rec);
}

