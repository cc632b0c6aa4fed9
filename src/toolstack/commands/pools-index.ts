/**
 * The cpupool, pinning and scheduler commands of issue 7, for `program.ts` to register
 * in one line (`sched-credit`, `sched-credit2` and `cpupool-list` are registered there
 * already).
 */
import type { XlCommandModule } from '../command.js';
import { cpupoolCpuAddCommand, cpupoolCpuRemoveCommand } from './cpupool-cpu.js';
import { cpupoolCreateCommand } from './cpupool-create.js';
import { cpupoolDestroyCommand } from './cpupool-destroy.js';
import { cpupoolMigrateCommand } from './cpupool-migrate.js';
import { cpupoolNumaSplitCommand } from './cpupool-numa-split.js';
import { cpupoolRenameCommand } from './cpupool-rename.js';
import { schedRtdsCommand } from './sched-rtds.js';
import { vcpuPinCommand } from './vcpu-pin.js';

/** vcpu-pin, sched-rtds and the cpupool commands. */
export const POOL_COMMANDS: readonly XlCommandModule[] = [
  vcpuPinCommand, schedRtdsCommand, cpupoolCreateCommand, cpupoolDestroyCommand, cpupoolRenameCommand,
  cpupoolCpuAddCommand, cpupoolCpuRemoveCommand, cpupoolMigrateCommand, cpupoolNumaSplitCommand,
];
