import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { harness } from './helpers.js';

const WORDS = [
  'create', 'list', 'li', 'pause', 'unpause', 'shutdown', 'reboot', 'destroy', 'domid', 'domname', 'uptime',
  'vcpu-list', 'vcpu-set', 'info', 'rename', 'mem-set', 'mem-max', 'vm-list', 'block-list', 'network-list',
  'check', 'help', 'block-attach', 'block-detach', 'network-attach', 'network-detach', 'sched-credit2', 'claims', 'sharing', 'cpupool-list', 'xvdb', 'mac=00:16:3e:00:00:09', '-d', '-w', '-h', '--help', '-v', '-l', '-w', '-ww', '-a', '-F', '-f', '-n', '-N', '-p', '-q', '-s', '-i',
  '--format', 'json', 'sarif', '--', '-', '0', '1', '2', '99', '4294967296', '-1', 'web', 'web.cfg', 'name="x"',
  'memory=64', '', ' ', 'Domain-0', '512m', '3abc', '--long', '--bogus', '-x',
];

describe('runXl never throws and never leaks an internal error', () => {
  it('for any command line built from xl words and junk', async () => {
    const h = harness({ 'web.cfg': 'name = "web"\ntype = "pvh"\nkernel = "/k"\nmemory = 128\n' });
    await h.run('create -q web.cfg');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 6 })), { maxLength: 6 }),
        async (argv) => {
          const r = await h.run(argv);
          expect(Number.isInteger(r.code)).toBe(true);
          expect(r.code).toBeGreaterThanOrEqual(0);
          expect(r.err).not.toContain('internal error');
          expect(r.err).not.toMatch(/\n\s+at /);
        },
      ),
      { numRuns: 400 },
    );
  });
});
