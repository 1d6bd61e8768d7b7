import { z } from 'zod';
import { workflow } from '../src/index.js';
const broken = workflow({ name: 'broken', input: z.object({}) }).step('x', { after: ['nope'] as never, run: () => 1 });
try { broken.build(); } catch (e) { console.log('broken:', (e as Error).message); }
const wf = workflow({ name: 'p', input: z.object({}) }).workflow('c', { workflow: broken, input: () => ({}) });
try { wf.build(); console.log('no throw'); } catch (e) { console.log((e as Error).message); }
