import { defineRule } from './define';

export default defineRule({
  id: 'unused-async',
  description: 'An async function that never awaits: the async keyword only wraps the result in a promise.',
  defaultSeverity: 'hint',
  fix: 'none',
});
