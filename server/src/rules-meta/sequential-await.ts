import { defineRule } from './define';

export default defineRule({
  id: 'sequential-await',
  description: 'Consecutive independent awaits run one after another; they could run concurrently.',
  defaultSeverity: 'info',
  fix: 'suggestion',
});
