// jsdom set-up: the i18n catalog in French, and DOM cleanup between tests.
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import { initI18n } from '../../../renderer/i18n/index.js';

initI18n('fr');
afterEach(() => cleanup());
