/**
 * Xen's debug keys (`xl debug-keys KEYS`, XEN_SYSCTL_debug_keys → `handle_keypress`):
 * each key runs its handler, whose `printk` output lands in the hypervisor console ring
 * (`xl dmesg`), every line prefixed `(XEN) ` (xen/drivers/char/console.c).
 *
 * The key table is that of an x86 release build of Xen 4.20 on the Intel VT-x/VT-d
 * machine the boot log describes: the static table of xen/common/keyhandler.c plus every
 * `register_keyhandler` / `register_irq_keyhandler` call compiled into such a build
 * (debug-only keys such as 'S', 'O', 'T', 'p', 'l' are absent). Keys without a handler
 * print nothing, as in Xen.
 *
 * The handlers that show the host's state use the real state: 'h' (keyhandler.c
 * `show_handlers`), 'q' (`dump_domains`), 'r' (cpupool.c `dump_runq`, core.c
 * `schedule_dump`), 'e' (event_channel.c `dump_evtchn_info`), 'm' (page_alloc.c
 * `pagealloc_info`), 'u' (numa.c `dump_numa`). Other keys print their handler's first
 * line; their hardware dumps (registers, VMCSs, IOMMU and interrupt tables …) are left
 * out (docs/compat.md).
 */
import { allChannels } from './channels.js';
import type { Ctx } from './ctx.js';
import { freeKiB } from './memory.js';
import type { PoolRecord } from './records.js';
import { vcpuRate, vcpuRunningAt, vcpuTimeAt } from './cpu.js';

/** The installed handlers, ascending key (x86 release build, Intel): key → description. */
export const DEBUG_KEYS: ReadonlyMap<string, string> = new Map([
  ['*', 'print all diagnostics'],
  ['+', 'increase log level threshold'],
  ['-', 'decrease log level threshold'],
  ['0', 'dump Dom0 registers'],
  ['A', 'toggle alternative key handling'],
  ['C', 'trigger a crashdump'],
  ['D', 'dump VT-x EPT tables'],
  ['G', 'toggle host/guest log level adjustment'],
  ['H', 'dump heap info'],
  ['I', 'dump HVM irq info'],
  ['M', 'dump MSI state'],
  ['N', 'trigger an NMI'],
  ['Q', 'dump PCI devices'],
  ['R', 'reboot machine'],
  ['V', 'dump iommu info'],
  ['a', 'dump timer queues'],
  ['c', 'dump ACPI Cx structures'],
  ['d', 'dump registers'],
  ['e', 'dump evtchn info'],
  ['g', 'print grant table usage'],
  ['h', 'show this message'],
  ['i', 'dump interrupt bindings'],
  ['m', 'memory info'],
  ['n', 'NMI statistics'],
  ['o', 'dump iommu page tables'],
  ['q', 'dump domain (and guest debug) info'],
  ['r', 'dump run queues'],
  ['s', 'dump softtsc stats'],
  ['t', 'display multi-cpu clock info'],
  ['u', 'dump NUMA info'],
  ['v', 'dump VT-x VMCSs'],
  ['w', 'synchronously dump console ring buffer (dmesg)'],
  ['x', 'print livepatch info'],
  ['z', 'dump IOAPIC info'],
]);

/** Keys whose handler belongs in the '*' ("print all diagnostics") run (the `diagnostic` flag). */
const DIAGNOSTIC = new Set(['0', 'D', 'H', 'I', 'M', 'Q', 'V', 'a', 'c', 'd', 'e', 'g', 'i', 'm', 'n', 'q', 'r', 's', 't', 'u', 'v', 'x', 'z']);

/** First lines of the handlers this module does not dump in full (their source's printk). */
const HEADERS: Readonly<Record<string, (k: string) => string[]>> = {
  '0': (k) => [`'${k}' pressed -> dumping Dom0's registers`],
  A: () => ['Enabling alternative key handling'],
  C: (k) => [`'${k}' pressed -> triggering crashdump`, ' * no crash kernel loaded!'],
  D: (k) => [`'${k}' pressed -> dumping ept p2m table`],
  G: () => ['+++ Guest log level adjustment'],
  H: (k) => [`'${k}' pressed -> dumping heap info (now = 0x0)`],
  I: (k) => [`'${k}' pressed -> dumping HVM irq info`],
  M: () => ['MSI information:'],
  N: () => ['Triggering NMI on APIC ID 0'],
  Q: () => ['==== PCI devices ===='],
  V: () => ['iommu_dump_iommu_info'],
  a: (k) => [`'${k}' pressed -> dumping timer queues`],
  c: (k) => [`'${k}' pressed -> printing ACPI Cx structures`],
  d: (k) => [`'${k}' pressed -> dumping registers`, ''],
  g: () => ['gnttab_usage_print_all [ key \'g\' pressed', 'gnttab_usage_print_all ] done'],
  i: () => ['IRQ information:'],
  n: () => ['CPU\tNMI'],
  o: () => ['dump iommu page tables:'],
  s: () => ['TSC marked as reliable, warp = 0 (count=2)', 'No domains have emulated TSC'],
  t: () => ['Synced stime skew: max=0ns avg=0ns samples=1 current=0ns', 'Synced cycles skew: max=0 avg=0 samples=1 current=0'],
  v: () => ['*********** VMCS Areas **************', '**************************************'],
  w: () => [],
  x: () => ["'x' pressed - Dumping all livepatch patches"],
  z: () => ['number of MP IRQ sources: 15.'],
  '+': () => ['+++ Standard log level adjustment'],
  '-': () => ['--- Standard log level adjustment'],
};

/** `%*pbl` of a set of ids: ascending ranges `a-b` joined by commas (Xen's bitmap_scnlistprintf). */
export function pbl(ids: readonly number[]): string {
  const s = [...new Set(ids)].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < s.length; i++) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j]! + 1) j++;
    out.push(i === j ? `${s[i]}` : `${s[i]}-${s[j]}`);
    i = j;
  }
  return out.join(',');
}

/** Xen's `NOW()` for the host: ns since the host booted. */
function nowNs(ctx: Ctx): number {
  return (ctx.now - ctx.meta.bootTime) * 1e6;
}

/** The scheduler's `name (opt_name)` (xen/common/sched/*.c `struct scheduler`). */
function schedulerName(s: PoolRecord['scheduler']): string {
  switch (s) {
    case 'credit':
      return 'SMP Credit Scheduler (credit)';
    case 'credit2':
      return 'SMP Credit Scheduler rev2 (credit2)';
    case 'rtds':
      return 'SMP RTDS Scheduler (rtds)';
    case 'null':
      return 'null Scheduler (null)';
    case 'arinc653':
      return 'ARINC 653 Scheduler (arinc653)';
  }
}

/** 'q': dump_domains — per domain its counts, handle, node affinity and vCPUs, then the VIRQ_DEBUG notifications. */
function dumpDomains(ctx: Ctx, key: string): string[] {
  const out = [`'${key}' pressed -> dumping domain info (now = ${nowNs(ctx)})`];
  const doms = ctx.allDomainCores();
  const nodes = Array.from({ length: ctx.meta.seed.nrNodes }, (_, i) => i);
  const pools = new Map(ctx.allPools().map((p) => [p.id, p]));
  for (const d of doms) {
    const hvm = d.type !== 'pv';
    const poolCpus = pools.get(d.sched.pool)?.cpus ?? [];
    const pages = Math.floor(d.mem.memKiB / 4);
    const maxPages = d.mem.maxMemKiB === undefined ? 4294967295 : Math.floor(d.mem.maxMemKiB / 4);
    const dirty = d.vcpus.map((v, i) => (v.online && vcpuRate(v, pools.get(d.sched.pool)) > 0 ? poolCpus[i % Math.max(1, poolCpus.length)] : undefined)).filter((c): c is number => c !== undefined);
    out.push(`General information for domain ${d.domid}:`);
    out.push(`    refcnt=${3 + d.vcpus.length} dying=${d.life.state === 'dying' ? 2 : 0} pause_count=${d.pauseCount + (d.life.state === 'shutdown' ? 1 : 0)}`);
    out.push(`    nr_pages=${pages} xenheap_pages=${hvm ? 2 : 5} dirty_cpus={${pbl(dirty)}} max_pages=${maxPages}`);
    out.push(`    handle=${d.uuid} vm_assist=${hvm ? '00000000' : '0000002d'}`);
    if (hvm) out.push('    paging assistance: hap refcounts translate external ');
    out.push(`Rangesets belonging to domain ${d.domid}:`);
    if (d.domid === 0) {
      out.push('    Interrupts { 1-55 }');
      out.push('    I/O Memory { 0-fedff, fef00-ffffffffffffffff }');
      out.push('    I/O Ports  { 0-1f, 22-3f, 44-60, 62-9f, a2-cfb, d00-ffff }');
    } else {
      out.push('    Interrupts { }');
      out.push('    I/O Memory { }');
      out.push('    I/O Ports  { }');
    }
    out.push(`Memory pages belonging to domain ${d.domid}:`);
    out.push('    DomPage list too long to display');
    out.push(`NODE affinity for domain ${d.domid}: [${pbl(nodes)}]`);
    out.push(`VCPU information and callbacks for domain ${d.domid}:`);
    d.vcpus.forEach((v, i) => {
      const hard = v.hard ?? Array.from({ length: ctx.meta.seed.nrCpus }, (_, c) => c);
      const soft = v.soft ?? Array.from({ length: ctx.meta.seed.nrCpus }, (_, c) => c);
      const running = v.online && vcpuRunningAt(d, i, ctx.now, pools.get(d.sched.pool));
      const cpu = poolCpus.length ? poolCpus[i % poolCpus.length]! : 0;
      out.push(`  UNIT${i} affinities: hard={${pbl(hard)}} soft={${pbl(soft)}}`);
      out.push(`    VCPU${i}: CPU${cpu} [has=${running ? 'T' : 'F'}] poll=0 upcall_pend=00 upcall_mask=00 `);
      const pauseFlags = v.online ? (running ? 0 : 1) : 2;
      out.push(`    pause_count=${d.pauseCount} pause_flags=${pauseFlags}`);
      if (hvm) out.push('    paging assistance: hap, 4 levels');
      out.push('No periodic timer');
    });
  }
  for (const d of doms) {
    d.vcpus.forEach((_, i) => {
      out.push(`Notifying guest ${d.domid}:${i} (virq 1, port ${i === 0 ? (d.domid === 0 ? 9 : 5) : 0})`);
    });
  }
  return out;
}

/** 'r': dump_runq — per cpupool its pCPUs and scheduler, per pCPU what it runs. */
function dumpRunq(ctx: Ctx, key: string): string[] {
  const out = [`'${key}' pressed -> dumping run queues`];
  const nr = ctx.meta.seed.nrCpus;
  out.push('sched_smt_power_savings: disabled');
  out.push(`NOW=${nowNs(ctx)}`);
  out.push(`Online Cpus: ${pbl(Array.from({ length: nr }, (_, i) => i))}`);
  const pools = ctx.allPools();
  const used = new Set(pools.flatMap((p) => p.cpus));
  const free = Array.from({ length: nr }, (_, i) => i).filter((c) => !used.has(c));
  const cpuLines = (cpus: readonly number[], current: Map<number, string>): string[] =>
    ['CPUs info:', ...cpus.map((c) => {
      const cur = current.get(c) ?? `d[IDLE]v${c}`;
      return `CPU[${String(c).padStart(2, '0')}] current=${cur}, curr=${cur}, prev=NULL`;
    })];
  if (free.length) {
    out.push(`Free Cpus: ${pbl(free)}`);
    out.push(...cpuLines(free, new Map()));
  }
  const doms = ctx.allDomainCores();
  for (const p of pools) {
    out.push(`Cpupool ${p.id}:`);
    out.push(`Cpus: ${pbl(p.cpus)}`);
    out.push('Scheduling granularity: cpu, 1 CPU per sched-resource');
    out.push(`Scheduler: ${schedulerName(p.scheduler)}`);
    const inPool = doms.filter((d) => d.sched.pool === p.id);
    // Which vCPU each pCPU runs now: the running vCPUs in domid order, one per pCPU.
    const current = new Map<number, string>();
    let next = 0;
    for (const d of inPool) {
      d.vcpus.forEach((v, i) => {
        if (next >= p.cpus.length || !v.online || !vcpuRunningAt(d, i, ctx.now, p)) return;
        current.set(p.cpus[next++]!, `d${d.domid}v${i}`);
      });
    }
    if (p.scheduler === 'credit2') {
      out.push('Active queues: 1');
      out.push('\tdefault-weight     = 256');
      out.push('Runqueue 0:');
      out.push(`\tncpus              = ${p.cpus.length}`);
      out.push(`\tcpus               = ${pbl(p.cpus)}`);
      out.push(`\tmax_weight         = ${Math.max(256, ...inPool.map((d) => d.sched.weight))}`);
      out.push('\tpick_bias          = 0');
      out.push(`\tinstload           = ${current.size}`);
      out.push(`\taveload            = ${Math.round(current.size * 262144)} (~${Math.round((current.size * 100) / Math.max(1, p.cpus.length))}%)`);
      out.push(`\tidlers: ${pbl(p.cpus.filter((c) => !current.has(c)))}`);
      out.push(`\ttickled: `);
      out.push(`\tfully idle cores: ${pbl(p.cpus.filter((c) => !current.has(c)))}`);
    } else if (p.scheduler === 'credit') {
      const params = { tsliceMs: 30, ratelimitUs: 1000, migrDelayUs: 0, ...(p.params ?? {}) };
      out.push('info:');
      out.push(`\tncpus              = ${p.cpus.length}`);
      out.push(`\tmaster             = ${p.cpus[0] ?? 0}`);
      out.push(`\tcredit             = ${p.cpus.length * 300}`);
      out.push(`\tcredit balance     = 0`);
      out.push(`\tweight             = ${inPool.reduce((a, d) => a + d.sched.weight, 0)}`);
      out.push(`\trunq_sort          = 0`);
      out.push(`\tdefault-weight     = 256`);
      out.push(`\ttslice             = ${params.tsliceMs}ms`);
      out.push(`\tratelimit          = ${params.ratelimitUs}us`);
      out.push(`\tcredits per msec   = 10`);
      out.push(`\tticks per tslice   = ${Math.max(1, Math.floor(params.tsliceMs / 10))}`);
      out.push(`\tmigration delay    = ${params.migrDelayUs}us`);
    }
    out.push(...cpuLines(p.cpus, current));
    if (p.scheduler === 'credit2' || p.scheduler === 'credit') {
      out.push('Domain info:');
      for (const d of inPool) {
        out.push(`\tDomain: ${d.domid} w ${d.sched.weight} c ${d.sched.cap} v ${d.vcpus.length}`);
        d.vcpus.forEach((v, i) => {
          const credit = 10_000_000 - Math.floor(vcpuTimeAt(d, i, ctx.now, p) % 10_000_000);
          const rate = vcpuRate(v, p);
          out.push(`\t${String(i).padStart(3)}: [${d.domid}.${i}] flags=${v.online ? 0 : 2} cpu=${p.cpus[i % Math.max(1, p.cpus.length)] ?? 0} credit=${credit} [w=${d.sched.weight}] load=${v.online ? Math.floor(rate / 4) : 0} (~${v.online ? Math.round(rate / 10000) : 0}%)`);
        });
      }
    }
  }
  return out;
}

/** 'e': dump_evtchn_info — every domain's bound ports (FIFO ABI: `[p/m/  -   ]`). */
function dumpEvtchn(ctx: Ctx, key: string): string[] {
  const out = [`'${key}' pressed -> dumping event-channel info`];
  const byDom = new Map<number, ReturnType<typeof allChannels>>();
  for (const c of allChannels(ctx)) {
    const l = byDom.get(c.domid);
    if (l) l.push(c);
    else byDom.set(c.domid, [c]);
  }
  for (const d of ctx.allDomainCores()) {
    out.push(`Event channel information for domain ${d.domid}:`);
    out.push('Polling vCPUs: {}');
    out.push('    port [p/m/s]');
    for (const c of (byDom.get(d.domid) ?? []).sort((a, b) => a.port - b.port)) {
      const head = `    ${String(c.port).padStart(4)} [0/0/  -   ]: `;
      if (c.remoteDomid !== undefined) out.push(`${head}s=3 n=0 x=0 d=${c.remoteDomid} p=${c.remotePort ?? 0}`);
      else out.push(`${head}s=5 n=0 x=0 v=0`);
    }
  }
  return out;
}

/** 'm': pagealloc_info — free memory per zone, as a single node's totals. */
function memoryInfo(ctx: Ctx): string[] {
  const free = freeKiB(ctx);
  const totalKiB = ctx.meta.seed.totalMemoryMiB * 1024;
  return [
    'Physical memory information:',
    '    Xen heap: 0kB free',
    `    heap[21]: ${Math.max(0, Math.min(free, 1048576))}kB free`,
    `    heap[33]: ${Math.max(0, free - 1048576)}kB free`,
    `    Dom heap: ${free}kB free`,
    `    Total: ${totalKiB}kB`,
  ];
}

/** 'u': dump_numa — node memory and per-domain node placement. */
function dumpNuma(ctx: Ctx, key: string): string[] {
  const nodes = ctx.meta.seed.nrNodes;
  const out = [`'${key}' pressed -> dumping numa info (now = ${nowNs(ctx)})`];
  const per = Math.floor((ctx.meta.seed.totalMemoryMiB * 256) / nodes);
  for (let n = 0; n < nodes; n++) out.push(`NODE${n} start->${n * per} size->${per} free->${Math.floor(freeKiB(ctx) / 4 / nodes)}`);
  const perCpu = Math.floor(ctx.meta.seed.nrCpus / nodes);
  for (let c = 0; c < ctx.meta.seed.nrCpus; c++) out.push(`CPU${c} -> NODE${Math.min(nodes - 1, Math.floor(c / Math.max(1, perCpu)))}`);
  out.push('Memory location of each domain:');
  for (const d of ctx.allDomainCores()) {
    out.push(`d${d.domid} (total: ${Math.floor(d.mem.memKiB / 4)}):`);
    for (let n = 0; n < nodes; n++) out.push(`    Node ${n}: ${n === 0 ? Math.floor(d.mem.memKiB / 4) : 0}`);
  }
  return out;
}

/** The lines one key prints (without the `(XEN) ` prefix); [] for keys with no handler. */
function keyLines(ctx: Ctx, key: string): string[] {
  if (!DEBUG_KEYS.has(key)) return [];
  switch (key) {
    case 'h':
      return [`'${key}' pressed -> showing installed handlers`,
        ...[...DEBUG_KEYS].map(([k, desc]) => ` key '${k}' (ascii '${k.charCodeAt(0).toString(16).padStart(2, '0')}') => ${desc}`)];
    case 'q':
      return dumpDomains(ctx, key);
    case 'r':
      return dumpRunq(ctx, key);
    case 'e':
      return dumpEvtchn(ctx, key);
    case 'm':
      return memoryInfo(ctx);
    case 'u':
      return dumpNuma(ctx, key);
    case '*': {
      const out = [`'${key}' pressed -> firing all diagnostic keyhandlers`];
      for (const k of DEBUG_KEYS.keys()) {
        if (!DIAGNOSTIC.has(k)) continue;
        out.push(`[${k}: ${DEBUG_KEYS.get(k)}]`);
        out.push(...keyLines(ctx, k));
      }
      out.push('All keyhandlers fired.');
      return out;
    }
    default:
      return HEADERS[key]?.(key) ?? [];
  }
}

/**
 * The text `xl debug-keys keys` adds to the hypervisor console ring: each key's handler
 * output in order, every line `(XEN) …\n`. Keys without a handler add nothing. The host
 * is only read.
 */
export function debugKeysText(ctx: Ctx, keys: string): string {
  let out = '';
  for (const k of keys) for (const line of keyLines(ctx, k)) out += `(XEN) ${line}\n`;
  return out;
}
