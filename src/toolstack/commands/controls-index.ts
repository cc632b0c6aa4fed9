/** The guest-control and miscellaneous commands of issue 7, for `program.ts` to register in one line. */
import type { XlCommandModule } from '../command.js';
import { configUpdateCommand } from './config-update.js';
import { debugKeysCommand } from './debug-keys.js';
import { devdCommand } from './devd.js';
import { getenforceCommand, loadpolicyCommand, setenforceCommand } from './flask.js';
import {
  psrCatSetCommand, psrCatShowCommand, psrCmtAttachCommand, psrCmtDetachCommand, psrCmtShowCommand, psrHwinfoCommand,
  psrMbaSetCommand, psrMbaShowCommand,
} from './psr.js';
import { qemuMonitorCommandCommand } from './qemu-monitor-command.js';
import { setParametersCommand } from './set-parameters.js';
import { sysrqCommand } from './sysrq.js';
import { buttonPressCommand, triggerCommand } from './trigger.js';
import { vncviewerCommand } from './vncviewer.js';

/** trigger, button-press, sysrq, config-update, debug-keys, set-parameters, FLASK, PSR, vncviewer, qemu-monitor-command, devd. */
export const CONTROL_COMMANDS: readonly XlCommandModule[] = [
  triggerCommand, buttonPressCommand, sysrqCommand, configUpdateCommand, debugKeysCommand, setParametersCommand,
  getenforceCommand, setenforceCommand, loadpolicyCommand, psrHwinfoCommand, psrCmtAttachCommand, psrCmtDetachCommand,
  psrCmtShowCommand, psrCatSetCommand, psrCatShowCommand, psrMbaSetCommand, psrMbaShowCommand, vncviewerCommand,
  qemuMonitorCommandCommand, devdCommand,
];
