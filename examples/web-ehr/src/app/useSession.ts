import { useEffect, useState } from 'react';
import type { AppConfig } from '../common/config.js';
import { openSession, type Session } from './lib/session.js';

// One session per role and page load: React may mount a component twice (StrictMode), but registering twice from
// one wallet would race two transactions.
const sessions = new Map<string, Promise<Session>>();

/** Opens the role's session once (wallet, identity, registration); `error` says why it failed. */
export function useSession(config: AppConfig, role: 'patient' | 'doctor') {
  const [session, setSession] = useState<Session>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    let opening = sessions.get(role);
    if (!opening) {
      opening = openSession(config, role);
      sessions.set(role, opening);
      opening.catch(() => sessions.delete(role));
    }
    opening.then(
      (opened) => live && setSession(opened),
      (cause: unknown) => live && setError(String((cause as Error)?.message ?? cause)),
    );
    return () => {
      live = false;
    };
  }, [config, role]);
  return { session, error };
}
