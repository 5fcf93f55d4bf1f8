import { defineRule } from './define';

export default defineRule({
  id: 'nested-event-loop',
  description: 'asyncio.run or run_until_complete inside a coroutine: the event loop is already running.',
  defaultSeverity: 'error',
  fix: 'suggestion',
});
