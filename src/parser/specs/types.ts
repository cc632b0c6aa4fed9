/**
 * The common result shape of every sub-grammar parser under `src/parser/specs/`
 * (disk, vif, pci, cpumap, vfb, channel, usb, …; xl-cfg-format.md §4).
 *
 * Parsers never throw and never print: they return the typed value plus the exact
 * bytes xl would write to stderr, so the same code serves `xlsim create` (which must
 * print what xl prints), `xlsim check` (which locates and explains) and the tests.
 */

/** One message a sub-grammar parser produces. */
export interface SpecMessage {
  /**
   * The exact bytes xl writes to stderr for this message, *including* the trailing
   * newline when xl writes one (several libxlu messages have none, e.g. the PCI ones;
   * xl then glues its next line on). Empty string when xl is silent about it.
   */
  text: string;
  /** `error` when xl fails (now or at create), `warning` when it accepts but misreads. */
  severity: 'error' | 'warning';
  /** Stable lint rule code (`XL` + three digits), see docs/rules.md. */
  code: string;
  /** xlsim's own clear wording, when it differs from `text` (no trailing newline). */
  message?: string;
  /** Character span `[start, end)` inside the spec string, when known. */
  span?: [number, number];
}

/** What a sub-grammar parser returns. */
export interface SpecResult<T> {
  /** The parsed value; undefined when xl would fail on this spec. */
  value?: T;
  /** Messages in the order xl prints them. */
  messages: SpecMessage[];
  /**
   * xl's exit status when this failure makes `xl create` stop (e.g. 1 for a bad disk,
   * 6 or 3 for a bad pci spec); undefined when xl goes on.
   */
  exitCode?: number;
}
