/**
 * `xl uptime` formats (tools/xl/xl_info.c `uptime_to_string`, `print_uptime`;
 * xl-commands.md §3.8).
 */
import { padLeft, padRight } from './printf.js';

/**
 * xl's uptime string for `seconds` of uptime (whole seconds, non-negative):
 * `D days, HH:MM:SS` (D > 1), `1 day, HH:MM:SS`, else `HH:MM:SS`, hour `%2d`;
 * short mode drops the seconds.
 */
export function uptimeString(seconds: number, short: boolean): string {
  let up = Math.max(0, Math.floor(seconds));
  const day = Math.floor(up / 86400);
  up -= day * 86400;
  const hour = Math.floor(up / 3600);
  up -= hour * 3600;
  const min = Math.floor(up / 60);
  const sec = up - min * 60;
  const hm = `${padLeft(hour, 2)}:${String(min).padStart(2, '0')}`;
  const clock = short ? hm : `${hm}:${String(sec).padStart(2, '0')}`;
  if (day > 1) return `${day} days, ${clock}`;
  if (day === 1) return `${day} day, ${clock}`;
  return clock;
}

/** Long-mode header line `Name` L33, `ID` R4, `Uptime`, newline included. */
export function uptimeHeader(): string {
  return `${padRight('Name', 33)} ${padLeft('ID', 4)} Uptime\n`;
}

/** Long-mode row: name L33, space, domid R4, space, uptime string, newline. */
export function uptimeRow(name: string, domid: number, seconds: number): string {
  return `${padRight(name, 33)} ${padLeft(domid, 4)} ${uptimeString(seconds, false)}\n`;
}

/**
 * Short-mode (`-s`) row: ` HH:MM:SS up <uptime>, <name> (<id>)` where HH:MM:SS is the
 * current local time (`nowText`, see `localClockText`).
 */
export function uptimeShortRow(nowText: string, name: string, domid: number, seconds: number): string {
  return ` ${nowText} up ${uptimeString(seconds, true)}, ${name} (${domid})\n`;
}

/** Local wall time `HH:MM:SS` of `ms` (ms since the epoch) in `timeZone` (default: process zone). */
export function localClockText(ms: number, timeZone?: string): string {
  const fmt = new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZone,
  });
  return fmt.format(new Date(ms));
}
