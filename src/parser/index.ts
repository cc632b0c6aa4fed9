/**
 * The parser layer's public API (see shared/DESIGN.md "The parser"): read an xl
 * domain config (`parseConfig` → `ConfigFile`), read values as libxlu does (getters),
 * parse the sub-grammars (specs), build the libxl_domain_config xl would build
 * (`buildDomainConfig`; its JSON printer is the toolstack's `format/libxl-json.ts`),
 * and look keys up (`KEYS`, `lookupKey`, `suggestKey`).
 *
 * Only this barrel is meant to be imported from other layers.
 */
export * from './types.js';
export * from './libxl.js';
export * from './specs/types.js';
export * from './config-file.js';
export * from './getters.js';
export * from './domain-config.js';
export * from './keys.js';

// sub-grammars (specs/): the parsers and their value types; the low-level C-number
// helpers of specs/split.ts and specs/vdev.ts stay internal.
export * from './specs/channel.js';
export * from './specs/cpuid.js';
export * from './specs/cpumap.js';
export * from './specs/disk.js';
export * from './specs/ioresources.js';
export * from './specs/mac.js';
export * from './specs/p9.js';
export * from './specs/pci.js';
export * from './specs/pvcalls.js';
export * from './specs/rate.js';
export * from './specs/rdm.js';
export * from './specs/smbios.js';
export * from './specs/usb.js';
export * from './specs/uuid.js';
export * from './specs/vdispl.js';
export * from './specs/vfb.js';
export * from './specs/vif.js';
export * from './specs/viridian.js';
export * from './specs/virtio.js';
export * from './specs/vkb.js';
export * from './specs/vnuma.js';
export * from './specs/vsnd.js';
export * from './specs/vtpm.js';
export { vdevToDevid } from './specs/vdev.js';
export * from './domain-config/xl-conf.js';
