import { defineRule } from './define';

export default defineRule({
  id: 'blocking-call',
  description: 'A blocking call (sync I/O, sleep, busy-wait) inside an async function stalls the event loop.',
  defaultSeverity: 'warning',
  fix: 'suggestion',
});
