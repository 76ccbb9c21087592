import { runMain } from './main';

// The entry point for deployments that run workers apart from the API.
runMain({ ROLE: 'worker' });
