/** Test helpers for the machine tests: libxl-shaped configs as the parser would produce them. */
import type { DomainConfig, DomainType } from '../../src/parser/libxl.js';

/** Options for `guestConfig`. */
export interface GuestOpts {
  type?: DomainType;
  memoryMiB?: number;
  vcpus?: number;
  maxVcpus?: number;
  uuid?: string;
  kernel?: string;
  disks?: { vdev: string; target: string }[];
  nics?: { mac?: string; bridge?: string }[];
  onPoweroff?: DomainConfig['on_poweroff'];
  onReboot?: DomainConfig['on_reboot'];
  weight?: number;
  cap?: number;
}

/** A DomainConfig like `xl create` would build from `name=… memory=… vcpus=…`. */
export function guestConfig(name: string, o: GuestOpts = {}): DomainConfig {
  const type = o.type ?? 'pv';
  const memkb = (o.memoryMiB ?? 512) * 1024;
  const max = o.maxVcpus ?? o.vcpus ?? 1;
  const cfg: DomainConfig = {
    c_info: { type, name, domid: 4294967295, ...(o.uuid ? { uuid: o.uuid } : {}), run_hotplug_scripts: 'True' },
    b_info: {
      max_vcpus: max,
      avail_vcpus: Array.from({ length: o.vcpus ?? max }, (_, i) => i),
      max_memkb: memkb,
      target_memkb: memkb,
      sched_params: { ...(o.weight ? { weight: o.weight } : {}), ...(o.cap ? { cap: o.cap } : {}) },
      ...(type === 'hvm' ? {} : { kernel: o.kernel ?? '/boot/vmlinuz-6.1.0-21-amd64' }),
      arch_arm: {},
      arch_x86: {},
    },
  };
  if (o.disks) {
    cfg.disks = o.disks.map((d) => ({ pdev_path: d.target, vdev: d.vdev, backend: 'phy', format: 'raw', readwrite: 1 }));
  }
  if (o.nics) cfg.nics = o.nics.map((n) => ({ ...(n.mac ? { mac: n.mac } : {}), ...(n.bridge ? { bridge: n.bridge } : {}) }));
  if (o.onPoweroff) cfg.on_poweroff = o.onPoweroff;
  if (o.onReboot) cfg.on_reboot = o.onReboot;
  return cfg;
}

/** 2026-01-01T00:00:00Z in ms. */
export const T0 = Date.UTC(2026, 0, 1);

/**
 * Runs the host's queued events one by one until `pred()` holds; returns the host time
 * then. Throws when nothing more is queued within `limitMs` (the condition can never hold).
 */
export function runUntil(host: { now(): number; nextEventTime(): number | undefined; advanceTo(ms: number): void }, pred: () => boolean, limitMs = 600_000): number {
  const end = host.now() + limitMs;
  while (!pred()) {
    const t = host.nextEventTime();
    if (t === undefined || t > end) throw new Error('runUntil: the condition never holds');
    host.advanceTo(t);
  }
  return host.now();
}
