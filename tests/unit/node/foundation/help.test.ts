import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../../electron/services/db/index.js';
import { createHelp } from '../../../../electron/services/foundation/help.js';
import { silentLogger } from '../../../../electron/services/logger.js';
import type { HelpState } from '../../../../shared/contract/index.js';
import { fakeClock } from '../services/support.js';

describe('call the mediator', () => {
  let db: Db;
  afterEach(() => db?.close());
  const make = () => {
    db = openDatabase(':memory:');
    const clock = fakeClock(1_000_000);
    return { clock, help: createHelp({ db, clock, logger: silentLogger() }) };
  };

  it('has nothing pending at first', () => {
    expect(make().help.state()).toEqual({ pending: false, requestId: null, requestedAt: null, screen: null });
  });

  it('records a request with its screen and time, and a second request while pending does not duplicate it', () => {
    const { help, clock } = make();
    const seen: HelpState[] = [];
    help.onChange((s) => seen.push(s));
    const first = help.request('home');
    clock.advance(5_000);
    const second = help.request('visio');
    expect(first).toEqual({ pending: true, requestId: 1, requestedAt: 1_000_000, screen: 'home' });
    expect(second).toEqual(first);
    expect(db.prepare('SELECT COUNT(*) AS n FROM mediator_calls').get()).toEqual({ n: 1 });
    expect(seen).toEqual([first]);
  });

  it('clears the pending request when a mediator acknowledges it, recording who and when', () => {
    const { help, clock } = make();
    const seen: boolean[] = [];
    help.onChange((s) => seen.push(s.pending));
    help.request('home');
    clock.advance(30_000);
    expect(help.acknowledge(7)).toEqual({ pending: false, requestId: null, requestedAt: null, screen: null });
    expect(db.prepare('SELECT acknowledged_at, mediator_id FROM mediator_calls').get()).toEqual({ acknowledged_at: 1_030_000, mediator_id: 7 });
    expect(help.acknowledge(7).pending).toBe(false);
    expect(seen).toEqual([true, false]);
    expect(help.request('print').requestId).toBe(2);
  });
});
