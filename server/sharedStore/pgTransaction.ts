// One transaction on a client of the pool: committed when `work` resolves, rolled back when it throws; the client is
// given back either way. `begin` may set the isolation level ('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY').
import type pg from 'pg';

export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
