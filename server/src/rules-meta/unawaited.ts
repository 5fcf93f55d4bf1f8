import { defineRule } from './define';

export default defineRule({
  id: 'unawaited',
  description: 'A promise or coroutine is created and dropped: never awaited, returned, stored or handled.',
  defaultSeverity: 'warning',
  fix: 'suggestion',
});
