// A worker process for the crash test: runs the outbox against DATABASE_URL
// and the SMTP peer on SMTP_PORT until it is killed.
import { pino } from 'pino';
import { createSmtpChannel, startOutboxWorker } from '../../alerts/index.ts';
import { openDatabase } from '../../db/index.ts';

const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL!, dataDir: '' });
startOutboxWorker({
  db: database.db,
  channel: createSmtpChannel({ url: `smtp://127.0.0.1:${process.env.SMTP_PORT}`, from: 'status@status.example', requireTls: false, maxConnections: 4, timeoutMs: 5000 }),
  links: { publicUrl: 'https://status.example', secret: 'crash-test-secret-crash-test-secret', messageIdDomain: 'status.example' },
  logger: pino({ level: 'silent' }),
  pollMs: 50,
  batchSize: 50,
  concurrency: Number(process.env.CONCURRENCY),
  leaseMs: Number(process.env.LEASE_MS),
});
process.stdout.write('worker started\n');
