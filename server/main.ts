import { ConfigError, loadConfig } from './config';
import { PortInUseError } from './lib/port-check';
import { RedisUnavailableError } from './lib/redis-server';
import { createLogger } from './logger';
import { type Running, startPartnerLens } from './start';

/** `npm start`: the service and the workers (ROLE), with the sandbox and a demo tenant in development. */
export async function main(overrides: NodeJS.ProcessEnv = {}): Promise<void> {
  const config = loadConfig(process.env, overrides);
  const logger = createLogger(config);
  // Listen from the first moment: Ctrl-C during start-up stops what has started; a second one forces.
  const starting = new AbortController();
  let running: Running | undefined;
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'stopping now, without waiting');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'stopping: draining workers, closing connections');
    if (!running) return starting.abort();
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  try {
    running = await startPartnerLens(config, logger, starting.signal);
  } catch (error) {
    if (starting.signal.aborted) process.exit(0);
    throw error;
  }

  if (running.demo) {
    console.log(
      `\nDemo tenant ${running.demo.tenantId}; its API key: ${running.demo.apiKey} (kept across restarts on this data folder${running.demo.file ? `; with the local CRMs' tokens in ${running.demo.file}` : ''})`,
    );
    console.log(`HubSpot sandbox: ${running.sandboxUrl}`);
    if (running.salesforceSandboxUrl)
      console.log(`Salesforce sandbox: ${running.salesforceSandboxUrl}`);
  }
  if (running.demo?.cardUrl) {
    const curl = (url: string) => `curl -H "Authorization: Bearer ${running.demo!.apiKey}" ${url}`;
    console.log(`\nReady. Try a HubSpot deal's card:     ${curl(running.demo.cardUrl)}`);
    if (running.demo.salesforceCardUrl)
      console.log(`and a Salesforce opportunity's card: ${curl(running.demo.salesforceCardUrl)}`);
    console.log('');
  } else if (running.apiUrl) {
    console.log(`\nReady on ${running.apiUrl}\n`);
  } else {
    console.log('\nWorkers ready.\n');
  }
}

export function runMain(overrides: NodeJS.ProcessEnv = {}): void {
  main(overrides).catch(exitWithError);
}

function exitWithError(error: unknown): never {
  if (
    error instanceof ConfigError ||
    error instanceof RedisUnavailableError ||
    error instanceof PortInUseError
  ) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
}

if (require.main === module) runMain();
