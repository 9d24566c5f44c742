// The mediator's view of the visitor log: today's list and the weekly grid.
import { createStore, useStore, type StoreApi } from 'zustand';
import type { Visit, VisitorProfile, WeeklyGrid, RelaisApi } from '../../../shared/contract/index.js';
import type { ServiceType } from '../../../shared/domain.js';
import { unwrap } from '../../bridge/index.js';
import { useKioskStores } from './storesContext.js';

export interface VisitsState {
  today: Visit[];
  grid: WeeklyGrid | null;
  loadToday(): Promise<void>;
  record(organisation: string, service: ServiceType): Promise<Visit>;
  update(id: number, patch: { organisation?: string; service?: ServiceType; profile?: VisitorProfile }): Promise<Visit>;
  remove(id: number): Promise<void>;
  loadGrid(week?: string): Promise<void>;
  gridCsv(week: string): Promise<{ filename: string; content: string }>;
}

export const createVisitsStore = (bridge: RelaisApi): StoreApi<VisitsState> => createStore<VisitsState>()((set, get) => ({
  today: [],
  grid: null,
  async loadToday() {
    set({ today: await unwrap(bridge.visits.listDay({})) });
  },
  async record(organisation, service) {
    const visit = await unwrap(bridge.visits.record({ organisation, service }));
    await get().loadToday();
    return visit;
  },
  async update(id, patch) {
    const visit = await unwrap(bridge.visits.update({ id, patch }));
    await get().loadToday();
    return visit;
  },
  async remove(id) {
    await unwrap(bridge.visits.delete({ id }));
    await get().loadToday();
  },
  async loadGrid(week) {
    set({ grid: await unwrap(bridge.grid.week(week ? { week } : {})) });
  },
  gridCsv(week) {
    return unwrap(bridge.grid.csv({ week }));
  },
}));

/** The app's visits store (from KioskProviders), as a zustand hook. */
export const useVisitsStore = <T>(selector: (state: VisitsState) => T): T => useStore(useKioskStores().visits, selector);
