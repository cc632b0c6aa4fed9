/**
 * Every key of xl-cfg-format.md §3: at least one accepted value and the field it lands
 * in, as `xl create -n` shows it (libxl JSON names and spellings).
 */
import { describe, expect, test } from 'vitest';
import { HVM, PV, PVH, at, build, json, stderr } from './domain-config.helpers.js';

type Case = [label: string, cfg: string, path: string, expected: unknown];

const KIB = 1024;

const cases: Case[] = [
  // §3.1, §3.2
  ['name', 'name="web-01"\nkernel="/k"\n', 'c_info.name', 'web-01'],
  ['type pvh', PVH, 'c_info.type', 'pvh'],
  ['type hvm', HVM, 'c_info.type', 'hvm'],
  ['type "" is a prefix of hvm', 'name="t"\ntype=""\n', 'c_info.type', 'hvm'],
  ['type "p" is a prefix of pv', 'name="t"\ntype="p"\nkernel="/k"\n', 'c_info.type', 'pv'],
  ['type "hv"', 'name="t"\ntype="hv"\n', 'c_info.type', 'hvm'],
  ['no type on x86 is PV', PV, 'c_info.type', 'pv'],
  ['builder hvm', 'name="t"\nbuilder="hvm"\n', 'c_info.type', 'hvm'],
  ['builder generic', 'name="t"\nbuilder="generic"\nkernel="/k"\n', 'c_info.type', 'pv'],
  ['builder "gen" prefix', 'name="t"\nbuilder="gen"\nkernel="/k"\n', 'c_info.type', 'pv'],
  ['builder agreeing with type', 'name="t"\ntype="hvm"\nbuilder="hvm"\n', 'c_info.type', 'hvm'],
  // §3.3 CPU allocation
  ['pool', PV + 'pool="Pool-node1"\n', 'c_info.pool_name', 'Pool-node1'],
  ['vcpus → max_vcpus', PV + 'vcpus=4\n', 'b_info.max_vcpus', 4],
  ['vcpus → avail_vcpus', PV + 'vcpus=3\n', 'b_info.avail_vcpus', [0, 1, 2]],
  ['no vcpus: max_vcpus 1', PV, 'b_info.max_vcpus', 1],
  ['no vcpus: avail_vcpus left to libxl', PV, 'b_info.avail_vcpus', undefined],
  ['vcpus=0 becomes 1', PV + 'vcpus=0\n', 'b_info.max_vcpus', 1],
  ['vcpus="-3" becomes 1', PV + 'vcpus="-3"\n', 'b_info.avail_vcpus', [0]],
  ['maxvcpus', PV + 'vcpus=2\nmaxvcpus=6\n', 'b_info.max_vcpus', 6],
  ['maxvcpus keeps avail', PV + 'vcpus=2\nmaxvcpus=6\n', 'b_info.avail_vcpus', [0, 1]],
  ['maxvcpus=0 means unset', PV + 'vcpus=2\nmaxvcpus=0\n', 'b_info.max_vcpus', 2],
  ['cpus string applies to every vCPU', PV + 'vcpus=2\ncpus="0-3,^1"\n', 'b_info.vcpu_hard_affinity', [[0, 2, 3], [0, 2, 3]]],
  ['cpus string keeps NUMA placement', PV + 'cpus="1"\n', 'b_info.numa_placement', undefined],
  ['cpus list: element i for vCPU i', PV + 'vcpus=3\ncpus=["2", "3-5"]\n', 'b_info.vcpu_hard_affinity', [[2], [3, 4, 5]]],
  ['cpus list: extra elements ignored', PV + 'vcpus=1\ncpus=["2", "3"]\n', 'b_info.vcpu_hard_affinity', [[2]]],
  ['cpus list turns NUMA placement off', PV + 'cpus=["2"]\n', 'b_info.numa_placement', 'False'],
  ['cpus nodes:', PV + 'cpus="nodes:1"\n', 'b_info.vcpu_hard_affinity', [[4, 5, 6, 7]]],
  ['cpus_soft', PV + 'cpus_soft="1,3"\n', 'b_info.vcpu_soft_affinity', [[1, 3]]],
  ['cpus_soft turns NUMA placement off', PV + 'cpus_soft="1"\n', 'b_info.numa_placement', 'False'],
  // scheduling
  ['cpu_weight', PV + 'cpu_weight=512\n', 'b_info.sched_params', { weight: 512 }],
  ['cap', PV + 'cap=50\n', 'b_info.sched_params', { cap: 50 }],
  ['period/slice/latency/extratime', PV + 'period=10000\nslice=5\nlatency=3\nextratime=1\n', 'b_info.sched_params', { period: 10000, extratime: 1, slice: 5, latency: 3 }],
  ['sched params default: empty struct', PV, 'b_info.sched_params', {}],
  // memory
  ['memory → target and max', PV + 'memory=512\n', 'b_info', expect.objectContaining({ target_memkb: 512 * KIB, max_memkb: 512 * KIB })],
  ['maxmem alone → both', PV + 'maxmem=1024\n', 'b_info', expect.objectContaining({ target_memkb: 1024 * KIB, max_memkb: 1024 * KIB })],
  ['memory < maxmem', PV + 'memory=512\nmaxmem=2048\n', 'b_info', expect.objectContaining({ target_memkb: 512 * KIB, max_memkb: 2048 * KIB })],
  ['memory in hex', PV + 'memory=0x100\n', 'b_info.target_memkb', 256 * KIB],
  ['no memory: left to libxl', PV, 'b_info.target_memkb', undefined],
  ['negative memory wraps in the uint64 field', PV + 'memory="-1"\n', 'b_info.target_memkb', 18446744073709550592n],
  ['memory quoted', PV + 'memory="768"\n', 'b_info.target_memkb', 768 * KIB],
  // vnuma
  [
    'vnuma',
    'name="t"\ntype="hvm"\nvnuma=[ ["pnode=0","size=512","vcpus=0-1","vdistances=10,20"], ["pnode=1","size=512","vcpus=2-3","vdistances=20,10"] ]\n',
    'b_info',
    expect.objectContaining({ max_vcpus: 4, max_memkb: 1024 * KIB, numa_placement: 'False' }),
  ],
  // event actions
  ['on_poweroff preserve', PV + 'on_poweroff="preserve"\n', 'on_poweroff', 'preserve'],
  ['on_poweroff default destroy (absent)', PV, 'on_poweroff', undefined],
  ['on_reboot default restart', PV, 'on_reboot', 'restart'],
  ['on_reboot rename-restart', PV + 'on_reboot="rename-restart"\n', 'on_reboot', 'restart_rename'],
  ['on_reboot destroy', PV + 'on_reboot="destroy"\n', 'on_reboot', undefined],
  ['on_watchdog coredump-destroy', PV + 'on_watchdog="coredump-destroy"\n', 'on_watchdog', 'coredump_destroy'],
  ['on_crash coredump-restart', PV + 'on_crash="coredump-restart"\n', 'on_crash', 'coredump_restart'],
  ['on_crash restart', PV + 'on_crash="restart"\n', 'on_crash', 'restart'],
  ['on_soft_reset default soft-reset', PV, 'on_soft_reset', 'soft_reset'],
  ['on_soft_reset destroy', PV + 'on_soft_reset="destroy"\n', 'on_soft_reset', undefined],
  // direct kernel boot
  ['kernel', PV, 'b_info.kernel', '/boot/vmlinuz'],
  ['ramdisk', PV + 'ramdisk="/boot/initrd.img"\n', 'b_info.ramdisk', '/boot/initrd.img'],
  ['cmdline', PV + 'cmdline="console=hvc0"\n', 'b_info.cmdline', 'console=hvc0'],
  ['root', PV + 'root="/dev/xvda1 ro"\n', 'b_info.cmdline', 'root=/dev/xvda1 ro'],
  ['root + extra', PV + 'root="/dev/xvda1"\nextra="console=hvc0"\n', 'b_info.cmdline', 'root=/dev/xvda1 console=hvc0'],
  ['extra alone', PV + 'extra="single"\n', 'b_info.cmdline', 'single'],
  ['cmdline beats root/extra', PV + 'cmdline="a"\nroot="/dev/b"\nextra="c"\n', 'b_info.cmdline', 'a'],
  // firmware
  ['PV firmware pvgrub64', 'name="t"\nfirmware="pvgrub64"\n', 'b_info.kernel', '/usr/lib/xen/boot/pvgrub64.bin'],
  ['PVH firmware "pvgrub" prefix', 'name="t"\ntype="pvh"\nfirmware="pvgrub"\n', 'b_info.kernel', '/usr/lib/xen/boot/pvgrub.bin'],
  ['HVM firmware uefi', HVM + 'firmware="uefi"\n', 'b_info.type.hvm.bios', 'ovmf'],
  ['HVM firmware "" is uefi', HVM + 'firmware=""\n', 'b_info.type.hvm.bios', 'ovmf'],
  ['HVM firmware SeaBIOS (ci)', HVM + 'firmware="SeaBIOS"\n', 'b_info.type.hvm.bios', 'seabios'],
  ['HVM firmware bios: default', HVM + 'firmware="bios"\n', 'b_info.type.hvm', expect.not.objectContaining({ bios: expect.anything() })],
  ['HVM firmware path', HVM + 'firmware="/opt/fw/custom.bin"\n', 'b_info.type.hvm.firmware', '/opt/fw/custom.bin'],
  ['pvshim', PVH + 'pvshim=1\n', 'b_info.type.pvh.pvshim', 'True'],
  ['pvshim_path', PVH + 'pvshim_path="/s"\n', 'b_info.type.pvh.pvshim_path', '/s'],
  ['pvshim_cmdline', PVH + 'pvshim_cmdline="pv-shim"\n', 'b_info.type.pvh.pvshim_cmdline', 'pv-shim'],
  ['pvshim_extra', PVH + 'pvshim_extra="loglvl=all"\n', 'b_info.type.pvh.pvshim_extra', 'loglvl=all'],
  ['pvshim ignored for PV', PV + 'pvshim=1\n', 'b_info.type.pv', {}],
  // other
  ['uuid (lower-cased)', PV + 'uuid="4B3D2A10-6C1F-4E3A-9B1E-0A2B3C4D5E6F"\n', 'c_info.uuid', '4b3d2a10-6c1f-4e3a-9b1e-0a2b3c4d5e6f'],
  ['uuid generated when absent', PV, 'c_info.uuid', expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)],
  ['seclabel alone', PV + 'seclabel="system_u:system_r:domU_t"\n', 'c_info.ssid_label', 'system_u:system_r:domU_t'],
  ['init_seclabel + seclabel', PV + 'init_seclabel="a:b:c"\nseclabel="x:y:z"\n', 'c_info.ssid_label', 'a:b:c'],
  ['seclabel becomes exec label', PV + 'init_seclabel="a:b:c"\nseclabel="x:y:z"\n', 'b_info.exec_ssid_label', 'x:y:z'],
  ['max_grant_frames', PV + 'max_grant_frames=64\n', 'b_info.max_grant_frames', 64],
  ['max_maptrack_frames', PV + 'max_maptrack_frames=1024\n', 'b_info.max_maptrack_frames', 1024],
  ['max_grant_version', PV + 'max_grant_version=1\n', 'b_info.max_grant_version', 1],
  ['nomigrate', PV + 'nomigrate=1\n', 'b_info.disable_migrate', 'True'],
  ['driver_domain', PV + 'driver_domain=1\n', 'c_info.driver_domain', 'True'],
  ['device_tree', PV + 'device_tree="/etc/xen/guest.dtb"\n', 'b_info.device_tree', '/etc/xen/guest.dtb'],
  ['passthrough', PV + 'passthrough="enabled"\n', 'c_info.passthrough', 'enabled'],
  ['passthrough (ci)', PV + 'passthrough="Sync_PT"\n', 'c_info.passthrough', 'sync_pt'],
  ['passthrough default', PV + 'passthrough="default"\n', 'c_info.passthrough', undefined],
  ['xend_suspend_evtchn_compat', PV + 'xend_suspend_evtchn_compat=1\n', 'c_info.xend_suspend_evtchn_compat', 'True'],
  ['vmtrace_buf_kb', PV + 'vmtrace_buf_kb=64\n', 'b_info.vmtrace_buf_kb', 64],
  ['vmtrace_buf_kb=0 ignored', PV + 'vmtrace_buf_kb=0\n', 'b_info.vmtrace_buf_kb', undefined],
  ['vpmu', PV + 'vpmu=1\n', 'b_info.vpmu', 'True'],
  ['4.21 key xenstore_feature_mask not read by 4.20', PV + 'xenstore_feature_mask=1\n', 'c_info.xenstore_feature_mask', undefined],
  // §3.4 devices
  ['disk', PV + 'disk=["/dev/vg/guest,,xvda,rw"]\n', 'disks', [{ pdev_path: '/dev/vg/guest', vdev: 'xvda', format: 'raw', readwrite: 1 }]],
  ['disk nested list ends the list', PV + 'disk=["/a,,xvda", ["x"], "/b,,xvdb"]\n', 'disks', [{ pdev_path: '/a', vdev: 'xvda', format: 'raw', readwrite: 1 }]],
  ['vif: devid is the index, "" = defaults', PV + 'vif=["bridge=xenbr1", ""]\n', 'nics', [{ devid: 0, bridge: 'xenbr1' }, { devid: 1 }]],
  ['vif mac', PV + 'vif=["mac=00:16:3e:01:02:03"]\n', 'nics.0.mac', '00:16:3e:01:02:03'],
  ['vtpm', PV + 'vtpm=["backend=vtpmmgr"]\n', 'vtpms', [{ backend_domname: 'vtpmmgr', devid: 0 }]],
  ['p9', PV + 'p9=["tag=share,path=/srv,security_model=none"]\n', 'p9s', [{ tag: 'share', path: '/srv', security_model: 'none', devid: 0 }]],
  ['pvcalls', PV + 'pvcalls=["backend=0"]\n', 'pvcallsifs', [{ backend_domname: '0', devid: 0 }]],
  ['vfb adds a vkb', PV + 'vfb=["vnc=1,vnclisten=0.0.0.0"]\n', 'vkbs', [{ devid: 0 }]],
  ['vfb', PV + 'vfb=["vnc=1,vnclisten=0.0.0.0"]\n', 'vfbs', [{ devid: 0, vnc: { enable: 'True', listen: '0.0.0.0' }, sdl: {} }]],
  ['channel', PV + 'channel=["name=org.qemu.guest_agent.0,connection=pty"]\n', 'channels.0', expect.objectContaining({ devid: 0, name: 'org.qemu.guest_agent.0', connection: 'pty' })],
  ['rdm strategy=host (HVM)', HVM + 'rdm="strategy=host"\n', 'b_info.type.hvm.rdm', { strategy: 'host' }],
  ['rdm with a valid policy is dropped (upstream bug)', HVM + 'rdm="strategy=host,policy=relaxed"\n', 'b_info.type.hvm.rdm', {}],
  ['usbctrl', HVM + 'usbctrl=["type=devicemodel,version=2"]\n', 'usbctrls.0', expect.objectContaining({ devid: 0, version: 2 })],
  ['usbdev', HVM + 'usbdev=["hostbus=1,hostaddr=2"]\n', 'usbdevs.0', expect.objectContaining({ hostbus: 1, hostaddr: 2 })],
  ['pci', HVM + 'pci=["01:00.0"]\n', 'pcidevs', [expect.objectContaining({ bus: 1 })]],
  ['pci_permissive default', HVM + 'pci_permissive=1\npci=["01:00.1"]\n', 'pcidevs', [expect.objectContaining({ func: 1, bus: 1, permissive: true })]],
  ['pci_msitranslate default', HVM + 'pci_msitranslate=1\npci=["01:00.0"]\n', 'pcidevs.0.msitranslate', true],
  ['pci_seize default', HVM + 'pci_seize=1\npci=["01:00.0"]\n', 'pcidevs.0.seize', true],
  ['pci_power_mgmt default', HVM + 'pci_power_mgmt=1\npci=["01:00.0"]\n', 'pcidevs.0.power_mgmt', true],
  ['pci on PV forces e820_host', PV + 'pci=["01:00.0"]\n', 'b_info.type.pv.e820_host', 'True'],
  ['e820_host (PV)', PV + 'e820_host=1\n', 'b_info.type.pv.e820_host', 'True'],
  ['e820_host ignored for HVM', HVM + 'e820_host=1\n', 'b_info.type.hvm.e820_host', undefined],
  ['gfx_passthru=1', HVM + 'gfx_passthru=1\n', 'b_info.type.hvm.gfx_passthru', 'True'],
  ['gfx_passthru="igd"', HVM + 'gfx_passthru="igd"\n', 'b_info.type.hvm', expect.objectContaining({ gfx_passthru: 'True', gfx_passthru_kind: 'igd' })],
  ['gfx_passthru ignored for PV', PV + 'gfx_passthru=1\n', 'b_info.type.pv', {}],
  ['rdm_mem_boundary', HVM + 'rdm_mem_boundary=4096\n', 'b_info.type.hvm.rdm_mem_boundary_memkb', 4096 * KIB],
  ['dtdev', PV + 'dtdev=["/soc/ethernet@ff0e0000"]\n', 'dtdevs', [{ path: '/soc/ethernet@ff0e0000' }]],
  ['ioports', PV + 'ioports=["2f8-2ff"]\n', 'b_info.ioports', [{ first: 0x2f8, number: 8 }]],
  ['iomem', PV + 'iomem=["fe000,2@e0000"]\n', 'b_info.iomem', [{ start: 0xfe000, number: 2, gfn: 0xe0000 }]],
  ['irqs', PV + 'irqs=[10, "11"]\n', 'b_info.irqs', [10, 11]],
  ['max_event_channels', PV + 'max_event_channels=2047\n', 'b_info.event_channels', 2047],
  ['vdispl', PV + 'vdispl=["backend=0,connectors=id0:1920x1080"]\n', 'vdispls.0.devid', 0],
  ['dm_restrict', HVM + 'dm_restrict=1\n', 'b_info.dm_restrict', 'True'],
  ['device_model_user', HVM + 'device_model_user="xen-qemuuser"\n', 'b_info.device_model_user', 'xen-qemuuser'],
  ['vsnd', PV + "vsnd=[ ['CARD, short-name=Main', 'PCM, name=Main', 'STREAM, unique-id=0, type=p'] ]\n", 'vsnds.0.devid', 0],
  ['vkb', PV + 'vkb=["backend-type=linux"]\n', 'vkbs.0', expect.objectContaining({ devid: 0, backend_type: 'linux' })],
  ['virtio', PV + 'virtio=["backend=0,type=virtio,device22,transport=mmio"]\n', 'virtios.0.devid', 0],
  ['tee', PV + 'tee="optee"\n', 'b_info.tee', 'optee'],
  ['tee none', PV + 'tee="none"\n', 'b_info.tee', undefined],
  // §3.5 PV
  ['bootloader without kernel', 'name="t"\nbootloader="pygrub"\n', 'b_info.bootloader', 'pygrub'],
  ['bootloader_args list', PV + 'bootloader_args=["-q", "--entry=1"]\n', 'b_info.bootloader_args', ['-q', '--entry=1']],
  ['bootloader_args string is split', PV + 'bootloader_args="-q  --entry=1"\n', 'b_info.bootloader_args', ['-q', '--entry=1']],
  ['bootloader_restrict', PV + 'bootloader_restrict=0\n', 'b_info.bootloader_restrict', 'False'],
  ['bootloader_user', PV + 'bootloader_user="pygrubuser"\n', 'b_info.bootloader_user', 'pygrubuser'],
  // §3.6 HVM
  ['boot', HVM + 'boot="dc"\n', 'b_info.type.hvm.boot', 'dc'],
  ['boot ignored for PV', PV + 'boot="dc"\n', 'b_info.type.pv', {}],
  ['hdtype ahci', HVM + 'hdtype="AHCI"\n', 'b_info.type.hvm.hdtype', 'ahci'],
  ['hap', HVM + 'hap=0\n', 'c_info.hap', 'False'],
  ['oos', HVM + 'oos=0\n', 'c_info.oos', 'False'],
  ['shadow_memory', HVM + 'shadow_memory=8\n', 'b_info.shadow_memkb', 8 * KIB],
  ['shadow default computed', PV + 'memory=1024\nvcpus=2\n', 'b_info.shadow_memkb', 4 * (256 * 2 + 2 * 1024)],
  ['bios', HVM + 'bios="ovmf"\n', 'b_info.type.hvm.bios', 'ovmf'],
  ['bios (ci)', HVM + 'bios="ROMBIOS"\n', 'b_info.type.hvm.bios', 'rombios'],
  ['bios_path_override', HVM + 'bios="seabios"\nbios_path_override="/usr/share/seabios/bios.bin"\n', 'b_info.type.hvm.system_firmware', '/usr/share/seabios/bios.bin'],
  ['firmware_override', HVM + 'firmware_override="/usr/lib/xen/boot/hvmloader"\n', 'b_info.type.hvm.firmware', '/usr/lib/xen/boot/hvmloader'],
  ['pae', HVM + 'pae=0\n', 'b_info.type.hvm.pae', 'False'],
  ['acpi (all types)', PV + 'acpi=0\n', 'b_info.acpi', 'False'],
  ['acpi_s3', HVM + 'acpi_s3=0\n', 'b_info.type.hvm.acpi_s3', 'False'],
  ['acpi_s4', HVM + 'acpi_s4=0\n', 'b_info.type.hvm.acpi_s4', 'False'],
  ['acpi_laptop_slate', HVM + 'acpi_laptop_slate=1\n', 'b_info.type.hvm.acpi_laptop_slate', 'True'],
  ['apic', HVM + 'apic=0\n', 'b_info.apic', 'False'],
  ['nx', HVM + 'nx=0\n', 'b_info.type.hvm.nx', 'False'],
  ['hpet', HVM + 'hpet=0\n', 'b_info.type.hvm.hpet', 'False'],
  ['altp2m string', HVM + 'altp2m="External"\n', 'b_info.altp2m', 'external'],
  ['altp2m number', HVM + 'altp2m=1\n', 'b_info.altp2m', 'mixed'],
  ['altp2m disabled', HVM + 'altp2m="disabled"\n', 'b_info.altp2m', undefined],
  ['altp2mhvm', HVM + 'altp2mhvm=1\n', 'b_info.type.hvm.altp2m', 'True'],
  ['nestedhvm', HVM + 'nestedhvm=1\n', 'b_info.nested_hvm', 'True'],
  ['cpuid xend form', HVM + "cpuid=['1:ecx=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx0']\n", 'b_info.cpuid', expect.anything()],
  ['acpi_firmware', HVM + 'acpi_firmware="/x.aml"\n', 'b_info.type.hvm.acpi_firmware', '/x.aml'],
  ['smbios_firmware', HVM + 'smbios_firmware="/x.bin"\n', 'b_info.type.hvm.smbios_firmware', '/x.bin'],
  ['smbios', HVM + 'smbios=["system_manufacturer=ACME"]\n', 'b_info.type.hvm.smbios', [{ key: 'system_manufacturer', value: 'ACME' }]],
  ['ms_vm_genid generate', HVM + 'ms_vm_genid="generate"\n', 'b_info.type.hvm.ms_vm_genid', expect.arrayContaining([])],
  ['ms_vm_genid none', HVM + 'ms_vm_genid="none"\n', 'b_info.type.hvm.ms_vm_genid', undefined],
  ['tsc_mode string', HVM + 'tsc_mode="native"\n', 'b_info.tsc_mode', 'native'],
  ['tsc_mode number', PV + 'tsc_mode=1\n', 'b_info.tsc_mode', 'always_emulate'],
  ['localtime', HVM + 'localtime=1\n', 'b_info.localtime', 'True'],
  ['rtc_timeoffset', HVM + 'rtc_timeoffset=3600\n', 'b_info.rtc_timeoffset', 3600],
  ['vpt_align', HVM + 'vpt_align=0\n', 'b_info.type.hvm.vpt_align', 'False'],
  ['timer_mode string', HVM + 'timer_mode="no_missed_ticks_pending"\n', 'b_info.timer_mode', 'no_missed_ticks_pending'],
  ['timer_mode number', PVH + 'timer_mode=0\n', 'b_info.timer_mode', 'delay_for_missed_ticks'],
  ['mmio_hole', HVM + 'mmio_hole=1024\n', 'b_info.type.hvm.mmio_hole_memkb', 1024 * KIB],
  ['mmio_hole lower bound', HVM + 'mmio_hole=256\n', 'b_info.type.hvm.mmio_hole_memkb', 256 * KIB],
  ['mmio_hole upper bound', HVM + 'mmio_hole=3840\n', 'b_info.type.hvm.mmio_hole_memkb', 3840 * KIB],
  ['xen_platform_pci', HVM + 'xen_platform_pci=0\n', 'b_info.type.hvm.xen_platform_pci', 'False'],
  ['viridian=1', HVM + 'viridian=1\n', 'b_info.type.hvm.viridian', 'True'],
  ['viridian list', HVM + 'viridian=["base", "!freq", "stimer"]\n', 'b_info.type.hvm', expect.objectContaining({ viridian_enable: [0, 8], viridian_disable: [1] })],
  ['viridian non-numeric string ignored', HVM + 'viridian="yes"\n', 'b_info.type.hvm.viridian', undefined],
  ['hvm_pirq', HVM + 'hvm_pirq=1\n', 'b_info.type.hvm.pirq', 'True'],
  ['videoram', HVM + 'videoram=16\n', 'b_info.video_memkb', 16 * KIB],
  ['stdvga=1', HVM + 'stdvga=1\n', 'b_info.type.hvm.vga', { kind: 'std' }],
  ['stdvga=0', HVM + 'stdvga=0\n', 'b_info.type.hvm.vga', { kind: 'cirrus' }],
  ['vga beats stdvga', HVM + 'vga="qxl"\nstdvga=1\n', 'b_info.type.hvm.vga', { kind: 'qxl' }],
  ['vga none', HVM + 'vga="none"\n', 'b_info.type.hvm.vga', { kind: 'none' }],
  ['vga default struct', HVM, 'b_info.type.hvm.vga', {}],
  ['vnc HVM', HVM + 'vnc=0\n', 'b_info.type.hvm.vnc', { enable: 'False' }],
  [
    'vnc fields HVM',
    HVM + 'vnc=1\nvnclisten="0.0.0.0"\nvncpasswd="s3cret"\nvncdisplay=3\nvncunused=0\n',
    'b_info.type.hvm.vnc',
    { enable: 'True', listen: '0.0.0.0', passwd: 's3cret', display: 3, findunused: 'False' },
  ],
  ['keymap HVM', HVM + 'keymap="de"\n', 'b_info.type.hvm.keymap', 'de'],
  ['sdl/opengl/display/xauthority', HVM + 'sdl=1\nopengl=1\ndisplay=":0"\nxauthority="/root/.Xauthority"\n', 'b_info.type.hvm.sdl', { enable: 'True', opengl: 'True', display: ':0', xauthority: '/root/.Xauthority' }],
  ['PV top-level vnc makes a vfb', PV + 'vnc=1\nvnclisten="127.0.0.1"\nkeymap="fr"\n', 'vfbs', [{ devid: 0, vnc: { enable: 'True', listen: '127.0.0.1' }, sdl: {}, keymap: 'fr' }]],
  ['PV top-level vnc makes a vkb', PV + 'vnc=1\n', 'vkbs', [{ devid: 0 }]],
  ['PV vnc=0 makes nothing', PV + 'vnc=0\n', 'vfbs', undefined],
  ['nographic', HVM + 'nographic=1\n', 'b_info.type.hvm.nographic', 'True'],
  [
    'spice keys',
    HVM +
      'spice=1\nspicehost="0.0.0.0"\nspiceport=6000\nspicetls_port=6001\nspicedisable_ticketing=1\nspicepasswd="p"\nspiceagent_mouse=0\nspicevdagent=1\nspice_clipboard_sharing=1\nspiceusbredirection=4\nspice_image_compression="auto_glz"\nspice_streaming_video="filter"\n',
    'b_info.type.hvm.spice',
    {
      enable: 'True', port: 6000, tls_port: 6001, host: '0.0.0.0', disable_ticketing: 'True', passwd: 'p',
      agent_mouse: 'False', vdagent: 'True', clipboard_sharing: 'True', usbredirection: 4,
      image_compression: 'auto_glz', streaming_video: 'filter',
    },
  ],
  ['serial string', HVM + 'serial="pty"\n', 'b_info.type.hvm.serial', 'pty'],
  ['serial list', HVM + 'serial=["pty", "file:/tmp/s"]\n', 'b_info.type.hvm.serial_list', ['pty', 'file:/tmp/s']],
  ['soundhw', HVM + 'soundhw="hda"\n', 'b_info.type.hvm.soundhw', 'hda'],
  ['vkb_device', HVM + 'vkb_device=0\n', 'b_info.type.hvm.vkb_device', 'False'],
  ['usb', HVM + 'usb=1\n', 'b_info.type.hvm.usb', 'True'],
  ['usbversion', HVM + 'usbversion=3\n', 'b_info.type.hvm.usbversion', 3],
  ['usbdevice string', HVM + 'usbdevice="tablet"\n', 'b_info.type.hvm.usbdevice', 'tablet'],
  ['usbdevice list', HVM + 'usbdevice=["tablet", "host:1234:5678"]\n', 'b_info.type.hvm.usbdevice_list', ['tablet', 'host:1234:5678']],
  ['vendor_device', HVM + 'vendor_device="xenserver"\n', 'b_info.type.hvm.vendor_device', 'xenserver'],
  // §3.8 device model
  ['device_model_version', HVM + 'device_model_version="qemu-xen"\n', 'b_info.device_model_version', 'qemu_xen'],
  ['device_model_override', HVM + 'device_model_version="qemu-xen"\ndevice_model_override="/usr/bin/qemu"\n', 'b_info.device_model', '/usr/bin/qemu'],
  ['stubdomain_kernel', HVM + 'stubdomain_kernel="/k"\n', 'b_info.stubdomain_kernel', '/k'],
  ['stubdomain_cmdline', HVM + 'stubdomain_cmdline="c"\n', 'b_info.stubdomain_cmdline', 'c'],
  ['stubdomain_ramdisk', HVM + 'stubdomain_ramdisk="/r"\n', 'b_info.stubdomain_ramdisk', '/r'],
  ['stubdomain_memory', HVM + 'stubdomain_memory=128\n', 'b_info.stubdomain_memkb', 128 * KIB],
  ['device_model_stubdomain_override', HVM + 'device_model_stubdomain_override=1\n', 'b_info.device_model_stubdomain', 'True'],
  ['device_model_stubdomain_seclabel', HVM + 'device_model_stubdomain_seclabel="a:b:c"\n', 'b_info.device_model_ssid_label', 'a:b:c'],
  ['device_model_args', HVM + 'device_model_args=["-d", "guest_errors"]\n', 'b_info.extra', ['-d', 'guest_errors']],
  ['device_model_args_pv', PV + 'device_model_args_pv=["-x"]\n', 'b_info.extra_pv', ['-x']],
  ['device_model_args_hvm', HVM + 'device_model_args_hvm=["-y"]\n', 'b_info.extra_hvm', ['-y']],
  // §3.9 arch specific
  ['gic_version', PV + 'gic_version="V3"\n', 'b_info.arch_arm.gic_version', 'v3'],
  ['vuart', PV + 'vuart="sbsa_uart"\n', 'b_info.arch_arm.vuart', 'sbsa_uart'],
  ['sve', PV + 'sve="256"\n', 'b_info.arch_arm.sve_vl', '256'],
  ['sve hw', PV + 'sve="hw"\n', 'b_info.arch_arm.sve_vl', 'hw'],
  ['llc_colors', PV + 'llc_colors=["0-2", "5"]\n', 'b_info.llc_colors', [0, 1, 2, 5]],
  ['nr_spis', PV + 'nr_spis="64"\n', 'b_info.arch_arm.nr_spis', 64],
  ['mca_caps', HVM + 'mca_caps=["lmce"]\n', 'b_info.type.hvm.mca_caps', 1],
  ['msr_relaxed', HVM + 'msr_relaxed=1\n', 'b_info.arch_x86.msr_relaxed', 'True'],
  // xl.conf-driven fields
  ['claim_mode from xl.conf default', PV, 'b_info.claim_mode', 'True'],
  ['run_hotplug_scripts default', PV, 'c_info.run_hotplug_scripts', 'True'],
];

describe('every key of xl-cfg-format.md §3 lands in its libxl field', () => {
  test.each(cases)('%s', (_label, cfg, path, expected) => {
    const r = build(cfg);
    expect(at(json(r), path)).toEqual(expected);
  });
});

test('cpuid libxl form is kept in the config for the host', () => {
  const r = build(HVM + 'cpuid="host,tm=0,sse3=0"\n');
  expect(r.config!.b_info.cpuid).toEqual({ host: true, settings: [{ key: 'tm', value: '0' }, { key: 'sse3', value: '0' }] });
});

describe('type-specific keys are silently ignored for other guest types', () => {
  test('HVM-only keys on a PV guest produce nothing and no message', () => {
    const r = build(PV + 'pae=0\nhpet=0\nvga="stdvga"\nserial="pty"\nusb=1\nsoundhw="hda"\nbios="ovmf"\n');
    expect(stderr(r)).toBe('');
    expect(at(json(r), 'b_info.type.pv')).toEqual({});
  });
  test('HVM-only keys are checked only for HVM: a bad vga on PV is not an error', () => {
    const r = build(PV + 'vga="bogus"\nhdtype="scsi"\n');
    expect(r.exitCode).toBeUndefined();
  });
});

describe('xl.conf values', () => {
  test('vif.default.* apply to every vif before its spec', () => {
    const r = build(PV + 'vif=["", "bridge=br1"]\n', {
      xlConf: { vifDefaultBridge: 'xenbr9', vifDefaultScript: 'vif-route', vifDefaultBackend: 'netdom' },
    });
    expect(at(json(r), 'nics')).toEqual([
      { backend_domname: 'netdom', devid: 0, bridge: 'xenbr9', script: 'vif-route' },
      { backend_domname: 'netdom', devid: 1, bridge: 'br1', script: 'vif-route' },
    ]);
  });
  test('claim_mode=0 and run_hotplug_scripts=0', () => {
    const j = json(build(PV, { xlConf: { claimMode: false, runHotplugScripts: false } }));
    expect(at(j, 'b_info.claim_mode')).toBe('False');
    expect(at(j, 'c_info.run_hotplug_scripts')).toBe('False');
  });
  test('max_grant_frames from xl.conf unless the config sets it', () => {
    expect(at(json(build(PV, { xlConf: { maxGrantFrames: 32 } })), 'b_info.max_grant_frames')).toBe(32);
    expect(at(json(build(PV + 'max_grant_frames=16\n', { xlConf: { maxGrantFrames: 32 } })), 'b_info.max_grant_frames')).toBe(16);
  });
  test('blkdev_start', () => {
    expect(at(json(build(PV, { xlConf: { blkdevStart: 'xvdb' } })), 'b_info.blkdev_start')).toBe('xvdb');
  });
});

describe('Arm defaults', () => {
  test('no type on Arm is PVH', () => {
    const r = build('name="t"\nkernel="/k"\n', { facts: { nrCpus: 4, nrNodes: 1, arch: 'arm' } });
    expect(at(json(r), 'c_info.type')).toBe('pvh');
  });
});
