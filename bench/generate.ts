/**
 * A deterministic generator of realistic xl.cfg files for the benchmarks: PV, PVH
 * and HVM guests with the keys, comments, lists and quoting styles real
 * `/etc/xen/*.cfg` files use (see shared/corpus/ for the real ones it imitates).
 */

/** A small seeded PRNG (mulberry32): same seed, same corpus. Returns floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DISTROS = ['debian', 'ubuntu', 'alpine', 'fedora', 'rocky', 'arch', 'opensuse', 'freebsd', 'netbsd', 'win'];
const BRIDGES = ['xenbr0', 'xenbr1', 'br-lan', 'br-dmz'];

/**
 * Generates `count` config texts (each roughly 0.6–2 KB) from `seed`.
 * Every text is valid xl.cfg syntax that xl accepts.
 */
export function generateConfigs(count: number, seed = 42): string[] {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const hex2 = () => Math.floor(rand() * 256).toString(16).padStart(2, '0');
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const distro = pick(DISTROS);
    const name = `${distro}-${i}`;
    const kind = pick(['pv', 'pvh', 'hvm'] as const);
    const q = rand() < 0.7 ? '"' : "'";
    let directKernel = false;
    const lines: string[] = [];
    lines.push(`# ${name}: generated ${kind} guest for the xlsim benchmark`);
    lines.push('#');
    lines.push(`name = ${q}${name}${q}`);
    lines.push(`type = "${kind}"`);
    const mem = pick([256, 512, 1024, 2048, 4096, 8192]);
    lines.push(`memory = ${mem}`);
    if (rand() < 0.4) lines.push(`maxmem = ${mem * 2}`);
    const vcpus = pick([1, 1, 2, 2, 4, 8]);
    lines.push(`vcpus = ${vcpus}`);
    if (rand() < 0.3) lines.push(`maxvcpus = ${vcpus * 2}`);
    if (kind === 'hvm') {
      lines.push(`firmware = "${pick(['bios', 'uefi', 'seabios', 'ovmf'])}"`);
      lines.push('vnc = 1');
      lines.push('vnclisten = "127.0.0.1"');
      lines.push(`boot = "${pick(['c', 'dc', 'cd', 'n'])}"`);
      lines.push(`serial = "pty"`);
      if (distro === 'win') lines.push('viridian = [ "defaults" ]');
      lines.push('usb = 1');
      lines.push('usbdevice = [ "tablet" ]');
    } else if (rand() < 0.5) {
      lines.push(`bootloader = "pygrub"`);
    } else {
      lines.push(`kernel = "/var/lib/xen/images/${distro}/vmlinuz"`);
      lines.push(`ramdisk = "/var/lib/xen/images/${distro}/initrd.img"`);
      lines.push(`extra = "root=/dev/xvda1 ro console=hvc0 elevator=noop"`);
      directKernel = true;
    }
    const ndisks = 1 + Math.floor(rand() * 3);
    lines.push('disk = [');
    for (let d = 0; d < ndisks; d++) {
      const vdev = `xvd${String.fromCharCode(97 + d)}`;
      const style = rand();
      const spec =
        style < 0.4
          ? `format=raw, vdev=${vdev}, access=rw, target=/dev/vg0/${name}-disk${d}`
          : style < 0.8
            ? `phy:/dev/vg0/${name}-disk${d},${vdev},w`
            : `/var/lib/xen/images/${name}/disk${d}.qcow2,qcow2,${vdev},rw`;
      lines.push(`    '${spec}',${rand() < 0.3 ? '  # disk ' + d : ''}`);
    }
    lines.push(']');
    const nvifs = 1 + Math.floor(rand() * 2);
    const vifs: string[] = [];
    for (let v = 0; v < nvifs; v++) {
      const mac = `00:16:3e:${hex2()}:${hex2()}:${hex2()}`;
      vifs.push(`"mac=${mac}, bridge=${pick(BRIDGES)}${rand() < 0.3 ? ', rate=100Mb/s' : ''}"`);
    }
    lines.push(`vif = [ ${vifs.join(', ')} ]`);
    if (rand() < 0.3) lines.push(`cpus = "${Math.floor(rand() * 4)}-${4 + Math.floor(rand() * 4)}"`);
    if (rand() < 0.3) lines.push(`cpu_weight = ${pick([128, 256, 512])}`);
    lines.push(`on_poweroff = "destroy"`);
    lines.push(`on_reboot = "restart"`);
    lines.push(`on_crash = "${pick(['restart', 'destroy', 'preserve'])}"`);
    if (directKernel && rand() < 0.4) lines.push(`extra += " quiet"`);
    out.push(lines.join('\n') + '\n');
  }
  return out;
}
