/**
 * xl's command table: names, descriptions, usage and option texts, in table order, and
 * xl's help and prefix lookup over it (tools/xl/xl_cmdtable.c, tools/xl/xl.c `help`,
 * `cmdtable_lookup`; xl-commands.md §1.1, §1.3, §2).
 *
 * The table lists every xl 4.20 x86 subcommand so that prefix abbreviation resolves
 * exactly as in xl (`xl sh` is ambiguous between shutdown and sharing). Whether xlsim
 * emulates a command is decided in `program.ts`.
 */

/** One row of xl's `cmd_table`. */
export interface CmdSpec {
  /** Subcommand name, e.g. `vcpu-list`. */
  name: string;
  /** `cmd_desc`: one line (config-update has two); help appends a `.`. */
  desc: string;
  /** `cmd_usage`: the text after the name on the `Usage:` line (may end in `\n`). */
  usage: string;
  /** `cmd_option`: the options block, without trailing newline; absent = no `Options:` block. */
  options?: string;
  /** `modifies`: help shows `f` in the global option set. */
  modifies: boolean;
  /** `can_dryrun`: accepts global `-N`; help shows `N`. */
  canDryrun: boolean;
}

const S = (
  name: string,
  desc: string,
  usage: string,
  flags: '' | 'M' | 'MN',
  options?: string,
): CmdSpec => ({ name, desc, usage, options, modifies: flags.includes('M'), canDryrun: flags.includes('N') });

/** xl 4.20 (x86) command table in upstream order. */
export const CMD_TABLE: readonly CmdSpec[] = [
  S('create', 'Create a domain from config file <filename>', '<ConfigFile> [options] [vars]', 'MN',
    '-h                      Print this help.\n' +
    '-p                      Leave the domain paused after it is created.\n' +
    '-c                      Connect to the console after the domain is created.\n' +
    '-f FILE, --defconfig=FILE\n                     Use the given configuration file.\n' +
    '-n, --dryrun            Dry run - prints the resulting configuration\n' +
    '                         (deprecated in favour of global -N option).\n' +
    '-q, --quiet             Quiet.\n' +
    '-V, --vncviewer         Connect to the VNC display after the domain is created.\n' +
    '-A, --vncviewer-autopass\n' +
    '                        Pass VNC password to viewer via stdin.\n' +
    '-e                      Do not wait in the background for the death of the domain.\n' +
    '-F                      Run in foreground until death of the domain.\n' +
    '-d                      Enable debug messages.\n' +
    '-i, --ignore-global-affinity-masks\n' +
    '                        Ignore global masks in xl.conf.'),
  S('config-update',
    "Update a running domain's saved configuration, used when rebuilding the domain after reboot.\n" +
    'WARNING: xl now has better capability to manage domain configuration, avoid using this command when possible',
    '<Domain> <ConfigFile> [options] [vars]', 'MN',
    '-h                      Print this help.\n' +
    '-f FILE, --defconfig=FILE\n                     Use the given configuration file.\n' +
    '-d                      Enable debug messages.\n'),
  S('list', 'List information about all/some domains', '[options] [Domain]\n', '',
    '-l, --long              Output all VM details\n' +
    '-v, --verbose           Prints out UUIDs and security context\n' +
    '-Z, --context           Prints out security context\n' +
    '-c, --cpupool           Prints the cpupool the domain is in\n' +
    '-n, --numa              Prints out NUMA node affinity'),
  S('destroy', 'Terminate a domain immediately', '[options] <Domain>\n', 'M',
    '-f                      Permit destroying domain 0, which will only succeed\n' +
    '                        when run from disaggregated toolstack domain with a\n' +
    '                        hardware domain distinct from domain 0.'),
  S('shutdown', 'Issue a shutdown signal to a domain', '[options] <-a|Domain>', 'M',
    '-a, --all               Shutdown all guest domains.\n' +
    '-h                      Print this help.\n' +
    '-F                      Fallback to ACPI power event for HVM guests with\n' +
    '                        no PV drivers.\n' +
    '-w, --wait              Wait for guest(s) to shutdown.\n'),
  S('reboot', 'Issue a reboot signal to a domain', '[options] <-a|Domain>', 'M',
    '-a, --all               Shutdown all guest domains.\n' +
    '-h                      Print this help.\n' +
    '-F                      Fallback to ACPI reset event for HVM guests with\n' +
    '                        no PV drivers.\n' +
    '-w, --wait              Wait for guest(s) to reboot.\n'),
  S('pci-attach', 'Insert a new pass-through pci device', '<Domain> <PCI_SPEC_STRING>', 'M'),
  S('pci-detach', "Remove a domain's pass-through pci device", '<Domain> <PCI_SPEC_STRING>', 'M'),
  S('pci-list', 'List pass-through pci devices for a domain', '<Domain>', ''),
  S('pci-assignable-add', 'Make a device assignable for pci-passthru', '[options] <BDF>', 'M'),
  S('pci-assignable-remove', 'Remove a device from being assignable', '[options] <BDF>|NAME', 'M'),
  S('pci-assignable-list', 'List all the assignable pci devices', '[options]', ''),
  S('pause', 'Pause execution of a domain', '<Domain>', 'M'),
  S('unpause', 'Unpause a paused domain', '<Domain>', 'M'),
  S('console', "Attach to domain's console",
    '[options] <Domain>\n' +
    '-t <type>       console type, pv , serial or vuart\n' +
    '-n <number>     console number\n' +
    '-e <escapechar> escape character', ''),
  S('vncviewer', "Attach to domain's VNC server.",
    '[options] <Domain>\n' +
    '--autopass               Pass VNC password to viewer via stdin and\n' +
    '                         -autopass\n' +
    '--vncviewer-autopass     (consistency alias for --autopass)', ''),
  S('save', 'Save a domain state to restore later', '[options] <Domain> <CheckpointFile> [<ConfigFile>]', 'M',
    '-h  Print this help.\n' +
    '-c  Leave domain running after creating the snapshot.\n' +
    '-p  Leave domain paused after creating the snapshot.\n' +
    '-D  Store the domain id in the configuration.'),
  S('migrate', 'Migrate a domain to another host', '[options] <Domain> <host>', 'M',
    '-h              Print this help.\n' +
    '-C <config>     Send <config> instead of config file from creation.\n' +
    '-s <sshcommand> Use <sshcommand> instead of ssh.  String will be passed\n' +
    '                to sh. If empty, run <host> instead of ssh <host> xl\n' +
    '                migrate-receive [-d -e]\n' +
    '-e              Do not wait in the background (on <host>) for the death\n' +
    '                of the domain.\n' +
    '--debug         Print huge (!) amount of debug during the migration process.\n' +
    '-p              Do not unpause domain after migrating it.\n' +
    '-D              Preserve the domain id'),
  S('restore', 'Restore a domain from a saved state', '[options] [<ConfigFile>] <CheckpointFile>', 'M',
    '-h                       Print this help.\n' +
    '-p                       Do not unpause domain after restoring it.\n' +
    '-e                       Do not wait in the background for the death of the domain.\n' +
    '-d                       Enable debug messages.\n' +
    '-V, --vncviewer          Connect to the VNC display after the domain is created.\n' +
    '-A, --vncviewer-autopass Pass VNC password to viewer via stdin.'),
  S('migrate-receive', 'Restore a domain from a saved state', '- for internal use only', 'M'),
  S('suspend', 'Suspend a domain to RAM', '<Domain>', 'M'),
  S('resume', 'Resume a domain from RAM', '<Domain>', 'M'),
  S('dump-core', 'Core dump a domain', '<Domain> <filename>', 'M'),
  S('cd-insert', "Insert a cdrom into a guest's cd drive", '<Domain> <VirtualDevice> <path>', 'MN'),
  S('cd-eject', "Eject a cdrom from a guest's cd drive", '<Domain> <VirtualDevice>', 'MN'),
  S('mem-max', 'Set the maximum amount reservation for a domain',
    "<Domain> <MemMB['b'[bytes]|'k'[KB]|'m'[MB]|'g'[GB]|'t'[TB]]>", 'M'),
  S('mem-set', 'Set the current memory usage for a domain',
    "<Domain> <MemMB['b'[bytes]|'k'[KB]|'m'[MB]|'g'[GB]|'t'[TB]]>", 'M'),
  S('button-press', 'Indicate an ACPI button press to the domain', '<Domain> <Button>', 'M',
    "<Button> may be 'power' or 'sleep'."),
  S('vcpu-list', 'List the VCPUs for all/some domains', '[Domain, ...]', ''),
  S('vcpu-pin', 'Set which CPUs a VCPU can use',
    '[option] <Domain> <VCPU|all> <Hard affinity|-|all> <Soft affinity|-|all>', 'MN',
    '-f, --force        undo an override pinning done by the kernel\n' +
    '--ignore-global-affinity-masks Ignore global masks in xl.conf'),
  S('vcpu-set', 'Set the number of active VCPUs allowed for the domain', '[option] <Domain> <vCPUs>', 'M'),
  S('vm-list', 'List guest domains, excluding dom0, stubdoms, etc.', '', ''),
  S('info', 'Get information about Xen host', '-n, --numa         List host NUMA topology information', ''),
  S('sharing', 'Get information about page sharing', '[Domain]', ''),
  S('sched-credit', 'Get/set credit scheduler parameters',
    '[-d <Domain> [-w[=WEIGHT]|-c[=CAP]]] [-s [-t TSLICE] [-r RATELIMIT]] [-p CPUPOOL]', 'M',
    '-d DOMAIN, --domain=DOMAIN        Domain to modify\n' +
    '-w WEIGHT, --weight=WEIGHT        Weight (int)\n' +
    '-c CAP, --cap=CAP                 Cap (int)\n' +
    '-s         --schedparam           Query / modify scheduler parameters\n' +
    '-t TSLICE, --tslice_ms=TSLICE     Set the timeslice, in milliseconds\n' +
    '-r RLIMIT, --ratelimit_us=RLIMIT  Set the scheduling rate limit, in microseconds\n' +
    '-m DLY, --migration_delay_us=DLY  Set the migration delay, in microseconds\n' +
    '-p CPUPOOL, --cpupool=CPUPOOL     Restrict output to CPUPOOL'),
  S('sched-credit2', 'Get/set credit2 scheduler parameters',
    '[-d <Domain> [-w[=WEIGHT]]] [-p CPUPOOL]', 'M',
    '-d DOMAIN, --domain=DOMAIN     Domain to modify\n' +
    '-w WEIGHT, --weight=WEIGHT     Weight (int)\n' +
    '-c CAP,    --cap=CAP           Cap (int)\n' +
    '-s         --schedparam        Query / modify scheduler parameters\n' +
    '-r RLIMIT, --ratelimit_us=RLIMIT Set the scheduling rate limit, in microseconds\n' +
    '-p CPUPOOL, --cpupool=CPUPOOL  Restrict output to CPUPOOL'),
  S('sched-rtds', 'Get/set rtds scheduler parameters',
    '[-d <Domain> [-v[=VCPUID/all]] [-p[=PERIOD]] [-b[=BUDGET]] [-e[=Extratime]]]', 'M',
    '-d DOMAIN, --domain=DOMAIN     Domain to modify\n' +
    '-v VCPUID/all, --vcpuid=VCPUID/all    VCPU to modify or output;\n' +
    "               Using '-v all' to modify/output all vcpus\n" +
    '-p PERIOD, --period=PERIOD     Period (us)\n' +
    '-b BUDGET, --budget=BUDGET     Budget (us)\n' +
    '-e Extratime, --extratime=Extratime Extratime (1=yes, 0=no)\n'),
  S('domid', 'Convert a domain name to domain id', '<DomainName>', ''),
  S('domname', 'Convert a domain id to domain name', '<DomainId>', ''),
  S('rename', 'Rename a domain', '<Domain> <NewDomainName>', 'M'),
  S('trigger', 'Send a trigger to a domain', '<Domain> <nmi|reset|init|power|sleep|s3resume> [<VCPU>]', 'M'),
  S('sysrq', 'Send a sysrq to a domain', '<Domain> <letter>', 'M'),
  S('debug-keys', 'Send debug keys to Xen', '<Keys>', 'M'),
  S('set-parameters', 'Set hypervisor parameters', '<Params>', 'M'),
  S('dmesg', 'Read and/or clear dmesg buffer', '[-c]', '',
    '  -c                        Clear dmesg buffer as well as printing it'),
  S('top', 'Monitor a host and the domains in real time', '', ''),
  S('network-attach', 'Create a new virtual network device',
    '<Domain> [type=<type>] [mac=<mac>] [bridge=<bridge>] [ip=<ip>] [script=<script>] ' +
    '[backend=<BackDomain>] [vifname=<name>] [rate=<rate>] [model=<model>] [accel=<accel>]', 'MN'),
  S('network-list', 'List virtual network interfaces for a domain', '<Domain(s)>', ''),
  S('network-detach', "Destroy a domain's virtual network device", '<Domain> <DevId|mac>', 'M'),
  S('channel-list', 'List virtual channel devices for a domain', '<Domain(s)>', ''),
  S('block-attach', 'Create a new virtual block device', '<Domain> <disk-spec-component(s)>...', 'MN'),
  S('block-list', 'List virtual block devices for a domain', '<Domain(s)>', ''),
  S('block-detach', "Destroy a domain's virtual block device", '[option] <Domain> <DevId>', 'M'),
  S('vtpm-attach', 'Create a new virtual TPM device', '<Domain> [uuid=<uuid>] [backend=<BackDomain>]', 'MN'),
  S('vtpm-list', 'List virtual TPM devices for a domain', '<Domain(s)>', ''),
  S('vtpm-detach', "Destroy a domain's virtual TPM device", '<Domain> <DevId|uuid>', 'M'),
  S('vkb-attach', 'Create a new virtual keyboard device', '<Domain> <vkb-spec-component(s)>...', 'MN'),
  S('vkb-list', 'List virtual keyboard devices for a domain', '<Domain(s)>', ''),
  S('vkb-detach', "Destroy a domain's virtual keyboard device", '<Domain> <DevId>', 'M'),
  S('vdispl-attach', 'Create a new virtual display device',
    "<Domain> [backend=<BackDomain>] [be-alloc=<BackAlloc>] [connectors='<Connectors>']", 'MN'),
  S('vdispl-list', 'List virtual display devices for a domain', '<Domain(s)>', ''),
  S('vdispl-detach', "Destroy a domain's virtual display device", '<Domain> <DevId>', 'M'),
  S('vsnd-attach', 'Create a new virtual sound device', '<Domain> <vsnd-spec-component(s)>...', 'MN'),
  S('vsnd-list', 'List virtual sound devices for a domain', '<Domain(s)>', ''),
  S('vsnd-detach', "Destroy a domain's virtual sound device", '<Domain> <DevId>', 'M'),
  S('uptime', 'Print uptime for all/some domains', '[-s] [Domain]', ''),
  S('claims', 'List outstanding claim information about all domains', '', ''),
  S('cpupool-create', 'Create a new CPU pool', '[options] [<ConfigFile>] [Variable=value ...]', 'MN',
    '-h, --help                   Print this help.\n' +
    '-f FILE, --defconfig=FILE    Use the given configuration file.\n' +
    '-n, --dryrun                 Dry run - prints the resulting configuration.\n' +
    '                              (deprecated in favour of global -N option).\n' +
    '\nSee the xlcpupool.cfg(5) manpage for more information.'),
  S('cpupool-list', 'List CPU pools on host', '[-c|--cpus] [<CPU Pool>]', '',
    '-c, --cpus                     Output list of CPUs used by a pool'),
  S('cpupool-destroy', 'Deactivates a CPU pool', '<CPU Pool>', 'M'),
  S('cpupool-rename', 'Renames a CPU pool', '<CPU Pool> <new name>', 'M'),
  S('cpupool-cpu-add', 'Adds a CPU to a CPU pool', '<CPU Pool> <CPU nr>|node:<node nr>', 'M'),
  S('cpupool-cpu-remove', 'Removes a CPU from a CPU pool', '<CPU Pool> <CPU nr>|node:<node nr>', 'M'),
  S('cpupool-migrate', 'Moves a domain into a CPU pool', '<Domain> <CPU Pool>', 'M'),
  S('cpupool-numa-split', 'Splits up the machine into one CPU pool per NUMA node', '', 'M'),
  S('getenforce', 'Returns the current enforcing mode of the Flask Xen security module', '', ''),
  S('setenforce', 'Sets the current enforcing mode of the Flask Xen security module', '<1|0|Enforcing|Permissive>', 'M'),
  S('loadpolicy', 'Loads a new policy into the Flask Xen security module', '<policy file>', 'M'),
  S('remus', 'Enable Remus HA for domain', '[options] <Domain> [<host>]', 'M',
    '-i MS                   Checkpoint domain memory every MS milliseconds (def. 200ms).\n' +
    '-u                      Disable memory checkpoint compression.\n' +
    '-s <sshcommand>         Use <sshcommand> instead of ssh.  String will be passed\n' +
    '                        to sh. If empty, run <host> instead of \n' +
    '                        ssh <host> xl migrate-receive -r [-e]\n' +
    '-e                      Do not wait in the background (on <host>) for the death\n' +
    '                        of the domain.\n' +
    '-N <netbufscript>       Use netbufscript to setup network buffering instead of the\n' +
    '                        default script (/etc/xen/scripts/remus-netbuf-setup).\n' +
    '-F                      Enable unsafe configurations [-b|-n|-d flags]. Use this option\n' +
    '                        with caution as failover may not work as intended.\n' +
    '-b                      Replicate memory checkpoints to /dev/null (blackhole).\n' +
    '                        Works only in unsafe mode.\n' +
    '-n                      Disable network output buffering. Works only in unsafe mode.\n' +
    '-d                      Disable disk replication. Works only in unsafe mode.\n' +
    '-c                      Enable COLO HA. It is conflict with -i and -b, and memory\n' +
    '                        checkpoint must be disabled.\n' +
    '-p                      Use COLO userspace proxy.'),
  S('devd', 'Daemon that listens for devices and launches backends', '[options]', 'M',
    '-F                      Run in the foreground.\n' +
    '-p, --pidfile [FILE]    Write PID to pidfile when daemonizing.'),
  S('psr-hwinfo', 'Show hardware information for Platform Shared Resource', '[options]', 'M',
    '-m, --cmt       Show Cache Monitoring Technology (CMT) hardware info\n' +
    '-a, --cat       Show Cache Allocation Technology (CAT) hardware info\n' +
    '-b, --mba       Show Memory Bandwidth Allocation (MBA) hardware info\n'),
  S('psr-cmt-attach', 'Attach Cache Monitoring Technology service to a domain', '<Domain>', 'M'),
  S('psr-cmt-detach', 'Detach Cache Monitoring Technology service from a domain', '<Domain>', 'M'),
  S('psr-cmt-show', 'Show Cache Monitoring Technology information', '<PSR-CMT-Type> <Domain>', 'M',
    'Available monitor types:\n' +
    '"cache-occupancy":         Show L3 cache occupancy(KB)\n' +
    '"total-mem-bandwidth":     Show total memory bandwidth(KB/s)\n' +
    '"local-mem-bandwidth":     Show local memory bandwidth(KB/s)\n'),
  S('psr-cat-set', 'Set cache capacity bitmasks(CBM) for a domain', '[options] <Domain> <CBM>', 'M',
    '-s <socket>       Specify the socket to process, otherwise all sockets are processed\n' +
    '-l <level>        Specify the cache level to process, otherwise L3 cache is processed\n' +
    '-c                Set code CBM if CDP is supported\n' +
    '-d                Set data CBM if CDP is supported\n'),
  S('psr-cat-show', 'Show Cache Allocation Technology information', '[options] <Domain>', 'M',
    '-l <level>        Specify the cache level to process, otherwise L3 cache is processed\n'),
  S('psr-mba-set', 'Set throttling value (THRTL) for a domain', '[options] <Domain> <THRTL>', 'M',
    '-s <socket>       Specify the socket to process, otherwise all sockets are processed\n'),
  S('psr-mba-show', 'Show Memory Bandwidth Allocation information', '<Domain>', 'M'),
  S('usbctrl-attach', 'Create a virtual USB controller for a domain',
    '<Domain> [type=pv|devicemodel] [version=<version>] [ports=<number>]', 'M'),
  S('usbctrl-detach', 'Remove the virtual USB controller specified by <DevId> for a domain', '<Domain> <DevId>', 'M'),
  S('usbdev-attach', 'Attach a USB device to a domain', '<Domain> [controller=<DevId> [port=<port>]] hostbus=<busnum> hostaddr=<devnum>', 'M'),
  S('usbdev-detach', 'Detach a USB device from a domain', '<Domain> <controller=<DevId> port=<port>>', 'M'),
  S('usb-list', 'List information about all USB controllers and devices for a domain', '<Domain>', ''),
  S('qemu-monitor-command', 'Issue a qemu monitor command to the device model of a domain', '<Domain> <Command>', 'M'),
];

/**
 * xl's `cmdtable_lookup`: an exact name wins; otherwise the unique command that `s` is a
 * prefix of; ambiguous or unknown → `undefined` (xl then prints `command not implemented`).
 */
export function lookupCommand(s: string): CmdSpec | undefined {
  let found: CmdSpec | undefined;
  let count = 0;
  for (const spec of CMD_TABLE) {
    if (spec.name === s) return spec;
    if (spec.name.startsWith(s)) {
      found ??= spec;
      count++;
    }
  }
  return count === 1 ? found : undefined;
}

/** xl's full help (`xl help`, `xl` with no subcommand): exact stdout bytes (xl.c `help(NULL)`). */
export function fullHelp(): string {
  let out = 'Usage xl [-vfNtT] <subcommand> [args]\n\nxl full list of subcommands:\n\n';
  for (const spec of CMD_TABLE) {
    out += ` ${spec.name.padEnd(19)} `;
    if (spec.name.length > 19) out += `\n ${''.padEnd(19)} `;
    out += `${spec.desc}\n`;
  }
  return out;
}

/**
 * Per-command help (`xl help <cmd>`, `xl <cmd> -h`): exact stdout bytes (xl.c `help(cmd)`):
 * `Usage: xl [-vtT<f><N>] <name> <usage>`, blank line, description + `.`, blank line, and
 * `Options:` block when the command has one.
 */
export function commandHelp(spec: CmdSpec): string {
  let out = `Usage: xl [-vtT${spec.modifies ? 'f' : ''}${spec.canDryrun ? 'N' : ''}] ${spec.name} ${spec.usage}\n\n${spec.desc}.\n\n`;
  if (spec.options !== undefined) out += `Options:\n\n${spec.options}\n`;
  return out;
}
