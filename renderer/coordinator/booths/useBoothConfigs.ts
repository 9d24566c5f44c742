// Which configuration version each booth runs, for the « Bornes » table: asked of the hub each time the booths' list is
// loaded. Null while unknown or if the hub has no configuration API (the column is then not shown); not asked at all where
// the hub does not list the configuration view (`enabled` false).
import { useEffect, useState } from 'react';
import type { BoothConfigState } from '../../../shared/fleetConfig.js';
import { fetchConfigOverview } from '../config/configApi.js';

export function useBoothConfigs(loadedAt: unknown, enabled = true): ReadonlyMap<number, BoothConfigState> | null {
  const [configs, setConfigs] = useState<ReadonlyMap<number, BoothConfigState> | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    void fetchConfigOverview().then((r) => {
      if (live && r.ok) setConfigs(new Map(r.value.booths.map((b) => [b.boothId, b])));
    });
    return () => {
      live = false;
    };
  }, [loadedAt, enabled]);
  return configs;
}
