/**
 * Ethernet MAC addresses of guest network interfaces (vifs).
 *
 * Follows libxl `libxl__device_nic_setdefault` (tools/libs/light/libxl_nic.c): a vif
 * without `mac=` gets a random address in Xen's OUI 00:16:3e, with the top bit of the
 * 4th byte clear. Reference: xl-cfg-format.md §4.2 (`mac=` default), xl-commands.md
 * "network-attach".
 */

/** ASCII codes of the lower-case hex digits. */
const HEX_CODES = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102];
/** Scratch character codes of one MAC text (17 characters, the `:` already in place). */
const macChars: number[] = new Array<number>(17).fill(58);

/**
 * Format six bytes as libxl prints a MAC (`%02x:` × 6, lower-case hex).
 * @param bytes six integers 0–255 (extra entries ignored, missing ones print 00)
 */
export function formatMac(bytes: readonly number[]): string {
  for (let i = 0; i < 6; i++) {
    const b = (bytes[i] ?? 0) & 0xff;
    macChars[i * 3] = HEX_CODES[b >> 4]!;
    macChars[i * 3 + 1] = HEX_CODES[b & 15]!;
  }
  return String.fromCharCode.apply(null, macChars);
}

/**
 * A random MAC as libxl generates it: `00:16:3e:XX:XX:XX`, the 4th byte below 0x80
 * (libxl_nic.c masks it with 0x7f).
 * @param rand a source of uniform numbers in [0, 1) (e.g. a seeded PRNG, so the host
 *   stays deterministic); it is called three times.
 * @returns the address as `00:16:3e:xx:xx:xx`, lower-case. Never throws.
 */
export function generateMac(rand: () => number): string {
  const byte = (): number => {
    const r = rand();
    const v = Number.isFinite(r) ? Math.floor(r * 256) : 0;
    return Math.min(255, Math.max(0, v));
  };
  const b3 = byte() & 0x7f;
  const b4 = byte();
  const b5 = byte();
  return formatMac([0x00, 0x16, 0x3e, b3, b4, b5]);
}
