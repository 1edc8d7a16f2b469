import { z } from 'zod';

// The window's CSP forbids eval; zod would otherwise probe `new Function` when schemas are built.
// Imported first by preload.ts, before any schema module.
z.config({ jitless: true });
