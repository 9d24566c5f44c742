// Runs a TypeScript module in a worker thread: registers tsx's loader in this thread, then imports `workerData.module`.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
