import { defineRule } from './define';

export default defineRule({
  id: 'await-in-loop',
  description: 'An await inside a loop whose iterations do not depend on each other serializes the work.',
  defaultSeverity: 'info',
  fix: 'suggestion',
});
