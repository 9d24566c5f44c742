// The mediator's view of the visitor log: today's list and the weekly grid.
import { create } from 'zustand';
import type { Visit, VisitorProfile, WeeklyGrid } from '../../../shared/contract/index.js';
import type { ServiceType } from '../../../shared/domain.js';
import { getBridge, unwrap } from '../../bridge/index.js';

interface VisitsState {
  today: Visit[];
  grid: WeeklyGrid | null;
  loadToday(): Promise<void>;
  record(organisation: string, service: ServiceType): Promise<Visit>;
  update(id: number, patch: { organisation?: string; service?: ServiceType; profile?: VisitorProfile }): Promise<Visit>;
  remove(id: number): Promise<void>;
  loadGrid(week?: string): Promise<void>;
  gridCsv(week: string): Promise<{ filename: string; content: string }>;
}

export const useVisitsStore = create<VisitsState>()((set, get) => ({
  today: [],
  grid: null,
  async loadToday() {
    set({ today: await unwrap(getBridge().visits.listDay({})) });
  },
  async record(organisation, service) {
    const visit = await unwrap(getBridge().visits.record({ organisation, service }));
    await get().loadToday();
    return visit;
  },
  async update(id, patch) {
    const visit = await unwrap(getBridge().visits.update({ id, patch }));
    await get().loadToday();
    return visit;
  },
  async remove(id) {
    await unwrap(getBridge().visits.delete({ id }));
    await get().loadToday();
  },
  async loadGrid(week) {
    set({ grid: await unwrap(getBridge().grid.week(week ? { week } : {})) });
  },
  gridCsv(week) {
    return unwrap(getBridge().grid.csv({ week }));
  },
}));
