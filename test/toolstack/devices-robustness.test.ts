/**
 * The device commands never throw and never leak an internal error, whatever the
 * arguments (a property over words of their grammars and junk), and a command that fails
 * leaves the host as it was.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { harness } from './helpers.js';

const COMMANDS = [
  'cd-insert', 'cd-eject', 'channel-list', 'vtpm-attach', 'vtpm-list', 'vtpm-detach', 'vkb-attach', 'vkb-list', 'vkb-detach',
  'vdispl-attach', 'vdispl-list', 'vdispl-detach', 'vsnd-attach', 'vsnd-list', 'vsnd-detach', 'usbctrl-attach', 'usbctrl-detach',
  'usbdev-attach', 'usbdev-detach', 'usb-list', 'pci-assignable-add', 'pci-assignable-remove', 'pci-assignable-list', 'pci-attach',
  'pci-detach', 'pci-list',
];
const WORDS = [
  'web', 'win', '0', '1', '2', '99', '-1', '4294967296', 'nosuch', 'Domain-0', '-N', '-f', '-r', '-n', 'nic0', '--name=nic0', '-h',
  'hdc', 'xvda', '/srv/a.iso', 'uuid=b2f0e3e1-7c4b-4c4e-9d7a-1f2e3d4c5b6a', 'uuid=x', 'backend=0', 'backend=nosuch', 'backend-type=linux',
  'unique-id=k', 'feature-multi-touch=1', 'connectors=id0:800x600', 'connectors=;', 'be-alloc=1', 'CARD, short-name=x', 'PCM, name=p',
  'STREAM, unique-id=0, type=p', 'STREAM, type=z', 'type=pv', 'type=devicemodel', 'version=3', 'ports=99', 'hostbus=1', 'hostaddr=2',
  'hostaddr=3', 'controller=0', 'port=1', '03:00.0', '0000:03:00.1', '03:00.*', '03:00.0@4', 'name=nic0', 'seize=1', '', ' ',
];

describe('device commands never throw', () => {
  it('for any command line of device words and junk', async () => {
    const host = JSON.stringify({
      cpus: { nodes: 1, sockets: 1, cores: 2, threads: 1 }, memory_mib: 8192, dom0: { memory_mib: 1024, vcpus: 1 },
      pci: [{ bdf: '0000:03:00.0', description: 'Ethernet controller: Intel I350' }, { bdf: '0000:03:00.1', description: 'Ethernet controller: Intel I350' }],
    });
    const h = harness({
      'host.json': host, '/srv/a.iso': 'x',
      'web.cfg': 'name = "web"\ntype = "pv"\nkernel = "/k"\nmemory = 128\nchannel = [ "name=c,connection=pty" ]\n',
      'win.cfg': 'name = "win"\ntype = "hvm"\nmemory = 128\ndisk = [ ",,hdc,cdrom" ]\n',
    });
    await h.run('host init --host host.json');
    await h.run('create -q web.cfg');
    await h.run('create -q win.cfg');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...COMMANDS),
        fc.array(fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 5 })), { maxLength: 5 }),
        async (cmd, args) => {
          const before = await h.store.read(h.clock, (x) => JSON.stringify(x.exportTables()));
          const r = await h.run([cmd, ...args]);
          expect(Number.isInteger(r.code)).toBe(true);
          expect(r.code).toBeGreaterThanOrEqual(0);
          expect(r.err).not.toContain('internal error');
          expect(r.err).not.toMatch(/\n\s+at /);
          if (r.code !== 0) expect(await h.store.read(h.clock, (x) => JSON.stringify(x.exportTables()))).toBe(before);
        },
      ),
      { numRuns: 300 },
    );
  });
});
