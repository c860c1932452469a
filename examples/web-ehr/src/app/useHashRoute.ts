import { useEffect, useState } from 'react';

function readRoute(): string {
  return window.location.hash.replace(/^#/, '') || '/';
}

/** The current `#/route` of the page, updated on navigation. */
export function useHashRoute(): string {
  const [route, setRoute] = useState(readRoute);
  useEffect(() => {
    const onChange = () => setRoute(readRoute());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
