// Unit tests: the `node` project (services, hub, shared, shells against fakes) and the `jsdom` project (components, stores).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['tests/unit/node/**/*.test.ts', 'tests/security/**/*.test.ts'],
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'jsdom',
          environment: 'jsdom',
          include: ['tests/unit/jsdom/**/*.test.{ts,tsx}'],
          setupFiles: ['tests/unit/jsdom/setup.ts'],
        },
      },
    ],
  },
});
