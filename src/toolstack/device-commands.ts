/**
 * The device subcommands beyond block and network (issue 7), as one list that
 * `program.ts` spreads into its command map at its `[devices]` marker.
 */
import type { XlCommandModule } from './command.js';
import { cdEjectCommand, cdInsertCommand } from './commands/cd.js';
import { channelListCommand } from './commands/channel-list.js';
import {
  pciAssignableAddCommand, pciAssignableListCommand, pciAssignableRemoveCommand, pciAttachCommand, pciDetachCommand, pciListCommand,
} from './commands/pci.js';
import { usbctrlAttachCommand, usbctrlDetachCommand, usbdevAttachCommand, usbdevDetachCommand, usbListCommand } from './commands/usb.js';
import { vdisplAttachCommand, vdisplDetachCommand, vdisplListCommand } from './commands/vdispl.js';
import { vkbAttachCommand, vkbDetachCommand, vkbListCommand } from './commands/vkb.js';
import { vsndAttachCommand, vsndDetachCommand, vsndListCommand } from './commands/vsnd.js';
import { vtpmAttachCommand, vtpmDetachCommand, vtpmListCommand } from './commands/vtpm.js';

/** cd-insert/-eject, channel-list, vtpm-*, vkb-*, vdispl-*, vsnd-*, usbctrl-*, usbdev-*, usb-list, pci-*. */
export const DEVICE_COMMANDS: readonly XlCommandModule[] = [
  cdInsertCommand,
  cdEjectCommand,
  channelListCommand,
  vtpmAttachCommand,
  vtpmListCommand,
  vtpmDetachCommand,
  vkbAttachCommand,
  vkbListCommand,
  vkbDetachCommand,
  vdisplAttachCommand,
  vdisplListCommand,
  vdisplDetachCommand,
  vsndAttachCommand,
  vsndListCommand,
  vsndDetachCommand,
  usbctrlAttachCommand,
  usbctrlDetachCommand,
  usbdevAttachCommand,
  usbdevDetachCommand,
  usbListCommand,
  pciAssignableAddCommand,
  pciAssignableRemoveCommand,
  pciAssignableListCommand,
  pciAttachCommand,
  pciDetachCommand,
  pciListCommand,
];
