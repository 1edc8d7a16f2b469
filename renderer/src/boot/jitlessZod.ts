import { z } from 'zod';

/**
 * zod compiles fast parsers with `new Function` unless told not to, and probes for it when each
 * object schema is built. The console's CSP forbids eval, so the probe would be reported as a
 * CSP violation on every page load. This module must be imported before any schema module: zod
 * reads the setting when a schema is constructed, at import time.
 */
z.config({ jitless: true });
