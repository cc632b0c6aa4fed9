/**
 * The catalogue of every diagnostic code xlsim's parser layer emits, for SARIF output
 * (`tool.driver.rules`), `xlsim check --explain` and the docs. Each entry points at its
 * section of docs/rules.md (the anchor is the lower-case code, e.g. `#xl401`).
 *
 * Code ranges: XL001–XL0xx parse errors (libxlu lexer/grammar, xl-cfg-format.md §1);
 * XL1xx xl's own checks in `parse_config_data` (§3, §5); XL2xx/XL3xx sub-grammar
 * messages (§4); XL4xx lint rules (`rules/<group>.ts`, whose records hold their
 * severities) for what xl accepts but misreads.
 * The test `test/parser/lint-docs.test.ts` keeps this table, docs/rules.md and the codes
 * used in `src/parser` in sync.
 */
import type { Severity } from '../types.js';
import { LINT_RULES } from './rules/index.js';

/** Catalogue entry for one diagnostic code. */
export interface RuleInfo {
  /** Default severity (a few sub-grammar codes are errors in one context and warnings in another). */
  severity: Severity;
  /** Short kebab-case name, stable. */
  title: string;
  /** Anchor in docs/rules.md, without `#` (the lower-case code). */
  anchor: string;
}

function r(severity: Severity, title: string, code: string): [string, RuleInfo] {
  return [code, { severity, title, anchor: code.toLowerCase() }];
}

/** Severity of each XL4xx code, as its lint rule declares it (the one place it is written). */
const LINT_SEVERITY: ReadonlyMap<string, Severity> = new Map(LINT_RULES.flatMap((rule) => Object.entries(rule.codes)));

/** A catalogue entry for an XL4xx code, its severity taken from its rule (`rules/<group>.ts`). */
function lint(title: string, code: string): [string, RuleInfo] {
  const severity = LINT_SEVERITY.get(code);
  if (severity === undefined) throw new Error(`catalogue: no lint rule reports ${code}`);
  return r(severity, title, code);
}

/** Path of the rule documentation, relative to the repository root. */
export const RULES_DOC = 'docs/rules.md';

/** Every code → its {@link RuleInfo}. Keys are `XL` + three digits. */
export const RULES: Readonly<Record<string, RuleInfo>> = Object.freeze(
  Object.fromEntries([
    r('error', 'lexical-error', 'XL001'),
    r('error', 'syntax-error', 'XL002'),
    r('error', 'bad-escape', 'XL003'),
    r('error', 'append-kind-mismatch', 'XL004'),
    r('error', 'nesting-too-deep', 'XL005'),
    r('warning', 'not-utf8', 'XL006'),
    r('info', 'check-limits', 'XL007'),
    r('warning', 'getter-warning', 'XL100'),
    r('warning', 'list-for-scalar', 'XL101'),
    r('warning', 'scalar-for-list', 'XL102'),
    r('warning', 'not-a-valid-number', 'XL103'),
    r('warning', 'number-out-of-range', 'XL104'),
    r('warning', 'append-to-number-getter', 'XL105'),
    r('warning', 'number-out-of-bounds', 'XL106'),
    r('warning', 'nested-value-kind', 'XL107'),
    r('error', 'invalid-domain-type', 'XL110'),
    r('error', 'builder-contradicts-type', 'XL111'),
    r('error', 'missing-name', 'XL112'),
    r('error', 'bad-uuid', 'XL113'),
    r('error', 'maxvcpus-lt-vcpus', 'XL114'),
    r('error', 'unknown-action', 'XL115'),
    r('error', 'no-kernel-or-bootloader', 'XL116'),
    r('error', 'kernel-and-firmware', 'XL117'),
    r('error', 'bad-pv-firmware', 'XL118'),
    r('error', 'invalid-enum-value', 'XL119'),
    r('error', 'bad-grant-limit', 'XL120'),
    r('error', 'unknown-passthrough', 'XL121'),
    r('error', 'timer-mode-pv', 'XL122'),
    r('error', 'unknown-device-model-version', 'XL123'),
    r('error', 'unparsable-list-option', 'XL124'),
    r('error', 'unknown-vga', 'XL125'),
    r('error', 'vnc-display-twice', 'XL126'),
    r('error', 'unknown-vendor-device', 'XL127'),
    r('error', 'unknown-arm-option', 'XL128'),
    r('error', 'llc-colors', 'XL129'),
    r('error', 'mmio-hole-range', 'XL130'),
    r('error', 'ms-vm-genid', 'XL131'),
    r('error', 'unknown-mca-cap', 'XL132'),
    r('error', 'pci-spec-rejected', 'XL133'),
    r('error', 'vsnd-card-not-list', 'XL134'),
    r('error', 'no-pygrub', 'XL135'),
    r('warning', 'xl-conf-notice', 'XL140'),
    r('error', 'xl-conf-grant-limit', 'XL141'),
    r('error', 'empty-affinity-after-mask', 'XL142'),
    r('error', 'cpumap-alloc-failed', 'XL143'),
    r('error', 'too-many-vcpus', 'XL144'),
    r('warning', 'root-extra-ignored', 'XL150'),
    r('warning', 'hvmloader-kernel', 'XL151'),
    r('warning', 'bios-path-without-bios', 'XL152'),
    r('warning', 'altp2mhvm-deprecated', 'XL153'),
    r('warning', 'tsc-mode-integer', 'XL154'),
    r('warning', 'timer-mode-integer', 'XL155'),
    r('warning', 'bootloader-args-string', 'XL156'),
    r('warning', 'vncviewer-ignored', 'XL157'),
    r('warning', 'device-model-ignored', 'XL158'),
    r('warning', 'dm-override-without-version', 'XL159'),
    r('warning', 'vif2-ignored', 'XL160'),
    r('warning', 'msr-relaxed', 'XL161'),
    r('warning', 'tsc-mode-string-note', 'XL162'),
    r('error', 'builder-internal-error', 'XL199'),
    r('error', 'disk-spec', 'XL201'),
    r('warning', 'disk-target-swallowed', 'XL202'),
    r('error', 'vif-number', 'XL211'),
    r('warning', 'vif-field', 'XL212'),
    r('error', 'vif-rate', 'XL213'),
    r('warning', 'vif-vlan', 'XL214'),
    r('error', 'cpu-list', 'XL221'),
    r('error', 'pci-spec', 'XL231'),
    r('warning', 'rdm-spec', 'XL241'),
    r('error', 'io-resources', 'XL251'),
    r('warning', 'vfb-spec', 'XL301'),
    r('error', 'vkb-spec', 'XL302'),
    r('error', 'channel-spec', 'XL303'),
    r('error', 'usbctrl-spec', 'XL304'),
    r('error', 'usbdev-spec', 'XL305'),
    r('error', 'vtpm-spec', 'XL306'),
    r('error', 'p9-spec', 'XL307'),
    r('error', 'pvcalls-spec', 'XL308'),
    r('error', 'vdispl-spec', 'XL309'),
    r('error', 'vsnd-spec', 'XL310'),
    r('error', 'virtio-spec', 'XL311'),
    r('error', 'vnuma-spec', 'XL312'),
    r('warning', 'cpuid-spec', 'XL313'),
    r('error', 'viridian-spec', 'XL314'),
    r('error', 'smbios-spec', 'XL315'),
    r('error', 'uuid-spec', 'XL316'),
    lint('unknown-key', 'XL401'),
    lint('obsolete-key', 'XL402'),
    lint('deprecated-key', 'XL403'),
    lint('boolean-word', 'XL404'),
    lint('quoted-number', 'XL405'),
    lint('not-a-number', 'XL406'),
    lint('octal-number', 'XL407'),
    lint('octal-escape-vanishes', 'XL408'),
    lint('wrong-shape', 'XL409'),
    lint('nested-list-truncates', 'XL410'),
    lint('repeated-key', 'XL411'),
    lint('append-to-number', 'XL412'),
    lint('memory-above-maxmem', 'XL413'),
    lint('maxvcpus-below-vcpus', 'XL414'),
    lint('maxmem-without-memory', 'XL415'),
    lint('duplicate-mac', 'XL416'),
    lint('duplicate-vdev', 'XL417'),
    lint('no-boot-source', 'XL418'),
    lint('ignored-for-guest-type', 'XL419'),
    lint('timer-mode-on-pv', 'XL420'),
    lint('cmdline-overrides-root-extra', 'XL421'),
    lint('hvm-kernel-hvmloader', 'XL422'),
    lint('rdm-policy-dropped', 'XL423'),
    lint('mca-caps-default', 'XL424'),
    lint('channel-connection-case', 'XL425'),
    lint('vsnd-man-page-spelling', 'XL426'),
    lint('pci-vslot-out-of-range', 'XL427'),
    lint('disk-second-field-is-format', 'XL428'),
    lint('type-prefix', 'XL429'),
    lint('vcpus-below-one', 'XL430'),
    lint('action-spelling', 'XL431'),
    lint('vfb-atoi-boolean', 'XL432'),
    lint('vif-trailing-space', 'XL433'),
    lint('disk-target-not-last', 'XL434'),
    lint('pod-conflict', 'XL435'),
    lint('pv-vnuma', 'XL436'),
    lint('hvm-direct-boot-without-kernel', 'XL437'),
    lint('rombios', 'XL438'),
    lint('tsc-native-paravirt', 'XL439'),
    lint('usb-conflict', 'XL440'),
    lint('nestedhvm-altp2mhvm', 'XL441'),
    lint('emulated-nic-on-pv', 'XL442'),
    lint('channel-without-name', 'XL443'),
    lint('videoram-too-small', 'XL444'),
    lint('ioports-reversed', 'XL445'),
    lint('negative-size', 'XL446'),
    lint('p9-missing-field', 'XL447'),
    lint('wrong-architecture', 'XL448'),
    lint('firmware-prefix', 'XL449'),
    lint('passthrough-disabled-with-devices', 'XL450'),
    lint('usbctrl-limits', 'XL451'),
    r('info', 'unused-suppression', 'XL498'),
    r('error', 'internal-error', 'XL499'),
  ]),
);
