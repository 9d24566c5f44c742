// Suspends the visitor screens' idle guard while `active` (a video call in progress is never cut by idle).
import { useEffect } from 'react';
import { useIdleStore } from './idleStore.js';

export function useIdleBlock(active: boolean): void {
  const block = useIdleStore((s) => s.block);
  useEffect(() => (active ? block() : undefined), [active, block]);
}
