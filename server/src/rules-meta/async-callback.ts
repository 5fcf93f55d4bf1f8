import { defineRule } from './define';

export default defineRule({
  id: 'async-callback',
  description: 'An async function is passed where a synchronous callback is expected; its promise is ignored.',
  defaultSeverity: 'warning',
  fix: 'suggestion',
});
