/**
 * `Host.listDomains({ detail })`, the dashboard's one-pass refresh (tui/queries.ts
 * `sampleHost`): the domains named in `detail` come out as `Host.domain` describes them,
 * less the config and its file; the others as a plain listing gives them.
 */
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/machine/clock.js';
import { Host } from '../../src/machine/host.js';
import { guestConfig, T0 } from './helpers.js';

describe('listDomains with detail', () => {
  it('gives the detail domains as domain() does (devices, vCPUs, ssidref) and the rest as list does', () => {
    const clock = new VirtualClock(T0);
    const host = Host.create(clock);
    const web = guestConfig('web', { vcpus: 2, disks: [{ vdev: 'xvda', target: '/dev/vg/web' }], nics: [{ bridge: 'xenbr0' }] });
    web.c_info.ssidref = 7;
    host.createDomain(web);
    host.createDomain(guestConfig('db', { vcpus: 4, disks: [{ vdev: 'xvda', target: '/dev/vg/db' }] }));
    host.createDomain(guestConfig('idle'));
    host.advanceTo(T0 + 90_000);
    const webId = host.domidByName('web')!;
    const dbId = host.domidByName('db')!;

    const listed = host.listDomains({ detail: new Set([webId, dbId, 999]) });
    const plain = host.listDomains();
    expect(listed.map((d) => d.domid)).toEqual(plain.map((d) => d.domid));
    for (const d of listed) {
      if (d.domid === webId || d.domid === dbId) {
        const { config: _c, configFile: _f, ...want } = host.domain(d.domid)!;
        expect(d).toEqual(want);
        expect(d.vcpus).toHaveLength(d.maxVcpus);
        expect(d.vbds).toHaveLength(1);
      } else {
        expect(d).toEqual(plain.find((p) => p.domid === d.domid));
        expect(d.vcpus).toBeUndefined();
      }
    }
    expect(listed.find((d) => d.domid === webId)!.ssidref).toBe(7);
    expect(listed.find((d) => d.domid === webId)!.nets).toHaveLength(1);
  });
});
