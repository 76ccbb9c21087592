/**
 * A code as people read it: "COMPUTER_SOFTWARE" → "Computer software", "system_integrator" →
 * "System integrator". Codes stay the data; sentences and labels use this.
 */
export function wordsOf(code: string): string {
  const words = code.replace(/[_-]+/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
