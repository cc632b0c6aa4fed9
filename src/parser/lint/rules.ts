/**
 * The catalogue of every diagnostic code xlsim's parser layer emits, for SARIF output
 * (`tool.driver.rules`), `xlsim check --explain` and the docs. Each entry points at its
 * section of docs/rules.md (the anchor is the lower-case code, e.g. `#xl401`).
 *
 * Code ranges: XL001–XL0xx parse errors (libxlu lexer/grammar, xl-cfg-format.md §1);
 * XL1xx xl's own checks in `parse_config_data` (§3, §5); XL2xx/XL3xx sub-grammar
 * messages (§4); XL4xx lint rules (`checks.ts`) for what xl accepts but misreads.
 * The test `test/parser/lint-docs.test.ts` keeps this table, docs/rules.md and the codes
 * used in `src/parser` in sync.
 */
import type { Severity } from '../types.js';

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
    r('warning', 'unknown-key', 'XL401'),
    r('warning', 'obsolete-key', 'XL402'),
    r('info', 'deprecated-key', 'XL403'),
    r('warning', 'boolean-word', 'XL404'),
    r('info', 'quoted-number', 'XL405'),
    r('warning', 'not-a-number', 'XL406'),
    r('warning', 'octal-number', 'XL407'),
    r('warning', 'octal-escape-vanishes', 'XL408'),
    r('warning', 'wrong-shape', 'XL409'),
    r('warning', 'nested-list-truncates', 'XL410'),
    r('warning', 'repeated-key', 'XL411'),
    r('warning', 'append-to-number', 'XL412'),
    r('warning', 'memory-above-maxmem', 'XL413'),
    r('error', 'maxvcpus-below-vcpus', 'XL414'),
    r('warning', 'maxmem-without-memory', 'XL415'),
    r('warning', 'duplicate-mac', 'XL416'),
    r('error', 'duplicate-vdev', 'XL417'),
    r('error', 'no-boot-source', 'XL418'),
    r('warning', 'ignored-for-guest-type', 'XL419'),
    r('error', 'timer-mode-on-pv', 'XL420'),
    r('warning', 'cmdline-overrides-root-extra', 'XL421'),
    r('warning', 'hvm-kernel-hvmloader', 'XL422'),
    r('warning', 'rdm-policy-dropped', 'XL423'),
    r('error', 'mca-caps-default', 'XL424'),
    r('error', 'channel-connection-case', 'XL425'),
    r('error', 'vsnd-man-page-spelling', 'XL426'),
    r('error', 'pci-vslot-out-of-range', 'XL427'),
    r('error', 'disk-second-field-is-format', 'XL428'),
    r('warning', 'type-prefix', 'XL429'),
    r('warning', 'vcpus-below-one', 'XL430'),
    r('error', 'action-spelling', 'XL431'),
    r('warning', 'vfb-atoi-boolean', 'XL432'),
    r('warning', 'vif-trailing-space', 'XL433'),
    r('error', 'disk-target-not-last', 'XL434'),
    r('error', 'pod-conflict', 'XL435'),
    r('error', 'pv-vnuma', 'XL436'),
    r('error', 'hvm-direct-boot-without-kernel', 'XL437'),
    r('error', 'rombios', 'XL438'),
    r('error', 'tsc-native-paravirt', 'XL439'),
    r('error', 'usb-conflict', 'XL440'),
    r('error', 'nestedhvm-altp2mhvm', 'XL441'),
    r('error', 'emulated-nic-on-pv', 'XL442'),
    r('error', 'channel-without-name', 'XL443'),
    r('error', 'videoram-too-small', 'XL444'),
    r('warning', 'ioports-reversed', 'XL445'),
    r('warning', 'negative-size', 'XL446'),
    r('error', 'p9-missing-field', 'XL447'),
    r('warning', 'wrong-architecture', 'XL448'),
    r('warning', 'firmware-prefix', 'XL449'),
    r('error', 'passthrough-disabled-with-devices', 'XL450'),
    r('error', 'usbctrl-limits', 'XL451'),
    r('info', 'unused-suppression', 'XL498'),
    r('error', 'internal-error', 'XL499'),
  ]),
);
