/** Polls `condition` until it holds; fails naming `what` after `timeoutMillis`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMillis = 30_000, what: string | (() => string) = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The stock agent.json shipped with the Java agent (two flows, empty endpoints). */
export const STOCK_JAVA_AGENT_JSON_URL = new URL('../fixtures/stock-java-agent.json', import.meta.url);
