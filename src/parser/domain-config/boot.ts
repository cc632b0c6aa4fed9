/**
 * xl_parse.c: how the guest boots (kernel, ramdisk, command line, bootloader, firmware of PV/PVH guests) and the time keys around them.
 */
import { getStringList } from '../getters.js';
import { XEN_FIRMWARE_DIR, TIMER_MODES, bool, enumFromString, kb, u32, isPrefixOf, NO_XL_CONF, Builder, setIf } from './builder.js';

/** PV/PVH block of step 25: firmware, then the kernel check. */
export function pvBlock(b: Builder): void {
  const fw = b.str('firmware');
  if (fw !== undefined) {
    if (b.b_info.kernel !== undefined) b.fatal('ERROR: both kernel and firmware specified\n', 'XL117', 1, 'firmware');
    if (!isPrefixOf(fw, 'pvgrub32') && !isPrefixOf(fw, 'pvgrub64')) {
      b.fatal('ERROR: only pvgrub{32|64} supported as firmware options\n', 'XL118', 1, 'firmware');
    }
    b.b_info.kernel = `${XEN_FIRMWARE_DIR}/${fw}.bin`;
  }
  if (b.b_info.bootloader === undefined && b.b_info.kernel === undefined) {
    b.fatal('Neither kernel nor bootloader specified\n', 'XL116', 1);
  }
}

/** Steps 22–24: RTC offset, vncviewer notice, localtime, videoram, event channels, kernel/ramdisk/device tree and the command line, driver_domain, acpi, the bootloader and `timer_mode`. */
export function boot(b: Builder): void {
  const { c_info, b_info } = b;
  const type = b.type;
  const xlConf = b.opts.xlConf ?? NO_XL_CONF;
  // step 22
  const rtc = b.long('rtc_timeoffset');
  if (rtc !== undefined && u32(rtc) !== 0) b_info.rtc_timeoffset = u32(rtc);
  if (b.long('vncviewer') !== undefined) {
    b.say(
      'WARNING: ignoring "vncviewer" option. Use "-V" option of "xl create" to automatically spawn vncviewer.\n',
      'warning',
      'XL157',
      'vncviewer',
    );
  }
  setIf(b_info, 'localtime', b.defbool('localtime'));
  const videoram = b.long('videoram');
  if (videoram !== undefined) b_info.video_memkb = kb(videoram) as number;
  const evtchn = b.long('max_event_channels');
  if (evtchn !== undefined && u32(evtchn) !== 0) b_info.event_channels = u32(evtchn);
  setIf(b_info, 'kernel', b.str('kernel'));
  setIf(b_info, 'ramdisk', b.str('ramdisk'));
  setIf(b_info, 'device_tree', b.str('device_tree'));
  {
    const cmdline = b.str('cmdline');
    const root = b.str('root');
    const extra = b.str('extra');
    if (cmdline !== undefined) {
      b_info.cmdline = cmdline;
      if (root !== undefined || extra !== undefined) {
        b.say('Warning: ignoring root= and extra= in favour of cmdline=\n', 'warning', 'XL150', root !== undefined ? 'root' : 'extra');
      }
    } else if (root !== undefined && extra !== undefined) {
      b_info.cmdline = `root=${root} ${extra}`;
    } else if (root !== undefined) {
      b_info.cmdline = `root=${root}`;
    } else if (extra !== undefined) {
      b_info.cmdline = extra;
    }
  }
  setIf(c_info, 'driver_domain', b.defbool('driver_domain'));
  setIf(b_info, 'acpi', b.defbool('acpi'));

  // step 23: bootloader
  setIf(b_info, 'bootloader', b.str('bootloader'));
  if (b.opts.pygrub === false && (b_info.bootloader === 'pygrub' || b_info.bootloader === '/usr/bin/pygrub')) {
    b.fatal('ERROR: this instance of Xen has been built without support of "pygrub".\n', 'XL135', 3, 'bootloader');
  }
  {
    const st = b.cfg.get('bootloader_args');
    if (st) {
      const asList = getStringList(b.cfg, 'bootloader_args');
      if (asList !== undefined) {
        if (asList.length) b_info.bootloader_args = asList;
      } else {
        const s = b.str('bootloader_args');
        if (s !== undefined) {
          b.say(
            'WARNING: Specifying "bootloader_args" as a string is deprecated. Please use a list of arguments.\n',
            'warning',
            'XL156',
            'bootloader_args',
          );
          const parts = s.split(/[ \t\n]/).filter((x) => x !== '');
          if (parts.length) b_info.bootloader_args = parts;
        }
      }
    }
  }
  const blRestrict = b.defbool('bootloader_restrict');
  if (blRestrict !== undefined) b_info.bootloader_restrict = blRestrict;
  else if (xlConf.bootloaderRestrict !== undefined) b_info.bootloader_restrict = bool(xlConf.bootloaderRestrict);
  setIf(b_info, 'bootloader_user', b.str('bootloader_user'));

  // step 24: timer_mode
  {
    const tmNum = b.long('timer_mode', true);
    const tmStr = tmNum === undefined ? b.str('timer_mode') : undefined;
    if ((tmNum !== undefined || tmStr !== undefined) && type === 'pv') {
      b.fatal('ERROR: "timer_mode" option is not supported for PV guests.\n', 'XL122', 3, 'timer_mode');
    }
    if (tmNum !== undefined) {
      const nm = tmNum >= 0 && tmNum < TIMER_MODES.length ? TIMER_MODES[tmNum] : undefined;
      // libxl_timer_mode_to_string also knows the enum's sentinel -1 "unknown"
      const shown = tmNum === -1 ? 'unknown' : nm;
      b.say(
        'WARNING: specifying "timer_mode" as an integer is deprecated. Please use the named parameter variant. ' +
          (shown ? `e.g. timer_mode="${shown}"` : '') +
          '\n',
        'warning',
        'XL155',
        'timer_mode',
      );
      if (nm === undefined) b.fatal(`ERROR: invalid value ${tmNum} for "timer_mode"\n`, 'XL119', 1, 'timer_mode');
      b_info.timer_mode = nm;
    } else if (tmStr !== undefined) {
      const m = enumFromString(tmStr, ['unknown', ...TIMER_MODES]);
      if (m === undefined) b.fatal(`ERROR: invalid value "${tmStr}" for "timer_mode"\n`, 'XL119', 1, 'timer_mode');
      if (m !== 'unknown') b_info.timer_mode = m;
    }
  }
}
