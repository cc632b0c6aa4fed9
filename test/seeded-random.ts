/**
 * Vitest setup file: `Math.random` is a seeded generator (mulberry32, src/machine/prng.ts)
 * restarted before every test, so what xl makes up at random (a domain's UUID when the
 * config has none, `ms_vm_genid="generate"`) is the same in every run. The emulated host
 * derives a guest's behaviour (idle noise, dirty pages, so where each migration round or
 * Remus checkpoint falls in virtual time) from its UUID: with the real `Math.random` a
 * test could pass or fail depending on the UUID it happened to get. The built `bin/xlsim`
 * (end-to-end tests) keeps the real one.
 */
import { beforeEach } from 'vitest';
import { mulberry32 } from '../src/machine/prng.js';

const SEED = 0x5eed1e55;
let state = SEED;

Math.random = (): number => {
  const r = mulberry32(state);
  state = r.state;
  return r.value / 2 ** 32;
};

beforeEach(() => {
  state = SEED;
});
