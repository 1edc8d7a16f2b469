// kinesalite ships no types; the demo and tests use only its factory.
declare module 'kinesalite' {
  import type { Server } from 'node:http';
  const kinesalite: (options?: Record<string, unknown>) => Server;
  export default kinesalite;
}
