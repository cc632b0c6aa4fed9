/**
 * The guest console's line discipline, login and small shell (guest/os.ts feeds it the
 * bytes typed into `xl console`). Pure: state in, state + output + actions out.
 */

/** The console's login/shell state, kept in the domain row (records.ts `GuestState.tty`). */
export interface TtyState {
  /** Waiting for a user name, a password, or at a shell prompt. */
  mode: 'login' | 'password' | 'shell';
  /** Logged-in (or logging-in) user name; '' before login. */
  user: string;
  /** The line typed so far (not yet submitted with Enter). */
  line: string;
  /** Shell working directory. */
  cwd: string;
}

/** The console state of a freshly booted guest: at its `login:` prompt. */
export function initialTty(): TtyState {
  return { mode: 'login', user: '', line: '', cwd: '/' };
}
