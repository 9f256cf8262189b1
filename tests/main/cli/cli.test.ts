import { it, expect } from 'vitest';
it('probe', () => { console.log(process.execPath, process.version); expect(1).toBe(1); });
