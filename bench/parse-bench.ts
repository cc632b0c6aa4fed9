/**
 * Parse throughput benchmark for the xl.cfg parser (stack-notes.md §C6: upstream libxlu
 * does 62 MB/s, a minimal chevrotain 11.2 parser 37 MB/s; target ≥ 40 MB/s).
 *
 * `benchParse(texts)` parses every text to a ConfigFile repeatedly (after a warm-up) and
 * reports throughput. Run stand-alone with
 *   npx esbuild bench/parse-bench.ts --bundle --platform=node --format=esm --outfile=dist/parse-bench.js && node dist/parse-bench.js
 * from the project root, which measures the accepted files of ../shared/corpus.
 * Never part of the test suite.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../src/parser/config-file.js';

/**
 * Parse `texts` to ConfigFiles for about `minMs` milliseconds of CPU time (default 2000, after a
 * warm-up of the same length / 4) and return MB/s (10^6 UTF-16 code units — bytes for
 * ASCII configs — per second) and files per second.
 */
export async function benchParse(texts: string[], minMs = 2000): Promise<{ mbPerSec: number; filesPerSec: number }> {
  const bytes = texts.reduce((a, t) => a + t.length, 0);
  if (!texts.length || !bytes) return { mbPerSec: 0, filesPerSec: 0 };
  const round = () => {
    for (const t of texts) parseConfig(t, 'bench.cfg');
  };
  // CPU time of this process (user + system), not wall time: the figure stays meaningful
  // on a machine shared with other work.
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const run = (ms: number) => {
    let rounds = 0;
    const t0 = cpuMs();
    let t1 = t0;
    while (t1 - t0 < ms) {
      round();
      rounds++;
      t1 = cpuMs();
    }
    return { rounds, secs: (t1 - t0) / 1000 };
  };
  run(minMs / 4);
  const { rounds, secs } = run(minMs);
  return { mbPerSec: (bytes * rounds) / secs / 1e6, filesPerSec: (texts.length * rounds) / secs };
}

function corpusTexts(): string[] {
  // ../shared/corpus from the project root (the usual working directory), else next to this file.
  const candidates = [resolve(process.cwd(), '../shared/corpus') + '/', fileURLToPath(new URL('../../shared/corpus/', import.meta.url))];
  const root = candidates.find((c) => existsSync(c));
  if (!root) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = d + f;
      if (statSync(p).isDirectory()) walk(p + '/');
      else if (!/\.(tsv|md)$/.test(f)) out.push(readFileSync(p, 'latin1'));
    }
  };
  walk(root);
  return out.filter((t) => parseConfig(t, 'x').ok);
}

/** A dense, comment-light HVM config of about 0.9 KB (the corpus files are comment-heavy). */
export const DENSE_SAMPLE = `name = "guest-web-01"
type = "hvm"
memory = 4096
maxmem = 8192
vcpus = 4
maxvcpus = 8
cpus = "2-7"
on_poweroff = "destroy"
on_reboot = "restart"
on_crash = "restart"
# storage
disk = [ 'format=raw, vdev=xvda, access=rw, target=/dev/vg0/guest-web-01-root',
         'format=qcow2, vdev=xvdb, access=rw, target=/var/lib/xen/images/guest-web-01-data.qcow2',
         'format=raw, vdev=hdc, access=ro, devtype=cdrom, target=/srv/iso/debian-12.iso' ]
vif = [ 'mac=00:16:3e:5a:1c:01, bridge=xenbr0, model=e1000, rate=100Mb/s',
        'mac=00:16:3e:5a:1c:02, bridge=xenbr1, script=vif-bridge' ]
boot = "cd"
vnc = 1
vnclisten = "0.0.0.0"
vncpasswd = "s3cret"
serial = "pty"
usb = 1
usbdevice = [ "tablet" ]
viridian = [ "defaults", "time_ref_count" ]
pae = 1
acpi = 1
apic = 1
hap = 1
nestedhvm = 0
localtime = 0
vga = "stdvga"
videoram = 16
extra = "console=hvc0 root=/dev/xvda1 ro quiet"
pci = [ '0000:03:00.0,permissive=1', '0000:03:00.1' ]
`;

if (/parse-bench\.(ts|js|mjs)$/.test(process.argv[1] ?? '')) {
  const texts = corpusTexts();
  if (!texts.length) throw new Error('no corpus found at ../shared/corpus');
  const avg = texts.reduce((a, t) => a + t.length, 0) / texts.length;
  const r = await benchParse(texts);
  console.log(`${texts.length} accepted corpus files, ${avg.toFixed(0)} bytes average: ${r.mbPerSec.toFixed(1)} MB/s, ${r.filesPerSec.toFixed(0)} files/s`);
  const d = await benchParse([DENSE_SAMPLE]);
  console.log(`dense sample, ${DENSE_SAMPLE.length} bytes: ${d.mbPerSec.toFixed(1)} MB/s, ${d.filesPerSec.toFixed(0)} files/s`);
}
